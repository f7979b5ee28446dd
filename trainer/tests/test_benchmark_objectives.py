"""The objectives benchmark's conclusions follow from its numbers: snapshots at fixed shares of
the training budget, the "a third of the baseline's time" target read from evaluated points,
the bundled-model suggestion, and the semi-supervised fine-tune that trains the whole encoder."""

import pytest
import torch

from benchmarks.objectives_report import CURVE, bundled_suggestion, efficiency_target, report
from benchmarks.semi_supervised import finetune_accuracy, snapshot_of
from benchmarks.training_clock import SnapshotClock
from skelstream_trainer.config import load_config
from skelstream_trainer.model_spec import build_backbone_from_spec, make_spec
from skelstream_trainer.synth import SynthConfig, generate


def curve(*points):
    """(fraction, seconds, probe) -> a result with that curve (final point last)."""
    pts = [{"fraction": f, "train_seconds": s, "epochs": 0, "probe_top1": p, "knn_top1": p} for f, s, p in points]
    return {"curve": pts, "probe_top1": pts[-1]["probe_top1"], "knn_top1": pts[-1]["knn_top1"]}


class SteppedClock(SnapshotClock):
    """Training time advanced by the test, one step of `step` seconds at a time (no wall-clock jitter)."""

    def __init__(self, seconds, step):
        super().__init__(seconds, CURVE, lambda: {"weights at step": self.steps})
        self.step, self.steps = step, 0

    def elapsed(self):
        return self.steps * self.step


def test_snapshots_at_each_share_without_stopping_the_run():
    clock = SteppedClock(12.0, 0.7)
    while not clock.spent():
        clock.steps += 1      # one training step; the run goes on through every snapshot
    assert [s["fraction"] for s in clock.snapshots] == list(CURVE)
    for snap, share in zip(clock.snapshots, CURVE):
        # the first step boundary at or past the share: never early, less than one step late
        assert share * 12.0 <= snap["train_seconds"] < share * 12.0 + 0.7
        assert snap["state"]["weights at step"] == round(snap["train_seconds"] / 0.7)
    assert clock.steps == 18   # ceil(12 / 0.7): the budget, not the snapshots, ended the run


def test_target_met_only_when_a_point_at_or_before_a_third_reaches_the_baseline():
    results = {"mamp_motion": curve((1 / 3, 40, 0.50), (1.0, 120, 0.60)),
               "gfp": curve((1 / 6, 20, 0.55), (1 / 3, 40, 0.61), (1 / 2, 60, 0.62), (1.0, 120, 0.70)),
               "skeleton2vec": curve((1 / 3, 41, 0.58), (1.0, 120, 0.65))}
    t = efficiency_target(results, "mamp_motion", "gfp")
    assert t["met"] and t["best_reaches_at_fraction"] == pytest.approx(1 / 3)
    assert t["best_reaches_at_seconds"] == 40 and t["objectives_within_a_third"] == ["gfp"]

    results["gfp"] = curve((1 / 6, 20, 0.55), (1 / 3, 40, 0.59), (1 / 2, 60, 0.61), (1.0, 120, 0.70))
    t = efficiency_target(results, "mamp_motion", "gfp")
    assert not t["met"] and t["best_reaches_at_fraction"] == pytest.approx(1 / 2)
    assert t["best_probe_at_a_third"] == 0.59

    # the 1/3 snapshot came late (a slow step): its seconds, not only its share, must be within a third
    results["gfp"] = curve((1 / 6, 20, 0.55), (1 / 3, 47, 0.61), (1.0, 120, 0.70))
    t = efficiency_target(results, "mamp_motion", "gfp")
    assert not t["met"] and t["best_reaches_at_seconds"] == 47 and t["objectives_within_a_third"] == []

    t = efficiency_target({"mamp_motion": results["mamp_motion"]}, "mamp_motion", "mamp_motion")
    assert not t["met"] and t["best_is_baseline"]


