"""One epoch of supervised fine-tuning of the whole classifier (layer-wise lr decay is in
the optimizer's param groups, see engine/optim.py)."""

import math
from typing import Dict

import torch
import torch.nn.functional as F
from tqdm import tqdm

from .optim import make_adamw
from .schedule import autocast_for, cosine_lr, set_lr


def make_finetune_optimizer(classifier, cfg: Dict):
    """AdamW over the classifier without the pre-training decoder and mask token (unused when
    classifying), with the finetune section's layer-wise lr decay over the encoder's blocks."""
    named = [(n, p) for n, p in classifier.named_parameters()
             if not n.startswith("backbone.decoder") and not n.startswith("backbone.mask_token")]
    return make_adamw(named, float(cfg["lr"]), float(cfg["weight_decay"]), float(cfg.get("layer_decay", 1.0)),
                      len(classifier.backbone.blocks))


def finetune_one_epoch(classifier, loader, optimizer, epoch: int, total_epochs: int, schedule: Dict, device,
                       budget, label_smoothing: float = 0.0) -> Dict[str, float]:
    classifier.train()
    steps_per_epoch = len(loader)
    total, correct, seen, count, stopped = 0.0, 0, 0, 0, False
    bar = tqdm(loader, desc=f"finetune {epoch + 1}/{total_epochs}", leave=False, dynamic_ncols=True)
    for i, (windows, labels) in enumerate(bar):
        if budget.spent():
            stopped = True
            break
        set_lr(optimizer, cosine_lr(epoch * steps_per_epoch + i, total_epochs * steps_per_epoch,
                                    schedule["warmup_steps"], schedule["lr"], schedule["min_lr"]))
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
        bar.set_postfix(loss=f"{total / count:.3f}")
    bar.close()
    return {"loss": total / max(1, count), "train_top1": correct / max(1, seen), "steps": float(count),
            "stopped": float(stopped)}
