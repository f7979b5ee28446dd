"""One epoch of supervised fine-tuning of the whole classifier (layer-wise lr decay is in
the optimizer's param groups, see engine/optim.py)."""

import math
from typing import Dict, Optional

import torch
import torch.nn.functional as F
from tqdm import tqdm

from .optim import make_adamw
from .schedule import BudgetFit, LrSchedule, autocast_for, set_lr


def make_finetune_optimizer(classifier, cfg: Dict):
    """AdamW over the classifier without the pre-training decoder and mask token (unused when
    classifying), with the finetune section's layer-wise lr decay over the encoder's blocks."""
    named = [(n, p) for n, p in classifier.named_parameters()
             if not n.startswith("backbone.decoder") and not n.startswith("backbone.mask_token")]
    return make_adamw(named, float(cfg["lr"]), float(cfg["weight_decay"]), float(cfg.get("layer_decay", 1.0)),
                      len(classifier.backbone.blocks))


def finetune_one_epoch(classifier, loader, optimizer, epoch: int, total_epochs: int, schedule: LrSchedule, device,
                       budget, label_smoothing: float = 0.0, fit: Optional[BudgetFit] = None) -> Dict[str, float]:
    """As pretrain_one_epoch: the lr of each step from schedule, re-fitted by fit under a time budget."""
    classifier.train()
    steps_per_epoch = len(loader)
    total, correct, seen, count, stopped = 0.0, 0, 0, 0, False
    bar = tqdm(loader, desc=f"finetune {epoch + 1}/{total_epochs}", leave=False, dynamic_ncols=True)
    for i, (windows, labels) in enumerate(bar):
        if budget.spent():
            stopped = True
            break
        step = epoch * steps_per_epoch + i
        set_lr(optimizer, schedule.lr(step))
        windows, labels = windows.to(device, non_blocking=True), labels.to(device, non_blocking=True)
        with autocast_for(device):
            logits, _ = classifier(windows)
            loss = F.cross_entropy(logits.float(), labels, label_smoothing=label_smoothing)
        if not math.isfinite(loss.item()):
            raise FloatingPointError(f"fine-tuning loss is {loss.item()} at epoch {epoch + 1}, step {i}")
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        total += loss.item()
        count += 1
        correct += int((logits.argmax(1) == labels).sum())
        seen += len(labels)
        if fit is not None:
            fit.after_step(step + 1)
        bar.set_postfix(loss=f"{total / count:.3f}")
    bar.close()
    return {"loss": total / max(1, count), "train_top1": correct / max(1, seen), "steps": float(count),
            "stopped": float(stopped)}
