"""Skeleton2vec's motion-aware tube masking: the window is cut into tubes of tube_length
temporal patches; inside a tube the same joints stay masked, and joints are drawn with
probability softmax(joint motion over the tube / temperature), so moving joints are hidden
more often."""

import torch

from . import MASKING


@MASKING.register("motion_tube")
def motion_tube_masking(x: torch.Tensor, patch_size: int, tube_length: int = 2,
                        temperature: float = 0.75) -> torch.Tensor:
    """x: [N, T, V, 3] -> scores [N, Tp * V], constant over each tube's patches per joint
    except a tiny per-tube tie-breaker, so a keep-lowest rule masks whole tubes of a joint."""
    n, t, v, _ = x.shape
    tp = t // patch_size
    if tube_length < 1 or tp % tube_length != 0:
        raise ValueError(f"motion_tube masking: tube_length {tube_length} must divide {tp} temporal patches")
    tubes = tp // tube_length
    motion = torch.zeros_like(x)
    motion[:, 1:] = x[:, 1:] - x[:, :-1]
    per_tube = motion.abs().mean(-1).reshape(n, tubes, tube_length * patch_size, v).mean(2)   # [N, tubes, V]
    per_tube = (per_tube - per_tube.mean(-1, keepdim=True)) / (per_tube.std(-1, keepdim=True) + 1e-6)
    log_prob = torch.log_softmax(per_tube / temperature, dim=-1)
    gumbel = -torch.log(-torch.log(torch.rand_like(log_prob).clamp(1e-9, 1.0 - 1e-9)))
    # rank inside the tube (0 = first to keep, V-1 = first to mask) scaled to [0, 1): every tube holds
    # one joint per rank level, so the global keep-lowest rule keeps about the same joints per tube
    rank = (-(log_prob + gumbel)).argsort(-1).argsort(-1)                                   # 0 = most likely masked
    score = 1.0 - rank.to(x.dtype) / v
    tie = torch.rand(n, tubes, 1, device=x.device) * (0.5 / v)                               # same for a whole tube
    score = (score + tie)[:, :, None, :].expand(n, tubes, tube_length, v)
    return score.reshape(n, tp * v)
