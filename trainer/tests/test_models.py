"""The masked model and the classifier: shapes, visible-only encoding, person pooling."""

import torch

from skelstream_trainer.layouts import get_layout
from skelstream_trainer.losses import LOSSES
from skelstream_trainer.masking import MASKING
from skelstream_trainer.models import ActionClassifier, SpatialNormalisation, build_backbone
from skelstream_trainer.models.flops import encoder_macs
from skelstream_trainer.targets import TARGETS


def classifier(persons=2, classes=5, head="linear_probe"):
    torch.manual_seed(0)
    backbone = build_backbone("skeleton_mae_tiny", num_joints=25, num_frames=32)
    norm = SpatialNormalisation.for_layout(get_layout("ntu25"), view_alignment=True)
    return ActionClassifier(norm, backbone, persons, classes, head).eval()


def windows(b=3, persons=2, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(b, 32, persons, 25, 3, generator=g) * 0.3 + torch.tensor([0.0, 0.0, 3.0])


def test_pretraining_forward_shapes_and_finite_loss():
    model = build_backbone("skeleton_mae_tiny", num_joints=25, num_frames=32)
    x = windows(4)[:, :, 0]
    scores = MASKING.get("random")(x, 4)
    latent, mask, ids_restore = model.forward_encoder(x, scores, 0.9)
    assert latent.shape == (4, 20, 96)                                   # 10% of 8 x 25 tokens
    pred = model.forward_decoder(latent, ids_restore)
    assert pred.shape == (4, 200, 12)
    loss = model.forward_loss(pred, TARGETS.get("motion")(x, 4), mask, LOSSES.get("mse"))
    assert torch.isfinite(loss)


def test_classifier_outputs_logits_and_embedding():
    logits, embedding = classifier()(windows())
    assert logits.shape == (3, 5) and embedding.shape == (3, 96)


def test_absent_second_person_does_not_change_the_embedding():
    model = classifier()
    x = windows(2)
    x[:, :, 1] = 0.0
    single = classifier(persons=1)
    single.load_state_dict(model.state_dict())
    _, with_absent = model(x)
    _, alone = single(x[:, :, :1])
    assert torch.allclose(with_absent, alone, atol=1e-5)


def test_second_person_present_changes_the_embedding():
    model = classifier()
    x = windows(2)
    _, both = model(x)
    x[:, :, 1] = 0.0
    _, one = model(x)
    assert not torch.allclose(both, one, atol=1e-4)


def test_all_zero_window_gives_finite_outputs():
    logits, embedding = classifier()(torch.zeros(2, 32, 2, 25, 3))
    assert torch.isfinite(logits).all() and (embedding == 0).all()


def test_batch_rows_are_independent():
    model = classifier()
    x = windows(4)
    logits, _ = model(x)
    one, _ = model(x[2:3])
    assert torch.allclose(logits[2:3], one, atol=1e-5)


def test_tiny_preset_costs_well_under_one_gflop_per_window():
    model = build_backbone("skeleton_mae_tiny", num_joints=25, num_frames=32)
    assert encoder_macs(model, persons=2)["gflops"] < 0.6


def test_layout_sets_the_joint_count():
    backbone = build_backbone("skeleton_mae_tiny", num_joints=20, num_frames=32)
    norm = SpatialNormalisation.for_layout(get_layout("kinect_v1_20"))
    model = ActionClassifier(norm, backbone, 1, 3).eval()
    logits, _ = model(torch.randn(2, 32, 1, 20, 3))
    assert logits.shape == (2, 3)


def test_presets_build_with_their_documented_sizes():
    from skelstream_trainer.config import load_config
    from skelstream_trainer.model_spec import build_backbone_from_spec, make_spec
    sizes = {}
    for preset in ("tiny", "base"):
        config = load_config(preset)
        backbone = build_backbone_from_spec(make_spec(config, "ntu25", 2))
        sizes[preset] = (config["window"]["frames"], backbone.embed_dim, len(backbone.blocks),
                         backbone.blocks[0].attn.num_heads, config["pretrain"]["mask_ratio"])
    assert sizes == {"tiny": (32, 96, 4, 4, 0.9), "base": (120, 256, 8, 8, 0.9)}
