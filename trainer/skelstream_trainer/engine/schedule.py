"""Per-step learning rate: linear warm-up then half-cosine decay (as MAE's engine)."""

import math


def cosine_lr(step: int, total_steps: int, warmup_steps: int, base_lr: float, min_lr: float) -> float:
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    progress = (step - warmup_steps) / max(1, total_steps - warmup_steps)
    return min_lr + (base_lr - min_lr) * 0.5 * (1.0 + math.cos(math.pi * min(1.0, progress)))


# Warm-up under a wall-clock budget. The configs' warm-up (5 epochs) is sized for their 200-epoch
# schedules; a budget fits the cosine schedule to what the time allows, often 10-50 epochs on a CPU,
# and 5 epochs of warm-up in a 15-epoch run would spend a third of it below the base lr. The objectives
# benchmark and the pretrain/finetune commands use the same cap, so a benchmark run is what a user's
# `--time-budget` run does.
BUDGET_WARMUP_EPOCHS = 2


def warmup_epochs(configured: int, time_budget: bool) -> int:
    """The warm-up epochs a run uses: the config's, capped at BUDGET_WARMUP_EPOCHS under a time budget."""
    return min(int(configured), BUDGET_WARMUP_EPOCHS) if time_budget else int(configured)


def fitted_epochs(budget, epochs: int, current: int, epoch: int, start_epoch: int, started: float) -> int:
    """After the first epoch of a run with a time budget: the epochs that fit in it, so the
    cosine schedule reaches its end (a decayed lr) when the budget does, not at epoch 200."""
    import time
    if budget.deadline is None or epoch != start_epoch:
        return current
    per_epoch = max(1e-6, time.monotonic() - started)
    fit = epoch + 1 + int(budget.remaining_s() / per_epoch)
    return max(epoch + 1, min(epochs, fit))


def set_lr(optimizer, lr: float) -> None:
    """Each group may carry an lr_scale (layer-wise decay)."""
    for group in optimizer.param_groups:
        group["lr"] = lr * group.get("lr_scale", 1.0)


def autocast_for(device):
    """bf16 autocast on CUDA where supported; a no-op context on CPU."""
    import contextlib
    import torch
    if device.type == "cuda" and torch.cuda.is_bf16_supported():
        return torch.autocast(device_type="cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()
