"""Linear probe on frozen features: BatchNorm1d(affine=False) + Linear, trained on cached
embeddings (the encoder is frozen, so each window is encoded once)."""

from typing import Dict

import torch
import torch.nn.functional as F
from tqdm import tqdm

from .schedule import cosine_lr, set_lr


def train_linear_head(head: torch.nn.Module, features: torch.Tensor, labels: torch.Tensor, epochs: int,
                      batch_size: int, lr: float, weight_decay: float, seed: int, budget) -> Dict[str, float]:
    """features [N, D], labels [N] -> trains head in place; returns the last epoch's loss."""
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.AdamW(head.parameters(), lr=lr, weight_decay=weight_decay)
    steps_per_epoch = max(1, (len(labels) + batch_size - 1) // batch_size)
    total_steps = epochs * steps_per_epoch
    head.train()
    loss_value, stopped, epoch = float("nan"), False, 0
    for epoch in tqdm(range(epochs), desc="probe", leave=False, dynamic_ncols=True):
        if budget.spent():
            stopped = True
            break
        order = torch.randperm(len(labels), generator=generator)
        for i in range(steps_per_epoch):
            idx = order[i * batch_size:(i + 1) * batch_size]
            if len(idx) < 2:  # BatchNorm needs two samples
                continue
            set_lr(optimizer, cosine_lr(epoch * steps_per_epoch + i, total_steps, 0, lr, 0.0))
            loss = F.cross_entropy(head(features[idx]), labels[idx])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            loss_value = loss.item()
    head.eval()
    return {"loss": loss_value, "epochs_done": epoch if stopped else epochs, "stopped": stopped}
