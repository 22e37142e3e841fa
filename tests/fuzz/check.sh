#!/bin/sh
# A short run of every libFuzzer target from its committed corpus
# (tests/fuzz/corpus/<target>/ and tests/fixtures), SECONDS each (default
# 3): a crash in the corpus, or one found in those seconds, fails. TAP
# lines; skipped, with the reason, when clang or libFuzzer is missing.
set -u
cd "$(dirname "$0")/../.."
SECS=${1:-3}
n=0
if ! command -v clang >/dev/null; then
	echo "ok 1 - fuzz targets # SKIP clang is not installed (scripts/deps.sh could not install it)"
	echo "1..1"
	exit 0
fi
if ! make --no-print-directory fuzz-build >build/fuzz-build.log 2>&1; then
	if grep -q 'fuzzer' build/fuzz-build.log && ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n){return 0;}' |
		clang -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then
		echo "ok 1 - fuzz targets # SKIP clang has no libFuzzer here"
		echo "1..1"
		exit 0
	fi
	tail -n 30 build/fuzz-build.log
	echo "not ok 1 - fuzz targets build"
	echo "1..1"
	exit 1
fi
failed=0
for t in build/fuzz/fuzz-*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	n=$((n + 1))
	scratch=build/fuzz/check-$name
	rm -rf "$scratch" && mkdir -p "$scratch"
	corpus=tests/fuzz/corpus/$name
	[ -d "$corpus" ] || corpus=
	log=build/fuzz/check-$name.log
	if "$t" -max_total_time="$SECS" -max_len=4096 -print_final_stats=1 \
		-artifact_prefix="build/fuzz/$name-" \
		"$scratch" $corpus tests/fixtures >"$log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
		echo "ok $n - fuzz $name: ${execs:-?} executions in $SECS s, $cov, no crash"
	else
		echo "not ok $n - fuzz $name: crashed (log: $log)"
		grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -10 | sed 's/^/#   /'
		failed=1
	fi
	rm -rf "$scratch"
done
echo "1..$n"
exit $failed
