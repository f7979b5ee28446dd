"""The exporter's ONNX Runtime rewrites: attention fused where the pattern is, untouched where it is not.

Python has no ONNX Runtime here, so the fused op's numbers are checked against a NumPy transcription of the
com.microsoft Attention contract, and the whole rewritten model against PyTorch in Java (BundledModelParityTest).
"""

from pathlib import Path

import numpy as np
import onnx
import pytest
import torch
from onnx import numpy_helper

from skelstream_trainer.config import load_config
from skelstream_trainer.export.attention_fusion import fuse_attention
from skelstream_trainer.export.graph_patterns import MICROSOFT
from skelstream_trainer.export.onnx_export import OPSET, check_contract, export_onnx
from skelstream_trainer.model_spec import build_classifier_from_spec, make_spec, with_head

CONFIGS = Path(__file__).resolve().parent.parent / "configs"
LABELS = ["wave", "sit", "fall"]


def small_spec(config_file: Path, depth: int = 2) -> dict:
    config = load_config(str(config_file))
    config["window"] = {"frames": 16, "fps": 10}
    config["model"]["overrides"] = {**(config["model"].get("overrides") or {}), "embed_dim": 32, "depth": depth}
    return with_head(make_spec(config, "ntu25", 2), LABELS, "linear_probe")


def export(spec: dict, path: Path, optimise: bool = True) -> onnx.ModelProto:
    torch.manual_seed(0)
    classifier = build_classifier_from_spec(spec).eval()
    return export_onnx(classifier, spec, path, {}, optimise=optimise), classifier


def attention_reference(x, weight, bias, num_heads, scale):
    """com.microsoft Attention without mask or past: x [N, L, D_in], weight [D_in, 3D], bias [3D] -> [N, L, D]."""
    n, length, _ = x.shape
    dim = weight.shape[1] // 3
    qkv = x @ weight + bias
    q, k, v = (qkv[..., i * dim:(i + 1) * dim].reshape(n, length, num_heads, dim // num_heads).transpose(0, 2, 1, 3)
               for i in range(3))
    scores = q @ k.transpose(0, 1, 3, 2) * scale
    probabilities = np.exp(scores - scores.max(-1, keepdims=True))
    probabilities /= probabilities.sum(-1, keepdims=True)
    return (probabilities @ v).transpose(0, 2, 1, 3).reshape(n, length, dim)


def test_every_attention_block_of_the_skeleton_mae_becomes_one_fused_op(tmp_path):
    spec = small_spec(CONFIGS / "tiny.yaml", depth=3)
    model, classifier = export(spec, tmp_path / "fused.onnx")
    ops = [n.op_type for n in model.graph.node]
    assert ops.count("Attention") == 3 and "Softmax" not in ops
    assert ops.count("Transpose") <= 2   # only the persons permute of the classifier is left
    assert [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")] == [OPSET]
    assert any(o.domain == MICROSOFT and o.version == 1 for o in model.opset_import)
    onnx.checker.check_model(onnx.load(str(tmp_path / "fused.onnx")), full_check=True)
    check_contract(model, spec)
    # nothing left dangling: every node feeds an output
    used = {i for n in model.graph.node for i in n.input} | {o.name for o in model.graph.output}
    assert all(any(o in used for o in n.output) for n in model.graph.node)
    assert all(t.name in used for t in model.graph.initializer)


def test_the_fused_op_computes_what_the_pytorch_block_computes(tmp_path):
    spec = small_spec(CONFIGS / "tiny.yaml", depth=2)
    model, classifier = export(spec, tmp_path / "fused.onnx")
    initializers = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    fused = [n for n in model.graph.node if n.op_type == "Attention"]
    blocks = classifier.backbone.blocks
    assert len(fused) == len(blocks)
    for node, block in zip(fused, blocks):
        attributes = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        weight, bias = initializers[node.input[1]], initializers[node.input[2]]
        np.testing.assert_array_equal(weight, block.attn.qkv.weight.detach().numpy().T)
        np.testing.assert_array_equal(bias, block.attn.qkv.bias.detach().numpy())
        x = torch.randn(3, 7, weight.shape[0])
        with torch.no_grad():
            expected = block.attn(x).numpy()
            projection = block.attn.proj
            # the fused op stops before the output projection, which stays a MatMul + Add in the graph
            got = attention_reference(x.numpy(), weight, bias, attributes["num_heads"], attributes["scale"])
            got = got @ projection.weight.numpy().T + projection.bias.numpy()
        np.testing.assert_allclose(got, expected, atol=1e-5)


def test_without_optimise_the_traced_graph_is_kept(tmp_path):
    spec = small_spec(CONFIGS / "tiny.yaml")
    model, _ = export(spec, tmp_path / "plain.onnx", optimise=False)
    ops = [n.op_type for n in model.graph.node]
    assert "Attention" not in ops and ops.count("Softmax") == 2
    assert all(o.domain in ("", "ai.onnx") for o in model.opset_import)


def test_a_variant_of_the_pattern_is_left_alone(tmp_path):
    spec = small_spec(CONFIGS / "tiny.yaml")
    model, _ = export(spec, tmp_path / "plain.onnx", optimise=False)
    # expose one block's attention probabilities as a graph output: fusing would lose them, so nothing is fused there
    softmax = next(n for n in model.graph.node if n.op_type == "Softmax")
    model.graph.output.append(onnx.helper.make_tensor_value_info(softmax.output[0], onnx.TensorProto.FLOAT, None))
    assert fuse_attention(model) == 1
    assert softmax.output[0] in {o for n in model.graph.node for o in n.output}


def test_the_graph_skeleton_model_has_no_attention_and_still_exports(tmp_path):
    spec = small_spec(CONFIGS / "objectives" / "graph_skeleton_mae-tiny.yaml")
    assert spec["model"]["name"].startswith("graph")
    model, _ = export(spec, tmp_path / "graph.onnx")
    plain, _ = export(spec, tmp_path / "graph-plain.onnx", optimise=False)
    assert "Attention" not in {n.op_type for n in model.graph.node}
    check_contract(model, spec)
    onnx.checker.check_model(onnx.load(str(tmp_path / "graph.onnx")), full_check=True)
    # same computation: only nodes nobody reads may have been dropped
    assert {n.op_type for n in model.graph.node} <= {n.op_type for n in plain.graph.node}
    assert sum(n.op_type == "MatMul" for n in model.graph.node) == sum(n.op_type == "MatMul" for n in plain.graph.node)


@pytest.mark.parametrize("broken", ["scale_not_constant", "three_heads_reshape_changed"])
def test_a_broken_pattern_is_not_fused(tmp_path, broken):
    spec = small_spec(CONFIGS / "tiny.yaml", depth=1)
    model, _ = export(spec, tmp_path / "plain.onnx", optimise=False)
    mul = next(n for n in model.graph.node if n.op_type == "Mul" and "attn" in n.name)
    if broken == "scale_not_constant":
        mul.input[1] = mul.input[0]   # q * q: not a scaled dot product
    else:
        reshape = next(n for n in model.graph.node if n.op_type == "Reshape" and "attn" in n.name)
        reshape.input[1] = model.graph.input[0].name   # a shape that is not [-1, L, 3, H, hd]
    assert fuse_attention(model) == 0


def test_the_benchmark_counts_the_same_flops_before_and_after_fusion(tmp_path):
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "encoder" / "bench"))
    from count_flops import count
    spec = small_spec(CONFIGS / "tiny.yaml")
    export(spec, tmp_path / "fused.onnx")
    export(spec, tmp_path / "plain.onnx", optimise=False)
    fused, plain = count(str(tmp_path / "fused.onnx")), count(str(tmp_path / "plain.onnx"))
    assert fused["unknown_nodes"] == [] and plain["unknown_nodes"] == []
    assert fused["flops_per_window"] == plain["flops_per_window"] > 0


