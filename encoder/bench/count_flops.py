"""FLOPs of one window through an exported model, counted from its ONNX graph.

    /usr/bin/python3 encoder/bench/count_flops.py MODEL.onnx   -> JSON on stdout

Fixes the batch dimension to 1, runs ONNX shape inference (with data propagation, so Reshape targets built from
Shape/Gather/Concat resolve) and counts 2*M*K*N per MatMul/Gemm, 2*outputs*(C_in/groups)*kernel per Conv, and for
ONNX Runtime's fused com.microsoft Attention its QKV projection plus q k^T and p v (2*N*L*D_in*3D + 4*N*L*L*D): the
multiply-adds that dominate a transformer. ONNX's shape inference does not know com.microsoft ops, so their output
shapes (Attention: [N, L, D], D = a third of its weight's columns; SkipLayerNormalization: its input's) are filled
in and inference run again. Element-wise ops, norms and softmax are left out (a few percent).
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
    """Every shape present, of rank >= 1, with every dimension known."""
    return all(s is not None and len(s) > 0 and all(d is not None for d in s) for s in shapes)


def attention_output_shape(node, shapes):
    """[N, L, D] of a com.microsoft Attention node, when its input and weight shapes are known."""
    x, w = shapes.get(node.input[0]), shapes.get(node.input[1])
    return x[:-1] + [w[1] // 3] if known(x, w) and len(x) == 3 else None


def fused_output_shapes(node, shapes):
    """{output name: shape} of a com.microsoft node whose input shapes are known, else {}."""
    if node.op_type == "Attention":
        shape = attention_output_shape(node, shapes)
        return {node.output[0]: shape} if shape is not None else {}
    if node.op_type == "SkipLayerNormalization" and known(shapes.get(node.input[0])):
        # output 0 (normalised) and 3 (input + skip + bias) have the input's shape; 1 and 2 are statistics
        return {node.output[i]: shapes[node.input[0]] for i in (0, 3) if i < len(node.output) and node.output[i]}
    return {}


def infer_with_fused_ops(model):
    """ONNX shape inference, filling in com.microsoft outputs between passes until nothing changes."""
    while True:
        model = shape_inference.infer_shapes(model, data_prop=True)
        shapes = tensor_shapes(model)
        added = False
        for node in model.graph.node:
            if node.domain != "com.microsoft":
                continue
            for name, shape in fused_output_shapes(node, shapes).items():
                if not known(shapes.get(name)):
                    model.graph.value_info.append(onnx.helper.make_tensor_value_info(
                        name, onnx.TensorProto.FLOAT, shape))
                    added = True
        if not added:
            return model, shapes


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
    if node.op_type == "Attention" and node.domain == "com.microsoft":
        x, w = shapes.get(node.input[0]), shapes.get(node.input[1])
        if not known(x, w) or len(x) != 3:
            return None
        n, length, d_in = x
        dim = w[1] // 3
        return 2 * n * length * d_in * 3 * dim + 4 * n * length * length * dim
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
    model, shapes = infer_with_fused_ops(model)
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
