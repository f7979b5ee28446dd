"""Motion target (MAMP): reconstruct the masked joints' frame-to-frame displacement."""

import torch

from . import TARGETS, normalise_per_token, patchify


def temporal_difference(x: torch.Tensor) -> torch.Tensor:
    """x: [N, T, V, 3] -> [N, T, V, 3]; frame t holds x[t + 1] - x[t], the last frame zero."""
    motion = torch.zeros_like(x)
    motion[:, :-1] = x[:, 1:] - x[:, :-1]
    return motion


@TARGETS.register("motion")
def motion_target(x: torch.Tensor, patch_size: int, normalise: bool = True) -> torch.Tensor:
    """x: [N, T, V, 3] -> [N, Tp * V, p * 3]."""
    tokens = patchify(temporal_difference(x), patch_size)
    return normalise_per_token(tokens) if normalise else tokens
