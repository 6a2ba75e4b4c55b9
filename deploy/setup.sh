#!/usr/bin/env bash
# Installs every Debian package pktgrid needs to build, test and run. Debian's archive
# is the only source: nothing is downloaded from anywhere else. Idempotent and
# non-interactive; safe to re-run.
set -euo pipefail

PACKAGES=(
  # Build toolchain: Bazel 4.2.3 from Debian and the rule sets it needs offline.
  bazel-bootstrap bazel-rules-java bazel-platforms
  g++ pkg-config git ca-certificates
  # Libraries from the design card.
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libsqlite3-dev libpcap-dev libgtest-dev libgmock-dev
  libtorch-dev libsvm-dev liblinear-dev
  libndpi-dev
  # LibTorch only uses OpenBLAS when this is installed; without it matrix work
  # falls back to reference BLAS and training is several times slower.
  libopenblas0-pthread
  # Reference tools used by benchmarks and the label-agreement check.
  libndpi-bin sqlite3 clang-format
  # Certificates for the TLS tests.
  openssl
  # Payload-extraction baseline for bench/preprocess (speed beside tshark).
  tshark
  # PyTorch for Python: the reference side of bench/training (speed, parity).
  python3-torch python3-numpy
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' \
    || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q >&2
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
else
  echo "setup: all ${#PACKAGES[@]} packages already installed" >&2
fi
