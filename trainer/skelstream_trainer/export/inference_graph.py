"""Graph rewrites that make an exported model fast in ONNX Runtime, applied only where their pattern is found.

ONNX Runtime (ALL_OPT) fuses Erf-GELU + bias (BiasGelu) and MatMul + scale (FusedMatMul) by itself on CPU. Two
patterns of models/blocks.py it leaves alone, and a per-op profile (encoder OpProfile, ONNX Runtime 1.29, 1 thread)
showed them to be most of the time that was not matrix products:

- residual Add + LayerNormalization: the opset-17 LayerNormalization kernel took 15-32 % of a run (several times
  the cost per element of the fused kernel); SkipLayerNormalization does bias + residual + norm in one pass;
- written-out attention (Reshape, Transpose, Gathers, scaled MatMul, Softmax, MatMul, Transpose, Reshape):
  one Attention kernel, no transposes.

Both are com.microsoft ops (domain version 1), which ONNX Runtime runs on CPU and CUDA; the default-domain opset is
unchanged. The residual fusion runs first, on a graph that ONNX shape inference fully understands.
"""

from typing import Dict

import onnx

from .attention_fusion import fuse_attention
from .skip_layer_norm_fusion import fuse_skip_layer_norm
from .unused_nodes import remove_unused


def optimise_for_onnx_runtime(model: onnx.ModelProto) -> Dict[str, int]:
    """Rewrite in place; returns what was done, e.g. {"skip_layer_norm": 8, "attention": 4, "unused_nodes": 64}."""
    done = {"skip_layer_norm": fuse_skip_layer_norm(model)}
    done["attention"] = fuse_attention(model)
    done["unused_nodes"] = remove_unused(model)
    return done
