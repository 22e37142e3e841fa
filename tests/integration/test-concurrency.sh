#!/bin/sh
# Several conmux processes at once: events seen from another process, two
# concurrent stops, conmux SIGKILLed mid-operation, conmon dying, exits
# that happen while no conmux runs.
. "$(dirname "$0")/../lib/common.sh"

"$CONMUX" events --json >"$ROOT/ev.log" 2>&1 &
evpid=$!
T_EXTRA_CLEANUP="kill $evpid 2>/dev/null"
# ready once its inotify watches exist (no sleeps)
wait_until 10 sh -c "grep -qs 'inotify wd' /proc/$evpid/fdinfo/*" &&
	ok "events process is watching" || not_ok "events process is watching"

# (not an instant exit: one that comes before `runtime start` returns is
# never recorded as running, and the test would race it)
id=$(cx run -d --name e1 --rootfs "$ROOTFS" -- sh -c 'sleep 0.3; exit 5')
cx wait e1 >/dev/null
wait_until 10 grep -q "\"id\":\"$id\",\"name\":\"e1\",\"state\":\"exited\",\"exit_code\":5" "$ROOT/ev.log"
check_match "events from another process: created" "\"name\":\"e1\",\"state\":\"created\"" "$(cat "$ROOT/ev.log")"
check_match "events from another process: running" "\"name\":\"e1\",\"state\":\"running\"" "$(cat "$ROOT/ev.log")"
check_match "events from another process: exited with its code" "\"name\":\"e1\",\"state\":\"exited\",\"exit_code\":5" "$(cat "$ROOT/ev.log")"
cx rm e1 >/dev/null
wait_until 10 grep -q '"name":"e1","state":"removed"' "$ROOT/ev.log"
check_match "events: removed" '"name":"e1","state":"removed"' "$(cat "$ROOT/ev.log")"

# Two stops at once: both succeed, the container is stopped once.
cx run -d --name s --stop-timeout 5 --rootfs "$ROOTFS" -- sh -c 'trap "exit 0" TERM; echo trapped; while :; do sleep 0.1; done' >/dev/null
# PID 1 ignores a TERM that comes before its trap is set: wait for it
wait_until 10 sh -c "'$CONMUX' logs s | grep -q trapped"
cx stop s >"$ROOT/s1" 2>&1 & p1=$!
cx stop s >"$ROOT/s2" 2>&1 & p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
check_eq "two concurrent stops both succeed" "0 0" "$r1 $r2"
check_eq "both print the container" "s s" "$(cat "$ROOT/s1") $(cat "$ROOT/s2")"
n=$(cx inspect s | grep -c '"state":[[:space:]]*"stopping"')
check_eq "stopped once: one stopping entry in the timeline" 1 "$n"
check_eq "exit code of the single stop" 0 "$(field s exit_code)"

# conmux SIGKILLed mid-stop: the container keeps running, the next conmux
# sees the stop was abandoned, and a new stop works.
cx run -d --name stub --stop-timeout 30 --rootfs "$ROOTFS" -- sleep 1000 >/dev/null
"$CONMUX" stop -t 30 stub >/dev/null 2>&1 &
sp=$!
wait_until 10 state_is stub stopping
kill -9 $sp; wait $sp 2>/dev/null
check "the container survives conmux's SIGKILL" kill -0 "$(field stub pid)"
check_eq "the abandoned stop is reconciled back to running" running "$(field stub state)"
cx stop -t 1 stub >/dev/null
check_eq "a new stop works (137 after the timeout)" 137 "$(field stub exit_code)"

# Exits while no conmux runs are picked up with their codes.
cx run -d --name later --rootfs "$ROOTFS" -- sh -c 'sleep 0.5; exit 7' >/dev/null
lid=$(field later id)
wait_until 10 test -f "$ROOT/run/exits/$lid"
check_eq "an exit while no conmux ran: picked up with its code" 7 "$(field later exit_code)"

# conmon dies without an exit file: unknown, then reconciled with the
# runtime's state.
cx run -d --name orphan --rootfs "$ROOTFS" -- sleep 1000 >/dev/null
oid=$(field orphan id)
opid=$(field orphan pid)
kill -9 "$(cat "$ROOT/containers/$oid/userdata/conmon.pid")"
wait_until 10 state_is orphan unknown
out=$(cx ps -a)
check_match "conmon gone: state unknown" 'orphan +unknown' "$out"
check_match "the reason is recorded" 'unmonitored|conmon exited without an exit file' "$(cx inspect orphan)"
kill -9 "$opid"
wait_until 10 state_is orphan exited
check_eq "reconciled with the runtime's state once it stopped" exited "$(field orphan state)"
check "and it is removable" cx rm orphan

# An exit that beats our own `runtime kill` back: the stop finishes while
# the kill command still runs (a use-after-free once, caught under ASan).
fails=0
i=0
while [ $i -lt 10 ]; do
	cx run -d --name fast$i --rootfs "$ROOTFS" -- sh -c 'trap "exit 0" TERM; sleep 1000 & wait' >/dev/null
	out=$(cx stop fast$i 2>&1) || fails=$((fails + 1))
	[ "$out" = "fast$i" ] || fails=$((fails + 1))
	i=$((i + 1))
done
check_eq "10 stops of containers that die at once on SIGTERM" 0 "$fails"
