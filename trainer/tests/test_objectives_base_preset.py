"""The objectives benchmark's `base` configurations (the GPU run, `--preset base`) build and train: one real step of
each objective on a small batch, so a GPU user never finds a broken config after the data has loaded."""

import pytest
import torch

from benchmarks.objectives import objective_configs
from skelstream_trainer.config import load_config
from skelstream_trainer.engine.optim import make_adamw
from skelstream_trainer.engine.pretrain import split_persons
from skelstream_trainer.model_spec import build_backbone_from_spec, build_normalisation, make_spec
from skelstream_trainer.objectives import build_objective


@pytest.mark.parametrize("name", sorted(objective_configs("base")))
def test_base_preset_objective_takes_a_training_step(name):
    ref, overrides = objective_configs("base")[name]
    config = load_config(ref, overrides)
    torch.manual_seed(0)
    spec = make_spec(config, "ntu25", 2)
    backbone = build_backbone_from_spec(spec)
    normalisation = build_normalisation(spec)
    objective = build_objective(config["pretrain"], backbone.patch_size)
    optimizer = make_adamw(backbone.named_parameters(), 1e-4, 0.05)
    # [B=2, T, M, V, 3]: bodies 3 m in front of the camera, moving; the second person absent in one window
    x = torch.randn(2, 1, spec["persons"], 25, 3) * 0.3 + torch.tensor([0.0, 0.0, 3.0])
    x = x + torch.cumsum(0.01 * torch.randn(2, spec["frames"], spec["persons"], 25, 3), dim=1)
    x[1, :, 1:] = 0.0
    before = [p.detach().clone() for p in backbone.parameters()]
    loss = objective(backbone, split_persons(normalisation(x)))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    assert torch.isfinite(loss), f"{name}: loss {loss}"
    assert spec["frames"] == 120, f"{name}: not the base window (T=120)"
    moved = sum(int(not torch.equal(a, b)) for a, b in zip(before, backbone.parameters()))
    assert moved > 0, f"{name}: no encoder parameter changed after a step"
