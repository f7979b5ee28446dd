"""Modules an objective owns (predictor heads, a target network) and trains itself.

The pretrain loop optimises the backbone only. An objective with its own trainable parts
keeps them here with their own AdamW; their gradients come from the same loss.backward(),
and the step is taken at the start of the objective's next call (after the backbone's
optimizer.step(), the same order as stepping right after it). The EMA teacher is updated
at the same moment. Their lr stays at its peak while the backbone's warms up and decays: made to
follow the backbone's schedule, GFP's target network and predictor gave a worse probe (fixed-sample
A/B, 18000 samples, tiny: 63.2 vs 66.0 % and 55.7 vs 60.5 % on two seeds; trainer/README.md).

state_dict() first applies a pending step (so a checkpoint holds the parameters the next
call would use, and resuming takes no step twice), then returns the modules' weights and
their optimizer's state; load_state_dict() restores both."""

from typing import Any, Dict, Optional

import torch
from torch import nn


class OwnedModules:
    def __init__(self, modules: nn.Module, lr: float, weight_decay: float):
        self.modules = modules
        self.lr, self.weight_decay = lr, weight_decay
        self.optimizer: Optional[torch.optim.Optimizer] = None
        self.pending = False

    def to(self, device) -> nn.Module:
        if next(self.modules.parameters()).device != torch.device(device):
            self.modules.to(device)
            self.optimizer = None
        if self.optimizer is None:
            self.optimizer = torch.optim.AdamW(self.modules.parameters(), lr=self.lr,
                                               weight_decay=self.weight_decay, betas=(0.9, 0.95))
        return self.modules

    def step_pending(self) -> bool:
        """Apply the gradients of the previous call's loss, if any; True when a step was taken."""
        if not self.pending or self.optimizer is None:
            return False
        self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        self.pending = False
        return True

    def state_dict(self) -> Dict[str, Any]:
        self.step_pending()
        return {"modules": self.modules.state_dict(),
                "optimizer": self.optimizer.state_dict() if self.optimizer is not None else None}

    def load_state_dict(self, state: Dict[str, Any], device) -> None:
        self.modules.load_state_dict(state["modules"])
        self.optimizer = None
        self.to(device)
        if state.get("optimizer") is not None:
            self.optimizer.load_state_dict(state["optimizer"])
        self.pending = False
