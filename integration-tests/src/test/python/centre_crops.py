#!/usr/bin/env python3
"""The trainer's test-time crops of a dataset, for the Java encoder to score offline.

Uses the trainer's own code (skelstream_trainer.data: read_jsonl, ClipSampler.test_clips with one crop, i.e. the
centre crop its probe evaluation uses), so the crops are exactly those behind metrics.json's top1. Writes
<out>.f32 (little-endian float32, [N, T, M, V, 3] row-major) and <out>.json ([{"id", "label", "frames"}] in order).

    centre_crops.py --trainer trainer --dataset synthetic-test.jsonl.gz --fps 15 --frames 32 --persons 2 \
        --layout ntu25 --out target/crops
"""
import argparse
import json
import pathlib
import sys

import numpy as np


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trainer", required=True, type=pathlib.Path, help="the trainer/ folder")
    ap.add_argument("--dataset", required=True)
    ap.add_argument("--fps", required=True, type=float)
    ap.add_argument("--frames", required=True, type=int)
    ap.add_argument("--persons", required=True, type=int)
    ap.add_argument("--layout", required=True)
    ap.add_argument("--out", required=True, type=pathlib.Path)
    args = ap.parse_args()

    sys.path.insert(0, str(args.trainer.resolve()))
    from skelstream_trainer.data.clips import ClipSampler
    from skelstream_trainer.data.jsonl import read_jsonl

    sampler = ClipSampler(fps=args.fps, frames=args.frames, persons=args.persons, layout=args.layout)
    index = []
    with open(str(args.out) + ".f32", "wb") as out:
        for seq in read_jsonl(args.dataset):
            crop = sampler.test_clips(seq, 1)[0]  # (T, M, V, 3)
            out.write(np.ascontiguousarray(crop, dtype="<f4").tobytes())
            index.append({"id": seq.id, "label": seq.label, "frames": int(seq.frames.shape[0])})
    pathlib.Path(str(args.out) + ".json").write_text(json.dumps(index))
    return 0


if __name__ == "__main__":
    sys.exit(main())
