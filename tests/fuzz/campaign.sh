#!/bin/sh
# The long fuzz campaign: every libFuzzer target (make fuzz-build), one at a
# time under nice, RUNS executions each (default 10 million), from its
# committed corpus and tests/fixtures. New inputs that add coverage are
# merged (-merge=1) into a fresh copy of the committed corpus, left in
# build/fuzz/campaign/merged-<target>/ for review. One summary line per
# target (executions, cov, ft, exec/s, crashes) in build/fuzz/campaign/summary.
# Usage: sh tests/fuzz/campaign.sh [TARGET...]
set -u
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-10000000}
OUT=build/fuzz/campaign
mkdir -p "$OUT"
# fuzz-store and fuzz-bundle write a file per input: on a tmpfs when there
# is one (three times faster than this machine's disk)
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TMPDIR=/dev/shm
	export TMPDIR
fi
targets=${*:-$(cd build/fuzz && ls -d fuzz-* | grep -v '\.' )}
for name in $targets; do
	t=build/fuzz/$name
	[ -x "$t" ] || { echo "$name: not built (make fuzz-build)"; continue; }
	work=$OUT/work-$name
	rm -rf "$work" && mkdir -p "$work"
	corpus=tests/fuzz/corpus/$name
	[ -d "$corpus" ] || corpus=
	log=$OUT/$name.log
	start=$(date +%s)
	nice -n 19 "$t" -runs="$RUNS" -max_len=4096 -print_final_stats=1 \
		-artifact_prefix="$OUT/$name-" \
		"$work" $corpus tests/fixtures >"$log" 2>&1
	rc=$?
	end=$(date +%s)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	cov=$(echo "$last" | grep -o 'cov: [0-9]*')
	ft=$(echo "$last" | grep -o 'ft: [0-9]*')
	crashes=$(ls "$OUT" | grep -c "^$name-\(crash\|leak\|timeout\|oom\)")
	# Keep the committed seeds; add only what brings new coverage.
	merged=$OUT/merged-$name
	rm -rf "$merged" && mkdir -p "$merged"
	[ -n "$corpus" ] && cp "$corpus"/* "$merged"/
	nice -n 19 "$t" -merge=1 -max_len=4096 "$merged" "$work" \
		>"$OUT/$name.merge.log" 2>&1
	echo "$name rc=$rc executions=${execs:-?} $cov $ft exec/s=${rate:-?}" \
		"seconds=$((end - start)) crashes=$crashes" \
		"corpus=$(ls "$merged" | wc -l)" | tee -a "$OUT/summary"
	rm -rf "$work" "${TMPDIR:-/tmp}"/cx-fuzz-*
done
