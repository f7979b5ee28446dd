"""Uniform random masking (MAE): every token equally likely to be masked."""

import torch

from . import MASKING


@MASKING.register("random")
def random_masking(x: torch.Tensor, patch_size: int) -> torch.Tensor:
    """x: [N, T, V, 3] -> scores [N, Tp * V], i.i.d. uniform."""
    n, t, v, _ = x.shape
    return torch.rand(n, (t // patch_size) * v, device=x.device)
