"""Graph SkeletonMAE's pre-training: reconstruct masked joints and edges (bone vectors).

Works with models.graph_skeleton_mae (masked tokens are replaced, not dropped). Both
targets are normalised per token; the loss is the mean of the two masked MSEs.
"""

from typing import Any, Dict

import torch

from ..masking import MASKING
from ..targets import normalise_per_token, patchify
from . import OBJECTIVES
from .collapse_monitor import CollapseMonitor


def bone_vectors(x: torch.Tensor, parents) -> torch.Tensor:
    """x: [N, T, V, 3] -> [N, T, V, 3]: joint minus its parent (the root's edge is zero)."""
    index = torch.tensor([p if p >= 0 else j for j, p in enumerate(parents)], device=x.device)
    return x - x[:, :, index]


def mask_from_scores(scores: torch.Tensor, mask_ratio: float) -> torch.Tensor:
    """scores: [N, L] -> mask [N, L] (1 = masked): the highest-scoring tokens, as the transformer does."""
    length = scores.shape[1]
    len_keep = max(1, int(round(length * (1.0 - mask_ratio))))
    rank = scores.argsort(1).argsort(1)
    return (rank >= len_keep).to(scores.dtype)


@OBJECTIVES.register("graph_reconstruction")
class GraphReconstruction:
    def __init__(self, config: Dict[str, Any], patch_size: int):
        masking = config.get("masking", "joint_and_frame")
        masking = {"name": masking} if isinstance(masking, str) else dict(masking)
        self.masking_name = masking.pop("name")
        self.masking_options = masking
        self.masking = MASKING.get(self.masking_name)
        self.mask_ratio = float(config.get("mask_ratio", 0.75))
        if not 0.0 < self.mask_ratio < 1.0:
            raise ValueError(f"pretrain.mask_ratio must be in (0, 1), got {self.mask_ratio}")
        self.bone_weight = float(config.get("bone_weight", 1.0))
        self.patch_size = patch_size
        self.monitor = CollapseMonitor()

    def describe(self) -> str:
        return (f"graph_reconstruction(masking={self.masking_name}, mask_ratio={self.mask_ratio}, "
                f"targets=joints+bones, bone_weight={self.bone_weight})")

    def statistics(self) -> Dict[str, float]:
        return self.monitor.statistics()

    def __call__(self, backbone, persons: torch.Tensor) -> torch.Tensor:
        if not hasattr(backbone, "forward_masked"):
            raise TypeError("pretrain.objective graph_reconstruction needs a graph model "
                            "(model.name graph_skeleton_mae_tiny or graph_skeleton_mae_base)")
        with torch.no_grad():
            mask = mask_from_scores(self.masking(persons, self.patch_size, **self.masking_options), self.mask_ratio)
            joints = normalise_per_token(patchify(persons, self.patch_size))
            bones = normalise_per_token(patchify(bone_vectors(persons, backbone.parents), self.patch_size))
        latent, pred_joints, pred_bones = backbone.forward_masked(persons, mask)
        count = mask.sum().clamp(min=1.0)
        joint_loss = (((pred_joints.float() - joints) ** 2).mean(-1) * mask).sum() / count
        bone_loss = (((pred_bones.float() - bones) ** 2).mean(-1) * mask).sum() / count
        self.monitor.record("embedding", latent.mean(dim=(1, 2)))
        return (joint_loss + self.bone_weight * bone_loss) / (1.0 + self.bone_weight)
