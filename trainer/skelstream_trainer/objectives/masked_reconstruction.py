"""Masked reconstruction (MAE with the coordinate target, MAMP with motion-aware masking
and the motion target): encode visible tokens, decode all, score masked tokens only."""

from typing import Any, Dict

import torch

from ..losses import LOSSES
from ..masking import MASKING
from ..targets import TARGETS
from . import OBJECTIVES


@OBJECTIVES.register("masked_reconstruction")
class MaskedReconstruction:
    def __init__(self, config: Dict[str, Any], patch_size: int):
        masking = config.get("masking", "random")
        masking = {"name": masking} if isinstance(masking, str) else dict(masking)
        self.masking_name = masking.pop("name")
        self.masking_options = masking                      # e.g. temperature for motion_aware
        self.masking = MASKING.get(self.masking_name)
        self.mask_ratio = float(config.get("mask_ratio", 0.9))
        if not 0.0 < self.mask_ratio < 1.0:
            raise ValueError(f"pretrain.mask_ratio must be in (0, 1), got {self.mask_ratio}")
        self.target_name = config.get("target", "motion")
        self.target = TARGETS.get(self.target_name)
        self.normalise_target = bool(config.get("normalise_target", True))
        self.loss_name = config.get("loss", "mse")
        self.loss = LOSSES.get(self.loss_name)
        self.patch_size = patch_size

    def describe(self) -> str:
        return (f"masked_reconstruction(masking={self.masking_name}, mask_ratio={self.mask_ratio}, "
                f"target={self.target_name}, loss={self.loss_name})")

    def __call__(self, backbone, persons: torch.Tensor) -> torch.Tensor:
        """persons: [N, T, V, 3] normalised single-person windows -> scalar loss."""
        with torch.no_grad():
            scores = self.masking(persons, self.patch_size, **self.masking_options)
            target = self.target(persons, self.patch_size, normalise=self.normalise_target)
        loss, _, _ = backbone(persons, scores, target, self.mask_ratio, self.loss)
        return loss
