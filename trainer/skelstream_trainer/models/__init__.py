"""Models: the masked skeleton backbone, its named factories, normalisation and classifier.

    backbone = build_backbone("skeleton_mae_tiny", num_joints=25, num_frames=32)
"""

from ..registry import Registry
from .action_classifier import ActionClassifier, make_head
from .normalisation import SpatialNormalisation
from .skeleton_mae import MaskedSkeletonModel, skeleton_mae_base, skeleton_mae_tiny

MODELS = Registry("model")
MODELS.register("skeleton_mae_tiny")(skeleton_mae_tiny)
MODELS.register("skeleton_mae_base")(skeleton_mae_base)
from .graph_skeleton_mae import graph_skeleton_mae_base, graph_skeleton_mae_tiny  # noqa: E402  (objectives build)
graph_skeleton_mae_tiny.needs_layout = graph_skeleton_mae_base.needs_layout = True  # built from the layout's bones
MODELS.register("graph_skeleton_mae_tiny")(graph_skeleton_mae_tiny)
MODELS.register("graph_skeleton_mae_base")(graph_skeleton_mae_base)


def build_backbone(name: str, num_joints: int, num_frames: int, **overrides) -> MaskedSkeletonModel:
    return MODELS.get(name)(num_joints, num_frames, **overrides)


__all__ = ["MODELS", "build_backbone", "ActionClassifier", "make_head", "SpatialNormalisation",
           "MaskedSkeletonModel", "skeleton_mae_tiny", "skeleton_mae_base"]
