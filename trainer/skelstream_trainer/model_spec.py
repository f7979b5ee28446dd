"""The JSON-able description of a model that checkpoints carry and modules are rebuilt from.

    spec = {"layout": "ntu25", "persons": 2, "frames": 32, "fps": 15.0,
            "model": {"name": "skeleton_mae_tiny", "overrides": {}},
            "normalisation": {"view_alignment": true, "vertical_axis": 1},
            "labels": [...] | null, "head": "linear_probe" | "finetune" | null,
            "objective": "...", "dataset": "..."}
"""

import copy
from typing import Any, Dict, Optional, Sequence

from .layouts import get_layout
from .models import MODELS, ActionClassifier, MaskedSkeletonModel, SpatialNormalisation, build_backbone


def make_spec(config: Dict[str, Any], layout: str, persons: int, dataset: str = "") -> Dict[str, Any]:
    model = config["model"]
    return {"layout": layout, "persons": int(persons), "frames": int(config["window"]["frames"]),
            "fps": float(config["window"]["fps"]),
            "model": {"name": model["name"], "overrides": dict(model.get("overrides") or {})},
            "normalisation": {"view_alignment": bool(model.get("view_alignment", False)),
                              "vertical_axis": int(model.get("vertical_axis", 1))},
            "labels": None, "head": None, "objective": "", "dataset": dataset}


def with_head(spec: Dict[str, Any], labels: Sequence[str], head: str) -> Dict[str, Any]:
    out = copy.deepcopy(spec)
    out["labels"] = list(labels)
    out["head"] = head
    return out


def build_backbone_from_spec(spec: Dict[str, Any], drop_path: float = 0.0) -> MaskedSkeletonModel:
    overrides = dict(spec["model"].get("overrides") or {})
    if drop_path:
        overrides["drop_path"] = drop_path
    if getattr(MODELS.get(spec["model"]["name"]), "needs_layout", False):   # graph models: bones of the layout
        overrides["layout"] = spec["layout"]
    return build_backbone(spec["model"]["name"], num_joints=get_layout(spec["layout"]).num_joints,
                          num_frames=spec["frames"], **overrides)


def build_normalisation(spec: Dict[str, Any]) -> SpatialNormalisation:
    norm = spec["normalisation"]
    return SpatialNormalisation.for_layout(get_layout(spec["layout"]), view_alignment=norm["view_alignment"],
                                           vertical_axis=norm["vertical_axis"])


def build_classifier_from_spec(spec: Dict[str, Any], drop_path: float = 0.0,
                               dropout: float = 0.0, backbone: Optional[MaskedSkeletonModel] = None
                               ) -> ActionClassifier:
    if not spec.get("labels") or not spec.get("head"):
        raise ValueError("spec has no labels/head: not a classifier")
    backbone = backbone if backbone is not None else build_backbone_from_spec(spec, drop_path)
    return ActionClassifier(build_normalisation(spec), backbone, spec["persons"], len(spec["labels"]),
                            spec["head"], dropout)
