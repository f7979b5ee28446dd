"""PyTorch eager inference speed of an exported SkelStream classifier: THE eager baseline.

    cd trainer && /usr/bin/python3 -m benchmarks.eager_inference --onnx ../models/bundled/skelstream-tiny.onnx \
        [--checkpoint runs/bundle-main/probe | --config tiny] [--batches 1,8,32,128] [--seconds 2] [--out eager.json]

One implementation, used by encoder/bench/pytorch_eager.py (the encoder benchmark) and benchmarks.speed (the
trainer's speed section), so the two can no longer disagree. What it runs:

- the model: the checkpoint's classifier (or the trainer config with random weights when there is none), checked
  against the ONNX file (same T, M, layout, labels, and the same FLOPs per window counted from the graph);
- the input: real windows cut from models/bundled/synthetic-test.jsonl.gz the way the exporter cuts its fixtures
  (bodies a few metres from the camera, the second person absent in most windows), not zeros or unit noise;
- the timing: eval, torch.inference_mode, the same full batch back to back, median of 5 segments after a warm-up
  (what EncoderBenchmark does for ONNX Runtime);
- the thread configurations: torch intra-op threads x BLAS threads. Debian's torch calls OpenBLAS (pthread build),
  whose own pool starts with one thread per core and does not follow torch.set_num_threads: "1 torch thread" then
  still multiplies matrices on every core, and with 2 torch threads the OpenMP workers and the OpenBLAS pool fight
  over the same cores (several times slower). The pool is set through openblas_set_num_threads when OpenBLAS is
  loaded; MKL builds (pip wheels) follow torch.set_num_threads and report blas_threads null.

Each result row says its torch threads, BLAS threads and the cores it can use (max of the two); `best` gives, per
batch and per core count, the fastest configuration, so a comparison can be made against eager at its best.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import onnx
import torch

from skelstream_trainer.blas_threads import BlasThreads
from skelstream_trainer.checkpoint import load_checkpoint
from skelstream_trainer.config import load_config
from skelstream_trainer.model_spec import build_classifier_from_spec, make_spec, with_head
from skelstream_trainer.models.flops import encoder_macs

REPO = Path(__file__).resolve().parent.parent.parent
BUNDLED = REPO / "models" / "bundled"
SEGMENTS = 5


class BaselineError(RuntimeError):
    """The eager model is not the exported one, or its input data cannot be read."""


def onnx_metadata(onnx_path: Path) -> Dict[str, str]:
    return {p.key: p.value for p in onnx.load(str(onnx_path), load_external_data=False).metadata_props}


def graph_flops(onnx_path: Path) -> float:
    """FLOPs per window from the ONNX graph (encoder/bench/count_flops.py: 2 x MACs of MatMul/Gemm/Conv)."""
    sys.path.insert(0, str(REPO / "encoder" / "bench"))
    from count_flops import count  # noqa: E402  (lives with the encoder benchmark)
    return count(str(onnx_path))["flops_per_window"]


def load_classifier(onnx_path: Path, checkpoint: Optional[str], config: str = "tiny"):
    """(classifier in eval mode, spec, where its weights come from), checked to be the model in onnx_path."""
    meta = onnx_metadata(onnx_path)
    if checkpoint:
        state = load_checkpoint(checkpoint, kinds={"probe", "finetune"})
        spec, origin = state["spec"], f"checkpoint {state['path']}"
        classifier = build_classifier_from_spec(spec)
        classifier.load_state_dict(state["model"])
    else:
        settings = load_config(config)
        settings["window"] = {"frames": int(meta["skelstream.frames"]), "fps": float(meta["skelstream.fps"])}
        base = make_spec(settings, meta["skelstream.layout"], int(meta["skelstream.persons"]))
        spec = with_head(base, json.loads(meta["skelstream.labels"]), "linear_probe")
        origin = f"config {config}, random weights"
        classifier = build_classifier_from_spec(spec)
    classifier.eval()
    expected = {"skelstream.frames": str(spec["frames"]), "skelstream.persons": str(spec["persons"]),
                "skelstream.layout": spec["layout"], "skelstream.labels": json.dumps(list(spec["labels"]))}
    wrong = {k: (meta.get(k), v) for k, v in expected.items() if meta.get(k) != v}
    if wrong:
        raise BaselineError(f"{origin} is not the model in {onnx_path}: (onnx, pytorch) differ in {wrong}")
    in_graph = graph_flops(onnx_path)
    in_module = 2 * encoder_macs(classifier.backbone, spec["persons"])["macs"]
    if abs(in_graph - in_module) > 0.01 * in_graph:
        raise BaselineError(f"{origin} costs {in_module:.4g} FLOPs per window but {onnx_path} {in_graph:.4g}: "
                            "not the same architecture")
    return classifier, spec, origin


def real_windows(spec: Dict[str, Any], source: Path, count: int = 128) -> torch.Tensor:
    """[N, T, M, V, 3] float32 metres: evaluation windows of a JSON Lines data set, cut like the export fixtures."""
    from skelstream_trainer.commands.common import make_clips, read_data
    if not Path(source).is_file():
        raise BaselineError(f"input data {source} not found (the bundled synthetic-test.jsonl.gz, or --data FILE)")
    sequences = read_data(str(source), None, "test")[:count]
    clips = make_clips({}, spec, sequences, train=False, seed=0)
    return torch.from_numpy(np.stack([clips[i][0].numpy() for i in range(len(clips))]))


def batch_of(windows: torch.Tensor, batch: int) -> torch.Tensor:
    """The first `batch` windows, cycling when there are fewer: [batch, T, M, V, 3], contiguous."""
    return windows[torch.arange(batch) % windows.shape[0]].contiguous()


def windows_per_second(classifier: torch.nn.Module, joints: torch.Tensor, seconds: float) -> float:
    """Median windows/s over SEGMENTS segments of seconds/SEGMENTS, after a warm-up of a fifth of `seconds`."""
    batch = joints.shape[0]
    with torch.inference_mode():
        warm_up_end = time.perf_counter() + 0.2 * seconds
        classifier(joints)
        while time.perf_counter() < warm_up_end:
            classifier(joints)
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


def thread_configurations(cores: int, blas: BlasThreads) -> List[Tuple[int, Optional[int]]]:
    """(torch threads, BLAS threads) pairs to try: 1 and all cores each; BLAS None when torch's own setting rules."""
    torch_threads = sorted({1, cores})
    if not blas.available:
        return [(t, None) for t in torch_threads]
    return [(t, b) for t in torch_threads for b in sorted({1, cores})]


