"""Skeleton layouts, read from the one shared data file ``schemas/layouts.json``.

Java and Python both read that file, so joint order, bones, the centre joints and
the left/right mirror are never kept twice by hand. The file is found relative to
this package (``trainer/skelstream_trainer`` -> ``../../schemas/layouts.json``);
the environment variable ``SKELSTREAM_LAYOUTS`` points elsewhere.

    >>> ntu = get_layout("ntu25")
    >>> ntu.num_joints, ntu.joints[ntu.root]
    (25, 'SpineBase')
    >>> frames_v1 = map_frames(frames_ntu, "ntu25", "kinect_v1_20")   # (..., 25, 3) -> (..., 20, 3)
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Tuple, Union

import numpy as np

LAYOUTS_ENV = "SKELSTREAM_LAYOUTS"
_DEFAULT_PATH = Path(__file__).resolve().parent.parent.parent / "schemas" / "layouts.json"


class LayoutError(ValueError):
    """layouts.json is malformed, or a layout name is unknown."""


@dataclass(frozen=True)
class Layout:
    """One skeleton layout. All index fields are 0-based joint indices of this layout."""

    name: str
    description: str
    joints: Tuple[str, ...]  # joint names in order; V = len(joints)
    parents: Tuple[int, ...]  # parent joint per joint, -1 for the single root
    centre: Tuple[int, ...]  # joints whose mean is the body centre
    mirror: Tuple[int, ...]  # left/right counterpart per joint (itself on the midline)
    ntu25_index: Tuple[Optional[int], ...]  # same joint's index in ntu25, or None

    @property
    def num_joints(self) -> int:
        return len(self.joints)

    @property
    def root(self) -> int:
        return self.parents.index(-1)

    @property
    def bones(self) -> Tuple[Tuple[int, int], ...]:
        """(child, parent) pairs, one per non-root joint, in joint order."""
        return tuple((j, p) for j, p in enumerate(self.parents) if p >= 0)

    def index(self, joint_name: str) -> int:
        try:
            return self.joints.index(joint_name)
        except ValueError:
            raise LayoutError(f"layout {self.name!r} has no joint {joint_name!r}") from None


def layouts_path() -> Path:
    """The layouts.json in use: $SKELSTREAM_LAYOUTS, else the repository's schemas/layouts.json."""
    override = os.environ.get(LAYOUTS_ENV)
    return Path(override) if override else _DEFAULT_PATH


def load_layouts(path: Union[str, Path, None] = None) -> Mapping[str, Layout]:
    """All layouts of a layouts.json file (default: :func:`layouts_path`), validated."""
    return _load_cached(str(Path(path) if path is not None else layouts_path()))


