#!/bin/sh
# Crash consistency: a randomized fault test. Each iteration starts one
# operation at random (run -d, stop -t 1, kill, rm -f, pause, resume,
# restart, exec, create+start, checkpoint) and SIGKILLs that conmux process
# after a random 0-60 ms; then the next conmux reconciles and the
# invariants must hold:
# - every container has a valid state and none is broken;
# - every container in the runtime's state root is in the store, and every
#   created, running or paused one in the store is in the runtime's root;
# - every running or paused container has a live PID and a live conmon;
# - none stays stopping or removing, and no lock or op lock is held;
# - every container can be removed (swept every few iterations and at the
#   end), leaving no directory, runtime state or process behind.
# Checkpoint uses the recording fake runtime and fake CRIU of
# test-checkpoint.sh (tests/fixtures/fake-runtime-record.sh,
# fake-criu-ok.sh): CRIU cannot run on these kernels.
# SEED=N reruns a sequence; CRASH_ITER=N sets the iterations (default 100
# on the plain build, 30 with crun, 20 under ASan, to keep make check
# short).
. "$(dirname "$0")/../lib/common.sh"

FIX=$(cd "$TOP/tests/fixtures" && pwd -P)
SEED=${SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
case $CONMUX in
*asan*) DEF_ITER=20 ;;
*) if [ "$RUNTIME" = crun ]; then DEF_ITER=30; else DEF_ITER=100; fi ;;
esac
ITER=${CRASH_ITER:-$DEF_ITER}
SWEEP=15 # every SWEEP iterations: remove everything, check nothing is left
echo "# seed $SEED (rerun with SEED=$SEED), $ITER iterations, $RUNTIME"

mkdir -p "$ROOT/fakebin"
ln -s "$FIX/fake-runtime-record.sh" "$ROOT/fakebin/$RUNTIME"
export FAKE_REAL_RUNTIME="$(command -v "$RUNTIME")"

# A linear congruential generator: the same seed, the same sequence.
R=$SEED
rnd() {	# N: a number in [0, N) in $RN
	R=$(((R * 1103515245 + 12345) % 2147483648))
	RN=$(((R / 65536) % $1))
}

violations=0 midop=0 done_iter=0 serial=0
LAST_OP=none
violation() {
	violations=$((violations + 1))
	echo "# VIOLATION (seed $SEED, iteration $done_iter, op: $LAST_OP): $*"
}