def measure(classifier, windows: torch.Tensor, batches: List[int], seconds: float,
            configurations: Optional[List[Tuple[int, Optional[int]]]] = None) -> Dict[str, Any]:
    """Every (configuration, batch) point, then per batch and core count the best configuration."""
    blas = BlasThreads()
    cores = os.cpu_count() or 1
    configurations = configurations or thread_configurations(cores, blas)
    try:
        torch.set_num_interop_threads(1)  # one chain of ops, as ONNX Runtime runs it (inter-op 1)
    except RuntimeError:
        pass  # already fixed once parallel work has started in this process
    default_blas = blas.get()
    rows = []
    try:
        for torch_threads, blas_threads in configurations:
            torch.set_num_threads(torch_threads)
            if blas_threads is not None:
                blas.set(blas_threads)
            for batch in batches:
                rate = windows_per_second(classifier, batch_of(windows, batch), seconds)
                row = {"torch_threads": torch_threads, "blas_threads": blas_threads,
                       "threads": max(torch_threads, blas_threads or 0), "batch": batch, "windows_per_s": rate}
                print(f"pytorch eager torch_threads={torch_threads} blas_threads={blas_threads} batch={batch}: "
                      f"{rate:.1f} windows/s", file=sys.stderr, flush=True)
                rows.append(row)
    finally:
        if default_blas is not None:
            blas.set(default_blas)
    best = []
    for batch in batches:
        for threads in sorted({r["threads"] for r in rows}):
            # eager on up to `threads` cores, in whichever configuration is fastest
            fitting = [r for r in rows if r["batch"] == batch and r["threads"] <= threads]
            top = max(fitting, key=lambda r: r["windows_per_s"])
            best.append({"threads": threads, "batch": batch, "windows_per_s": top["windows_per_s"],
                         "torch_threads": top["torch_threads"], "blas_threads": top["blas_threads"]})
    return {"configurations": rows, "results": best, "blas": "OpenBLAS (pool set per configuration)"
            if blas.available else "torch's own BLAS threading (torch.set_num_threads)",
            "blas_threads_by_default": default_blas}


