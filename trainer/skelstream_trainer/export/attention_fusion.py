"""Rewrite written-out self-attention into ONNX Runtime's fused com.microsoft Attention op.

blocks.Attention exports (TorchScript exporter, opset 17) as

    qkv = Add(bias, MatMul(x, W))                          x [N, L, D], W [D, 3D], bias [3D]
    Reshape(qkv, [-1, L, 3, H, hd]) -> Transpose(perm 2,0,3,1,4) -> Gather 0 / 1 / 2 (q, k, v)   [N, H, L, hd]
    Softmax(MatMul(Mul(q, scale), Transpose(k, perm 0,1,3,2)), axis -1) -> MatMul(., v)
    Transpose(perm 0,2,1,3) -> Reshape([-1, L, D])         out [N, L, D]

plus the Shape/Gather/Concat nodes that compute L. ONNX Runtime's CPU provider does not recognise this form (its
attention fusion looks for BERT's mask subgraph), so it runs as about 12 kernels with three full Transposes. The
contrib op Attention(x, W, bias; num_heads=H, scale) computes the same thing in one kernel: the packed QKV
projection, per-head softmax(q k^T * scale) v, and the heads written back as [N, L, D] with no transposes. W is
already in the order Attention wants ([D, 3*H*hd], q then k then v, heads contiguous), because the PyTorch reshape
splits the qkv features as (3, H, hd).

Only exact matches are rewritten: every intermediate must be used by the pattern alone, W and bias constant, and
the reshape constants must say 3 and H with H*hd = D. Anything else is left as it was, so models without this block
(or a variant of it) still export unchanged.
"""

from typing import Optional

import numpy as np
import onnx
from onnx import helper

from .graph_patterns import MICROSOFT, GraphIndex, node_attribute, replace_nodes

def _gather_index(g: GraphIndex, node: Optional[onnx.NodeProto], source: str) -> Optional[int]:
    if node is None or node.op_type != "Gather" or node.input[0] != source or node_attribute(node, "axis", 0) != 0:
        return None
    index = g.constant(node.input[1])
    return int(index) if index is not None and index.size == 1 and index.ndim == 0 else None


def _reshape_heads(g: GraphIndex, shape_name: str) -> Optional[tuple]:
    """(3, H, hd) from the Reshape target [-1, L, 3, H, hd]: a constant, or a Concat of five 1-element parts
    whose last three are constants."""
    shape = g.constant(shape_name)
    if shape is not None:
        return tuple(int(v) for v in shape[2:]) if shape.size == 5 else None
    concat = g.node(shape_name, "Concat")
    if concat is None or len(concat.input) != 5:
        return None
    parts = [g.constant(name) for name in concat.input[2:]]
    if any(p is None or p.size != 1 for p in parts):
        return None
    return tuple(int(p.reshape(-1)[0]) for p in parts)


