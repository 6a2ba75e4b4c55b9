#!/usr/bin/env bash
# Preprocessing speed on one core: pktgrid vs Debian's ndpiReader vs tshark
# over the same captures, from the page cache. See README.md.
#
#   bench/preprocess/run.sh [--repeat N] [--no-per-file] [CAPTURES_DIR]
#
# Default captures: ../shared/pcaps/ndpi. Every tool is pinned to CPU 0
# (taskset -c 0) and measured in CPU seconds (user + sys), best of N runs.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
repeat=3
per_file=1
dir="${PKTGRID_SHARED_PCAPS:-$root/../shared/pcaps}/ndpi"
while (($#)); do
  case "$1" in
    --repeat) repeat="$2"; shift 2 ;;
    --no-per-file) per_file=0; shift ;;
    *) dir="$1"; shift ;;
  esac
done
[[ -d "$dir" ]] || { echo "run.sh: $dir not found" >&2; exit 1; }
for tool in ndpiReader tshark mergecap taskset; do
  command -v "$tool" >/dev/null ||
    { echo "run.sh: $tool missing (deploy/setup.sh installs it)" >&2; exit 1; }
done

bazel build //bench/preprocess:preprocess_bench >&2
bench="$(bazel info bazel-bin 2>/dev/null)/bench/preprocess/preprocess_bench"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mapfile -t files < <(find "$dir" -maxdepth 1 -type f | sort)
# ndpiReader takes a playlist: a text file whose name has no ".pcap".
printf '%s\n' "${files[@]}" >"$tmp/playlist"
cat "${files[@]}" >/dev/null  # into the page cache
bytes=$(cat "${files[@]}" | wc -c)
# tshark reads one file per run: the captures concatenated (mergecap -a,
# pcapng keeps each file's link type) so its start-up is paid once.
mergecap -a -F pcapng -w "$tmp/all.pcapng" "${files[@]}"

# Best user+sys CPU seconds of `repeat` runs of "$@" on CPU 0.
cpu_best() {
  local best="" t
  for ((r = 0; r < repeat; r++)); do
    t=$( { TIMEFORMAT='%U %S'; time taskset -c 0 "$@" >/dev/null 2>&1; } 2>&1 |
      awk '{print $1 + $2}')
    if [[ -z "$best" ]] || awk -v a="$t" -v b="$best" 'BEGIN{exit !(a<b)}'; then
      best="$t"
    fi
  done
  echo "$best"
}

echo "captures: ${#files[@]} files, $((bytes / 1000000)) MB, from $dir" >&2
taskset -c 0 "$bench" --repeat "$repeat" "${files[@]}" >"$tmp/pktgrid.txt"
cat "$tmp/pktgrid.txt" >&2
frames=$(awk '$1=="RESULT" && $2=="pipeline" {print $3}' "$tmp/pktgrid.txt")
t_decode=$(awk '$1=="RESULT" && $2=="decode" {print $5}' "$tmp/pktgrid.txt")
t_pipe=$(awk '$1=="RESULT" && $2=="pipeline" {print $5}' "$tmp/pktgrid.txt")
t_data=$(awk '$1=="RESULT" && $2=="dataset" {print $5}' "$tmp/pktgrid.txt")

# ndpiReader -t (tunnels, as the reference labelling) over the playlist in
# one process: one nDPI module, like pktgrid.
t_ndpi=$(cpu_best ndpiReader -t -q -i "$tmp/playlist")
# tshark extracting the TCP/UDP payload bytes of every packet.
t_tshark=$(cpu_best tshark -n -r "$tmp/all.pcapng" -T fields -e tcp.payload \
  -e udp.payload)
# ndpiReader as the reference labelling was made: one process per file.
t_ndpi_files=""
if ((per_file)); then
  { TIMEFORMAT='%U %S'; time (for f in "${files[@]}"; do
      taskset -c 0 ndpiReader -t -q -i "$f" >/dev/null 2>&1 || true
    done); } 2>"$tmp/t"
  t_ndpi_files=$(awk '{print $1 + $2}' "$tmp/t")
fi

echo
echo "Preprocessing $frames packets ($((bytes / 1000000)) MB, ${#files[@]} captures)" \
  "on one core (CPU 0), page-cached, best of $repeat:"
printf '%-52s %9s %13s %9s\n' "tool" "CPU s" "packets/s" "pktgrid x"
row() {  # name seconds
  awk -v n="$1" -v s="$2" -v f="$frames" -v p="$t_pipe" 'BEGIN {
    printf "%-52s %9.3f %13.0f %9.1f\n", n, s, f / s, s / p }'
}
row "pktgrid decode only (ceiling)" "$t_decode"
row "pktgrid decode+flow+label+feature (pipeline)" "$t_pipe"
row "pktgrid BuildDatasetInMemory (+SHA-256, sample, split)" "$t_data"
row "ndpiReader -t, one process (playlist)" "$t_ndpi"
[[ -n "$t_ndpi_files" ]] && row "ndpiReader -t, one process per file" "$t_ndpi_files"
row "tshark -T fields -e tcp.payload -e udp.payload" "$t_tshark"
echo "(pktgrid x = that tool's time / pktgrid pipeline time)"
