"""Motion-aware masking (MAMP): tokens that move more are masked more often.

Mask probabilities are softmax(per-token motion / temperature); sampling without
replacement from them is done with the Gumbel-top-k trick (score = log p + Gumbel noise,
the highest scores are masked), which matches torch.multinomial without replacement.
"""

import torch

from . import MASKING


def patch_motion(x: torch.Tensor, patch_size: int) -> torch.Tensor:
    """Mean absolute frame-to-frame displacement per token. x: [N, T, V, 3] -> [N, Tp * V]."""
    n, t, v, _ = x.shape
    motion = torch.zeros_like(x)
    motion[:, 1:] = x[:, 1:] - x[:, :-1]
    per_frame = motion.abs().mean(-1)                                    # [N, T, V]
    return per_frame.reshape(n, t // patch_size, patch_size, v).mean(2).reshape(n, -1)


@MASKING.register("motion_aware")
def motion_aware_masking(x: torch.Tensor, patch_size: int, temperature: float = 0.75) -> torch.Tensor:
    """x: [N, T, V, 3] -> scores [N, Tp * V]; higher motion -> higher score -> more likely masked.

    Motion is standardised per sample first so the temperature means the same thing for any
    scale of input (MAMP applies it to normalised NTU coordinates)."""
    motion = patch_motion(x, patch_size)
    motion = (motion - motion.mean(-1, keepdim=True)) / (motion.std(-1, keepdim=True) + 1e-6)
    log_prob = torch.log_softmax(motion / temperature, dim=-1)
    gumbel = -torch.log(-torch.log(torch.rand_like(log_prob).clamp(1e-9, 1.0 - 1e-9)))
    return log_prob + gumbel
