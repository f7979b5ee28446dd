"""The objectives benchmark's conclusions follow from its numbers: snapshots at fixed shares of
the training budget, the "a third of the baseline's time" target read from evaluated points,
the bundled-model suggestion, and the semi-supervised fine-tune that trains the whole encoder."""

import json
import pytest
import torch

from benchmarks.objective_tuning import parse_variant, train_variant
from benchmarks.objectives import OBJECTIVES_DIR, synthetic_paths
from benchmarks.objectives_report import (CURVE, bundled_suggestion, efficiency_target, gap, report, standard_error,
                                          third_budget_objective)
from benchmarks.semi_supervised import finetune_accuracy, snapshot_of
from benchmarks.training_clock import SnapshotClock, StepBudget
from skelstream_trainer.config import load_config
from skelstream_trainer.engine.schedule import BUDGET_WARMUP_EPOCHS, warmup_epochs
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
    t = efficiency_target(results, "mamp_motion", "gfp", 300)   # no 1/3-budget run: the snapshots decide
    assert t["met"] and t["met_by_snapshot"] and t["best_reaches_at_fraction"] == pytest.approx(1 / 3)
    assert t["best_reaches_at_seconds"] == 40 and t["objectives_within_a_third"] == ["gfp"]

    results["gfp"] = curve((1 / 6, 20, 0.55), (1 / 3, 40, 0.59), (1 / 2, 60, 0.61), (1.0, 120, 0.70))
    t = efficiency_target(results, "mamp_motion", "gfp", 300)
    assert not t["met"] and t["best_reaches_at_fraction"] == pytest.approx(1 / 2)
    assert t["best_probe_at_a_third"] == 0.59

    # the 1/3 snapshot came late (a slow step): its seconds, not only its share, must be within a third
    results["gfp"] = curve((1 / 6, 20, 0.55), (1 / 3, 47, 0.61), (1.0, 120, 0.70))
    t = efficiency_target(results, "mamp_motion", "gfp", 300)
    assert not t["met"] and t["best_reaches_at_seconds"] == 47 and t["objectives_within_a_third"] == []

    t = efficiency_target({"mamp_motion": results["mamp_motion"]}, "mamp_motion", "mamp_motion", 300)
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
               "target": efficiency_target(results, "mamp_motion", "gfp", 300),
               "bundled": bundled_suggestion(results, ["gfp", "mamp_motion"], finetunes, 300, "now")}
    text = report(summary, "x.png")
    assert "reaches the baseline at 1/6 of its budget (20 s of training)" in text and "**met**" in text
    assert "| gfp | 10.0 | 2.0 | 3 | 66.0 ± 2.7 % | 80.0 ± 2.3 % |" in text   # accuracies with their standard error
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


def test_standard_error_and_noise_of_a_gap():
    assert standard_error(0.5, 100) == pytest.approx(0.05)
    assert standard_error(0.65, 900) == pytest.approx((0.65 * 0.35 / 900) ** 0.5)
    near = gap(0.67, 0.657, 900)            # 1.3 points on 900 windows: two SE of the difference is ~4.5
    assert near["difference"] == pytest.approx(0.013) and near["within_noise"]
    assert near["two_se"] == pytest.approx(2 * (0.67 * 0.33 / 900 + 0.657 * 0.343 / 900) ** 0.5)
    far = gap(0.75, 0.657, 900)
    assert not far["within_noise"] and far["difference"] > far["two_se"]


def test_the_best_objective_not_the_baseline_gets_the_third_budget_run():
    assert third_budget_objective(["gfp", "skeleton_mae", "mamp_motion"], "mamp_motion") == "gfp"
    assert third_budget_objective(["mamp_motion", "gfp"], "mamp_motion") is None   # best is the baseline: not met
    assert third_budget_objective(["gfp", "skeleton_mae"], "mamp_motion") is None  # nothing to reach
    assert third_budget_objective([], "mamp_motion") is None


