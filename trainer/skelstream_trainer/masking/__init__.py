"""Masking strategies for masked skeleton modelling, chosen by name in the config.

A strategy scores every token of a person's window; the model keeps the lowest-scoring
(1 - mask_ratio) fraction and masks the rest, so each strategy is one small function:

    scores = MASKING.get("motion_aware")(x, patch_size, **options)   # x: [N, T, V, 3] -> [N, Tp * V]

Tokens are ordered time-major: token l = t_patch * V + joint.
"""

from ..registry import Registry

MASKING = Registry("masking strategy")

from . import random_masking, motion_aware_masking, tube_masking  # noqa: E402,F401  (register)
from . import joint_and_frame_masking, motion_tube_masking  # noqa: E402,F401  (register: objectives build)

__all__ = ["MASKING"]