def run(onnx_path: Path, checkpoint: Optional[str], config: str, batches: List[int], seconds: float,
        data: Path = BUNDLED / "synthetic-test.jsonl.gz") -> Dict[str, Any]:
    load_before = os.getloadavg()[0]
    classifier, spec, origin = load_classifier(onnx_path, checkpoint, config)
    windows = real_windows(spec, data)
    result = measure(classifier, windows, batches, seconds)
    env = {k: os.environ[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                      "OMP_WAIT_POLICY", "GOMP_SPINCOUNT") if os.environ.get(k)}
    result.update({
        "torch": f"PyTorch {torch.__version__} eager, inference_mode, {origin}, {windows.shape[0]} real windows "
                 f"from {Path(data).name}, thread environment "
                 + (", ".join(f"{k}={v}" for k, v in env.items()) or "unset (library defaults)"),
        "source": "trainer/benchmarks/eager_inference.py",
        "env": env,
        "load_average": f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after"})
    return result


def default_checkpoint() -> Optional[str]:
    """The bundle's probe run (trainer/<--work>/probe from metrics.json's command), if it is still there."""
    import shlex
    metrics_file = BUNDLED / "metrics.json"
    if not metrics_file.is_file():
        return None
    metrics = json.loads(metrics_file.read_text())
    if metrics.get("checkpoint") and Path(metrics["checkpoint"]).exists():
        return metrics["checkpoint"]
    args = shlex.split(metrics.get("command", "").split("&&")[-1])
    if "--work" in args[:-1]:
        probe = REPO / "trainer" / args[args.index("--work") + 1] / "probe"
        return str(probe) if probe.is_dir() else None
    return None


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--onnx", default=str(next(BUNDLED.glob("*.onnx"), BUNDLED / "skelstream-tiny.onnx")),
                        help="the exported model (default: the bundled one)")
    parser.add_argument("--checkpoint", help="probe/finetune run folder or checkpoint.pt of that model "
                                             "(default: the bundle's probe run when present)")
    parser.add_argument("--config", default="tiny", help="trainer config used when there is no checkpoint")
    parser.add_argument("--data", default=str(BUNDLED / "synthetic-test.jsonl.gz"), help="JSON Lines windows")
    parser.add_argument("--batches", default="1,8,32,128")
    parser.add_argument("--seconds", type=float, default=2.0, help="measuring time per point")
    parser.add_argument("--out", help="JSON results (EncoderBenchmark reads them)")
    args = parser.parse_args(argv)
    checkpoint = args.checkpoint or default_checkpoint()
    try:
        result = run(Path(args.onnx), checkpoint, args.config, [int(b) for b in args.batches.split(",")],
                     args.seconds, Path(args.data))
    except BaselineError as e:
        raise SystemExit(f"eager_inference: {e}")
    text = json.dumps(result, indent=1)
    if args.out:
        Path(args.out).write_text(text)
    else:
        print(text)


if __name__ == "__main__":
    main()