def test_bundled_suggestion_follows_the_numbers():
    results = {"gfp": curve((1.0, 1, 0.80)), "skeleton2vec": curve((1.0, 1, 0.70)),
               "mamp_motion": curve((1.0, 1, 0.60))}
    clear = bundled_suggestion(results, ["gfp", "skeleton2vec", "mamp_motion"], {}, 300, "current")
    assert clear["objective"] == "gfp" and clear["clear"]

    results["skeleton2vec"] = curve((1.0, 1, 0.79))     # one point apart on 300 windows: noise
    finetunes = {"gfp": {"1pct": {"top1": 0.30}, "10pct": {"top1": 0.50}},
                 "skeleton2vec": {"1pct": {"top1": 0.35}, "10pct": {"top1": 0.55}}}
    tie = bundled_suggestion(results, ["gfp", "skeleton2vec", "mamp_motion"], finetunes, 300, "current")
    assert tie["objective"] == "skeleton2vec" and not tie["clear"] and "fine-tune" in tie["reason"]


def test_report_states_the_target_and_the_suggestion():
    results = {"mamp_motion": curve((1 / 3, 40, 0.50), (1.0, 120, 0.60)),
               "gfp": curve((1 / 6, 20, 0.62), (1 / 3, 40, 0.66), (1.0, 120, 0.80))}
    for r in results.values():
        r.update(samples_per_s=10.0, seconds_per_epoch=2.0, epochs=3, collapse=None)
    finetunes = {"gfp": {"1pct": {"top1": 0.3, "labelled_sequences": 14, "epochs": 9},
                         "10pct": {"top1": 0.5, "labelled_sequences": 98, "epochs": 4}}}
    summary = {"machine": "test", "preset": "tiny", "quick": False, "budget_minutes": 4.0, "seconds_per_objective": 120,
               "finetune_seconds": 30, "minutes_total": 9.0, "train": "a", "test": "b", "test_windows": 300,
               "results": results, "ranking": ["gfp", "mamp_motion"], "semi_supervised": finetunes,
               "timings": {"pretraining_minutes": 4, "evaluation_minutes": 3, "evaluations": 5, "finetune_minutes": 2,
                           "finetunes": 2},
               "target": efficiency_target(results, "mamp_motion", "gfp"),
               "bundled": bundled_suggestion(results, ["gfp", "mamp_motion"], finetunes, 300, "now")}
    text = report(summary, "x.png")
    assert "reaches it at 1/6 of its budget (20 s of training)" in text and "**met**" in text
    assert "**gfp**" in text and "| gfp | 30.0 % (14 seq, 9 ep) | 50.0 % (98 seq, 4 ep) |" in text


def test_semi_supervised_fine_tune_trains_the_whole_encoder():
    train, test = generate(SynthConfig(train_size=40, test_size=8, train_subjects=4, test_subjects=2,
                                       classes=("wave", "clap", "walk", "jump"), min_duration_s=1.5,
                                       max_duration_s=2.0, seed=4))
    config = load_config("tiny", ["window.frames=16", "window.fps=10", "finetune.batch_size=8",
                                  "model.overrides={embed_dim: 32, depth: 2, num_heads: 2, decoder_embed_dim: 32, "
                                  "decoder_num_heads: 2}"])
    spec = make_spec(config, "ntu25", 2, "synth")
    torch.manual_seed(0)
    state = snapshot_of(build_backbone_from_spec(spec))
    before = state["patch_embed.weight"].clone()
    row = finetune_accuracy(config, spec, state, train, test, ["clap", "jump", "walk", "wave"], 0.5, 3.0,
                            torch.device("cpu"), 0)
    assert row["labelled_sequences"] == 20 and row["steps"] >= 2 and 0.0 <= row["top1"] <= 1.0
    assert row["encoder_change"] > 1e-3, row          # the encoder itself was trained, not only a head
    assert torch.equal(state["patch_embed.weight"], before)   # the snapshot passed in is left as it was
