#!/bin/sh
# Build and run every suite: unit (cmocka), integration (real conmon with
# runc and crun), TUI (tmux), install (once). Unit and integration also run
# under ASan+UBSan. Every suite prints TAP lines; this script counts them and ends
# with one line: "N passed, N failed[, N skipped]".
set -u
cd "$(dirname "$0")/.."
TOP=$(pwd)
LOG=build/test-logs
mkdir -p "$LOG"
pass=0 fail=0 skip=0
failed_names=""

# (no suppressions: every leak is reported whole, and fails its suite)
export LSAN_OPTIONS="print_suppressions=0"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=86"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# A developer's own conmux.conf and keymap never reach a test (the suites'
# common.sh points it into each test's own root).
XDG_CONFIG_HOME=$(mktemp -d /tmp/cxt-xdg.XXXXXX)
export XDG_CONFIG_HOME
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT

# count SUITE LOGFILE EXITCODE: add the TAP results of one suite run.
count() {
	suite=$1 file=$2 rc=$3
	p=$(grep -cE '^ok [0-9]+' "$file" | head -1)
	s=$(grep -E '^ok [0-9]+' "$file" | grep -ciE '# skip')
	f=$(grep -cE '^not ok [0-9]+' "$file")
	p=$((p - s))
	grep -E '^ok [0-9]+.*# (SKIP|skip)' "$file" | sed "s/^/$suite: skipped: /"
	grep -E '^not ok [0-9]+' "$file" | sed "s/^/$suite: FAILED: /"
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# crashed, leaked or exited early: that is a failure too
		echo "$suite: FAILED: exited with status $rc (log: $file)"
		tail -n 30 "$file" | sed "s/^/    /"
		f=1
	fi
	if [ "$f" -gt 0 ]; then
		failed_names="$failed_names $suite"
		grep -B2 -A12 -E '^not ok' "$file" | head -60 | sed "s/^/    /"
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	echo "$suite: $p passed, $f failed, $s skipped"
}

build() {
	echo "== build $*"
	if ! make --no-print-directory -j2 "$@" tests >"$LOG/build.log" 2>&1; then
		cat "$LOG/build.log"
		echo "build failed: $*"
		return 1
	fi
}

run_unit() {	# BUILD_DIR TAG
	for t in "$1"/tests/test-*; do
		[ -x "$t" ] || continue
		name="unit$2:$(basename "$t")"
		out="$LOG/$(echo "$name" | tr ':/' '__').log"
		CMOCKA_MESSAGE_OUTPUT=TAP timeout 300 "$t" >"$out" 2>&1
		count "$name" "$out" $?
	done
}

run_integration() {	# CONMUX_BINARY TAG RUNTIME
	for t in tests/integration/test-*.sh; do
		name="integration$2:$3:$(basename "$t" .sh)"
		out="$LOG/$(echo "$name" | tr ':/' '__').log"
		if [ "$3" = crun ]; then
			# crun 1.8.1 refuses this host's hybrid cgroup layout: run
			# it in a private mount namespace without the cgroup2 mount.
			CONMUX="$1" CONMUX_RUNTIME=crun timeout 600 \
				sh tests/lib/crun-ns.sh sh "$t" >"$out" 2>&1
		else
			CONMUX="$1" CONMUX_RUNTIME="$3" timeout 600 sh "$t" >"$out" 2>&1
		fi
		count "$name" "$out" $?
	done
}

run_fuzz() {	# every libFuzzer target, a few seconds from its corpus
	out="$LOG/fuzz.log"
	timeout 600 sh tests/fuzz/check.sh "${FUZZ_CHECK_SECONDS:-3}" >"$out" 2>&1
	count "fuzz" "$out" $?
	grep -E '^ok [0-9]+ - fuzz ' "$out" | sed 's/^ok [0-9]* - /    /'
}

run_tui() {
	for t in tests/tui/test-*.sh; do
		[ -f "$t" ] || continue
		name="tui:$(basename "$t" .sh)"
		out="$LOG/$(echo "$name" | tr ':/' '__').log"
		CONMUX="$TOP/build/conmux" CONMUX_RUNTIME=runc timeout 600 sh "$t" >"$out" 2>&1
		count "$name" "$out" $?
	done
}

# Suites that run a single time, not per runtime or sanitizer: installing
# (make install, man pages, completion, the .deb) is about the build.
run_once() {
	for t in tests/install/test-*.sh; do
		[ -f "$t" ] || continue
		name="once:$(basename "$t" .sh)"
		out="$LOG/$(echo "$name" | tr ':/' '__').log"
		CONMUX="$TOP/build/conmux" CONMUX_RUNTIME=runc timeout 600 sh "$t" >"$out" 2>&1
		count "$name" "$out" $?
	done
}

if build && build B=build/asan SAN=1; then
	sh scripts/mkrootfs.sh build/rootfs || { echo "rootfs failed"; fail=$((fail + 1)); }
	run_unit build ""
	run_unit build/asan "-asan"
	run_fuzz
	run_integration "$TOP/build/conmux" "" runc
	run_integration "$TOP/build/conmux" "" crun
	run_integration "$TOP/build/asan/conmux" "-asan" runc
	run_tui
	run_once
else
	fail=$((fail + 1))
	failed_names="build"
fi

[ -n "$failed_names" ] && echo "failed suites:$failed_names"
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
