"""Parity fixtures: inputs and the outputs PyTorch computes for them (eval mode, float32).

fixtures.json = {"model": "<file>.onnx", "tolerance": 1e-4, "cases": [{"name", "shape": [B,T,M,V,3],
"joints": b64, "logits": b64, "embedding": b64}]}; b64 = base64 of little-endian float32, row-major.
The Java encoder's tests replay them through ONNX Runtime.
"""

import base64
import json
from pathlib import Path
from typing import Dict, List, Tuple

import numpy as np
import torch

TOLERANCE = 1e-4


def encode_floats(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array, dtype="<f4").tobytes()).decode("ascii")


def decode_floats(text: str, shape) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<f4").reshape(shape)


def fixture_cases(spec: Dict, test_windows: np.ndarray, seed: int = 0) -> List[Tuple[str, np.ndarray]]:
    """The standard cases. test_windows: float32 [N, T, M, V, 3] real held-out windows (N >= 1)."""
    rng = np.random.default_rng(seed)
    t, m, v = spec["frames"], spec["persons"], test_windows.shape[3]
    real = test_windows[:1]
    cases = [("real_test_window", real)]
    if m > 1:
        alone = real.copy()
        alone[:, :, 1:] = 0.0
        cases.append(("second_person_absent", alone))
        two = test_windows[[i for i in range(len(test_windows)) if np.abs(test_windows[i, :, 1]).sum() > 0][:1]]
        if len(two):
            cases.append(("two_persons", two))
    holes = real.copy()
    holes[:, :, :, rng.choice(v, size=max(1, v // 5), replace=False)] = 0.0   # absent joints
    cases.append(("absent_joints", holes))
    cases.append(("all_zero", np.zeros((1, t, m, v, 3), dtype=np.float32)))
    batch = test_windows[:8] if len(test_windows) >= 8 else np.concatenate([test_windows] * 8)[:8]
    cases.append(("batch_of_8", batch.copy()))
    return [(name, np.ascontiguousarray(x, dtype=np.float32)) for name, x in cases]


@torch.no_grad()
def write_fixtures(classifier, spec: Dict, test_windows: np.ndarray, model_file: str, path: Path) -> Dict:
    classifier = classifier.cpu().eval()
    cases = []
    for name, joints in fixture_cases(spec, test_windows):
        logits, embedding = classifier(torch.from_numpy(joints))
        if not (torch.isfinite(logits).all() and torch.isfinite(embedding).all()):
            raise ValueError(f"fixture {name!r}: the model gives non-finite outputs")
        cases.append({"name": name, "shape": list(joints.shape), "joints": encode_floats(joints),
                      "logits": encode_floats(logits.numpy()), "embedding": encode_floats(embedding.numpy()),
                      "logits_shape": list(logits.shape), "embedding_shape": list(embedding.shape)})
    doc = {"model": model_file, "tolerance": TOLERANCE, "cases": cases}
    Path(path).write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    return doc


def read_fixtures(path: Path) -> Dict:
    """fixtures.json with arrays decoded: case["joints"] etc. become numpy arrays."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    for case in doc["cases"]:
        shape = case["shape"]
        case["joints"] = decode_floats(case["joints"], shape)
        case["logits"] = decode_floats(case["logits"], (shape[0], -1))
        case["embedding"] = decode_floats(case["embedding"], (shape[0], -1))
    return doc
