"""`evaluate`: a probe/finetune checkpoint on --test: top-1/top-5, confusion matrix, kNN."""

import argparse

from ..checkpoint import load_checkpoint
from ..evaluation import embed_dataset, knn_accuracy, predict_dataset
from ..model_spec import build_classifier_from_spec
from .common import Session, UsageError, add_common_flags, make_clips, make_loader, read_data, require_labels
from .downstream import Stopwatch, check_test_labels, test_loader, write_report

HELP = "evaluate a trained classifier on held-out data"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("evaluate", help=HELP, description=HELP)
    add_common_flags(parser, checkpoint=True)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> dict:
    session = Session(args, "evaluate")
    watch = Stopwatch()
    if not args.checkpoint:
        raise UsageError("evaluate needs --checkpoint (a probe or finetune run folder or file)")
    state = load_checkpoint(args.checkpoint, kinds={"probe", "finetune"})
    spec, labels = state["spec"], state["spec"]["labels"]
    session.config = state["config"]  # evaluate exactly as the model was trained
    classifier = build_classifier_from_spec(spec)
    classifier.load_state_dict(state["model"])
    classifier.to(session.device)
    test_seqs = read_data(args.test, args.format, "test")
    require_labels(test_seqs, args.test)
    check_test_labels(test_seqs, labels, args.test)
    logits, test_emb, test_y = predict_dataset(classifier, test_loader(session, spec, test_seqs, labels),
                                               session.device, "test")
    metrics = {"command": "evaluate", "checkpoint": state["path"], **write_report(session, logits, test_y, labels,
                                                                                  "evaluate")}
    if args.train:
        train_seqs = read_data(args.train, args.format, "train")
        require_labels(train_seqs, args.train)
        check_test_labels(train_seqs, labels, args.train)
        clips = make_clips(session.config, spec, train_seqs, train=False, seed=args.seed, labels=labels)
        train_emb, train_y = embed_dataset(classifier, make_loader(clips, 64, False, 0), session.device, "embed")
        k = int(session.config.get("evaluate", {}).get("knn_k", 10))
        metrics["knn_top1"], metrics["knn_k"] = knn_accuracy(train_emb, train_y, test_emb, test_y, k), k
    metrics.update({"seconds": watch.seconds(), "config": session.config, "log": str(session.run.file("log.txt"))})
    session.run.write_config(session.config)
    session.run.write_metrics(metrics)
    session.run.close()
    return metrics
