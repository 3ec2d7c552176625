#!/usr/bin/env bash
# Installs everything hoptrace's build, tests, examples and benchmarks need, with apt-get, on
# Debian 12. Idempotent: when every package is present it returns in well under a second.
set -euo pipefail

packages=(
  # toolchains and build
  g++ clang-14 libclang-rt-14-dev cmake ninja-build pkg-config make
  # test and bench libraries
  googletest libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev
  # OTLP exporter and its tests
  libcurl4-openssl-dev zlib1g-dev protobuf-compiler
  # broker clients (adapters are built when these are found)
  librdkafka-dev
  # tools the scripts use
  python3 procps openssl
)

missing=()
for p in "${packages[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "setup.sh: missing packages: ${missing[*]}" >&2
  echo "setup.sh: run as root (or install them with sudo apt-get install) and try again" >&2
  exit 1
fi

echo "setup.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup.sh: done" >&2
