"""--time-budget: loops ask the budget between steps and stop cleanly once it is spent."""

import time
from typing import Optional


class TimeBudget:
    """minutes=None means unlimited."""

    def __init__(self, minutes: Optional[float] = None):
        self.minutes = minutes
        self.start = time.monotonic()
        self.deadline = None if minutes is None else self.start + 60.0 * float(minutes)

    def spent(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def elapsed_s(self) -> float:
        return time.monotonic() - self.start

    def remaining_s(self) -> float:
        return float("inf") if self.deadline is None else max(0.0, self.deadline - time.monotonic())
