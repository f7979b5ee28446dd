"""Pre-training objectives, chosen by pretrain.objective in the config.

An objective turns a batch of normalised single-person windows [N, T, V, 3] into a loss
for the backbone. masked_reconstruction composes the three swappable pieces (a masking
strategy, a target, a loss) the MAE/MAMP way; other objectives (SkeletonMAE, Skeleton2vec,
GFP...) register here beside it.
"""

from ..registry import Registry

OBJECTIVES = Registry("objective")

from . import masked_reconstruction  # noqa: E402,F401  (register)
from . import skeleton2vec, general_feature_prediction, graph_reconstruction  # noqa: E402,F401  (register)


def build_objective(pretrain_config: dict, patch_size: int):
    return OBJECTIVES.get(pretrain_config.get("objective", "masked_reconstruction"))(pretrain_config, patch_size)


__all__ = ["OBJECTIVES", "build_objective"]
