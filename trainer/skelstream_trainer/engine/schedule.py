"""Per-step learning rate: linear warm-up, then a decay to min_lr (half-cosine as MAE's engine, or
warm-up-stable-decay), over a number of steps that a time budget re-fits as the run goes."""

import math
from typing import Any, Dict, Optional

SHAPES = ("cosine", "wsd")


def cosine_lr(step: int, total_steps: int, warmup_steps: int, base_lr: float, min_lr: float) -> float:
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    progress = (step - warmup_steps) / max(1, total_steps - warmup_steps)
    return min_lr + (base_lr - min_lr) * 0.5 * (1.0 + math.cos(math.pi * min(1.0, progress)))


# Warm-up under a wall-clock budget. The configs' warm-up (5 epochs) is sized for their 200-epoch
# schedules; a budget fits the schedule to what the time allows, often 10-50 epochs on a CPU, and
# 5 epochs of warm-up in a 15-epoch run would spend a third of it below the base lr. The objectives
# benchmark and the pretrain/finetune commands use the same cap, so a benchmark run is what a user's
# `--time-budget` run does. A config's `warmup_fraction` (of the run's steps) replaces it.
BUDGET_WARMUP_EPOCHS = 2


def warmup_epochs(configured: int, time_budget: bool) -> int:
    """The warm-up epochs a run uses: the config's, capped at BUDGET_WARMUP_EPOCHS under a time budget."""
    return min(int(configured), BUDGET_WARMUP_EPOCHS) if time_budget else int(configured)


class LrSchedule:
    """lr of each optimizer step: linear warm-up to `lr` over the first steps, then a decay to `min_lr`
    that ends at `total_steps` (the lr stays at min_lr past it).

    shape "cosine": half-cosine over the whole decay (MAE). shape "wsd" (warm-up-stable-decay): lr held
    at its peak, then a half-cosine over the last `decay_fraction` of the steps after warm-up.
    Warm-up: `warmup_steps`, or `warmup_fraction` of total_steps (then it moves with refit).

    A time budget does not know its total steps in advance: refit(step, total_steps) changes the end
    (BudgetFit calls it as the run goes). Each phase's progress is a straight line from where it is
    at the refit to 1 at the new end, so the lr is continuous: the warm-up and the decay go on from
    the lr they have reached, at the pace the new end needs. With no refit, the lr is cosine_lr's."""

    def __init__(self, lr: float, min_lr: float, total_steps: int, warmup_steps: int = 0,
                 warmup_fraction: Optional[float] = None, shape: str = "cosine", decay_fraction: float = 0.2):
        if shape not in SHAPES:
            raise ValueError(f"lr schedule shape {shape!r}: expected one of {', '.join(SHAPES)}")
        if warmup_fraction is not None and not 0.0 <= warmup_fraction < 1.0:
            raise ValueError(f"warmup_fraction {warmup_fraction} must be in [0, 1)")
        if not 0.0 < decay_fraction <= 1.0:
            raise ValueError(f"decay_fraction {decay_fraction} must be in (0, 1]")
        self.base, self.min_lr, self.shape, self.decay_fraction = float(lr), float(min_lr), shape, float(decay_fraction)
        self.warmup_fraction = warmup_fraction
        self.total = max(1, int(total_steps))
        self.warmup = self._warmup_for(self.total) if warmup_fraction is not None else max(0, int(warmup_steps))
        # (step, progress) where each phase's straight line starts; progress reaches 1 at its end
        self.warm_anchor = (-1, 0.0)           # warm-up progress (step + 1) / warmup, as cosine_lr
        self.decay_anchor = (self.warmup, 0.0)

    def _warmup_for(self, total: int) -> int:
        return int(round(self.warmup_fraction * total))

    @staticmethod
    def _line(anchor, end: int, step: int) -> float:
        s0, p0 = anchor
        return min(1.0, p0 + (step - s0) * (1.0 - p0) / max(1, end - s0))

    def warmup_progress(self, step: int) -> float:
        return self._line(self.warm_anchor, self.warmup - 1, step)

    def decay_progress(self, step: int) -> float:
        """0 at the end of warm-up, 1 at total_steps."""
        return max(0.0, self._line(self.decay_anchor, self.total, step))

    def lr(self, step: int) -> float:
        if step < self.warmup:
            return self.base * self.warmup_progress(step)
        u = self.decay_progress(step)
        if self.shape == "wsd":
            u = max(0.0, (u - (1.0 - self.decay_fraction)) / self.decay_fraction)
        return self.min_lr + (self.base - self.min_lr) * 0.5 * (1.0 + math.cos(math.pi * u))

    def refit(self, step: int, total_steps: int) -> None:
        """From `step` on, the schedule ends at total_steps (at least one step after `step`)."""
        total = max(step + 1, int(total_steps))
        if step < self.warmup:
            warm = self.warmup_progress(step)
            if self.warmup_fraction is not None:   # the warm-up is a share of the run: it moves with the end
                self.warmup = max(step + 1, self._warmup_for(total))
                self.warm_anchor = (step, warm)
            self.decay_anchor = (self.warmup, 0.0)
            self.total = max(self.warmup + 1, total)
        else:
            self.decay_anchor = (step, self.decay_progress(step))
            self.total = total

    def state(self) -> Dict[str, Any]:
        """What a checkpoint keeps for a resumed run to go on with the same schedule."""
        return {"total": self.total, "warmup": self.warmup, "warm_anchor": list(self.warm_anchor),
                "decay_anchor": list(self.decay_anchor)}

    def load_state(self, state: Optional[Dict[str, Any]]) -> None:
        if not state:
            return
        self.total, self.warmup = int(state["total"]), int(state["warmup"])
        self.warm_anchor = (int(state["warm_anchor"][0]), float(state["warm_anchor"][1]))
        self.decay_anchor = (int(state["decay_anchor"][0]), float(state["decay_anchor"][1]))