@functools.lru_cache(maxsize=8)
def _load_cached(path: str) -> Mapping[str, Layout]:
    try:
        with open(path, "r", encoding="utf-8") as f:
            doc = json.load(f)
    except FileNotFoundError:
        raise LayoutError(f"{path}: layouts file not found (set ${LAYOUTS_ENV} to its location)") from None
    except json.JSONDecodeError as e:
        raise LayoutError(f"{path}: line {e.lineno}: not valid JSON: {e.msg}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("layouts"), dict):
        raise LayoutError(f"{path}: expected an object with a 'layouts' object")
    if doc.get("version") != 1:
        raise LayoutError(f"{path}: unsupported layouts version {doc.get('version')!r} (this trainer reads 1)")
    layouts = {name: _parse_layout(path, name, raw) for name, raw in doc["layouts"].items()}
    if "ntu25" not in layouts:
        raise LayoutError(f"{path}: the reference layout 'ntu25' is missing")
    n_ref = layouts["ntu25"].num_joints
    for layout in layouts.values():
        bad = [m for m in layout.ntu25_index if m is not None and not 0 <= m < n_ref]
        if bad:
            raise LayoutError(f"{path}: layout {layout.name!r}: ntu25_index {bad[0]} out of range 0..{n_ref - 1}")
    return layouts


def _parse_layout(path: str, name: str, raw: object) -> Layout:
    where = f"{path}: layout {name!r}"
    if not isinstance(raw, dict):
        raise LayoutError(f"{where}: expected an object")
    for key in ("joints", "parents", "centre", "mirror", "ntu25_index"):
        if not isinstance(raw.get(key), list):
            raise LayoutError(f"{where}: missing list {key!r}")
    joints = tuple(str(j) for j in raw["joints"])
    v = len(joints)
    if v == 0:
        raise LayoutError(f"{where}: no joints")
    for key in ("parents", "mirror", "ntu25_index"):
        if len(raw[key]) != v:
            raise LayoutError(f"{where}: {key!r} has {len(raw[key])} entries, joints has {v}")

    def index_list(key: str, allow_none: bool = False, allow_root: bool = False) -> tuple:
        out = []
        for i, value in enumerate(raw[key]):
            if value is None and allow_none:
                out.append(None)
                continue
            if not isinstance(value, int) or isinstance(value, bool):
                raise LayoutError(f"{where}: {key}[{i}] = {value!r} is not a joint index")
            if not (0 <= value < v or (allow_root and value == -1)):
                if key != "ntu25_index":  # checked against ntu25's size later
                    raise LayoutError(f"{where}: {key}[{i}] = {value} out of range 0..{v - 1}")
            out.append(value)
        return tuple(out)

    parents = index_list("parents", allow_root=True)
    mirror = index_list("mirror")
    centre = index_list("centre")
    ntu25_index = index_list("ntu25_index", allow_none=True)
    if not centre:
        raise LayoutError(f"{where}: 'centre' is empty")

    roots = [j for j, p in enumerate(parents) if p == -1]
    if len(roots) != 1:
        raise LayoutError(f"{where}: expected exactly one root (parent -1), found {len(roots)}")
    for j in range(v):  # walk to the root; more than v steps means a cycle
        k, steps = j, 0
        while parents[k] != -1:
            k, steps = parents[k], steps + 1
            if steps > v:
                raise LayoutError(f"{where}: parents contain a cycle through joint {j} ({joints[j]})")
    for j, m in enumerate(mirror):
        if mirror[m] != j:
            raise LayoutError(f"{where}: mirror is not an involution at joint {j} ({joints[j]})")
    mapped = [m for m in ntu25_index if m is not None]
    if len(set(mapped)) != len(mapped):
        raise LayoutError(f"{where}: ntu25_index maps two joints to the same ntu25 joint")
    return Layout(name, str(raw.get("description", "")), joints, parents, centre, mirror, ntu25_index)


def get_layout(name: str) -> Layout:
    """The layout called ``name``; LayoutError naming the known ones otherwise."""
    layouts = load_layouts()
    try:
        return layouts[name]
    except KeyError:
        raise LayoutError(f"unknown layout {name!r}; known: {', '.join(sorted(layouts))}") from None


def layout_names() -> Tuple[str, ...]:
    return tuple(load_layouts())


def joint_map(source: Union[str, Layout], target: Union[str, Layout]) -> np.ndarray:
    """For each joint j of ``target``, the index of the same joint in ``source``, or -1.

    Per the layouts contract: m = target.ntu25_index[j]; take the source joint i with
    source.ntu25_index[i] == m; no such joint (or m is None) -> -1 (the joint is absent).
    Returns int64 array of shape (V_target,).
    """
    src = get_layout(source) if isinstance(source, str) else source
    dst = get_layout(target) if isinstance(target, str) else target
    by_ntu = {m: i for i, m in enumerate(src.ntu25_index) if m is not None}
    return np.array([by_ntu.get(m, -1) if m is not None else -1 for m in dst.ntu25_index], dtype=np.int64)


def map_frames(frames: np.ndarray, source: Union[str, Layout], target: Union[str, Layout]) -> np.ndarray:
    """Re-index joints from ``source`` to ``target`` layout: (..., V_src, 3) -> (..., V_dst, 3).

    Target joints with no counterpart in the source are zeros (absent).
    """
    index = joint_map(source, target)
    src_v = (get_layout(source) if isinstance(source, str) else source).num_joints
    if frames.shape[-2] != src_v or frames.shape[-1] != 3:
        raise LayoutError(f"frames of shape {frames.shape} do not match layout with {src_v} joints x 3")
    out = np.zeros(frames.shape[:-2] + (len(index), 3), dtype=frames.dtype)
    present = index >= 0
    out[..., present, :] = frames[..., index[present], :]
    return out


def mirror_frames(frames: np.ndarray, layout: Union[str, Layout]) -> np.ndarray:
    """Swap left and right joints by the layout's mirror table: (..., V, 3) -> (..., V, 3).

    Only the joint order changes; negating x (the geometric half of a mirror) is the caller's.
    """
    lay = get_layout(layout) if isinstance(layout, str) else layout
    return frames[..., list(lay.mirror), :]


__all__ = [
    "LAYOUTS_ENV", "Layout", "LayoutError", "get_layout", "joint_map", "layout_names", "layouts_path",
    "load_layouts", "map_frames", "mirror_frames",
]