# ps -a --json as lines "id name state pid conmon_pid broken"
snapshot() {
	cx ps -a --json 2>"$ROOT/ps.err" | awk '
	function val(l) { sub(/^[^:]*:[ \t]*/, "", l); sub(/,$/, "", l); gsub(/"/, "", l); return l }
	/^[ \t]*"id":/ { id = val($0) }
	/^[ \t]*"name":/ { name = val($0) }
	/^[ \t]*"state":/ { st = val($0) }
	/^[ \t]*"pid":/ { pid = val($0) }
	/^[ \t]*"conmon_pid":/ { cp = val($0) }
	/^[ \t]*"broken":/ { print id, name, st, pid, cp, val($0) }'
}

# alive PID: a process that runs (a zombie does not: kill -0 would say yes).
alive() {
	[ -n "$1" ] && [ "$1" -gt 0 ] 2>/dev/null || return 1
	pst=$(sed -n 's/^[0-9]* (.*) \([A-Z]\).*/\1/p' "/proc/$1/stat" 2>/dev/null)
	[ -n "$pst" ] && [ "$pst" != Z ] && [ "$pst" != X ]
}

# The invariants, once; prints what is wrong, returns 1 if anything is.
check_once() {
	bad=0
	snap=$(snapshot)
	if [ -s "$ROOT/ps.err" ]; then
		echo "ps: $(head -3 "$ROOT/ps.err")"; bad=1
	fi
	echo "$snap" | while read -r id name st pid cp broken; do
		[ -n "$id" ] || continue
		case $st in
		configured | created | running | paused | exited | unknown) ;;
		*) echo "$name ($id): state $st"; exit 1 ;;
		esac
		[ "$broken" = false ] || { echo "$name: broken"; exit 1; }
		case $st in
		created | running | paused)
			[ -d "$ROOT/run/$RUNTIME/$id" ] ||
				{ echo "$name: $st but unknown to $RUNTIME"; exit 1; } ;;
		esac
		case $st in
		running | paused)
			alive "$pid" ||
				{ echo "$name: $st, pid $pid is dead"; exit 1; }
			alive "$cp" ||
				{ echo "$name: $st, conmon $cp is dead"; exit 1; } ;;
		esac
		for l in lock oplock; do
			f=$ROOT/containers/$id/$l
			[ -f "$f" ] || continue
			flock -n -x "$f" true ||
				{ echo "$name: $l is held"; exit 1; }
		done
	done || bad=1
	left=$(ls -A "$ROOT/containers" | grep -E '^\.(new|rm)-')
	[ -z "$left" ] || { echo "half-made or half-removed: $(echo $left)"; bad=1; }
	for s in "$ROOT/run/$RUNTIME"/*/; do
		[ -d "$s" ] || continue
		sid=$(basename "$s")
		case $snap in
		*"$sid "*) ;;
		*) echo "runtime container $sid is not in the store"; bad=1 ;;
		esac
	done
	return $bad
}

# Let what the killed process started run out (runtime commands it ran,
# orphaned now), then the invariants must hold within 10 s.
check_all() {
	i=0
	while pgrep -f -- "--root $ROOT/run/" >/dev/null && [ $i -lt 100 ]; do
		sleep 0.05; i=$((i + 1))
	done
	i=0
	until msg=$(check_once 2>&1); do
		i=$((i + 1))
		if [ $i -ge 50 ]; then
			violation "$(echo "$msg" | head -5 | tr '\n' ';')"
			return
		fi
		sleep 0.2
	done
}

# Remove everything; nothing may be left.
sweep() {
	for id in $(cx ps -a -q 2>/dev/null); do
		out=$(cx rm -f "$id" 2>&1) || violation "rm -f $id: $out"
	done
	left=$(ls -A "$ROOT/containers" | grep -vx lock)
	[ -z "$left" ] || violation "left in containers/: $(echo $left)"
	left=$(ls -A "$ROOT/run/$RUNTIME" 2>/dev/null)
	[ -z "$left" ] || violation "left in run/$RUNTIME: $(echo $left)"
	i=0
	while pgrep -f -- "$ROOT/containers" >/dev/null && [ $i -lt 100 ]; do
		sleep 0.05; i=$((i + 1))
	done
	left=$(pgrep -af -- "$ROOT/containers" | head -3)
	[ -z "$left" ] || violation "processes left: $left"
}

# A random existing container (name in $TGT; empty when there is none).
pick() {
	set -- $(cx ps -a --json 2>/dev/null | sed -n 's/^[[:space:]]*"name":[[:space:]]*"\(.*\)",$/\1/p')
	TGT=
	[ $# -gt 0 ] || return 0
	rnd $#
	shift $RN
	TGT=$1
}

# bg_kill DELAY_MS CMD...: run CMD (a conmux), SIGKILL it after DELAY_MS.
# Sets KILLED=1 when it was still running (the kill landed mid-operation).
bg_kill() {
	ms=$1; shift
	"$@" >"$ROOT/op.out" 2>&1 &
	p=$!
	sleep "$(printf '0.%03d' "$ms")"
	kill -9 $p 2>/dev/null
	{ wait $p; } 2>/dev/null
	rc=$?
	KILLED=0
	[ $rc -eq 137 ] && KILLED=1
	return 0
}

newname() { serial=$((serial + 1)); NAME=k$serial; }
container_cmd() {	# half of them die at once on SIGTERM
	rnd 2
	if [ $RN -eq 0 ]; then
		CMD='sleep 1000'
	else
		CMD='trap "exit 0" TERM; sleep 1000 & wait'
	fi
}
ensure_some() {	# keep two or three containers to work on
	n=$(cx ps -a -q 2>/dev/null | wc -l)
	while [ "$n" -lt 2 ]; do
		newname; container_cmd
		out=$(cx run -d --name "$NAME" --rootfs "$ROOTFS" -- sh -c "$CMD" 2>&1) ||
			violation "run -d $NAME (not killed): $out"
		n=$((n + 1))
	done
}

OPS="run stop kill rm pause resume restart exec createstart checkpoint"
set -- $OPS
NOPS=$#
it=0
# ITER iterations; then more (up to 3 x ITER) while fewer than a quarter of
# the kills have landed mid-operation: a fast runtime (crun) finishes more
# operations inside 60 ms, and a run whose kills all come late tests little.
while [ $it -lt "$ITER" ] || { [ "$midop" -lt $((it / 4)) ] && [ $it -lt $((ITER * 3)) ]; }; do
	it=$((it + 1))
	ensure_some
	rnd "$NOPS"; op=$(echo $OPS | cut -d' ' -f$((RN + 1)))
	rnd 61; ms=$RN
	pick
	case $op in
	run)
		newname; container_cmd
		LAST_OP="run -d --name $NAME (kill after $ms ms)"
		bg_kill "$ms" "$CONMUX" run -d --name "$NAME" --rootfs "$ROOTFS" -- sh -c "$CMD" ;;
	stop)
		LAST_OP="stop -t 1 $TGT (kill after $ms ms)"
		bg_kill "$ms" "$CONMUX" stop -t 1 "$TGT" ;;
	kill)
		LAST_OP="kill $TGT (kill after $ms ms)"
		bg_kill "$ms" "$CONMUX" kill "$TGT" ;;
	rm)
		LAST_OP="rm -f $TGT (kill after $ms ms)"
		bg_kill "$ms" "$CONMUX" rm -f "$TGT" ;;
	pause)
		LAST_OP="pause $TGT (kill after $ms ms)"
		bg_kill "$ms" "$CONMUX" pause "$TGT" ;;
	resume)
		LAST_OP="resume $TGT (kill after $ms ms)"
		bg_kill "$ms" "$CONMUX" resume "$TGT" ;;
	restart)
		LAST_OP="restart -t 1 $TGT (kill after $ms ms)"
		bg_kill "$ms" "$CONMUX" restart -t 1 "$TGT" ;;
	exec)
		LAST_OP="exec $TGT (kill after $ms ms)"
		bg_kill "$ms" "$CONMUX" exec "$TGT" -- echo hi ;;
	createstart)
		newname; container_cmd
		rnd 2
		if [ $RN -eq 0 ]; then
			LAST_OP="create --name $NAME (kill after $ms ms)"
			bg_kill "$ms" "$CONMUX" create --name "$NAME" --rootfs "$ROOTFS" -- sh -c "$CMD"
		else
			LAST_OP="create --name $NAME, start (kill after $ms ms)"
			out=$(cx create --name "$NAME" --rootfs "$ROOTFS" -- sh -c "$CMD" 2>&1) ||
				violation "create $NAME (not killed): $out"
			bg_kill "$ms" "$CONMUX" start "$NAME"
		fi ;;
	checkpoint)
		LAST_OP="checkpoint $TGT (fake runtime and CRIU; kill after $ms ms)"
		bg_kill "$ms" "$CONMUX" --runtime "$ROOT/fakebin/$RUNTIME" \
			--criu "$FIX/fake-criu-ok.sh" checkpoint "$TGT" ;;
	esac
	midop=$((midop + KILLED))
	done_iter=$it
	check_all
	[ $((it % SWEEP)) -ne 0 ] || sweep
done
sweep

echo "# iterations: $done_iter, kills mid-operation: $midop, violations: $violations, seed: $SEED"
check_eq "$done_iter random operations SIGKILLed after 0-60 ms: no violation (seed $SEED)" 0 "$violations"
# The kill must land mid-operation often, or the test tests nothing.
if [ "$midop" -ge $((done_iter / 4)) ]; then
	ok "kills landed mid-operation: $midop of $done_iter"
else
	not_ok "kills landed mid-operation: only $midop of $done_iter"
fi