class BudgetFit:
    """Fits an LrSchedule's end to a time budget from the run's own pace, again and again: after the
    first FIRST_FIT steps, then every REFIT_EVERY steps, the steps left are the budget's remaining
    seconds over the seconds per step since the previous fit. The first step of a run (lazy
    initialisation, the allocator's first requests) is left out of every pace; a slow start or a
    machine that gets busier or quieter then only moves the end, never wastes the budget at min_lr
    or ends the schedule early.

    budget: anything with elapsed_s() (training seconds so far) and remaining_s() (TimeBudget,
    TrainingClock). cap_steps: the most steps the run may take (its epochs)."""

    FIRST_FIT = 8
    REFIT_EVERY = 16

    def __init__(self, schedule: LrSchedule, budget, cap_steps: int):
        self.schedule, self.budget, self.cap = schedule, budget, int(cap_steps)
        self.mark = None   # (steps done, elapsed seconds) where the current pace is measured from
        self.fits = 0

    def after_step(self, steps_done: int) -> None:
        """Called after each optimizer step with the run's steps so far (resumed runs count on)."""
        elapsed = self.budget.elapsed_s()
        if self.mark is None:   # the first step of this process: its cost is not the run's pace
            self.mark = (steps_done, elapsed)
            return
        steps = steps_done - self.mark[0]
        if steps < (self.FIRST_FIT if self.fits == 0 else self.REFIT_EVERY):
            return
        per_step = max(1e-9, (elapsed - self.mark[1]) / steps)
        total = steps_done + int(self.budget.remaining_s() / per_step)
        self.schedule.refit(steps_done, min(self.cap, total))
        self.mark, self.fits = (steps_done, elapsed), self.fits + 1


def schedule_from_config(cfg: Dict[str, Any], steps_per_epoch: int, epochs: int, time_budget: bool,
                         total_steps: Optional[int] = None) -> LrSchedule:
    """The schedule of a training section (pretrain, finetune): lr, min_lr, warm-up (`warmup_fraction` of the
    steps, else `warmup_epochs`, capped under a time budget), `lr_schedule` cosine|wsd with `decay_fraction`,
    over total_steps (default epochs x steps_per_epoch; a time budget then re-fits the end with BudgetFit)."""
    fraction = cfg.get("warmup_fraction")
    total = epochs * steps_per_epoch if total_steps is None else int(total_steps)
    return LrSchedule(float(cfg["lr"]), float(cfg.get("min_lr", 0.0)), total,
                      warmup_steps=warmup_epochs(int(cfg.get("warmup_epochs", 0)), time_budget) * steps_per_epoch,
                      warmup_fraction=None if fraction is None else float(fraction),
                      shape=str(cfg.get("lr_schedule", "cosine")), decay_fraction=float(cfg.get("decay_fraction", 0.2)))


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
