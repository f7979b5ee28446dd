"""One epoch of masked pre-training (the counterpart of MAE's engine_pretrain.py)."""

import math
from typing import Dict, Optional

import torch
from tqdm import tqdm

from .schedule import BudgetFit, LrSchedule, autocast_for, set_lr


def split_persons(windows: torch.Tensor) -> torch.Tensor:
    """[B, T, M, V, 3] -> [N, T, V, 3]: each present person becomes its own sequence (MAMP)."""
    b, t, m, v, c = windows.shape
    persons = windows.permute(0, 2, 1, 3, 4).reshape(b * m, t, v, c)
    return persons[persons.abs().sum(dim=(1, 2, 3)) > 0]


def pretrain_one_epoch(backbone, normalisation, objective, loader, optimizer, epoch: int, total_epochs: int,
                       schedule: LrSchedule, device, budget, fit: Optional[BudgetFit] = None) -> Dict[str, float]:
    """Returns {"loss": mean loss, "steps": n, "stopped": 1.0 if the time budget ran out}. The backbone's lr
    at step epoch * len(loader) + i is schedule.lr(...); fit, under a time budget, re-fits the schedule's end
    as the steps go. total_epochs only labels the progress bar."""
    backbone.train()
    steps_per_epoch = len(loader)
    total, count, stopped = 0.0, 0, False
    bar = tqdm(loader, desc=f"pretrain {epoch + 1}/{total_epochs}", leave=False, dynamic_ncols=True)
    for i, (windows, _) in enumerate(bar):
        if budget.spent():
            stopped = True
            break
        step = epoch * steps_per_epoch + i
        set_lr(optimizer, schedule.lr(step))
        windows = windows.to(device, non_blocking=True)
        with torch.no_grad():
            persons = split_persons(normalisation(windows))
        if persons.shape[0] == 0:
            continue
        with autocast_for(device):
            loss = objective(backbone, persons)
        if not math.isfinite(loss.item()):
            raise FloatingPointError(f"pre-training loss is {loss.item()} at epoch {epoch + 1}, step {i}")
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        total += loss.item()
        count += 1
        if fit is not None:
            fit.after_step(step + 1)
        bar.set_postfix(loss=f"{total / count:.4f}")
    bar.close()
    return {"loss": total / max(1, count), "steps": float(count), "stopped": float(stopped)}
