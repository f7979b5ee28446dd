"""Reconstruction targets, chosen by name in the config.

    target = TARGETS.get("motion")(x, patch_size, normalise=True)   # x: [N, T, V, 3] -> [N, Tp * V, p * 3]

Tokens are ordered time-major like the model's (token l = t_patch * V + joint); each
token's target is normalised by its own mean and standard deviation (MAE's norm_pix_loss).
"""

import torch

from ..registry import Registry

TARGETS = Registry("target")


def patchify(x: torch.Tensor, patch_size: int) -> torch.Tensor:
    """x: [N, T, V, C] -> [N, Tp * V, p * C] (time-major tokens, p consecutive frames each)."""
    n, t, v, c = x.shape
    if t % patch_size != 0:
        raise ValueError(f"window of {t} frames is not divisible by patch size {patch_size}")
    tp = t // patch_size
    return x.reshape(n, tp, patch_size, v, c).permute(0, 1, 3, 2, 4).reshape(n, tp * v, patch_size * c)


def normalise_per_token(tokens: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """Standardise each token over its own values: [N, L, C] -> [N, L, C]."""
    mean = tokens.mean(-1, keepdim=True)
    var = tokens.var(-1, keepdim=True, unbiased=False)
    return (tokens - mean) / (var + eps).sqrt()


from . import coordinates, motion  # noqa: E402,F401  (register)

__all__ = ["TARGETS", "patchify", "normalise_per_token"]
