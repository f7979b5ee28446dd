"""The new objectives end to end: EMA update formula and decay schedule, target shapes, and
short pretrain runs (through the real command and configs) whose loss falls without collapse."""

import json
from pathlib import Path

import pytest
import torch
from torch import nn

from skelstream_trainer.__main__ import main
from skelstream_trainer.config import load_config
from skelstream_trainer.data import write_jsonl
from skelstream_trainer.models import build_backbone
from skelstream_trainer.objectives import build_objective
from skelstream_trainer.objectives.ema_teacher import EmaTeacher, ema_decay
from skelstream_trainer.objectives.skeleton2vec import teacher_targets
from skelstream_trainer.synth import SynthConfig, generate

CONFIGS = Path(__file__).resolve().parent.parent / "configs" / "objectives"
SMALL = ["--set", "window.frames=16", "--set", "window.fps=10",
         "--set", "model.overrides={embed_dim: 32, depth: 2, num_heads: 2, decoder_embed_dim: 32, decoder_num_heads: 2}",
         "--set", "pretrain.batch_size=16", "--set", "pretrain.warmup_epochs=1", "--threads", "1"]
MIN_STD = 0.05   # mean per-dimension std below this = collapsed


def test_ema_update_is_exact_on_a_toy_module():
    student = nn.Linear(3, 2)
    teacher = EmaTeacher(student, decay_start=0.5, decay_end=0.9, ramp_updates=4)
    before = teacher.model.weight.detach().clone()
    with torch.no_grad():
        student.weight.add_(1.0)
    used = teacher.update(student)
    assert used == 0.5
    assert torch.allclose(teacher.model.weight, 0.5 * before + 0.5 * student.weight)
    assert not any(p.requires_grad for p in teacher.model.parameters())


def test_ema_decay_ramps_then_holds():
    assert ema_decay(0, 0.9998, 0.99999, 1000) == pytest.approx(0.9998)
    assert ema_decay(500, 0.9998, 0.99999, 1000) == pytest.approx((0.9998 + 0.99999) / 2)
    assert ema_decay(1000, 0.9998, 0.99999, 1000) == pytest.approx(0.99999)
    assert ema_decay(10 ** 6, 0.9998, 0.99999, 1000) == pytest.approx(0.99999)
    steps = [ema_decay(i, 0.9998, 0.99999, 1000) for i in range(0, 1001, 100)]
    assert steps == sorted(steps)


def test_teacher_targets_are_normalised_per_token():
    backbone = build_backbone("skeleton_mae_tiny", num_joints=25, num_frames=32)
    target = teacher_targets(backbone, torch.randn(3, 32, 25, 3), top_k=3)
    assert target.shape == (3, 8 * 25, 96)
    assert torch.allclose(target.mean(-1), torch.zeros(3, 200), atol=1e-4)
    assert torch.allclose(target.var(-1, unbiased=False), torch.ones(3, 200), atol=1e-2)


def test_gfp_has_far_fewer_targets_than_tokens():
    config = load_config(str(CONFIGS / "gfp-tiny.yaml"))
    backbone = build_backbone("skeleton_mae_tiny", num_joints=25, num_frames=32)
    objective = build_objective(config["pretrain"], backbone.patch_size)
    persons = torch.randn(4, 32, 25, 3).cumsum(1) * 0.05
    loss = objective(backbone, persons)
    loss.backward()
    target = objective.owned.modules["target"](persons)
    assert target.shape == (4, 4 + 2 + 1, 64)       # scales 2, 4, 8 over 8 temporal patches, vs 200 tokens
    assert backbone.patch_embed.weight.grad is not None
    assert objective.owned.modules["target"].token[0].weight.grad is not None   # trained jointly


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    folder = tmp_path_factory.mktemp("objective-synth")
    train, _ = generate(SynthConfig(train_size=48, test_size=8, train_subjects=4, test_subjects=2,
                                    classes=("wave", "clap", "walk", "jump"), min_duration_s=1.5,
                                    max_duration_s=2.0, seed=5))
    write_jsonl(train, folder / "train.jsonl.gz")
    return str(folder / "train.jsonl.gz")


@pytest.mark.parametrize("name", ["skeleton_mae", "skeleton2vec", "gfp"])
def test_short_run_learns_and_does_not_collapse(name, dataset, tmp_path):
    out = tmp_path / name
    argv = ["pretrain", "--train", dataset, "--out", str(out), "--config", str(CONFIGS / f"{name}-tiny.yaml"),
            *SMALL, "--epochs", "8", "--set", "pretrain.lr=2e-3"]
    if name == "skeleton2vec":
        argv += ["--set", "pretrain.top_k=2", "--set", "pretrain.ema={decay_start: 0.99, decay_end: 0.999, ramp_updates: 20}"]
    if name == "gfp":
        argv += ["--set", "pretrain.scales=[2, 4]"]
    assert main(argv) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    losses = metrics["loss_history"]
    assert len(losses) == 8
    assert min(losses[-3:]) < losses[0], losses
    if name != "skeleton_mae":                     # feature-prediction objectives log collapse statistics
        collapse = metrics["collapse"]
        assert collapse["target_std_mean"] > MIN_STD, collapse
        assert collapse["embedding_std_mean"] > MIN_STD, collapse
        assert "per-dimension std" in (out / "log.txt").read_text()