def test_the_bundled_model_is_the_fused_export():
    bundled = Path(__file__).resolve().parents[2] / "models" / "bundled" / "skelstream-tiny.onnx"
    if not bundled.is_file():
        pytest.skip(f"{bundled} not present")
    ops = [n.op_type for n in onnx.load(str(bundled)).graph.node]
    assert ops.count("Attention") > 0 and "Softmax" not in ops
    assert ops.count("SkipLayerNormalization") > 0


def test_residual_adds_and_layer_norms_become_skip_layer_norms(tmp_path):
    spec = small_spec(CONFIGS / "tiny.yaml", depth=2)
    model, classifier = export(spec, tmp_path / "fused.onnx")
    initializers = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    fused = [n for n in model.graph.node if n.op_type == "SkipLayerNormalization"]
    # every norm but the first block's norm1, whose input (tokens + position table) is a broadcast, not a residual
    norms = [b.norm2 for b in classifier.backbone.blocks] + [b.norm1 for b in classifier.backbone.blocks[1:]] + \
        [classifier.backbone.norm]
    assert len(fused) == len(norms) == 2 * 2
    assert [n.op_type for n in model.graph.node].count("LayerNormalization") == 1
    gammas = {id(norm): norm.weight.detach().numpy() for norm in norms}
    for node in fused:
        gamma, bias = initializers[node.input[2]], initializers[node.input[4]]
        assert any(np.array_equal(gamma, g) for g in gammas.values())
        assert bias.shape == gamma.shape
        epsilon = next(onnx.helper.get_attribute_value(a) for a in node.attribute if a.name == "epsilon")
        assert epsilon == pytest.approx(1e-6)
    # the residual sum (output 3) is handed on wherever the next residual reads it; the last norm has no reader
    assert sum(len(n.output) == 4 and n.output[3] != "" for n in fused) == len(fused) - 1
    onnx.checker.check_model(onnx.load(str(tmp_path / "fused.onnx")), full_check=True)


def skip_layer_norm_reference(x, skip, gamma, beta, bias, epsilon):
    """com.microsoft SkipLayerNormalization: (LayerNorm(x + skip + bias), x + skip + bias)."""
    total = x + skip + bias
    mean = total.mean(-1, keepdims=True)
    variance = ((total - mean) ** 2).mean(-1, keepdims=True)
    return (total - mean) / np.sqrt(variance + epsilon) * gamma + beta, total


def test_a_fused_residual_computes_what_the_pytorch_block_computes():
    torch.manual_seed(1)
    spec = small_spec(CONFIGS / "tiny.yaml", depth=1)
    block = build_classifier_from_spec(spec).eval().backbone.blocks[0]
    x = torch.randn(2, 5, 32)
    with torch.no_grad():
        attended = block.attn(block.norm1(x))          # projection output incl. its bias
        expected_sum = x + attended
        expected = block.norm2(expected_sum)
        without_bias = (attended - block.attn.proj.bias).numpy()
        got, got_sum = skip_layer_norm_reference(without_bias, x.numpy(), block.norm2.weight.numpy(),
                                                 block.norm2.bias.numpy(), block.attn.proj.bias.numpy(), 1e-6)
    np.testing.assert_allclose(got_sum, expected_sum.numpy(), atol=1e-5)
    np.testing.assert_allclose(got, expected.numpy(), atol=1e-4)
