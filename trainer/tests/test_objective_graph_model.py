"""Graph SkeletonMAE: adjacency from layouts.json, joint+edge reconstruction that learns,
and export under the same ONNX model contract the Java encoder reads."""

import json
from pathlib import Path

import onnx
import pytest
import torch

from skelstream_trainer.__main__ import main
from skelstream_trainer.data import write_jsonl
from skelstream_trainer.export.onnx_export import OUTPUTS, check_contract
from skelstream_trainer.layouts import get_layout
from skelstream_trainer.models.graph_skeleton_mae import graph_skeleton_mae_tiny, normalised_adjacency
from skelstream_trainer.objectives.graph_reconstruction import bone_vectors
from skelstream_trainer.synth import SynthConfig, generate

CONFIG = Path(__file__).resolve().parent.parent / "configs" / "objectives" / "graph_skeleton_mae-tiny.yaml"
SMALL = ["--set", "window.frames=16", "--set", "window.fps=10", "--set", "model.overrides={embed_dim: 32, depth: 2}",
         "--set", "pretrain.batch_size=16", "--set", "pretrain.warmup_epochs=1", "--set", "probe.train_crops=1",
         "--threads", "1"]


def test_adjacency_follows_the_layouts_bones():
    layout = get_layout("kinect_v1_20")
    a = normalised_adjacency(layout.parents)
    assert a.shape == (20, 20) and torch.allclose(a, a.T)
    for child, parent in layout.bones:
        assert a[child, parent] > 0
    assert int((a > 0).sum()) == 20 + 2 * len(layout.bones)


def test_encode_shape_and_bone_vectors():
    model = graph_skeleton_mae_tiny(25, 32, layout="ntu25")
    x = torch.randn(3, 32, 25, 3)
    assert model.encode(x).shape == (3, 8 * 25, 96)
    bones = bone_vectors(x, model.parents)
    root = get_layout("ntu25").root
    assert torch.all(bones[:, :, root] == 0)
    assert torch.allclose(bones[:, :, 1], x[:, :, 1] - x[:, :, model.parents[1]])


def test_layout_mismatch_is_a_clear_error():
    with pytest.raises(ValueError, match="joints"):
        graph_skeleton_mae_tiny(17, 32, layout="ntu25")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    folder = tmp_path_factory.mktemp("graph-synth")
    train, test = generate(SynthConfig(train_size=32, test_size=8, train_subjects=4, test_subjects=2,
                                       classes=("wave", "clap", "walk", "jump"), min_duration_s=1.5,
                                       max_duration_s=2.0, seed=7))
    write_jsonl(train, folder / "train.jsonl.gz")
    write_jsonl(test, folder / "test.jsonl.gz")
    return {"train": str(folder / "train.jsonl.gz"), "test": str(folder / "test.jsonl.gz")}


def test_pretrain_probe_export_under_the_model_contract(dataset, tmp_path):
    common = ["--train", dataset["train"], "--config", str(CONFIG), *SMALL]
    assert main(["pretrain", *common, "--out", str(tmp_path / "pre"), "--epochs", "6", "--set", "pretrain.lr=2e-3"]) == 0
    metrics = json.loads((tmp_path / "pre" / "metrics.json").read_text())
    assert min(metrics["loss_history"][-2:]) < metrics["loss_history"][0], metrics["loss_history"]
    assert metrics["collapse"]["embedding_std_mean"] > 0.05
    assert main(["probe", *common, "--test", dataset["test"], "--checkpoint", str(tmp_path / "pre"),
                 "--out", str(tmp_path / "probe"), "--epochs", "5"]) == 0
    assert main(["export", *common, "--test", dataset["test"], "--checkpoint", str(tmp_path / "probe"),
                 "--out", str(tmp_path / "export")]) == 0
    onnx_files = list((tmp_path / "export").glob("*.onnx"))
    assert len(onnx_files) == 1
    model = onnx.load(str(onnx_files[0]))
    onnx.checker.check_model(model, full_check=True)
    meta = {p.key: p.value for p in model.metadata_props}
    spec = {"layout": meta["skelstream.layout"], "frames": int(meta["skelstream.frames"]),
            "persons": int(meta["skelstream.persons"]), "fps": float(meta["skelstream.fps"]),
            "labels": json.loads(meta["skelstream.labels"])}
    check_contract(model, spec)
    assert meta["skelstream.contract"] == "1" and "graph_reconstruction" in meta["skelstream.objective"]
    assert [o.name for o in model.graph.output] == list(OUTPUTS)
    assert [d.dim_value or d.dim_param for d in model.graph.input[0].type.tensor_type.shape.dim] == \
        ["batch", 16, spec["persons"], 25, 3]
    ops = {n.op_type for n in model.graph.node}
    assert "MatMul" in ops   # the graph convolution is in the exported graph
