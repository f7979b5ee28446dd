import json

import numpy as np
import pytest

from skelstream_trainer.layouts import (
    LayoutError, get_layout, joint_map, layout_names, load_layouts, map_frames, mirror_frames,
)

REQUIRED = ("ntu25", "kinect_v1_20", "h36m17", "coco17", "mediapipe33")


def test_shared_file_has_the_required_layouts():
    assert set(REQUIRED) <= set(layout_names())
    assert get_layout("ntu25").num_joints == 25
    assert get_layout("kinect_v1_20").num_joints == 20


@pytest.mark.parametrize("name", REQUIRED)
def test_every_layout_is_a_tree_with_one_root(name):
    lay = get_layout(name)
    v = lay.num_joints
    assert [p for p in lay.parents].count(-1) == 1
    assert all(-1 <= p < v for p in lay.parents)
    for j in range(v):  # every joint reaches the root without revisiting a joint
        seen, k = set(), j
        while k != -1:
            assert k not in seen
            seen.add(k)
            k = lay.parents[k]
    assert len(lay.bones) == v - 1
    assert all(lay.parents[c] == p for c, p in lay.bones)


@pytest.mark.parametrize("name", REQUIRED)
def test_mirror_is_an_involution_and_indices_in_range(name):
    lay = get_layout(name)
    assert all(lay.mirror[lay.mirror[j]] == j for j in range(lay.num_joints))
    assert all(0 <= c < lay.num_joints for c in lay.centre)
    assert all(m is None or 0 <= m < 25 for m in lay.ntu25_index)


@pytest.mark.parametrize("src", REQUIRED)
@pytest.mark.parametrize("dst", REQUIRED)
def test_joint_map_indices_in_range_and_consistent(src, dst):
    a, b = get_layout(src), get_layout(dst)
    index = joint_map(src, dst)
    assert index.shape == (b.num_joints,)
    for j, i in enumerate(index):
        assert -1 <= i < a.num_joints
        if i >= 0:
            assert a.ntu25_index[i] == b.ntu25_index[j] is not None


def test_map_frames_moves_joints_and_zeroes_missing_ones():
    ntu = get_layout("ntu25")
    frames = np.arange(2 * 25 * 3, dtype=np.float32).reshape(2, 25, 3) + 1
    v1 = map_frames(frames, "ntu25", "kinect_v1_20")
    shoulder_centre = get_layout("kinect_v1_20").index("ShoulderCenter")
    np.testing.assert_array_equal(v1[:, shoulder_centre], frames[:, ntu.index("SpineShoulder")])
    coco = map_frames(frames, "ntu25", "coco17")
    assert np.all(coco[:, get_layout("coco17").index("left_eye")] == 0)  # no eyes in ntu25
    back = map_frames(v1, "kinect_v1_20", "ntu25")
    assert np.all(back[:, ntu.index("HandTipLeft")] == 0)
    np.testing.assert_array_equal(back[:, ntu.index("ElbowRight")], frames[:, ntu.index("ElbowRight")])
    with pytest.raises(LayoutError):
        map_frames(frames, "coco17", "ntu25")


def test_mirror_frames_swaps_left_and_right():
    ntu = get_layout("ntu25")
    frames = np.random.default_rng(0).normal(size=(3, 25, 3)).astype(np.float32)
    mirrored = mirror_frames(frames, "ntu25")
    np.testing.assert_array_equal(mirrored[:, ntu.index("HandLeft")], frames[:, ntu.index("HandRight")])
    np.testing.assert_array_equal(mirror_frames(mirrored, ntu), frames)


def test_unknown_layout_names_the_known_ones():
    with pytest.raises(LayoutError, match="unknown layout 'ntu26'.*ntu25"):
        get_layout("ntu26")


def _write(tmp_path, layouts):
    path = tmp_path / "layouts.json"
    path.write_text(json.dumps({"version": 1, "layouts": layouts}))
    return path


def _good():
    return {"ntu25": {"joints": ["a", "b", "c"], "parents": [-1, 0, 0], "centre": [0],
                      "mirror": [0, 2, 1], "ntu25_index": [0, 1, 2]}}


def test_env_override_and_a_valid_small_file(tmp_path, monkeypatch):
    path = _write(tmp_path, _good())
    monkeypatch.setenv("SKELSTREAM_LAYOUTS", str(path))
    assert get_layout("ntu25").joints == ("a", "b", "c")


@pytest.mark.parametrize("field,value,message", [
    ("parents", [-1, -1, 0], "exactly one root"),
    ("parents", [-1, 2, 1], "cycle"),
    ("parents", [-1, 0, 7], "out of range"),
    ("mirror", [0, 2, 0], "involution"),
    ("ntu25_index", [0, 1, 1], "same ntu25 joint"),
    ("centre", [], "empty"),
    ("mirror", [0, 1], "has 2 entries"),
])
def test_malformed_layouts_are_refused(tmp_path, field, value, message):
    layouts = _good()
    layouts["ntu25"][field] = value
    with pytest.raises(LayoutError, match=message):
        load_layouts(_write(tmp_path, layouts))


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(LayoutError, match="not found"):
        load_layouts(tmp_path / "nope.json")
