"""The command line end to end on a small synthetic dataset: pretrain, resume, time budget,
probe, finetune, evaluate, export (onnx.checker, metadata, fixtures), --help everywhere."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
import torch

from skelstream_trainer.__main__ import COMMANDS, build_parser, main
from skelstream_trainer.checkpoint import load_checkpoint
from skelstream_trainer.data import write_jsonl
from skelstream_trainer.export import read_fixtures
from skelstream_trainer.model_spec import build_classifier_from_spec
from skelstream_trainer.synth import SynthConfig, generate

TRAINER = Path(__file__).resolve().parent.parent
# a small model on short windows so the whole pipeline runs in seconds on one core
SMALL = ["--set", "window.frames=16", "--set", "window.fps=10",
         "--set", "model.overrides={embed_dim: 32, depth: 2, num_heads: 2, decoder_embed_dim: 32, decoder_num_heads: 2}",
         "--set", "pretrain.batch_size=16", "--set", "pretrain.warmup_epochs=1", "--set", "probe.train_crops=1",
         "--set", "finetune.batch_size=16", "--set", "finetune.warmup_epochs=1", "--threads", "1"]


@pytest.fixture(scope="session")
def dataset(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth")
    train, test = generate(SynthConfig(train_size=48, test_size=16, train_subjects=4, test_subjects=2,
                                       classes=("wave", "clap", "walk", "jump"), min_duration_s=1.5,
                                       max_duration_s=2.0, seed=3))
    write_jsonl(train, folder / "train.jsonl.gz")
    write_jsonl(test, folder / "test.jsonl.gz")
    return {"train": str(folder / "train.jsonl.gz"), "test": str(folder / "test.jsonl.gz")}


def run(command, dataset, out, *extra, test=True):
    argv = [command, "--train", dataset["train"], "--out", str(out), *SMALL, *extra]
    if test:
        argv += ["--test", dataset["test"]]
    assert main(argv) == 0
    return json.loads((Path(out) / "metrics.json").read_text())


@pytest.fixture(scope="session")
def pretrained(dataset, tmp_path_factory):
    out = tmp_path_factory.mktemp("pretrain")
    run("pretrain", dataset, out, "--epochs", "15", "--set", "pretrain.lr=2e-3", test=False)
    return out


@pytest.fixture(scope="session")
def probed(dataset, pretrained, tmp_path_factory):
    out = tmp_path_factory.mktemp("probe")
    run("probe", dataset, out, "--checkpoint", str(pretrained), "--epochs", "30")
    return out


def test_pretraining_loss_decreases(pretrained):
    metrics = json.loads((pretrained / "metrics.json").read_text())
    history = metrics["loss_history"]
    assert metrics["epochs_done"] == 15 and len(history) == 15
    assert np.mean(history[-3:]) < 0.8 * np.mean(history[:3])
    assert metrics["config"]["name"] == "tiny" and (pretrained / "log.txt").read_text()


def test_checkpoint_loads_weights_only_with_plain_torch(pretrained):
    raw = torch.load(pretrained / "checkpoint.pt", map_location="cpu", weights_only=True)
    assert raw["format"] == "skelstream-checkpoint" and isinstance(raw["plain"], str)
    state = load_checkpoint(pretrained)
    assert state["spec"]["layout"] == "ntu25" and state["spec"]["persons"] == 2


def test_resume_continues_where_it_stopped(dataset, tmp_path):
    first = run("pretrain", dataset, tmp_path, "--epochs", "2", test=False)
    resumed = run("pretrain", dataset, tmp_path, "--epochs", "3", "--resume", test=False)
    assert first["epochs_done"] == 2 and resumed["epochs_done"] == 3
    assert resumed["loss_history"][:2] == first["loss_history"]
    assert "resumed from" in (tmp_path / "log.txt").read_text()


def test_time_budget_stops_cleanly(dataset, tmp_path):
    metrics = run("pretrain", dataset, tmp_path, "--epochs", "50", "--time-budget", "0.001", test=False)
    assert metrics["stopped_by_time_budget"] is True and metrics["epochs_done"] < 50
    assert load_checkpoint(tmp_path)["epoch"] == metrics["epochs_done"]


def test_time_budget_ends_the_lr_schedule_where_the_budget_ends(dataset, tmp_path):
    # the schedule's end is re-fitted to the run's pace: it lands on the steps the budget allowed (not on a
    # guess from the first epoch, which ended the decay early or trained the rest of the budget at min_lr)
    metrics = run("pretrain", dataset, tmp_path, "--epochs", "500", "--time-budget", "0.05", test=False)
    steps, planned = metrics["steps_done"], metrics["schedule_steps"]
    assert metrics["stopped_by_time_budget"] is True and steps > 2 * metrics["steps_per_epoch"]
    assert abs(planned - steps) <= max(4, 0.15 * steps), (planned, steps)


def test_probe_reports_accuracy_and_confusion_matrix(probed):
    metrics = json.loads((probed / "metrics.json").read_text())
    assert 0.0 <= metrics["top1"] <= 1.0 and metrics["top5"] >= metrics["top1"]
    assert 0.0 <= metrics["knn_top1"] <= 1.0
    assert (probed / "confusion.png").stat().st_size > 1000
    assert np.array(metrics["confusion_matrix"]).sum() == metrics["samples"] == 16


def test_export_meets_the_model_contract(dataset, probed, tmp_path):
    metrics = run("export", dataset, tmp_path, "--checkpoint", str(probed), "--name", "m")
    model = onnx.load(tmp_path / "m.onnx")
    onnx.checker.check_model(model, full_check=True)
    assert model.opset_import[0].version == 17
    dims = lambda v: [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]  # noqa: E731
    assert [(i.name, dims(i)) for i in model.graph.input] == [("joints", ["batch", 16, 2, 25, 3])]
    assert [(o.name, dims(o)) for o in model.graph.output] == [("logits", ["batch", 4]), ("embedding", ["batch", 32])]
    meta = {p.key: p.value for p in model.metadata_props}
    assert meta["skelstream.contract"] == "1" and meta["skelstream.layout"] == "ntu25"
    assert (meta["skelstream.frames"], meta["skelstream.persons"], meta["skelstream.fps"]) == ("16", "2", "10")
    assert json.loads(meta["skelstream.labels"]) == ["clap", "jump", "walk", "wave"]
    assert "top1" in json.loads(meta["skelstream.metrics"])
    for key in ("objective", "dataset", "created", "trainer_version"):
        assert meta[f"skelstream.{key}"]
    assert metrics["metadata"] == meta


def test_fixtures_round_trip_through_the_checkpoint(dataset, probed, tmp_path):
    run("export", dataset, tmp_path, "--checkpoint", str(probed))
    fixtures = read_fixtures(tmp_path / "fixtures.json")
    assert fixtures["model"] == "skelstream-tiny.onnx" and fixtures["tolerance"] == 1e-4
    names = [c["name"] for c in fixtures["cases"]]
    assert {"real_test_window", "second_person_absent", "all_zero", "batch_of_8"} <= set(names)
    state = load_checkpoint(probed)
    model = build_classifier_from_spec(state["spec"])
    model.load_state_dict(state["model"])
    model.eval()
    for case in fixtures["cases"]:
        assert case["joints"].dtype == np.dtype("<f4")
        with torch.no_grad():
            logits, embedding = model(torch.from_numpy(case["joints"].copy()))
        assert np.abs(logits.numpy() - case["logits"]).max() < 1e-5, case["name"]
        assert np.abs(embedding.numpy() - case["embedding"]).max() < 1e-5, case["name"]
    zero = next(c for c in fixtures["cases"] if c["name"] == "all_zero")
    assert np.isfinite(zero["logits"]).all() and (zero["joints"] == 0).all()
    real = next(c for c in fixtures["cases"] if c["name"] == "real_test_window")
    assert np.abs(real["joints"]).sum() > 0


def test_finetune_on_a_label_fraction_then_evaluate(dataset, pretrained, tmp_path):
    ft = run("finetune", dataset, tmp_path / "ft", "--checkpoint", str(pretrained), "--epochs", "2",
             "--label-fraction", "0.25")
    assert ft["train_sequences"] == 12 and 0.0 <= ft["top1"] <= 1.0   # 3 of 12 per class
    ev = run("evaluate", dataset, tmp_path / "ev", "--checkpoint", str(tmp_path / "ft"))
    assert ev["top1"] == pytest.approx(ft["top1"]) and (tmp_path / "ev" / "confusion.png").exists()


def test_from_scratch_baseline_runs_without_a_checkpoint(dataset, tmp_path):
    metrics = run("probe", dataset, tmp_path, "--from-scratch", "--epochs", "2")
    assert metrics["from_scratch"] is True and metrics["encoder"] == "random init"


def test_bad_input_is_a_clear_error(dataset, tmp_path, capsys):
    assert main(["probe", "--train", dataset["train"], "--out", str(tmp_path), *SMALL]) == 2
    assert "exactly one of --checkpoint" in capsys.readouterr().err
    assert main(["pretrain", "--train", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path)]) == 2
    assert "missing.jsonl" in capsys.readouterr().err
    assert main(["pretrain", "--train", dataset["train"], "--out", str(tmp_path), "--set", "pretrain.nope=1"]) == 2
    assert "unknown key 'nope'" in capsys.readouterr().err


@pytest.mark.parametrize("command", [c.__name__.rsplit(".", 1)[1] for c in COMMANDS])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "--out" in out
    if command not in ("synth", "bundle"):
        for flag in ("--train", "--test", "--config", "--device", "--epochs", "--time-budget", "--seed"):
            assert flag in out, (command, flag)
    if command in ("probe", "finetune", "export", "evaluate"):
        assert "--checkpoint" in out


def test_module_entry_point_runs():
    result = subprocess.run([sys.executable, "-m", "skelstream_trainer", "--help"], cwd=TRAINER,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "pretrain" in result.stdout


def test_bundle_writes_every_file_the_others_read(tmp_path):
    out = tmp_path / "bundled"
    argv = ["bundle", "--out", str(out), "--work", str(tmp_path / "work"), "--train-size", "16", "--test-size", "8",
            "--classes", "wave,clap,walk,jump", "--time-budget", "3", "--pretrain-epochs", "2", "--threads", "1"]
    for item in SMALL[:SMALL.index("--threads")]:
        argv.append(item)
    assert main(argv) == 0
    assert sorted(p.name for p in out.iterdir()) == ["MODEL.md", "fixtures.json", "metrics.json",
                                                     "skelstream-tiny.onnx", "synthetic-test.jsonl.gz"]
    metrics = json.loads((out / "metrics.json").read_text())
    assert 0.0 <= metrics["top1"] <= 1.0 and metrics["timings_s"]["total_s"] < 180
    assert read_fixtures(out / "fixtures.json")["model"] == "skelstream-tiny.onnx"
    assert "python3 -m skelstream_trainer bundle" in (out / "MODEL.md").read_text()
    onnx.checker.check_model(onnx.load(out / "skelstream-tiny.onnx"))
