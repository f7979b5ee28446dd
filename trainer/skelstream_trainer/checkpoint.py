"""Checkpoints: one dict of tensors and plain data, loaded with torch.load(weights_only=True).

    {"format": "skelstream-checkpoint", "version": 1, "kind": "pretrain" | "probe" | "finetune",
     "spec": {...model spec, JSON-able...}, "config": {...}, "epoch": int,
     "model": state_dict, "optimizer": state_dict | None, "metrics": {...},
     "resume": {...} | None}

"resume" is everything else a training command needs to continue exactly where it stopped
(engine/training_state.py): the objective's own state (EMA teacher, GFP target network and
predictors with their optimizer), the RNG states and the schedule. It is any nested
dict/list of tensors and plain values, stored as a flat dict of tensors plus a JSON tree.

The spec says how to rebuild the module (factory name, layout, frames, persons, fps, labels,
head), so no Python object is ever pickled. On disk the plain data (spec, config, metrics,
optimizer hyper-parameters) is one JSON string: PyTorch 1.13's weights-only unpickler has
no Python floats, and JSON reads the same on every version.
"""

import json
import os
from pathlib import Path
from typing import Any, Dict, Optional, Union

import torch

FORMAT = "skelstream-checkpoint"
VERSION = 1
FILE_NAME = "checkpoint.pt"


class CheckpointError(ValueError):
    """A checkpoint is missing, not ours, or of an unexpected kind."""


def save_checkpoint(path: Union[str, Path], *, kind: str, spec: Dict[str, Any], config: Dict[str, Any],
                    epoch: int, model: Dict[str, torch.Tensor], optimizer: Optional[Dict] = None,
                    metrics: Optional[Dict[str, Any]] = None, resume: Optional[Dict[str, Any]] = None) -> Path:
    """Written to a temporary file then renamed, so a crash never leaves half a checkpoint."""
    path = Path(path)
    resume_tensors: Dict[str, torch.Tensor] = {}
    plain = {"spec": spec, "config": config, "metrics": metrics or {},
             "optimizer_groups": optimizer["param_groups"] if optimizer else None,
             "resume": None if resume is None else _encode(resume, resume_tensors)}
    payload = {"format": FORMAT, "version": VERSION, "kind": kind, "epoch": int(epoch),
               "plain": json.dumps(plain), "model": {k: v.detach().cpu() for k, v in model.items()},
               "optimizer_state": _tensors_only(optimizer["state"]) if optimizer else None,
               "resume_tensors": resume_tensors}
    tmp = path.with_suffix(".tmp")
    torch.save(payload, tmp)
    os.replace(tmp, path)
    return path


def resolve_checkpoint(path: Union[str, Path]) -> Path:
    """A checkpoint file, or a run folder holding checkpoint.pt."""
    path = Path(path)
    if path.is_dir():
        path = path / FILE_NAME
    if not path.is_file():
        raise CheckpointError(f"{path}: no checkpoint here (give a run folder or a {FILE_NAME} file)")
    return path


def load_checkpoint(path: Union[str, Path], kinds=None) -> Dict[str, Any]:
    """Load with weights_only=True (no arbitrary unpickling); kinds: accepted kinds or None."""
    path = resolve_checkpoint(path)
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:  # corrupt file, or a pickle that needs arbitrary code
        raise CheckpointError(f"{path}: cannot be loaded as a weights-only checkpoint: {e}") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError(f"{path}: not a SkelStream checkpoint (format field missing)")
    if payload.get("version") != VERSION:
        raise CheckpointError(f"{path}: checkpoint version {payload.get('version')!r}, this trainer reads {VERSION}")
    if kinds is not None and payload["kind"] not in kinds:
        raise CheckpointError(f"{path}: a {payload['kind']!r} checkpoint, expected one of {sorted(kinds)}")
    plain = json.loads(payload.pop("plain"))
    payload.update(spec=plain["spec"], config=plain["config"], metrics=plain["metrics"], path=str(path))
    tree, tensors = plain.get("resume"), payload.pop("resume_tensors", {})
    payload["resume"] = None if tree is None else _decode(tree, tensors)
    state = payload.pop("optimizer_state")
    payload["optimizer"] = None if state is None else {"state": state, "param_groups": plain["optimizer_groups"]}
    return payload


def _tensors_only(state: Dict) -> Dict:
    """Optimizer per-parameter state as tensors (a plain number becomes a 0-d tensor)."""
    return {int(k): {name: v if torch.is_tensor(v) else torch.tensor(v) for name, v in entry.items()}
            for k, entry in state.items()}


def _encode(value: Any, tensors: Dict[str, torch.Tensor]) -> Any:
    """A nested value -> a JSON tree; each tensor goes into `tensors` under a new key.
    Dicts keep their key types (an optimizer's state is keyed by int); tuples become lists."""
    if torch.is_tensor(value):
        key = str(len(tensors))
        tensors[key] = value.detach().cpu().clone()
        return {"tensor": key}
    if isinstance(value, dict):
        return {"dict": [[k, _encode(v, tensors)] for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        return {"list": [_encode(v, tensors) for v in value]}
    if value is None or isinstance(value, (bool, int, float, str)):
        return {"value": value}
    raise CheckpointError(f"cannot store a {type(value).__name__} in a checkpoint's resume state")


def _decode(tree: Any, tensors: Dict[str, torch.Tensor]) -> Any:
    if "tensor" in tree:
        return tensors[tree["tensor"]]
    if "dict" in tree:
        return {k: _decode(v, tensors) for k, v in tree["dict"]}
    if "list" in tree:
        return [_decode(v, tensors) for v in tree["list"]]
    return tree["value"]
