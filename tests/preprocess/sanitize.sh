#!/usr/bin/env bash
# Runs pktgrid's preprocessing over every capture in ../shared/pcaps/ndpi (or
# the folders/files given) under AddressSanitizer + UndefinedBehaviorSanitizer
# and fails on any sanitizer report. Unreadable files are listed with their
# reason (they are not failures: the pipeline reports them and goes on).
#
#   tests/preprocess/sanitize.sh [CAPTURES_OR_DIRS...]
#
# Builds //tests/preprocess:summarize with -fsanitize=address,undefined in
# the same output base as every other build, under --platform_suffix=asan:
# the instrumented objects land in their own bazel-out/k8-opt-asan tree, so
# the normal build's outputs are not overwritten, and --symlink_prefix=/ leaves
# the bazel-bin links alone (only the project's own C++
# is recompiled; Debian's libraries are used as they are).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
inputs=("$@")
if ((${#inputs[@]} == 0)); then
  shared="${PKTGRID_SHARED_PCAPS:-$root/../shared/pcaps}"
  if [[ ! -d "$shared/ndpi" ]]; then
    echo "sanitize: $shared/ndpi not found; nothing to check (skipped)" >&2
    exit 0
  fi
  inputs=("$shared/ndpi")
fi

flags=(
  --platform_suffix=asan
  --symlink_prefix=/
  --copt=-fsanitize=address,undefined
  --copt=-fno-sanitize-recover=all
  --copt=-fno-omit-frame-pointer
  --linkopt=-fsanitize=address,undefined
)
bazel build "${flags[@]}" //tests/preprocess:summarize >&2
bin="$(bazel info "${flags[@]}" bazel-bin 2>/dev/null)/tests/preprocess/summarize"

export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:detect_leaks=1:exitcode=86"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=87"

mapfile -t files < <(find "${inputs[@]}" -type f | sort)
echo "sanitize: ${#files[@]} captures, one process (the nDPI module is reused" \
  "across files, as in production)" >&2
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
"$bin" --nodrop "${files[@]}" >"$log" 2>&1 || status=$?
if ((status != 0)) || grep -q -E "ERROR: (Address|Leak)Sanitizer|runtime error:" "$log"; then
  cat "$log" >&2
  echo "sanitize: FAILED (exit $status); finding the file(s)..." >&2
  for f in "${files[@]}"; do
    if ! "$bin" --nodrop "$f" >/dev/null 2>"$log.one" ||
      grep -q -E "Sanitizer|runtime error:" "$log.one"; then
      echo "sanitize: report on $f" >&2
      head -40 "$log.one" >&2
    fi
  done
  rm -f "$log.one"
  exit 1
fi
echo "Unreadable or partly read files (named with the reason):"
grep -E " ERROR |    error after " "$log" || echo "  (none)"
grep -E "^[0-9]+ files \(" "$log"
echo "sanitize: OK: no AddressSanitizer/UndefinedBehaviorSanitizer report"
