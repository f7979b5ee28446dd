"""Budgets on training time only: evaluation and snapshots pause the clock."""

import time
from typing import Callable, Dict, List, Sequence


class TrainingClock:
    """The engines ask spent() before each step; pause()/resume() bracket what is not training."""

    def __init__(self, seconds: float):
        self.limit, self.used, self.since = seconds, 0.0, None

    def resume(self):
        self.since = time.monotonic()

    def pause(self):
        self.used += time.monotonic() - self.since
        self.since = None

    def elapsed(self) -> float:
        return self.used + (time.monotonic() - self.since if self.since is not None else 0.0)

    def spent(self) -> bool:
        return self.elapsed() >= self.limit

    # what engine.schedule.BudgetFit reads, as from TimeBudget
    def elapsed_s(self) -> float:
        return self.elapsed()

    def remaining_s(self) -> float:
        return max(0.0, self.limit - self.elapsed())


class SnapshotClock(TrainingClock):
    """A training budget that also records the model at fixed shares of it, without stopping the
    epoch (the lr schedule and the data order stay those of one uninterrupted run): the first
    spent() call at or past each point takes a snapshot, on paused time, before that step.
    The last point is the end of the budget."""

    def __init__(self, seconds: float, fractions: Sequence[float], take: Callable[[], Dict]):
        super().__init__(seconds)
        self.fractions: List[float] = sorted(fractions)
        self.take = take
        self.snapshots: List[Dict] = []   # {"fraction", "train_seconds", "epochs", "state"}
        self.epochs_done = 0              # kept up to date by the training loop

    def spent(self) -> bool:
        elapsed = self.elapsed()
        running = self.since is not None
        while self.fractions and elapsed >= self.fractions[0] * self.limit:
            if running:
                self.pause()
            self.snapshots.append({"fraction": self.fractions.pop(0), "train_seconds": round(elapsed, 2),
                                   "epochs": self.epochs_done, "state": self.take()})
            if running:
                self.resume()
        return elapsed >= self.limit


class StepBudget:
    """A budget of optimizer steps instead of seconds, for A/B runs on a shared machine: every
    variant gets the same number of updates whatever the load (equal steps are equal time only
    for variants with the same cost per step, e.g. a different lr)."""

    def __init__(self, steps: int):
        self.steps, self.done = int(steps), 0

    def spent(self) -> bool:
        """Asked once before each step: False (and the step is counted) while steps are left."""
        if self.done >= self.steps:
            return True
        self.done += 1
        return False
