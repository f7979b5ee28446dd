"""PyTorch eager inference speed of a trained SkelStream classifier: the baseline the Java encoder is compared with.

    /usr/bin/python3 encoder/bench/pytorch_eager.py --onnx MODEL.onnx [--checkpoint RUN_OR_FILE | --config tiny] \
        --batches 1,8,32,128 --seconds 2 --out pytorch.json

Rebuilds the classifier with the trainer's own public functions (load_checkpoint / make_spec,
build_classifier_from_spec) and checks that it is the model exported to --onnx: same T, M, layout and labels, and
the same FLOPs per window as counted from the ONNX graph (within 1%). Without a checkpoint the classifier is built
from the trainer config with random weights: dense float32 ops cost the same whatever the weights, and the FLOPs
check proves the architecture is the exported one. Then measures windows/s at each batch size with 1 thread and with
all cores, the way EncoderBenchmark measures the encoder: the same full batch run back to back under
torch.inference_mode(), median of 5 segments after a warm-up. Writes JSON for EncoderBenchmark.
"""
import argparse
import json
import os
import sys
import time

import onnx
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "trainer"))
from count_flops import count  # noqa: E402
from skelstream_trainer.checkpoint import load_checkpoint  # noqa: E402
from skelstream_trainer.config import load_config  # noqa: E402
from skelstream_trainer.layouts import get_layout  # noqa: E402
from skelstream_trainer.model_spec import build_classifier_from_spec, make_spec, with_head  # noqa: E402
from skelstream_trainer.models.flops import encoder_macs  # noqa: E402

SEGMENTS = 5


def load_classifier(onnx_path, checkpoint, config):
    """(classifier in eval mode, spec, where its weights come from), checked against the ONNX model."""
    meta = {p.key: p.value for p in onnx.load(onnx_path, load_external_data=False).metadata_props}
    if checkpoint:
        state = load_checkpoint(checkpoint, kinds={"probe", "finetune"})
        spec, origin = state["spec"], f"checkpoint {state['path']}"
        classifier = build_classifier_from_spec(spec)
        classifier.load_state_dict(state["model"])
    else:
        base = make_spec(load_config(config), meta["skelstream.layout"], int(meta["skelstream.persons"]))
        spec = with_head(base, json.loads(meta["skelstream.labels"]), "linear_probe")
        origin = f"config {config}, random weights"
        classifier = build_classifier_from_spec(spec)
    classifier.eval()
    expected = {"skelstream.frames": str(spec["frames"]), "skelstream.persons": str(spec["persons"]),
                "skelstream.layout": spec["layout"], "skelstream.labels": json.dumps(list(spec["labels"]))}
    wrong = {k: (meta.get(k), v) for k, v in expected.items() if meta.get(k) != v}
    if wrong:
        sys.exit(f"{origin} is not the model in {onnx_path}: (onnx, pytorch) differ in {wrong}")
    graph_flops = count(onnx_path)["flops_per_window"]
    module_flops = 2 * encoder_macs(classifier.backbone, spec["persons"])["macs"]
    if abs(graph_flops - module_flops) > 0.01 * graph_flops:
        sys.exit(f"{origin} costs {module_flops:.4g} FLOPs per window but {onnx_path} {graph_flops:.4g}: "
                 "not the same architecture")
    return classifier, spec, origin


def windows_per_second(classifier, spec, batch, seconds):
    joints = torch.randn(batch, spec["frames"], spec["persons"], get_layout(spec["layout"]).num_joints, 3) * 0.5
    with torch.inference_mode():
        warm_up_end = time.perf_counter() + 0.2 * seconds
        while True:
            classifier(joints)
            if time.perf_counter() >= warm_up_end:
                break
        rates = []
        for _ in range(SEGMENTS):
            start, runs = time.perf_counter(), 0
            while True:
                classifier(joints)
                runs += 1
                now = time.perf_counter()
                if now - start >= seconds / SEGMENTS:
                    break
            rates.append(runs * batch / (now - start))
    return sorted(rates)[SEGMENTS // 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--onnx", required=True, help="the exported model the Java encoder runs")
    parser.add_argument("--checkpoint", help="probe/finetune run folder or checkpoint.pt of that model")
    parser.add_argument("--config", default="tiny", help="trainer config used without --checkpoint (default tiny)")
    parser.add_argument("--batches", default="1,8,32,128")
    parser.add_argument("--seconds", type=float, default=2.0, help="measuring time per point")
    parser.add_argument("--out", required=True, help="JSON results for EncoderBenchmark")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    torch.set_num_interop_threads(1)
    classifier, spec, origin = load_classifier(args.onnx, args.checkpoint, args.config)
    cores = os.cpu_count() or 1
    results = []
    for threads in sorted({1, cores}):
        torch.set_num_threads(threads)
        for batch in [int(b) for b in args.batches.split(",")]:
            rate = windows_per_second(classifier, spec, batch, args.seconds)
            print(f"pytorch eager threads={threads} batch={batch}: {rate:.1f} windows/s", flush=True)
            results.append({"threads": threads, "batch": batch, "windows_per_s": rate})
    with open(args.out, "w") as out:
        json.dump({"torch": f"PyTorch {torch.__version__} eager, inference_mode, {origin}",
                   "source": "encoder/bench/pytorch_eager.py",
                   "load_average": f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after",
                   "results": results}, out, indent=1)


if __name__ == "__main__":
    main()
