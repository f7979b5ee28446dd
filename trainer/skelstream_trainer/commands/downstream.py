"""What probe, finetune and evaluate share: getting an encoder, label subsets, reports."""

import time
from collections import defaultdict
from typing import Any, Dict, List, Sequence as Seq, Tuple

import numpy as np
import torch

from ..checkpoint import load_checkpoint
from ..evaluation import classification_metrics, embed_dataset, knn_accuracy, save_confusion_png
from ..model_spec import build_backbone_from_spec, build_classifier_from_spec, make_spec, with_head
from .common import UsageError, data_shape, dataset_name, make_clips, make_loader, read_data, require_labels


def add_downstream_flags(parser) -> None:
    parser.add_argument("--from-scratch", action="store_true",
                        help="start from a randomly initialised encoder instead of --checkpoint (baseline)")
    parser.add_argument("--label-fraction", type=float, default=1.0,
                        help="train on this fraction of the labelled training data, stratified per class "
                             "and seeded (e.g. 0.01, 0.1)")


def encoder_for(session, train_seqs, drop_path: float = 0.0) -> Tuple[Dict[str, Any], Any, str]:
    """(spec, backbone, source) from --checkpoint (pretrain/probe/finetune) or --from-scratch."""
    args = session.args
    if args.from_scratch == bool(args.checkpoint):
        raise UsageError("give exactly one of --checkpoint PATH or --from-scratch")
    if args.from_scratch:
        shape = data_shape(train_seqs)
        spec = make_spec(session.config, shape["layout"], shape["persons"], dataset_name(args.train))
        spec["objective"] = "none (random init)"
        return spec, build_backbone_from_spec(spec, drop_path), "random init"
    state = load_checkpoint(args.checkpoint, kinds={"pretrain", "probe", "finetune"})
    spec = dict(state["spec"])
    backbone = build_backbone_from_spec(spec, drop_path)
    weights = state["model"]
    if state["kind"] != "pretrain":  # a classifier: keep its backbone.* weights
        weights = {k[len("backbone."):]: v for k, v in weights.items() if k.startswith("backbone.")}
    backbone.load_state_dict(weights)
    return spec, backbone, f"{state['kind']} checkpoint {state['path']} (epoch {state['epoch']})"


def labelled_subset(sequences: Seq, fraction: float, seed: int) -> List:
    """Stratified: from each class, max(1, round(fraction * n)) sequences, chosen with the seed."""
    if not 0.0 < fraction <= 1.0:
        raise UsageError(f"--label-fraction must be in (0, 1], got {fraction}")
    if fraction == 1.0:
        return list(sequences)
    by_class = defaultdict(list)
    for i, seq in enumerate(sequences):
        by_class[seq.label].append(i)
    rng = np.random.default_rng(seed)
    chosen = []
    for label in sorted(by_class):
        idx = by_class[label]
        take = max(1, int(round(fraction * len(idx))))
        chosen.extend(rng.choice(idx, size=take, replace=False).tolist())
    return [sequences[i] for i in sorted(chosen)]


def labels_of(sequences: Seq) -> List[str]:
    return sorted({s.label for s in sequences})


def check_test_labels(test_seqs: Seq, labels: Seq[str], path: str) -> None:
    unknown = sorted({s.label for s in test_seqs} - set(labels))
    if unknown:
        raise UsageError(f"{path}: test labels {unknown} are not among the model's {len(labels)} labels")


def test_loader(session, spec, test_seqs, labels):
    cfg = session.config.get("evaluate", {})
    clips = make_clips(session.config, spec, test_seqs, train=False, seed=session.args.seed, labels=labels,
                       crops=int(cfg.get("test_crops", 1)))
    return make_loader(clips, int(cfg.get("batch_size", 64)), shuffle=False, seed=session.args.seed)


def knn_report(session, spec, backbone, train_seqs, test_path: str) -> Dict[str, Any]:
    """kNN top-1 of the encoder's embeddings (test windows vs. training windows), if labelled."""
    test_seqs = read_data(test_path, session.args.format, "test")
    if any(s.label is None for s in list(train_seqs) + list(test_seqs)):
        session.run.log.info("kNN skipped: train or test data is unlabelled")
        return {}
    labels = labels_of(train_seqs)
    check_test_labels(test_seqs, labels, test_path)
    classifier = build_classifier_from_spec(with_head(spec, labels, "linear_probe"), backbone=backbone)
    classifier.to(session.device)
    train_clips = make_clips(session.config, spec, train_seqs, train=False, seed=session.args.seed, labels=labels)
    k = int(session.config.get("evaluate", {}).get("knn_k", 10))
    train_emb, train_y = embed_dataset(classifier, make_loader(train_clips, 64, False, 0), session.device, "embed train")
    test_emb, test_y = embed_dataset(classifier, test_loader(session, spec, test_seqs, labels), session.device,
                                     "embed test")
    top1 = knn_accuracy(train_emb, train_y, test_emb, test_y, k=k)
    session.run.log.info("kNN (k=%d) top-1 on %s: %.4f", k, test_path, top1)
    # pre-training has no head: its top1 is the kNN accuracy of the embeddings
    return {"top1": top1, "top1_method": f"kNN (k={k}) on embeddings", "knn_top1": top1, "knn_k": k}


def write_report(session, logits: torch.Tensor, labels_t: torch.Tensor, class_names: Seq[str],
                 title: str) -> Dict[str, Any]:
    """top1/top5/per-class/confusion into metrics, confusion.png into the run folder."""
    report = classification_metrics(logits, labels_t, class_names)
    png = save_confusion_png(report["confusion_matrix"], class_names, session.run.file("confusion.png"),
                             f"{title}: top-1 {report['top1']:.3f}")
    report["confusion_png"] = png.name
    session.run.log.info("%s: top-1 %.4f, top-5 %.4f on %d test sequences", title, report["top1"],
                         report["top5"], report["samples"])
    return report


def load_train_and_test(session) -> Tuple[List, List]:
    args = session.args
    train_seqs = read_data(args.train, args.format, "train")
    require_labels(train_seqs, args.train)
    test_seqs = read_data(args.test, args.format, "test") if args.test else []
    if test_seqs:
        require_labels(test_seqs, args.test)
    return train_seqs, test_seqs


class Stopwatch:
    def __init__(self):
        self.start = time.monotonic()

    def seconds(self) -> float:
        return round(time.monotonic() - self.start, 1)
