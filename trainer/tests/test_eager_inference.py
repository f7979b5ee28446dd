"""The one PyTorch eager baseline (benchmarks.eager_inference): the model it times is the exported one, its input is
real windows, its thread configurations are what they say, and its 'best' rows are the fastest that fit."""

import copy
import json
from pathlib import Path

import pytest
import torch

from benchmarks import eager_inference
from skelstream_trainer.config import load_config
from skelstream_trainer.export.onnx_export import export_onnx
from skelstream_trainer.model_spec import build_classifier_from_spec, make_spec, with_head

CONFIGS = Path(__file__).resolve().parent.parent / "configs"
BUNDLED_DATA = eager_inference.BUNDLED / "synthetic-test.jsonl.gz"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    config = load_config(str(CONFIGS / "tiny.yaml"))
    config["window"] = {"frames": 16, "fps": 10}
    config["model"]["overrides"] = {"embed_dim": 32, "depth": 1}
    spec = with_head(make_spec(config, "ntu25", 2), ["wave", "sit", "fall"], "linear_probe")
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("eager") / "m.onnx"
    export_onnx(build_classifier_from_spec(spec).eval(), spec, path, {})
    return path, spec, config


def test_the_checked_model_is_the_exported_one_and_a_different_one_is_refused(exported, tmp_path):
    path, spec, config = exported
    config = copy.deepcopy(config)
    config_file = tmp_path / "same.yaml"
    config_file.write_text(json.dumps(config))
    classifier, loaded, origin = eager_inference.load_classifier(path, None, str(config_file))
    assert loaded["frames"] == 16 and "random weights" in origin
    config["model"]["overrides"] = {"embed_dim": 32, "depth": 2}   # one block more: more FLOPs than the file
    config_file.write_text(json.dumps(config))
    with pytest.raises(eager_inference.BaselineError, match="not the same architecture"):
        eager_inference.load_classifier(path, None, str(config_file))


@pytest.mark.skipif(not BUNDLED_DATA.is_file(), reason="models/bundled/synthetic-test.jsonl.gz not present")
def test_input_is_real_windows_of_the_bundled_test_set(exported):
    _, spec, _ = exported
    windows = eager_inference.real_windows(spec, BUNDLED_DATA, count=6)
    assert windows.shape == (6, 16, 2, 25, 3) and windows.dtype == torch.float32
    assert windows[:, :, 0].abs().sum() > 0          # a person, in metres, not zeros
    assert eager_inference.batch_of(windows, 8).shape[0] == 8   # cycles when a batch wants more


def test_measure_reports_every_configuration_and_the_best_that_fits(exported, tmp_path):
    path, spec, config = exported
    config_file = tmp_path / "c.yaml"
    config_file.write_text(json.dumps(config))
    classifier, _, _ = eager_inference.load_classifier(path, None, str(config_file))
    windows = torch.randn(4, 16, 2, 25, 3) + torch.tensor([0.0, 0.0, 3.0])
    blas = eager_inference.BlasThreads()
    before = blas.get()
    configurations = [(1, 1 if blas.available else None), (2, 1 if blas.available else None)]
    result = eager_inference.measure(classifier, windows, [1, 2], 0.05, configurations)
    assert blas.get() == before   # the process's BLAS pool is given back as it was
    rows = result["configurations"]
    assert [(r["torch_threads"], r["batch"]) for r in rows] == [(1, 1), (1, 2), (2, 1), (2, 2)]
    assert all(r["windows_per_s"] > 0 for r in rows)
    for best in result["results"]:
        fitting = [r["windows_per_s"] for r in rows if r["batch"] == best["batch"] and r["threads"] <= best["threads"]]
        assert best["windows_per_s"] == max(fitting)


def test_the_blas_pool_follows_the_setting_when_openblas_is_loaded():
    blas = eager_inference.BlasThreads()
    if not blas.available:
        pytest.skip("torch does not use OpenBLAS here (MKL follows torch.set_num_threads)")
    before = blas.get()
    try:
        blas.set(1)
        assert blas.get() == 1
    finally:
        blas.set(before)
