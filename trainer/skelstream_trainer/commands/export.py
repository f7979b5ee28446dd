"""`export`: a probe/finetune checkpoint -> ONNX (contract 1) + fixtures.json."""

import argparse

import numpy as np

from ..checkpoint import load_checkpoint
from ..export import export_onnx, write_fixtures
from ..model_spec import build_classifier_from_spec
from .common import Session, UsageError, add_common_flags, make_clips, read_data

HELP = "export a trained classifier to ONNX (opset 17, contract 1) with parity fixtures"


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("export", help=HELP, description=HELP)
    add_common_flags(parser, checkpoint=True)
    parser.add_argument("--name", default=None, help="model file name without .onnx (default: skelstream-<config>)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> dict:
    session = Session(args, "export")
    log = session.run.log
    if not args.checkpoint:
        raise UsageError("export needs --checkpoint (a probe or finetune run folder or file)")
    state = load_checkpoint(args.checkpoint, kinds={"probe", "finetune"})
    spec = state["spec"]
    classifier = build_classifier_from_spec(spec)
    classifier.load_state_dict(state["model"])
    classifier.eval()
    name = args.name or f"skelstream-{state['config'].get('name', 'model')}"
    onnx_path = session.run.file(f"{name}.onnx")
    model_metrics = {k: v for k, v in state["metrics"].items() if k in ("top1", "top5", "knn_top1")}
    model = export_onnx(classifier, spec, onnx_path, model_metrics)
    log.info("wrote %s (%d bytes), onnx.checker passed", onnx_path, onnx_path.stat().st_size)

    source = args.test or args.train
    if not source:
        raise UsageError("export needs --test (or --train) data: the parity fixtures use a real window")
    seqs = read_data(source, args.format, "test" if args.test else "train")
    clips = make_clips(state["config"], spec, seqs[:64], train=False, seed=args.seed, labels=spec["labels"]
                       if all(s.label in spec["labels"] for s in seqs[:64]) else None)
    windows = np.stack([clips[i][0].numpy() for i in range(len(clips))])
    fixtures = write_fixtures(classifier, spec, windows, onnx_path.name, session.run.file("fixtures.json"))
    log.info("wrote fixtures.json: %s", ", ".join(c["name"] for c in fixtures["cases"]))
    metrics = {"command": "export", "model": onnx_path.name, "bytes": onnx_path.stat().st_size,
               "checkpoint": state["path"], "opset": model.opset_import[0].version,
               "metadata": {p.key: p.value for p in model.metadata_props},
               "fixtures": [c["name"] for c in fixtures["cases"]], **model_metrics,
               "config": state["config"], "log": str(session.run.file("log.txt"))}
    session.run.write_config(state["config"])
    session.run.write_metrics(metrics)
    session.run.close()
    return metrics
