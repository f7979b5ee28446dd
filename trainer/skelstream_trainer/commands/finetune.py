"""`finetune`: train the whole classifier with labels (layer-wise lr decay), optionally on a
stratified fraction of the labels; `--from-scratch` is the random-init baseline."""

import argparse
import time

from ..checkpoint import FILE_NAME, save_checkpoint
from ..config import section
from ..engine.finetune import finetune_one_epoch, make_finetune_optimizer
from ..engine.schedule import BudgetFit, schedule_from_config
from ..engine.training_state import capture_training_state
from ..evaluation import knn_accuracy, predict_dataset, embed_dataset
from ..model_spec import build_classifier_from_spec, with_head
from .common import Session, add_common_flags, make_clips, make_loader, resume_training
from .downstream import (Stopwatch, add_downstream_flags, check_test_labels, encoder_for, labelled_subset,
                         labels_of, load_train_and_test, test_loader, write_report)

HELP = "fine-tune the encoder and a classification head (layer-wise lr decay)"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("finetune", help=HELP, description=HELP)
    add_common_flags(parser, checkpoint=True)
    add_downstream_flags(parser)
    parser.add_argument("--resume", action="store_true", help="continue from the run folder's checkpoint.pt")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> dict:
    session = Session(args, "finetune")
    log, config, watch = session.run.log, session.config, Stopwatch()
    cfg = section(config, "finetune")
    train_seqs, test_seqs = load_train_and_test(session)
    labels = labels_of(train_seqs)
    spec, backbone, source = encoder_for(session, train_seqs, drop_path=float(cfg.get("drop_path", 0.0)))
    spec = with_head(spec, labels, "finetune")
    classifier = build_classifier_from_spec(spec, dropout=float(cfg.get("dropout", 0.0)), backbone=backbone)
    classifier.to(session.device)
    subset = labelled_subset(train_seqs, args.label_fraction, args.seed)
    log.info("encoder: %s; %d of %d labelled training sequences, %d classes", source, len(subset),
             len(train_seqs), len(labels))

    clips = make_clips(config, spec, subset, train=True, seed=args.seed, labels=labels)
    loader = make_loader(clips, int(cfg["batch_size"]), shuffle=True, seed=args.seed,
                         workers=int(config.get("loader_workers", 0)), drop_last=True)
    optimizer = make_finetune_optimizer(classifier, cfg)
    epochs = session.epochs("finetune")
    schedule = schedule_from_config(cfg, len(loader), epochs, time_budget=args.time_budget is not None)
    # under a time budget the schedule's end follows the run's pace (engine.schedule.BudgetFit)
    fit = BudgetFit(schedule, session.budget, epochs * len(loader)) if args.time_budget is not None else None
    start_epoch, history = resume_training(session, "finetune", classifier, optimizer, loader, epochs, schedule)

    def checkpoint(epoch: int, extra: dict) -> None:
        save_checkpoint(session.run.file(FILE_NAME), kind="finetune", spec=spec, config=config, epoch=epoch,
                        model=classifier.state_dict(), optimizer=optimizer.state_dict(),
                        metrics={"loss_history": history, **extra},
                        resume=capture_training_state(loader, epochs, schedule))

    every, stopped, epochs_done, started = int(cfg.get("checkpoint_every", 10)), False, start_epoch, time.monotonic()
    for epoch in range(start_epoch, epochs):
        clips.set_epoch(epoch)
        stats = finetune_one_epoch(classifier, loader, optimizer, epoch, epochs, schedule, session.device,
                                   session.budget, float(cfg.get("label_smoothing", 0.0)), fit)
        if stats["stopped"]:
            stopped = True
            log.info("time budget of %s min spent during epoch %d: stopping", args.time_budget, epoch + 1)
            break
        epochs_done = epoch + 1
        history.append(round(stats["loss"], 6))
        log.info("epoch %d/%d loss %.4f train top-1 %.3f (%.0f s)", epoch + 1, epochs, stats["loss"],
                 stats["train_top1"], time.monotonic() - started)
        if epochs_done % every == 0 and epochs_done < epochs:
            checkpoint(epochs_done, {})

    metrics = {"command": "finetune", "encoder": source, "from_scratch": bool(args.from_scratch),
               "label_fraction": args.label_fraction, "train_sequences": len(subset), "classes": len(labels),
               "epochs_done": epochs_done, "epochs": epochs, "stopped_by_time_budget": stopped,
               "loss_history": history}
    if test_seqs:
        check_test_labels(test_seqs, labels, args.test)
        logits, test_emb, test_y = predict_dataset(classifier, test_loader(session, spec, test_seqs, labels),
                                                   session.device, "test")
        metrics.update(write_report(session, logits, test_y, labels, "fine-tune"))
        plain = make_clips(config, spec, subset, train=False, seed=args.seed, labels=labels)
        train_emb, train_y = embed_dataset(classifier, make_loader(plain, 64, False, 0), session.device, "embed")
        k = int(config.get("evaluate", {}).get("knn_k", 10))
        metrics["knn_top1"], metrics["knn_k"] = knn_accuracy(train_emb, train_y, test_emb, test_y, k), k
    checkpoint(epochs_done, {k: v for k, v in metrics.items() if k in ("top1", "top5", "knn_top1")})
    metrics.update({"seconds": watch.seconds(), "config": config, "log": str(session.run.file("log.txt"))})
    session.run.write_config(config)
    session.run.write_metrics(metrics)
    session.run.close()
    return metrics
