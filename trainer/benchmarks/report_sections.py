"""BENCHMARKS.md is written by scripts only: each script owns one section between markers
<!-- begin:NAME --> and <!-- end:NAME --> and replaces it, leaving the others alone."""

import platform
import re
import subprocess
import time
from pathlib import Path

import torch

BENCHMARKS = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
HEADER = ("# Trainer benchmarks\n\nWritten by the scripts named in each section; do not edit by hand. "
          "The machine is shared, so the load average at the start of a run is recorded with it.\n")


def replace_section(name: str, body: str, path: Path = BENCHMARKS) -> Path:
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    block = f"<!-- begin:{name} -->\n{body.rstrip()}\n<!-- end:{name} -->"
    pattern = re.compile(rf"<!-- begin:{re.escape(name)} -->.*?<!-- end:{re.escape(name)} -->", re.DOTALL)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = ", ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        load = "n/a"
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none"
    return (f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {cpu}, {__import__('os').cpu_count()} cores; "
            f"GPU: {gpu}; Python {platform.python_version()}, PyTorch {torch.__version__}; "
            f"load average at start {load}")


def git_revision() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              timeout=5).stdout.strip() or "uncommitted"
    except (OSError, subprocess.SubprocessError):
        return "unknown"
