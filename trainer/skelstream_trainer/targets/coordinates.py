"""Coordinate target (MAE): reconstruct the masked joints' positions."""

import torch

from . import TARGETS, normalise_per_token, patchify


@TARGETS.register("coordinates")
def coordinate_target(x: torch.Tensor, patch_size: int, normalise: bool = True) -> torch.Tensor:
    """x: [N, T, V, 3] -> [N, Tp * V, p * 3]."""
    tokens = patchify(x, patch_size)
    return normalise_per_token(tokens) if normalise else tokens
