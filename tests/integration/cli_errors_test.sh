#!/usr/bin/env bash
# Bad input to `pktgrid` gets a clear message naming what was wrong and a
# non-zero exit code.
set -u
pktgrid="$TEST_SRCDIR/pktgrid/cli/pktgrid"
tmp="$TEST_TMPDIR"
failures=0

# expect CODE PATTERN -- COMMAND...: runs it, checks exit code and stderr.
expect() {
  local code="$1" pattern="$2"
  shift 3
  local err
  err=$("$@" 2>&1 >/dev/null)
  local rc=$?
  if [[ $rc -ne $code ]] || ! grep -qF -- "$pattern" <<<"$err"; then
    echo "FAIL: ${*#$pktgrid} -> exit $rc (want $code), stderr:"
    echo "$err" | sed 's/^/    /'
    echo "  wanted: $pattern"
    failures=$((failures + 1))
  else
    echo "ok: pktgrid ${*:2}"
  fi
}

cat >"$tmp/bad-family.textproto" <<'SPEC'
grids { family: "resnet" sizes: "4" learning_rates: 0.1 dropouts: 0.1 }
SPEC
cat >"$tmp/empty.textproto" <<'SPEC'
name: "nothing"
SPEC
cat >"$tmp/syntax.textproto" <<'SPEC'
grids { famly: "svm" }
SPEC
printf 'this is not a capture\n' >"$tmp/corrupt.pcap"

expect 2 'unknown family; expected one of deep_cnn' -- \
  "$pktgrid" launch --spec="$tmp/bad-family.textproto" --dataset=x
expect 2 'empty grid: no grids given' -- \
  "$pktgrid" launch --spec="$tmp/empty.textproto" --dataset=x
expect 2 "$tmp/syntax.textproto: line 1 column" -- \
  "$pktgrid" launch --spec="$tmp/syntax.textproto" --dataset=x
expect 1 "$tmp/missing.pcap" -- \
  "$pktgrid" preprocess --out="$tmp/d.pktds" "$tmp/missing.pcap"
expect 1 "$tmp/corrupt.pcap" -- \
  "$pktgrid" preprocess --out="$tmp/d.pktds" "$tmp/corrupt.pcap"
expect 2 'unknown command "frobnicate"' -- "$pktgrid" frobnicate
expect 2 '--format=xml: expected table, csv or json' -- \
  "$pktgrid" local --format=xml --dataset=/nonexistent
expect 1 '/nonexistent: cannot open' -- \
  "$pktgrid" local --workdir="$tmp/local" --dataset=/nonexistent
expect 1 'unreachable' -- \
  "$pktgrid" results --coordinator=127.0.0.1:1 --sweep=abc

# A good capture next to a corrupt one: the corrupt one is named, the good
# one still makes a dataset.
"$pktgrid" synth --out="$tmp/good.pcap" 2>/dev/null
expect 0 "$tmp/corrupt.pcap" -- \
  "$pktgrid" preprocess --per_class=100 --out="$tmp/d.pktds" \
  "$tmp/good.pcap" "$tmp/corrupt.pcap"
[[ -s "$tmp/d.pktds" ]] || { echo "FAIL: no dataset written"; failures=$((failures + 1)); }

echo "$failures failure(s)"
exit $((failures > 0))
