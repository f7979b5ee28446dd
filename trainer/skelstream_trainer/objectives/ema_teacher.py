"""An exponential-moving-average teacher (data2vec / Skeleton2vec).

    teacher <- decay * teacher + (1 - decay) * student, parameter by parameter,
with decay ramped linearly from decay_start to decay_end over the first ramp_updates
updates, then held (data2vec's ema_anneal_end_step)."""

import copy
from typing import Any, Dict

import torch
from torch import nn


def ema_decay(update: int, decay_start: float, decay_end: float, ramp_updates: int) -> float:
    """Decay used at the given (0-based) update."""
    if ramp_updates <= 0 or update >= ramp_updates:
        return decay_end
    return decay_start + (decay_end - decay_start) * update / ramp_updates


class EmaTeacher:
    def __init__(self, student: nn.Module, decay_start: float = 0.9998, decay_end: float = 0.99999,
                 ramp_updates: int = 1000):
        self.model = copy.deepcopy(student).eval()
        for p in self.model.parameters():
            p.requires_grad_(False)
        self.decay_start, self.decay_end, self.ramp_updates = decay_start, decay_end, ramp_updates
        self.updates = 0

    def decay(self) -> float:
        return ema_decay(self.updates, self.decay_start, self.decay_end, self.ramp_updates)

    @torch.no_grad()
    def update(self, student: nn.Module) -> float:
        """One EMA step from the student's current weights; returns the decay used."""
        decay = self.decay()
        for t, s in zip(self.model.parameters(), student.parameters()):
            t.mul_(decay).add_(s.detach().to(t.dtype), alpha=1.0 - decay)
        for t, s in zip(self.model.buffers(), student.buffers()):
            t.copy_(s)
        self.updates += 1
        return decay

    def state_dict(self) -> Dict[str, Any]:
        """The teacher's weights and how many updates it has had (the decay ramp's position)."""
        return {"model": self.model.state_dict(), "updates": torch.tensor(self.updates)}

    def load_state_dict(self, state: Dict[str, Any]) -> None:
        self.model.load_state_dict(state["model"])
        self.updates = int(state["updates"])
