"""Reconstruction losses over masked tokens, chosen by name in the config.

    loss = LOSSES.get("mse")(pred, target, mask)   # [N, L, C], [N, L, C], [N, L] (1 = masked) -> scalar
"""

from ..registry import Registry

LOSSES = Registry("loss")

from . import masked_error  # noqa: E402,F401  (register)

__all__ = ["LOSSES"]