def _match(g: GraphIndex, softmax: onnx.NodeProto) -> Optional[dict]:
    """The nodes of one attention block around this Softmax, or None when it is not exactly the pattern."""
    if node_attribute(softmax, "axis", -1) not in (-1, 3):
        return None
    scores = g.node(softmax.input[0], "MatMul")
    consumers = g.consumers.get(softmax.output[0], [])
    if scores is None or len(consumers) != 1 or consumers[0].op_type != "MatMul" or \
            consumers[0].input[0] != softmax.output[0]:
        return None
    context = consumers[0]
    scaled_q = g.node(scores.input[0], "Mul")
    k_t = g.node(scores.input[1], "Transpose")
    if scaled_q is None or k_t is None or list(node_attribute(k_t, "perm", [])) != [0, 1, 3, 2]:
        return None
    scale_at = [i for i, name in enumerate(scaled_q.input) if g.constant(name) is not None]
    if len(scale_at) != 1 or g.constant(scaled_q.input[scale_at[0]]).size != 1:
        return None
    scale = float(g.constant(scaled_q.input[scale_at[0]]).reshape(-1)[0])
    q_gather = g.producer.get(scaled_q.input[1 - scale_at[0]])
    k_gather = g.producer.get(k_t.input[0])
    v_gather = g.producer.get(context.input[1])
    split = g.node(q_gather.input[0], "Transpose") if q_gather is not None and q_gather.input else None
    if split is None or list(node_attribute(split, "perm", [])) != [2, 0, 3, 1, 4]:
        return None
    if [_gather_index(g, n, split.output[0]) for n in (q_gather, k_gather, v_gather)] != [0, 1, 2]:
        return None
    heads_reshape = g.node(split.input[0], "Reshape")
    if heads_reshape is None:
        return None
    heads = _reshape_heads(g, heads_reshape.input[1])
    bias_add = g.node(heads_reshape.input[0], "Add")
    if heads is None or heads[0] != 3 or bias_add is None:
        return None
    num_heads, head_dim = heads[1], heads[2]
    projection = next((g.node(name, "MatMul") for name in bias_add.input if g.node(name, "MatMul")), None)
    bias_name = next((name for name in bias_add.input if g.constant(name) is not None), None)
    if projection is None or bias_name is None or g.constant(projection.input[1]) is None:
        return None
    weight, bias = g.constant(projection.input[1]), g.constant(bias_name)
    dim = num_heads * head_dim
    if weight.ndim != 2 or weight.shape[1] != 3 * dim or bias.shape != (3 * dim,) or \
            weight.dtype != np.float32 or bias.dtype != np.float32:
        return None
    merge = g.consumers.get(context.output[0], [])
    if len(merge) != 1 or merge[0].op_type != "Transpose" or list(node_attribute(merge[0], "perm", [])) != [0, 2, 1, 3]:
        return None
    merge = merge[0]
    out_reshape = g.consumers.get(merge.output[0], [])
    if len(out_reshape) != 1 or out_reshape[0].op_type != "Reshape" or out_reshape[0].input[0] != merge.output[0]:
        return None
    out_reshape = out_reshape[0]
    # every intermediate belongs to this block alone, so removing the block removes nothing else
    chain = [(projection.output[0], [bias_add]), (bias_add.output[0], [heads_reshape]),
             (heads_reshape.output[0], [split]), (split.output[0], [q_gather, k_gather, v_gather]),
             (q_gather.output[0], [scaled_q]), (k_gather.output[0], [k_t]), (v_gather.output[0], [context]),
             (scaled_q.output[0], [scores]), (k_t.output[0], [scores]), (scores.output[0], [softmax]),
             (softmax.output[0], [context]), (context.output[0], [merge]), (merge.output[0], [out_reshape])]
    if not all(g.only_used_by(name, users) for name, users in chain):
        return None
    return {"input": projection.input[0], "weight": g.source(projection.input[1]), "bias": g.source(bias_name),
            "output": out_reshape.output[0], "num_heads": num_heads, "scale": scale,
            "nodes": [projection, bias_add, heads_reshape, split, q_gather, k_gather, v_gather, scaled_q, k_t,
                      scores, softmax, context, merge, out_reshape]}


def fuse_attention(model: onnx.ModelProto) -> int:
    """Rewrite every matching attention block in place; returns how many were fused."""
    g = GraphIndex(model.graph)
    matches = [m for m in (_match(g, n) for n in model.graph.node if n.op_type == "Softmax") if m is not None]
    if not matches:
        return 0
    removed = {id(n) for m in matches for n in m["nodes"]}
    last_of = {id(m["nodes"][-1]): m for m in matches}
    nodes = []
    for node in model.graph.node:
        match = last_of.get(id(node))
        if match is not None:
            # the fused node takes the place of the block's last node: its input is computed before it,
            # its output's consumers come after it
            nodes.append(helper.make_node(
                "Attention", [match["input"], match["weight"], match["bias"]], [match["output"]],
                name=match["output"].rsplit("/", 1)[0] + "/Attention" if "/" in match["output"]
                else match["output"] + "_attention",
                domain=MICROSOFT, num_heads=match["num_heads"], scale=match["scale"]))
        elif id(node) not in removed:
            nodes.append(node)
    replace_nodes(model, nodes)
    return len(matches)