def test_the_third_budget_run_decides_the_target_and_the_snapshots_are_reported_beside_it():
    results = {"mamp_motion": curve((1 / 3, 40, 0.50), (1.0, 120, 0.657)),
               "gfp": curve((1 / 6, 20, 0.60), (1 / 3, 40, 0.587), (1 / 2, 60, 0.667), (1.0, 120, 0.703))}
    # a mid-schedule snapshot misses, the run of its own with a third of the budget reaches it
    third = {"objective": "gfp", "train_seconds": 40.1, "epochs": 15, "probe_top1": 0.67, "knn_top1": 0.5}
    t = efficiency_target(results, "mamp_motion", "gfp", 900, third)
    assert t["met"] and not t["met_by_snapshot"] and t["best_reaches_at_fraction"] == pytest.approx(1 / 2)
    assert t["third_budget_run"]["within_noise"] and t["snapshot_gap"]["difference"] == pytest.approx(-0.07)
    assert not t["snapshot_gap"]["within_noise"]
    # below the baseline: not met, whatever the snapshots say
    t = efficiency_target(results, "mamp_motion", "gfp", 900, dict(third, probe_top1=0.64))
    assert not t["met"] and t["third_budget_run"]["difference"] == pytest.approx(-0.017)
    # the run overshot a third of the baseline's time by more than a step's slack: not within a third
    t = efficiency_target(results, "mamp_motion", "gfp", 900, dict(third, train_seconds=45.0))
    assert not t["met"] and t["third_budget_run"]["reaches"] and not t["third_budget_run"]["within_time"]


def test_report_states_both_measures_with_their_noise():
    results = {"mamp_motion": curve((1 / 3, 40, 0.50), (1.0, 120, 0.657)),
               "gfp": curve((1 / 6, 20, 0.60), (1 / 3, 40, 0.587), (1.0, 120, 0.703))}
    for r in results.values():
        r.update(samples_per_s=10.0, seconds_per_epoch=2.0, epochs=3, collapse=None)
    third = {"objective": "gfp", "train_seconds": 40.1, "epochs": 15, "probe_top1": 0.67, "knn_top1": 0.5}
    summary = {"machine": "test", "preset": "tiny", "quick": False, "budget_minutes": 4.0, "seconds_per_objective": 120,
               "finetune_seconds": 30, "minutes_total": 9.0, "train": "a", "test": "b", "test_windows": 900,
               "probe_seeds": 3, "results": results, "ranking": ["gfp", "mamp_motion"], "semi_supervised": {},
               "timings": {"pretraining_minutes": 4, "third_budget_minutes": 1, "evaluation_minutes": 3,
                           "evaluations": 5, "finetune_minutes": 2, "finetunes": 0},
               "target": efficiency_target(results, "mamp_motion", "gfp", 900, third),
               "bundled": bundled_suggestion(results, ["gfp", "mamp_motion"], {}, 900, "now")}
    text = report(summary, "x.png")
    assert "reaches a final probe of 67.0 % ± 1.6: +1.3 points against the baseline, within noise" in text
    assert "**met**. The verdict is a point estimate inside the noise" in text
    assert "probe at 1/3 58.7 % (-7.0 points against the baseline, beyond noise" in text
    assert "by snapshot **NOT met**" in text
    assert ("| 1/3, a run of its own (warm-up and decay fitted to it) | 40.1 | 15 | 67.0 ± 1.6 % | 50.0 ± 1.7 % |"
            in text)
    # the short run's pace beside the full run's: a budgeted run that trains slower is visible
    summary["target"] = efficiency_target(results, "mamp_motion", "gfp", 900,
                                          dict(third, steps=562, samples_per_s=448.5))
    assert "(40 s, 15 epochs, 562 steps at 448.5 samples/s against 10 in its full run, its own" in report(summary, "x")


