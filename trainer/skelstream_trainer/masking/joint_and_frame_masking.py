"""SkeletonMAE (Wu et al.) masking: whole temporal patches (frame level) and single joints
(joint level) are masked together. A frame_ratio share of the temporal patches is masked
entirely; the rest of the mask budget is spread over random joints of the other patches."""

import torch

from . import MASKING


@MASKING.register("joint_and_frame")
def joint_and_frame_masking(x: torch.Tensor, patch_size: int, frame_ratio: float = 0.4) -> torch.Tensor:
    """x: [N, T, V, 3] -> scores [N, Tp * V]. Tokens of masked patches score in [2, 3), the
    others in [0, 1), so a keep-lowest rule masks whole patches first, then random joints."""
    if not 0.0 <= frame_ratio < 1.0:
        raise ValueError(f"joint_and_frame masking: frame_ratio must be in [0, 1), got {frame_ratio}")
    n, t, v, _ = x.shape
    tp = t // patch_size
    masked_patches = int(round(tp * frame_ratio))
    patch_rank = torch.rand(n, tp, device=x.device).argsort(1).argsort(1)          # [N, Tp] random ranks
    whole = (patch_rank < masked_patches).to(x.dtype)[:, :, None]                   # [N, Tp, 1]
    joint = torch.rand(n, tp, v, device=x.device)
    return (joint + 2.0 * whole).reshape(n, tp * v)
