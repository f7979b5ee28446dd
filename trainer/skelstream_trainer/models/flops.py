"""Analytic cost of one window through the encoder (what inference pays per window).

Counts multiply-accumulates (MACs) of the linear layers and attention matmuls; FLOPs = 2 x MACs.
Norms, softmax and GELU are a few percent and left out.
"""

from typing import Dict

from .skeleton_mae import MaskedSkeletonModel


def encoder_macs(model: MaskedSkeletonModel, persons: int) -> Dict[str, float]:
    tokens = model.num_patches_time * model.num_joints               # L per person
    dim = model.embed_dim
    hidden = model.blocks[0].mlp[0].out_features if len(model.blocks) else 0
    embed = tokens * model.patch_size * 3 * dim
    linear = tokens * (4 * dim * dim + 2 * dim * hidden)              # qkv + proj + MLP
    attention = 2 * tokens * tokens * dim                              # QK^T and AV
    per_person = embed + len(model.blocks) * (linear + attention)
    macs = per_person * persons
    return {"tokens_per_person": tokens, "macs": float(macs), "gflops": 2.0 * macs / 1e9}


def describe_flops(model: MaskedSkeletonModel, persons: int) -> str:
    cost = encoder_macs(model, persons)
    params = sum(p.numel() for p in model.encoder_parameters())
    return (f"{cost['tokens_per_person']} tokens/person x {persons} persons, encoder {params / 1e6:.2f} M params, "
            f"{cost['macs'] / 1e9:.3f} GMAC = {cost['gflops']:.3f} GFLOP per window")
