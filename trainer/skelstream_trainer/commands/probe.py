"""`probe`: linear probe on the frozen encoder (mean-pooled features, BN without affine + Linear)."""

import argparse

import torch

from ..checkpoint import FILE_NAME, save_checkpoint
from ..config import section
from ..engine.probe import train_linear_head
from ..evaluation import embed_dataset, knn_accuracy
from ..model_spec import build_classifier_from_spec, with_head
from .common import Session, add_common_flags, make_clips, make_loader
from .downstream import (Stopwatch, add_downstream_flags, check_test_labels, encoder_for, labelled_subset,
                         labels_of, load_train_and_test, test_loader, write_report)

HELP = "linear probe on the frozen encoder"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("probe", help=HELP, description=HELP)
    add_common_flags(parser, checkpoint=True)
    add_downstream_flags(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> dict:
    session = Session(args, "probe")
    log, config, watch = session.run.log, session.config, Stopwatch()
    cfg = section(config, "probe")
    train_seqs, test_seqs = load_train_and_test(session)
    labels = labels_of(train_seqs)
    spec, backbone, source = encoder_for(session, train_seqs)
    spec = with_head(spec, labels, "linear_probe")
    classifier = build_classifier_from_spec(spec, backbone=backbone).to(session.device)
    for p in classifier.backbone.parameters():
        p.requires_grad_(False)
    subset = labelled_subset(train_seqs, args.label_fraction, args.seed)
    log.info("encoder: %s; %d of %d labelled training sequences, %d classes", source, len(subset),
             len(train_seqs), len(labels))

    # features of a few augmented crops per training sequence, computed once
    crops = int(cfg.get("train_crops", 1))
    clips = make_clips(config, spec, subset, train=True, seed=args.seed, labels=labels)
    feats, ys = [], []
    for crop in range(crops):
        clips.set_epoch(crop)
        f, y = embed_dataset(classifier, make_loader(clips, 64, False, args.seed), session.device,
                             f"embed train {crop + 1}/{crops}")
        feats.append(f)
        ys.append(y)
    features, targets = torch.cat(feats), torch.cat(ys)

    head = classifier.head.cpu()
    stats = train_linear_head(head, features, targets, session.epochs("probe"), int(cfg["batch_size"]),
                              float(cfg["lr"]), float(cfg.get("weight_decay", 0.0)), args.seed, session.budget)
    classifier.head = head.to(session.device)
    if stats["stopped"]:
        log.info("time budget spent after %d probe epochs", stats["epochs_done"])

    metrics = {"command": "probe", "encoder": source, "from_scratch": bool(args.from_scratch),
               "label_fraction": args.label_fraction, "train_sequences": len(subset), "classes": len(labels),
               "probe_epochs_done": stats["epochs_done"], "stopped_by_time_budget": stats["stopped"],
               "final_train_loss": stats["loss"]}
    if test_seqs:
        check_test_labels(test_seqs, labels, args.test)
        test_emb, test_y = embed_dataset(classifier, test_loader(session, spec, test_seqs, labels),
                                         session.device, "embed test")
        with torch.no_grad():
            logits = classifier.head(test_emb.to(session.device)).cpu()
        metrics.update(write_report(session, logits, test_y, labels, "linear probe"))
        k = int(config.get("evaluate", {}).get("knn_k", 10))
        plain = make_clips(config, spec, subset, train=False, seed=args.seed, labels=labels)
        train_emb, train_y = embed_dataset(classifier, make_loader(plain, 64, False, 0), session.device, "embed")
        metrics["knn_top1"], metrics["knn_k"] = knn_accuracy(train_emb, train_y, test_emb, test_y, k), k
    save_checkpoint(session.run.file(FILE_NAME), kind="probe", spec=spec, config=config,
                    epoch=stats["epochs_done"], model=classifier.state_dict(),
                    metrics={k: v for k, v in metrics.items() if k in ("top1", "top5", "knn_top1")})
    metrics.update({"seconds": watch.seconds(), "config": config, "log": str(session.run.file("log.txt"))})
    session.run.write_config(config)
    session.run.write_metrics(metrics)
    session.run.close()
    return metrics
