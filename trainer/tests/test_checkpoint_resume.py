"""A checkpoint holds everything a run needs to continue: train N epochs, crash, resume from
the checkpoint for M more == N + M epochs uninterrupted, bit for bit (same seed, CPU, one
thread). Covers the EMA teacher (Skeleton2vec), GFP's jointly trained target network, the
objectives' own optimizer, the backbone's optimizer, the schedule and the RNG streams."""

from pathlib import Path

import pytest
import torch

import skelstream_trainer.commands.common as common_command
import skelstream_trainer.commands.finetune as finetune_command
import skelstream_trainer.commands.pretrain as pretrain_command
from skelstream_trainer.__main__ import main
from skelstream_trainer.checkpoint import load_checkpoint
from skelstream_trainer.data import write_jsonl
from skelstream_trainer.synth import SynthConfig, generate

CONFIGS = Path(__file__).resolve().parent.parent / "configs"
SMALL = ["--set", "window.frames=16", "--set", "window.fps=10", "--set",
         "model.overrides={embed_dim: 32, depth: 2, num_heads: 2, decoder_embed_dim: 32, decoder_num_heads: 2}",
         "--set", "pretrain.batch_size=16", "--set", "pretrain.warmup_epochs=1", "--set", "pretrain.checkpoint_every=1",
         "--set", "finetune.batch_size=16", "--set", "finetune.warmup_epochs=1", "--set", "finetune.checkpoint_every=1",
         "--threads", "1", "--device", "cpu", "--seed", "3"]
OBJECTIVES = {
    "mamp_motion": [str(CONFIGS / "tiny.yaml"), "--set", "pretrain.target=motion"],
    "skeleton2vec": [str(CONFIGS / "objectives" / "skeleton2vec-tiny.yaml"), "--set", "pretrain.top_k=2",
                     "--set", "pretrain.ema={decay_start: 0.9, decay_end: 0.99, ramp_updates: 5}"],
    "gfp": [str(CONFIGS / "objectives" / "gfp-tiny.yaml"), "--set", "pretrain.scales=[2, 4]"],
}
EPOCHS_BEFORE_CRASH, EPOCHS_TOTAL = 2, 4


class SimulatedCrash(RuntimeError):
    pass


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    folder = tmp_path_factory.mktemp("resume-synth")
    train, _ = generate(SynthConfig(train_size=40, test_size=4, train_subjects=4, test_subjects=1,
                                    classes=("wave", "clap", "walk", "jump"), min_duration_s=1.5,
                                    max_duration_s=2.0, seed=9))
    write_jsonl(train, folder / "train.jsonl.gz")
    return str(folder / "train.jsonl.gz")


def crash_after(monkeypatch, module, name: str, epochs: int) -> None:
    """The process dies (as a kill would) when epoch `epochs + 1` starts, after epoch `epochs`'s checkpoint."""
    real, calls = getattr(module, name), []

    def epoch_then_crash(*args, **kwargs):
        if len(calls) == epochs:
            raise SimulatedCrash(f"killed at the start of epoch {epochs + 1}")
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, epoch_then_crash)


def assert_same_tree(a, b, where: str) -> None:
    """Every tensor equal, every plain value equal (the RNG states included)."""
    if torch.is_tensor(a):
        assert torch.is_tensor(b) and a.shape == b.shape and torch.equal(a, b), f"{where} differs"
    elif isinstance(a, dict):
        assert set(a) == set(b), f"{where}: keys {sorted(map(str, a))} vs {sorted(map(str, b))}"
        for k in a:
            assert_same_tree(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), f"{where}: lengths differ"
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same_tree(x, y, f"{where}[{i}]")
    else:
        assert a == b, f"{where}: {a!r} vs {b!r}"


def assert_same_checkpoint(uninterrupted: Path, resumed: Path) -> None:
    a, b = load_checkpoint(uninterrupted), load_checkpoint(resumed)
    assert a["epoch"] == b["epoch"] == EPOCHS_TOTAL
    for part in ("model", "optimizer", "resume"):
        assert_same_tree(a[part], b[part], part)
    assert a["metrics"]["loss_history"] == b["metrics"]["loss_history"]


@pytest.mark.parametrize("name", sorted(OBJECTIVES))
def test_pretrain_resumed_after_a_crash_equals_an_uninterrupted_run(name, dataset, tmp_path, monkeypatch):
    config, *overrides = OBJECTIVES[name]
    argv = ["pretrain", "--train", dataset, "--config", config, *overrides, *SMALL, "--epochs", str(EPOCHS_TOTAL)]
    assert main([*argv, "--out", str(tmp_path / "straight")]) == 0

    with monkeypatch.context() as patch:
        crash_after(patch, pretrain_command, "pretrain_one_epoch", EPOCHS_BEFORE_CRASH)
        with pytest.raises(SimulatedCrash):
            main([*argv, "--out", str(tmp_path / "crashed")])
    saved = load_checkpoint(tmp_path / "crashed")
    assert saved["epoch"] == EPOCHS_BEFORE_CRASH
    if name != "mamp_motion":   # the objective's own parts are in the checkpoint
        assert saved["resume"]["objective"]["owned"]["optimizer"]["state"], "objective optimizer state missing"
    if name == "skeleton2vec":
        assert int(saved["resume"]["objective"]["teacher"]["updates"]) > 0
    assert main([*argv, "--out", str(tmp_path / "crashed"), "--resume"]) == 0

    assert_same_checkpoint(tmp_path / "straight", tmp_path / "crashed")


def test_finetune_resumed_after_a_crash_equals_an_uninterrupted_run(dataset, tmp_path, monkeypatch):
    argv = ["finetune", "--train", dataset, "--config", "tiny", "--from-scratch", *SMALL,
            "--set", "finetune.drop_path=0.2", "--set", "finetune.dropout=0.2", "--epochs", str(EPOCHS_TOTAL)]
    assert main([*argv, "--out", str(tmp_path / "straight")]) == 0
    with monkeypatch.context() as patch:
        crash_after(patch, finetune_command, "finetune_one_epoch", EPOCHS_BEFORE_CRASH)
        with pytest.raises(SimulatedCrash):
            main([*argv, "--out", str(tmp_path / "crashed")])
    assert main([*argv, "--out", str(tmp_path / "crashed"), "--resume"]) == 0
    assert_same_checkpoint(tmp_path / "straight", tmp_path / "crashed")


def test_resume_is_sensitive_to_the_rng_state(dataset, tmp_path, monkeypatch):
    """The comparison above can fail: resuming without the saved RNG streams gives different weights."""
    config, *overrides = OBJECTIVES["mamp_motion"]
    argv = ["pretrain", "--train", dataset, "--config", config, *overrides, *SMALL, "--epochs", str(EPOCHS_TOTAL)]
    assert main([*argv, "--out", str(tmp_path / "straight")]) == 0
    with monkeypatch.context() as patch:
        crash_after(patch, pretrain_command, "pretrain_one_epoch", EPOCHS_BEFORE_CRASH)
        with pytest.raises(SimulatedCrash):
            main([*argv, "--out", str(tmp_path / "crashed")])
    with monkeypatch.context() as patch:
        patch.setattr(common_command, "restore_training_state", lambda state, loader, device, epochs, *rest: epochs)
        assert main([*argv, "--out", str(tmp_path / "crashed"), "--resume"]) == 0
    a, b = load_checkpoint(tmp_path / "straight"), load_checkpoint(tmp_path / "crashed")
    assert any(not torch.equal(a["model"][k], b["model"][k]) for k in a["model"])
