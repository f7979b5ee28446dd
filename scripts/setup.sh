#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks for SkelStream, and nothing more.
#   scripts/setup.sh java     JDK 17 + Maven (enough for the demo)
#   scripts/setup.sh all      also the trainer's Python stack (Debian packages, /usr/bin/python3)
# As root, missing packages are installed with apt-get; otherwise it stops and names them.
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-all}

java_pkgs=(openjdk-17-jdk-headless maven)
# Debian's PyTorch is importable only from /usr/bin/python3. Without libopenblas0-pthread it falls
# back to the reference BLAS and trains about 12x slower.
python_pkgs=(python3-torch python3-numpy python3-yaml python3-tqdm python3-pytest python3-onnx
             python3-matplotlib libopenblas0-pthread)
# Integration tests: a foreign Avro reader (python3-avro), the compose file parsed by a real tool,
# Prometheus config checked by promtool and a real Prometheus server scraping the app.
# The live page's browser test: Debian's Chromium driven by Playwright (node from npm).
it_pkgs=(python3-avro docker-compose prometheus chromium)

wanted=()
case "$what" in
  java) wanted=("${java_pkgs[@]}") ;;
  all)  wanted=("${java_pkgs[@]}" "${python_pkgs[@]}" "${it_pkgs[@]}") ;;
  *)    echo "usage: $0 [java|all]" >&2; exit 2 ;;
esac

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
for p in "${wanted[@]}"; do
  installed "$p" || missing+=("$p")
done
# A JDK 17 and Maven found on PATH some other way (SDKMAN, a tarball) are fine too.
if [[ " ${missing[*]-} " == *" openjdk-17-jdk-headless "* ]] && command -v javac >/dev/null \
   && javac -version 2>&1 | grep -Eq 'javac (1[7-9]|[2-9][0-9])'; then
  missing=("${missing[@]/openjdk-17-jdk-headless}")
fi
if [[ " ${missing[*]-} " == *" maven "* ]] && command -v mvn >/dev/null; then
  missing=("${missing[@]/maven}")
fi
clean=()
for p in "${missing[@]-}"; do [[ -n "$p" ]] && clean+=("$p"); done
missing=("${clean[@]-}")

# Node.js and npm (any recent install counts, e.g. NodeSource's) for the browser test.
if [[ "$what" == all ]] && ! { command -v node >/dev/null && command -v npm >/dev/null; }; then
  missing+=(nodejs npm)
fi

install_node_modules() {
  local dir=integration-tests/src/test/js/live
  if [[ "$what" == all && ! -d "$dir/node_modules" ]]; then
    echo "setup: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

if [[ ${#missing[@]} -eq 0 || -z "${missing[0]-}" ]]; then
  install_node_modules
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "SkelStream needs these Debian packages, which are not installed:" >&2
  echo "  ${missing[*]}" >&2
  echo "Install them as root:  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_node_modules
echo "setup: done"
