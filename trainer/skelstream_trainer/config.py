"""Run configuration: a preset name (configs/<name>.yaml) or a YAML file, plus overrides.

The config is plain JSON-able data (dicts, lists, numbers, strings): it is stored inside
checkpoints and metrics.json as is, so loading never unpickles objects.
"""

import copy
from pathlib import Path
from typing import Any, Dict, Iterable

import yaml

PRESETS_DIR = Path(__file__).resolve().parent.parent / "configs"


class ConfigError(ValueError):
    """A config file or override is missing, malformed or names an unknown key."""


def preset_names():
    return sorted(p.stem for p in PRESETS_DIR.glob("*.yaml"))


def load_config(name_or_path: str, overrides: Iterable[str] = ()) -> Dict[str, Any]:
    """``tiny`` / ``base`` (a preset) or a path to a YAML file; overrides are ``a.b=value``
    strings whose value is parsed as YAML (``pretrain.epochs=5``, ``model.overrides={depth: 2}``)."""
    path = Path(name_or_path)
    if not path.suffix and not path.exists():
        path = PRESETS_DIR / f"{name_or_path}.yaml"
        if not path.exists():
            raise ConfigError(f"unknown config {name_or_path!r}: not a file and not a preset "
                              f"({', '.join(preset_names())})")
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"{path}: not valid YAML: {e}") from None
    if not isinstance(config, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    config.setdefault("name", path.stem)
    for item in overrides:
        apply_override(config, item)
    return config


def apply_override(config: Dict[str, Any], item: str) -> None:
    if "=" not in item:
        raise ConfigError(f"override {item!r} must look like section.key=value")
    key, raw = item.split("=", 1)
    parts = key.strip().split(".")
    node = config
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            raise ConfigError(f"override {item!r}: {part!r} is not a section of the config")
        node = node[part]
    if parts[-1] not in node:
        raise ConfigError(f"override {item!r}: unknown key {parts[-1]!r} (known: {', '.join(sorted(node))})")
    node[parts[-1]] = yaml.safe_load(raw)


def section(config: Dict[str, Any], name: str) -> Dict[str, Any]:
    """A copy of one section; a missing section is a ConfigError naming it."""
    if not isinstance(config.get(name), dict):
        raise ConfigError(f"config {config.get('name')!r} has no section {name!r}")
    return copy.deepcopy(config[name])
