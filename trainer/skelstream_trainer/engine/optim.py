"""AdamW parameter groups: no weight decay on biases, norms and embeddings; optional
layer-wise lr decay (BEiT/MAE fine-tuning): deeper blocks keep more of the base lr."""

from typing import Dict, List

import torch

_NO_DECAY_NAMES = ("pos_time", "pos_joint", "decoder_pos_time", "decoder_pos_joint", "mask_token")


def _no_decay(name: str, param: torch.Tensor) -> bool:
    return param.ndim <= 1 or name.endswith(".bias") or name.split(".")[-1] in _NO_DECAY_NAMES


def layer_id(name: str, depth: int) -> int:
    """0 for embeddings, i + 1 for encoder block i, depth + 1 for everything after (norm, head)."""
    name = name.replace("backbone.", "", 1)
    if name.startswith(("patch_embed", "pos_time", "pos_joint")):
        return 0
    if name.startswith("blocks."):
        return int(name.split(".")[1]) + 1
    return depth + 1


def param_groups(named_params, weight_decay: float, layer_decay: float = 1.0, depth: int = 0) -> List[Dict]:
    groups: Dict[tuple, Dict] = {}
    for name, param in named_params:
        if not param.requires_grad:
            continue
        decay = 0.0 if _no_decay(name, param) else weight_decay
        layer = layer_id(name, depth) if layer_decay != 1.0 else 0
        scale = layer_decay ** (depth + 1 - layer) if layer_decay != 1.0 else 1.0
        key = (decay, scale)
        groups.setdefault(key, {"params": [], "weight_decay": decay, "lr_scale": scale})["params"].append(param)
    return list(groups.values())


def make_adamw(named_params, lr: float, weight_decay: float, layer_decay: float = 1.0, depth: int = 0):
    return torch.optim.AdamW(param_groups(named_params, weight_decay, layer_decay, depth), lr=lr,
                             betas=(0.9, 0.95))
