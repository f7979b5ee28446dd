#!/usr/bin/env bash
# Encoder benchmark: the Java encoder (ONNX Runtime) against PyTorch eager on the same model, same batch sizes,
# same machine, in one run; writes the <!-- encoder-benchmark --> section of BENCHMARKS.md at the repository root.
#
#   encoder/bench/run.sh                       # bundled model, CPU, batches 1,8,32,128, 1 thread vs all cores
#   CHECKPOINT=trainer/runs/x encoder/bench/run.sh
#   PROVIDERS=cpu,cuda encoder/bench/run.sh    # on a GPU host built with -Pgpu (MAVEN_ARGS=-Pgpu)
#
# Environment: MODEL (.onnx), CHECKPOINT (the trainer's probe/finetune run folder or checkpoint.pt of the same model,
# for PyTorch eager; default: the probe run of the bundle's --work folder named in models/bundled/metrics.json, if it
# is still there), CONFIG
# (trainer config that built the model, used with random weights when there is no checkpoint; default tiny), BATCHES,
# SECONDS_PER_POINT, PROVIDERS, PYTHON, MAVEN_ARGS, BENCHMARKS (the file to write).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MODEL=$(realpath -m "${MODEL:-$ROOT/models/bundled/skelstream-tiny.onnx}")
PROVIDERS=${PROVIDERS:-cpu}
# Batch 64 is where the GPU target (CUDA >= 10x CPU) is read.
if [[ $PROVIDERS == *cuda* ]]; then BATCHES=${BATCHES:-1,8,32,64,128}; else BATCHES=${BATCHES:-1,8,32,128}; fi
SECONDS_PER_POINT=${SECONDS_PER_POINT:-2}
PYTHON=${PYTHON:-/usr/bin/python3}
BENCHMARKS=${BENCHMARKS:-$ROOT/BENCHMARKS.md}
WORK=$ROOT/encoder/target-bench/bench
mkdir -p "$WORK"

if [[ ! -f $MODEL ]]; then
    echo "run.sh: model $MODEL not found (set MODEL=... or run 'make bundled-model')" >&2
    exit 2
fi

# FLOPs per window, counted from the ONNX graph (MatMul/Gemm/Conv and fused Attention), unless the model carries its own count.
FLOPS_JSON=$("$PYTHON" "$ROOT/encoder/bench/count_flops.py" "$MODEL")
FLOPS=$(echo "$FLOPS_JSON" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["flops_per_window"])')
FLOPS_SOURCE=$(echo "$FLOPS_JSON" | "$PYTHON" -c 'import json,sys; d=json.load(sys.stdin);
print("counted from the ONNX graph: %d MatMul/Gemm/Conv/Attention nodes%s" % (d["counted_nodes"],
      "; %d nodes of unknown shape left out" % len(d["unknown_nodes"]) if d["unknown_nodes"] else ""))')
echo "FLOPs per window: $FLOPS ($FLOPS_SOURCE)"

# PyTorch eager on the same model (trainer/benchmarks/eager_inference.py, the one eager baseline): the trainer
# checkpoint when there is one, else the trainer config with random weights (same architecture, checked by FLOPs),
# on real windows of models/bundled/synthetic-test.jsonl.gz, in every torch x OpenBLAS thread configuration of
# {1, all cores}; the report compares with eager on the same cores and with eager's best configuration per batch.
if [[ -z ${CHECKPOINT:-} && -f $ROOT/models/bundled/metrics.json ]]; then
    # The bundle's probe run, from the --work folder in the command that metrics.json records.
    CHECKPOINT=$("$PYTHON" - "$ROOT/models/bundled/metrics.json" "$ROOT/trainer" <<'PY' || true
import json, shlex, sys
from pathlib import Path
metrics, trainer = json.load(open(sys.argv[1])), Path(sys.argv[2])
args = shlex.split(metrics.get("command", "").split("&&")[-1])
work = args[args.index("--work") + 1] if "--work" in args[:-1] else None
probe = trainer / work / "probe" if work else None
print(metrics.get("checkpoint") or (probe if probe and probe.is_dir() else ""))
PY
)
fi
PYTORCH_ARGS=(--onnx "$MODEL" --config "${CONFIG:-tiny}" --batches "$BATCHES" --seconds "$SECONDS_PER_POINT")
if [[ -n ${CHECKPOINT:-} && -e $CHECKPOINT ]]; then
    PYTORCH_ARGS+=(--checkpoint "$CHECKPOINT")
fi
"$PYTHON" "$ROOT/encoder/bench/pytorch_eager.py" "${PYTORCH_ARGS[@]}" --out "$WORK/pytorch-before.json"

# The Java encoder, through surefire so it gets the module's test classpath (no exec plugin offline).
cd "$ROOT"
encoder_benchmark() {
    mvn -B -o -q ${MAVEN_ARGS:-} -pl encoder -Dskelstream.target=target-bench test \
        -Dtest=EncoderBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dskelstream.bench=true \
        -Dskelstream.bench.model="$MODEL" -Dskelstream.bench.batches="$BATCHES" \
        -Dskelstream.bench.seconds="$SECONDS_PER_POINT" -Dskelstream.bench.providers="$PROVIDERS" \
        -Dskelstream.bench.flopsPerWindow="$FLOPS" -Dskelstream.bench.flopsSource="$FLOPS_SOURCE" \
        -Dskelstream.bench.results="$WORK/encoder-results.json" -Dskelstream.bench.out="$BENCHMARKS" \
        -Dskelstream.bench.command="encoder/bench/run.sh" "$@"
}
encoder_benchmark -Dskelstream.bench.phase=measure -Dskelstream.bench.pytorch="$WORK/pytorch-before.json"

# PyTorch once more after the encoder, so a load change during the run cannot favour the encoder: the report
# compares with PyTorch's better run of the two.
"$PYTHON" "$ROOT/encoder/bench/pytorch_eager.py" "${PYTORCH_ARGS[@]}" --out "$WORK/pytorch-after.json"
encoder_benchmark -Dskelstream.bench.phase=report \
    -Dskelstream.bench.pytorch="$WORK/pytorch-before.json,$WORK/pytorch-after.json"
