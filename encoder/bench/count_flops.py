"""FLOPs of one window through an exported model, counted from its ONNX graph.

    /usr/bin/python3 encoder/bench/count_flops.py MODEL.onnx   -> JSON on stdout

Fixes the batch dimension to 1, runs ONNX shape inference (with data propagation, so Reshape targets built from
Shape/Gather/Concat resolve) and counts 2*M*K*N per MatMul/Gemm and 2*outputs*(C_in/groups)*kernel per Conv: the
multiply-adds that dominate a transformer. Element-wise ops, norms and softmax are left out (a few percent).
Nodes whose shapes stay unknown are listed, never guessed.
"""
import json
import sys
from math import prod

import onnx
from onnx import shape_inference


def tensor_shapes(model):
    shapes = {}
    for value in list(model.graph.input) + list(model.graph.value_info) + list(model.graph.output):
        dims = value.type.tensor_type.shape.dim
        shapes[value.name] = [d.dim_value if d.HasField("dim_value") else None for d in dims]
    for init in model.graph.initializer:
        shapes[init.name] = list(init.dims)
    return shapes


def known(*shapes):
    return all(s is not None and all(d is not None for d in s) for s in shapes)


def node_flops(node, shapes):
    """FLOPs of one node, 0 for ops not counted, None when its shapes are unknown."""
    if node.op_type == "MatMul":
        a, out = shapes.get(node.input[0]), shapes.get(node.output[0])
        return 2 * prod(out) * a[-1] if known(a, out) else None
    if node.op_type == "Gemm":
        a, out = shapes.get(node.input[0]), shapes.get(node.output[0])
        if not known(a, out):
            return None
        trans_a = next((attr.i for attr in node.attribute if attr.name == "transA"), 0)
        return 2 * prod(out) * (a[0] if trans_a else a[1])
    if node.op_type == "Conv":
        w, out = shapes.get(node.input[1]), shapes.get(node.output[0])
        return 2 * prod(out) * prod(w[1:]) if known(w, out) else None
    return 0


def count(path):
    model = onnx.load(path)
    for value in model.graph.input:
        batch = value.type.tensor_type.shape.dim[0]
        batch.ClearField("dim_param")
        batch.dim_value = 1
    model = shape_inference.infer_shapes(model, data_prop=True)
    shapes = tensor_shapes(model)
    total, counted, unknown = 0, 0, []
    for node in model.graph.node:
        flops = node_flops(node, shapes)
        if flops is None:
            unknown.append(f"{node.op_type} {node.name}")
        elif flops:
            total += flops
            counted += 1
    return {"model": path, "flops_per_window": total, "counted_nodes": counted, "unknown_nodes": unknown}


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: count_flops.py MODEL.onnx")
    print(json.dumps(count(sys.argv[1])))
