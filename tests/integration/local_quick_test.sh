#!/usr/bin/env bash
# The README's first command, minus the install and build: `pktgrid local`
# runs the quick preset end to end on a generated capture, prints every
# trial, and leaves the same rows in SQLite.
set -euo pipefail
runfiles="$TEST_SRCDIR/pktgrid"
work="$TEST_TMPDIR/local"

"$runfiles/cli/pktgrid" local --workdir="$work" --format=csv \
  --bin_dir="$runfiles/coordinator" >"$TEST_TMPDIR/results.csv" \
  2>"$TEST_TMPDIR/local.log" || {
  echo "pktgrid local failed:"; tail -30 "$TEST_TMPDIR/local.log"; exit 1; }

fail() { echo "FAIL: $*"; exit 1; }
rows=$(($(wc -l <"$TEST_TMPDIR/results.csv") - 1))
[[ $rows -eq 11 ]] || fail "expected 11 result rows, got $rows"
head -1 "$TEST_TMPDIR/results.csv" | grep -q '^trial_id,family,size,params,' \
  || fail "unexpected CSV header"
done_rows=$(grep -c ',done,' "$TEST_TMPDIR/results.csv" || true)
[[ $done_rows -eq 11 ]] || fail "expected 11 done trials, got $done_rows"

db="$work/pktgrid.sqlite"
q() { sqlite3 "$db" "$1"; }
[[ $(q "SELECT COUNT(*) FROM trials") -eq 11 ]] || fail "trials table"
[[ $(q "SELECT COUNT(*) FROM results") -eq 11 ]] || fail "results table"
# Seven groups (4 families + svm + 2 input sizes): one benchmark each.
[[ $(q "SELECT COUNT(*) FROM benchmarks WHERE pps > 0") -eq 7 ]] \
  || fail "benchmarks table"
# Seven classes: deep_cnn f=4 has the paper's 1978 parameters minus 3
# output units (3 * 5) = 1963; the SVM 7 * 1481.
[[ $(q "SELECT DISTINCT param_count FROM results JOIN trials USING (trial_id)
        WHERE family = 'deep_cnn' AND input_bytes = 1480") -eq 1963 ]] \
  || fail "deep_cnn parameter count"
[[ $(q "SELECT param_count FROM results JOIN trials USING (trial_id)
        WHERE family = 'svm'") -eq 10367 ]] || fail "svm parameter count"
grep -q 'sweep finished in' "$TEST_TMPDIR/local.log" || fail "no summary line"
# Nothing is left running.
if pgrep -f "$work" >/dev/null; then fail "child processes left running"; fi
echo "local quick sweep: 11 trials, 7 benchmarks, rows match"
