"""PyTorch eager baseline for encoder/bench/run.sh: a thin entry to the trainer's one implementation.

    /usr/bin/python3 encoder/bench/pytorch_eager.py --onnx MODEL.onnx [--checkpoint RUN_OR_FILE | --config tiny] \
        --batches 1,8,32,128 --seconds 2 --out pytorch.json

Everything (model check against the ONNX file, real windows from models/bundled/synthetic-test.jsonl.gz, torch x
OpenBLAS thread configurations, timing) lives in trainer/benchmarks/eager_inference.py, which the trainer's speed
benchmark uses too, so the encoder benchmark and BENCHMARKS.md's trainer section measure eager the same way.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "trainer"))
from benchmarks.eager_inference import main  # noqa: E402

if __name__ == "__main__":
    main()
