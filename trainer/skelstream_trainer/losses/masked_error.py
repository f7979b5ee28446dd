"""Errors averaged over masked tokens only (visible tokens carry no loss, as in MAE/MAMP)."""

import torch
import torch.nn.functional as F

from . import LOSSES


def _masked_mean(per_token: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    return (per_token * mask).sum() / mask.sum().clamp(min=1.0)


@LOSSES.register("mse")
def masked_mse(pred: torch.Tensor, target: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean squared error on masked tokens. pred/target: [N, L, C]; mask: [N, L], 1 = masked."""
    return _masked_mean(((pred - target) ** 2).mean(-1), mask)


@LOSSES.register("smooth_l1")
def masked_smooth_l1(pred: torch.Tensor, target: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Smooth-L1 (Huber, beta 1) on masked tokens; less sensitive to noisy joints."""
    return _masked_mean(F.smooth_l1_loss(pred, target, reduction="none").mean(-1), mask)
