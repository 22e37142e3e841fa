# tests/lib/common.sh: shared by integration and TUI tests (POSIX sh).
# Gives: $ROOT (a private CONMUX_ROOT), $CONMUX, $ROOTFS, $RUNTIME, TAP
# helpers, and a trap that removes every container the test made, even
# when it fails.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
CONMUX=${CONMUX:-$TOP/build/conmux}
RUNTIME=${CONMUX_RUNTIME:-runc}
export CONMUX_RUNTIME=$RUNTIME
ROOTFS=$TOP/build/rootfs
ROOT=$(mktemp -d /tmp/cxt.XXXXXX)
export CONMUX_ROOT=$ROOT
# A developer's own conmux.conf and keymap never reach a test.
export XDG_CONFIG_HOME=$ROOT/config
T_N=0
T_FAILED=0

[ -x "$ROOTFS/bin/busybox" ] || sh "$TOP/scripts/mkrootfs.sh" "$ROOTFS"

cx() { "$CONMUX" "$@"; }

# Remove every container under $ROOT, whatever state it is in.
cleanup_containers() {
	for d in "$ROOT"/containers/*/; do
		[ -d "$d" ] || continue
		id=$(basename "$d")
		rtname=$(sed -n 's/.*"runtime":[[:space:]]*"\([a-z]*\)".*/\1/p' "$d/container.json" 2>/dev/null | head -1)
		[ -n "$rtname" ] || rtname=$RUNTIME
		"$rtname" --root "$ROOT/run/$rtname" delete --force "$id" >/dev/null 2>&1
		if [ -f "$d/userdata/conmon.pid" ]; then
			kill -9 "$(cat "$d/userdata/conmon.pid")" 2>/dev/null
		fi
	done
	for r in runc crun; do
		[ -d "$ROOT/run/$r" ] || continue
		for s in "$ROOT/run/$r"/*/; do
			[ -d "$s" ] || continue
			"$r" --root "$ROOT/run/$r" delete --force "$(basename "$s")" >/dev/null 2>&1
		done
	done
}

t_cleanup() {
	[ -n "${T_EXTRA_CLEANUP:-}" ] && eval "$T_EXTRA_CLEANUP"
	cleanup_containers
	rm -rf "$ROOT"
	echo "1..$T_N"
	# the verdict is in the TAP lines; not the last command's status
	exit $T_FAILED
}
trap t_cleanup EXIT
trap 'exit 130' INT TERM HUP

ok() { T_N=$((T_N + 1)); echo "ok $T_N - $*"; }
not_ok() { T_N=$((T_N + 1)); T_FAILED=1; echo "not ok $T_N - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
skip() { T_N=$((T_N + 1)); echo "ok $T_N - $1 # SKIP $2"; }

# check DESC CMD...: ok when CMD succeeds.
check() {
	desc=$1; shift
	if out=$("$@" 2>&1); then ok "$desc"; else not_ok "$desc" "command: $*" "output: $out"; fi
}
# check_eq DESC EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "expected: $2" "actual:   $3"; fi
}
# check_match DESC REGEX TEXT
check_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then ok "$1"; else not_ok "$1" "no match for /$2/ in:" "$3"; fi
}
# wait_until SECONDS CMD...: retry CMD until it succeeds (tests only).
wait_until() {
	limit=$1; shift
	i=0
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -le $((limit * 20)) ] || return 1
		sleep 0.05
	done
	return 0
}

# field NAME KEY: a field of `conmux inspect NAME` (strings unquoted).
field() {
	cx inspect "$1" 2>/dev/null | sed -n "s/^[[:space:]]*\"$2\":[[:space:]]*\"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" | head -1
}
state_is() { [ "$(field "$1" state)" = "$2" ]; }
