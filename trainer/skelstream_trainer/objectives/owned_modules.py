"""Modules an objective owns (predictor heads, a target network) and trains itself.

The pretrain loop optimises the backbone only. An objective with its own trainable parts
keeps them here with their own AdamW; their gradients come from the same loss.backward(),
and the step is taken at the start of the objective's next call (after the backbone's
optimizer.step(), the same order as stepping right after it). The EMA teacher is updated
at the same moment."""

from typing import Optional

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
