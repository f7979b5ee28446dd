"""Rewrite residual Add + LayerNormalization into ONNX Runtime's fused com.microsoft SkipLayerNormalization.

A pre-norm block (models/blocks.py) exports each residual as

    branch = Add(bias, MatMul(h, W))            the attention projection or the MLP's second Linear
    x_next = Add(x, branch)                     residual: read by the next LayerNorm AND by the next residual
    y      = LayerNormalization(x_next, gamma, beta, axis=-1, epsilon)

SkipLayerNormalization(MatMul(h, W), x, gamma, beta, bias; epsilon) computes y and, as its output 3, x_next
(input + skip + bias), in one pass over the tensor instead of three (bias Add, residual Add, LayerNorm).

Only exact matches are rewritten: the skip must be a computed tensor of the same rank-3 shape as the branch (no
broadcast constant such as a position table: shapes come from ONNX shape inference on the plain graph, so this
runs before any com.microsoft rewrite), the bias a 1-D constant of the hidden size, gamma/beta constants, the
normalisation over the last axis only, and the bias sum used by the residual Add alone.
"""

from typing import Dict, List, Optional

import onnx
from onnx import helper, shape_inference

from .graph_patterns import MICROSOFT, GraphIndex, node_attribute, replace_nodes


def _shapes(model: onnx.ModelProto) -> Dict[str, List]:
    """Static ranks and dims (None where symbolic) of every value ONNX shape inference can see."""
    inferred = shape_inference.infer_shapes(model, data_prop=True)
    shapes = {}
    for value in list(inferred.graph.input) + list(inferred.graph.value_info) + list(inferred.graph.output):
        if value.type.tensor_type.HasField("shape"):
            shapes[value.name] = [d.dim_value if d.HasField("dim_value") else None
                                  for d in value.type.tensor_type.shape.dim]
    return shapes


def _match(g: GraphIndex, norm: onnx.NodeProto, shapes: Dict[str, List]) -> Optional[dict]:
    if node_attribute(norm, "axis", -1) not in (-1, 2) or len(norm.input) < 2:
        return None
    residual = g.node(norm.input[0], "Add")
    if residual is None:
        return None
    for branch_at in (0, 1):
        bias_add = g.node(residual.input[branch_at], "Add")
        skip = residual.input[1 - branch_at]
        if bias_add is None or g.constant(skip) is not None:
            continue
        projection = next((g.node(n, "MatMul") for n in bias_add.input if g.node(n, "MatMul")), None)
        bias = next((n for n in bias_add.input if g.constant(n) is not None), None)
        if projection is None or bias is None:
            continue
        branch_shape, skip_shape = shapes.get(projection.output[0]), shapes.get(skip)
        hidden = branch_shape[-1] if branch_shape else None
        gamma = g.constant(norm.input[1])
        beta = g.constant(norm.input[2]) if len(norm.input) > 2 and norm.input[2] else None
        if branch_shape is None or skip_shape is None or len(branch_shape) != 3 or len(skip_shape) != 3 or \
                hidden is None or skip_shape[-1] != hidden or g.constant(bias).shape != (hidden,) or \
                gamma is None or gamma.shape != (hidden,) or (len(norm.input) > 2 and norm.input[2] and (
                    beta is None or beta.shape != (hidden,))):
            continue
        # the two Adds feed nothing else than what the fused op gives back
        if not g.only_used_by(bias_add.output[0], [residual]) or \
                not g.only_used_by(projection.output[0], [bias_add]):
            continue
        residual_users = [u for u in g.consumers.get(residual.output[0], []) if u is not norm]
        return {"input": projection.output[0], "skip": skip, "gamma": g.source(norm.input[1]),
                "beta": g.source(norm.input[2]) if beta is not None else "", "bias": g.source(bias),
                "epsilon": float(node_attribute(norm, "epsilon", 1e-5)), "output": norm.output[0],
                "sum": residual.output[0] if residual_users or residual.output[0] in g.graph_outputs else "",
                "nodes": [bias_add, residual, norm], "at": residual}
    return None


def fuse_skip_layer_norm(model: onnx.ModelProto) -> int:
    """Rewrite every matching residual + LayerNorm in place; returns how many were fused. Run it on a graph of
    standard ONNX ops (before other com.microsoft rewrites), which shape inference fully understands."""
    g = GraphIndex(model.graph)
    norms = [n for n in model.graph.node if n.op_type == "LayerNormalization" and n.domain in ("", "ai.onnx")]
    if not norms:
        return 0
    shapes = _shapes(model)
    matches, taken = [], set()
    for norm in norms:
        match = _match(g, norm, shapes)
        # a node belongs to one fusion at most
        if match is not None and not any(id(n) in taken for n in match["nodes"]):
            matches.append(match)
            taken.update(id(n) for n in match["nodes"])
    if not matches:
        return 0
    at = {id(m["at"]): m for m in matches}
    nodes = []
    for node in model.graph.node:
        match = at.get(id(node))
        if match is not None:
            # in the residual Add's place: its inputs exist there, and both outputs are read only after it
            outputs = [match["output"], "", "", match["sum"]] if match["sum"] else [match["output"]]
            inputs = [match["input"], match["skip"], match["gamma"], match["beta"], match["bias"]]
            nodes.append(helper.make_node("SkipLayerNormalization", inputs, outputs,
                                          name=match["output"] + "_skip_layer_norm", domain=MICROSOFT,
                                          epsilon=match["epsilon"]))
        elif id(node) not in taken:
            nodes.append(node)
    replace_nodes(model, nodes)
    return len(matches)
