#!/usr/bin/env bash
# Every SkelStream benchmark in one run on one machine; rewrites BENCHMARKS.md at the repository root, one
# marker-delimited section per benchmark script, plus the machine it ran on (`make bench` calls this).
#
#   scripts/bench.sh                      # build, then encoder, trainer and pipeline benchmarks (~20 min on 2 cores)
#   scripts/bench.sh --quick              # short durations: a smoke test, numbers indicative only
#   scripts/bench.sh --only pipeline      # some of: encoder,trainer,pipeline (the other sections stay as they are)
#   scripts/bench.sh --pipeline ingest,latency   # some of: ingest,saturation,latency,scaling
#   scripts/bench.sh --no-build           # use what the last build left
#
# Environment: MAVEN_ARGS (extra Maven flags, e.g. -o), SKELSTREAM_TARGET (the Maven output folder name, default
# target), PYTHON (default /usr/bin/python3), BENCHMARKS (the file to write, default BENCHMARKS.md at the root).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PYTHON=${PYTHON:-/usr/bin/python3}
TARGET=${SKELSTREAM_TARGET:-target}
BENCHMARKS=$(realpath -m "${BENCHMARKS:-$ROOT/BENCHMARKS.md}")
QUICK=""
ONLY="encoder,trainer,pipeline"
PIPELINE="ingest,saturation,latency,scaling"
BUILD=yes
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) QUICK=--quick ;;
        --only) ONLY=$2; shift ;;
        --pipeline) PIPELINE=$2; shift ;;
        --no-build) BUILD=no ;;
        -h|--help) sed -n 2,13p "$0"; exit 0 ;;
        *) echo "bench.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done
wants() { [[ ,$ONLY, == *,$1,* ]]; }

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_BEFORE=$(loadavg)
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
STAGES=()
stage_done() { STAGES+=("$1: load average $(loadavg) after it"); echo "== $1 done; load average $(loadavg)"; }

# Rewrites the text between <!-- NAME:begin --> and <!-- NAME:end --> with the body on stdin; a missing section goes
# right after the title when FIRST=1, else at the end.
WRITE_SECTION_PY=$(cat <<'PY'
import re, sys
from pathlib import Path
path, name, first = Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "1"
body = sys.stdin.read().strip()
text = path.read_text() if path.exists() else "# Benchmarks\n"
begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
block = f"{begin}\n{body}\n{end}"
pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.DOTALL)
if pattern.search(text):
    text = pattern.sub(lambda _: block, text, count=1)
elif first:
    title, _, rest = text.partition("\n")
    text = f"{title}\n\n{block}\n\n{rest.lstrip()}"
else:
    text = text.rstrip() + f"\n\n{block}\n"
path.write_text(text if text.endswith("\n") else text + "\n")
PY
)
write_section() { "$PYTHON" -c "$WRITE_SECTION_PY" "$BENCHMARKS" "$1" "${2:-0}"; }

if [[ $BUILD == yes ]]; then
    echo "== building (mvn install -DskipTests)"
    mvn -B -q ${MAVEN_ARGS:-} install -DskipTests -Dskelstream.target="$TARGET"
    stage_done "build"
fi

# ---- encoder (issue 4): the encoder engineer's script writes its own <!-- encoder-benchmark --> section.
if wants encoder; then
    echo "== encoder benchmark (encoder/bench/run.sh)"
    if [[ -n $QUICK ]]; then
        BENCHMARKS="$BENCHMARKS" BATCHES=${BATCHES:-1,32} SECONDS_PER_POINT=${SECONDS_PER_POINT:-1} encoder/bench/run.sh
    else
        BENCHMARKS="$BENCHMARKS" encoder/bench/run.sh
    fi
    stage_done "encoder"
fi

# ---- trainer (issue 3): trainer/benchmarks/speed.py writes trainer/BENCHMARKS.md; its section is copied here.
if wants trainer; then
    echo "== trainer benchmark (trainer/benchmarks/speed.py)"
    if [[ -n $QUICK ]]; then
        (cd trainer && "$PYTHON" -m benchmarks.speed --steps 2)
    else
        (cd trainer && "$PYTHON" -m benchmarks.speed)
    fi
    "$PYTHON" - trainer/BENCHMARKS.md <<'PY' | write_section trainer-benchmark
import re, sys
text = open(sys.argv[1]).read()
found = re.search(r"<!-- begin:speed -->\n(.*?)<!-- end:speed -->", text, re.DOTALL)
print("## Trainer: training samples/s per preset, PyTorch eager windows/s\n")
print("Measured by `trainer/benchmarks/speed.py` (`cd trainer && /usr/bin/python3 -m benchmarks.speed`) in this run; "
      "its own copy, with the trainer's other benchmarks (pre-training gain), is in "
      "[trainer/BENCHMARKS.md](trainer/BENCHMARKS.md).\n")