def test_synthetic_data_files_name_what_was_generated(tmp_path):
    small = synthetic_paths(tmp_path, 0, dict(train_size=1000, test_size=300, train_subjects=20, test_subjects=8))
    large = synthetic_paths(tmp_path, 0, dict(train_size=1000, test_size=900, train_subjects=20, test_subjects=12))
    assert small[0] == large[0] and small[1] != large[1]   # a larger test set is never read from the old file
    assert synthetic_paths(tmp_path, 1, dict(train_size=1000, test_size=900, train_subjects=20,
                                             test_subjects=12))[0] != large[0]


def test_a_time_budget_caps_the_warm_up_as_the_benchmark_does():
    # the benchmark's runs and a user's --time-budget run follow the same schedule rule
    assert warmup_epochs(5, time_budget=True) == BUDGET_WARMUP_EPOCHS == 2
    assert warmup_epochs(1, time_budget=True) == 1
    assert warmup_epochs(5, time_budget=False) == 5   # an epoch-count run keeps the config's warm-up


def test_step_budget_counts_steps_not_seconds():
    budget = StepBudget(3)
    assert [budget.spent() for _ in range(5)] == [False, False, False, True, True] and budget.done == 3


def tiny_gfp_setup():
    """A GFP config small enough for a test, and 24/8 synthetic sequences of 4 classes: (config, data)."""
    train, test = generate(SynthConfig(train_size=24, test_size=8, train_subjects=3, test_subjects=2,
                                       classes=("wave", "clap", "walk", "jump"), min_duration_s=1.5,
                                       max_duration_s=2.0, seed=5))
    config = load_config(str(OBJECTIVES_DIR / "gfp-tiny.yaml"),
                         ["window.frames=16", "window.fps=10", "pretrain.batch_size=4", "pretrain.scales=[1, 2]",
                          "model.overrides={embed_dim: 32, depth: 1, num_heads: 2, decoder_embed_dim: 32, "
                          "decoder_num_heads: 2}"])
    return config, (train, test, ["clap", "jump", "walk", "wave"])


def test_tuning_variants_parse_and_train_for_exactly_their_samples():
    assert parse_variant("base=") == ("base", [])
    assert parse_variant("fast=pretrain.lr=2e-3; pretrain.masking={name: motion_aware, temperature: 0.5}") == (
        "fast", ["pretrain.lr=2e-3", "pretrain.masking={name: motion_aware, temperature: 0.5}"])
    with pytest.raises(Exception, match="expected NAME"):
        parse_variant("=pretrain.lr=1")
    config, data = tiny_gfp_setup()
    row = train_variant(config, data, 28, 0, torch.device("cpu"))
    assert row["steps"] == 7 and row["epochs"] == 2 and 0.0 <= row["probe_top1"] <= 1.0   # 24 windows = 6 steps
    assert row["collapse"]["target_std_mean"] > 0


def test_current_bundled_objective_is_what_the_bundle_was_built_with(tmp_path):
    from benchmarks.objectives import current_bundled_objective
    metrics = tmp_path / "metrics.json"
    metrics.write_text(json.dumps({"pretrain": {"objective": "general_feature_prediction(scales=[2, 4, 8])"}}))
    assert current_bundled_objective(metrics) == "general_feature_prediction(scales=[2, 4, 8])"
    assert current_bundled_objective(tmp_path / "absent.json").startswith("unknown: ")
    assert current_bundled_objective().startswith("general_feature_prediction")  # the committed bundle


def test_a_budgeted_benchmark_run_ends_its_lr_schedule_with_its_budget():
    """The benchmark's own loop (the same BudgetFit as `pretrain --time-budget`): the schedule's end lands on
    the steps the clock allowed, not on a guess from the first epoch."""
    from benchmarks.objectives import pretrain_with_snapshots
    config, data = tiny_gfp_setup()
    run = pretrain_with_snapshots("gfp", config, data, 3.0, torch.device("cpu"), 0, lambda message: None)
    result = run["result"]
    assert result["budget_fits"] >= 1 and result["steps"] > 24
    assert abs(result["schedule_steps"] - result["steps"]) <= max(4, 0.15 * result["steps"])
    assert [round(s["fraction"], 4) for s in run["snapshots"]] == [round(f, 4) for f in CURVE]
