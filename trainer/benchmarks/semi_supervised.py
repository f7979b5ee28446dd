"""The semi-supervised protocol of the seed papers: fine-tune the WHOLE pre-trained encoder with a
classification head on 1 % or 10 % of the labels (not a probe on frozen features), and the same
fine-tune from a random init as the reference. Every run gets the same wall-clock budget; the
lr schedule's end is fitted to it as the run goes (engine.schedule.BudgetFit), as `pretrain` does with --time-budget."""

from typing import Any, Dict, Optional, Sequence

import torch

from skelstream_trainer.commands.common import make_clips, make_loader, seed_everything
from skelstream_trainer.commands.downstream import labelled_subset
from skelstream_trainer.engine.finetune import finetune_one_epoch, make_finetune_optimizer
from skelstream_trainer.engine.schedule import BudgetFit, schedule_from_config
from skelstream_trainer.evaluation import predict_dataset
from skelstream_trainer.model_spec import build_backbone_from_spec, build_classifier_from_spec, with_head

from .training_clock import TrainingClock

FRACTIONS = (0.01, 0.1)
EPOCH_CAP = 10_000   # the time budget, not this, ends a run


def finetune_accuracy(config: Dict[str, Any], spec: Dict[str, Any], backbone_state: Optional[Dict],
                      train_seqs: Sequence, test_seqs: Sequence, labels: Sequence[str], fraction: float,
                      seconds: float, device, seed: int) -> Dict[str, Any]:
    """Fine-tunes (backbone_state None = random init) on a stratified `fraction` of the labelled
    training sequences for `seconds` of training; -> test top-1 and what the run did."""
    cfg = config["finetune"]
    seed_everything(seed)
    backbone = build_backbone_from_spec(spec, float(cfg.get("drop_path", 0.0)))
    if backbone_state is not None:
        backbone.load_state_dict(backbone_state)
    classifier = build_classifier_from_spec(with_head(spec, labels, "finetune"), dropout=float(cfg.get("dropout", 0.0)),
                                            backbone=backbone).to(device)
    subset = labelled_subset(train_seqs, fraction, seed)
    clips = make_clips(config, spec, subset, train=True, seed=seed, labels=labels)
    loader = make_loader(clips, int(cfg["batch_size"]), shuffle=True, seed=seed, drop_last=True)
    optimizer = make_finetune_optimizer(classifier, cfg)
    schedule = schedule_from_config(cfg, len(loader), EPOCH_CAP, time_budget=True)
    start = snapshot_of(backbone)
    clock, epochs, steps = TrainingClock(seconds), 0, 0
    fit = BudgetFit(schedule, clock, EPOCH_CAP * len(loader))   # the schedule ends when the budget does
    while not clock.spent():
        clips.set_epoch(epochs)
        clock.resume()
        stats = finetune_one_epoch(classifier, loader, optimizer, epochs, schedule.total // len(loader), schedule,
                                   device, clock, float(cfg.get("label_smoothing", 0.0)), fit)
        clock.pause()
        steps += int(stats["steps"])
        if not stats["stopped"]:
            epochs += 1
    test = make_loader(make_clips(config, spec, test_seqs, train=False, seed=seed, labels=labels),
                       int(config["evaluate"].get("batch_size", 64)), False, 0)
    logits, _, test_y = predict_dataset(classifier, test, device, "fine-tune test")
    return {"top1": float((logits.argmax(1) == test_y).float().mean()), "labelled_sequences": len(subset),
            "epochs": epochs, "steps": steps, "train_seconds": round(clock.elapsed(), 1),
            "encoder_change": round(encoder_change(start, backbone), 4)}


def encoder_change(start: Dict[str, torch.Tensor], backbone: torch.nn.Module) -> float:
    """|w - w0| / |w0| over the encoder's weights (decoder and mask token excluded): how far
    fine-tuning moved the encoder; 0 would mean a frozen encoder."""
    moved, size = 0.0, 0.0
    for name, value in backbone.state_dict().items():
        if name.startswith("decoder") or name == "mask_token" or not value.is_floating_point():
            continue
        moved += float(((value.detach().cpu() - start[name]) ** 2).sum())
        size += float((start[name] ** 2).sum())
    return (moved / max(size, 1e-12)) ** 0.5


def snapshot_of(backbone: torch.nn.Module) -> Dict[str, torch.Tensor]:
    """A detached CPU copy of the weights (the encoder at one point of its training)."""
    return {k: v.detach().to("cpu", copy=True) for k, v in backbone.state_dict().items()}
