"""A run folder: log.txt (console + file), config.yaml, metrics.json, checkpoint.pt, plots.

    run = RunFolder.create(args.out, "pretrain")
    run.log.info("...")
    run.write_metrics({"top1": 0.83, ...})
"""

import json
import logging
import sys
import time
from pathlib import Path
from typing import Any, Dict, Optional

import yaml

LOG_NAME = "log.txt"
METRICS_NAME = "metrics.json"
CONFIG_NAME = "config.yaml"


class RunFolder:
    def __init__(self, path: Path, command: str):
        self.path = path
        self.command = command
        self.path.mkdir(parents=True, exist_ok=True)
        self.log = logging.getLogger(f"skelstream.{command}.{id(self)}")
        self.log.setLevel(logging.INFO)
        self.log.propagate = False
        formatter = logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S")
        self._handlers = [logging.StreamHandler(sys.stderr),
                          logging.FileHandler(self.path / LOG_NAME, encoding="utf-8")]
        for handler in self._handlers:
            handler.setFormatter(formatter)
            self.log.addHandler(handler)

    @classmethod
    def create(cls, out: Optional[str], command: str) -> "RunFolder":
        """--out DIR, or runs/<command>-<UTC time> by default."""
        path = Path(out) if out else Path("runs") / f"{command}-{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}"
        return cls(path, command)

    def file(self, name: str) -> Path:
        return self.path / name

    def write_config(self, config: Dict[str, Any]) -> None:
        self.file(CONFIG_NAME).write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")

    def write_metrics(self, metrics: Dict[str, Any]) -> Path:
        path = self.file(METRICS_NAME)
        path.write_text(json.dumps(metrics, indent=2, sort_keys=False) + "\n", encoding="utf-8")
        return path

    def close(self) -> None:
        for handler in self._handlers:
            handler.close()
            self.log.removeHandler(handler)