body = found.group(1).strip() if found else "(trainer/BENCHMARKS.md has no speed section: the trainer benchmark failed)"
print(re.sub(r"^(#+) ", r"\1# ", body, flags=re.MULTILINE))  # its headings one level down, under this one
PY
    stage_done "trainer"
fi

# ---- pipeline (issue 6): broker + app, in integration-tests/src/test/java/io/skelstream/it/bench/.
if wants pipeline; then
    echo "== pipeline benchmarks (io.skelstream.it.bench.PipelineBenchmark)"
    IT=integration-tests/$TARGET
    if [[ ! -f $IT/child-jvm.classpath || ! -d $IT/test-classes/io/skelstream/it/bench ]]; then
        echo "bench.sh: $IT has no test classes or child-jvm.classpath: build first (drop --no-build)" >&2
        exit 2
    fi
    # The project's own jars on the classpath are copied first: when the build took them from ~/.m2, another
    # build's `mvn install` during the run would swap them under the running JVMs (classes not yet loaded vanish).
    # A manifest-only jar then carries the long classpath: ONNX Runtime's Java binding crashes the JVM when
    # java.class.path is longer than a few kilobytes (see the harness's ChildJvm).
    "$PYTHON" - "$IT/test-classes" "$IT/child-jvm.classpath" "$IT/bench-classpath.jar" "$IT/bench-lib" <<'PY'
import shutil, sys, zipfile
from pathlib import Path
test_classes, classpath_file, jar, lib = sys.argv[1:5]
lib = Path(lib).resolve()  # absolute: the child JVMs run in other folders
lib.mkdir(exist_ok=True)
deps = []
for e in Path(classpath_file).read_text().strip().split(":"):
    if e and Path(e).is_file() and "/io/skelstream/" in e:
        e = shutil.copy2(e, lib / Path(e).name)
    if e:
        deps.append(str(e))
Path(classpath_file).with_name("bench-child-jvm.classpath").write_text(":".join(deps))  # beside test-classes, as ChildJvm expects
entries = [test_classes] + deps
uris = " ".join(Path(e).resolve().as_uri() + ("/" if Path(e).is_dir() else "") for e in entries)
line = "Class-Path: " + uris
# Manifest lines are at most 72 bytes; continuation lines start with one space.
chunks = [line[:72]] + [" " + line[i:i + 71] for i in range(72, len(line), 71)]
manifest = "Manifest-Version: 1.0\r\n" + "\r\n".join(chunks) + "\r\n\r\n"
with zipfile.ZipFile(jar, "w") as z:
    z.writestr("META-INF/MANIFEST.MF", manifest)
PY
    java -Xmx1g -cp "$IT/bench-classpath.jar" \
        -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.skelstream.schemas \
        -Dskelstream.it.classpathFile="$ROOT/$IT/bench-child-jvm.classpath" -Dskelstream.repoRoot="$ROOT" \
        -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
        io.skelstream.it.bench.PipelineBenchmark $QUICK --only "$PIPELINE" --out "$BENCHMARKS" \
        --work "$IT/bench-work"
    stage_done "pipeline"
fi

# ---- the machine, and how loaded it was: written last, when the load after is known.
LOAD_AFTER=$(loadavg)
TORCH=$("$PYTHON" -c 'import torch; print(torch.__version__)' 2>/dev/null || echo "not importable from $PYTHON")
ORT=$(sed -n 's:.*<onnxruntime.version>\(.*\)</onnxruntime.version>.*:\1:p' pom.xml | head -1)
{
    cat <<EOF
How to run: \`make bench\` (installs what is missing, then \`scripts/bench.sh\`: builds, then runs every benchmark in
one run on one machine; \`scripts/bench.sh --help\` for parts and \`--quick\`). Each section below is written by the
script that measured it, between its markers; nothing here is typed by hand. **The numbers are from the machine
named here and are only comparable with runs on the same machine at a similar load.**

- Run: $STARTED to $(date -u +%Y-%m-%dT%H:%M:%SZ)$( [[ -n $QUICK ]] && echo " (--quick: short durations, indicative only)"); parts: $ONLY$(wants pipeline && echo " (pipeline: $PIPELINE)")
- CPU: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores visible
- Memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
- OS: $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"), Linux $(uname -r) $(uname -m)
- JDK: $(java -version 2>&1 | sed -n 2p)
- ONNX Runtime (Java): $ORT; PyTorch: $TORCH ($PYTHON)
- Load average (1/5/15 min) before: $LOAD_BEFORE; after: $LOAD_AFTER (on $(nproc) cores: above $(nproc), other processes shared the CPU)
EOF
    for s in "${STAGES[@]}"; do echo "  - $s"; done
} | write_section bench-machine 1
echo "wrote $BENCHMARKS"
