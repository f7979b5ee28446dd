"""Tube masking: a joint is masked for the whole window (whole trajectories hidden).

All tokens of a joint share its random score; a tiny time ramp orders tokens within a
joint so that, when the keep count is not a multiple of Tp, one joint is partly kept.
"""

import torch

from . import MASKING


@MASKING.register("tube")
def tube_masking(x: torch.Tensor, patch_size: int) -> torch.Tensor:
    """x: [N, T, V, 3] -> scores [N, Tp * V], constant over time per joint (up to the ramp)."""
    n, t, v, _ = x.shape
    tp = t // patch_size
    per_joint = torch.rand(n, 1, v, device=x.device)
    ramp = torch.linspace(0.0, 1e-4, tp, device=x.device)[None, :, None]
    return (per_joint + ramp).reshape(n, tp * v)
