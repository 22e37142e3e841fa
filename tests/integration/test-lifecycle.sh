#!/bin/sh
# Lifecycle against real conmon and $CONMUX_RUNTIME (runc or crun) on a
# busybox rootfs: run, ps, logs, stop, kill, pause/resume, wait, rm, --rm,
# restart, inspect.
. "$(dirname "$0")/../lib/common.sh"

LOOP='trap "exit 0" TERM; echo started; while :; do sleep 0.1; done'

id=$(cx run -d --name web --stop-timeout 5 --rootfs "$ROOTFS" -- sh -c "$LOOP")
check_match "run -d prints the 64-hex ID" '^[0-9a-f]{64}$' "$id"
check_eq "run -d: state running" running "$(field web state)"
wait_until 5 sh -c "cx logs web | grep -q started" 2>/dev/null
check_match "logs shows the container's output" '^started$' "$(cx logs web)"

ps=$(cx ps --json)
check_match "ps --json has id, name, state" "\"name\":[[:space:]]*\"web\"" "$ps"
for k in id name state pid exit_code oom_killed created_at started_at finished_at command tty runtime conmon_pid; do
	printf '%s' "$ps" | grep -q "\"$k\":" || not_ok "ps --json has $k" "$ps"
done
ok "ps --json has every documented field"

# conmon leaves the caller's cgroup (a session's scope kill must not take
# it) for conmux/conmon; on cgroup v1 not in the cpu hierarchies, where it
# would share the containers' CPU weight (attach streams slowed).
cpid=$(cat "$ROOT/containers/$id/userdata/conmon.pid" 2>/dev/null)
cg=$(cat "/proc/$cpid/cgroup" 2>/dev/null)
if ! printf '%s\n' "$cg" | grep -q '/conmux/conmon$'; then
	skip "conmon's cgroups" "conmon was not moved here (no writable cgroupfs: $(printf '%s' "$cg" | tr '\n' ' '))"
elif [ -e /sys/fs/cgroup/cgroup.controllers ]; then
	check_match "cgroup v2: conmon in conmux/conmon" '^0::/conmux/conmon$' "$cg"
else
	check_match "cgroup v1: conmon in conmux/conmon for pids or memory" '^[0-9]+:[^:]*(pids|memory)[^:]*:/conmux/conmon$' "$cg"
	check_eq "cgroup v1: conmon not in conmux/conmon for cpu" "" \
	    "$(printf '%s\n' "$cg" | grep -E '^[0-9]+:[^:]*cpu[^:]*:/conmux/conmon$')"
fi
check_match "ps --json runtime is $RUNTIME" "\"runtime\":[[:space:]]*\"$RUNTIME\"" "$ps"
pid=$(field web pid)
check "the container's PID is alive on the host" kill -0 "$pid"

cx run -d --name short --rootfs "$ROOTFS" -- sh -c 'exit 3' >/dev/null
check_eq "wait prints the exit code" 3 "$(cx wait short)"
check_eq "inspect shows exit_code 3" 3 "$(field short exit_code)"
check_eq "exited container state" exited "$(field short state)"
check_match "ps without -a hides exited" '^$' "$(cx ps -q | grep "$(field short id | cut -c1-12)")"
check_match "ps -a lists exited" 'short' "$(cx ps -a)"

out=$(cx stop web)
check_eq "stop prints what it acted on" web "$out"
check_eq "stopped on SIGTERM: exit code 0" 0 "$(field web exit_code)"
check_eq "stopped state exited" exited "$(field web state)"
check "stop of an exited container succeeds" cx stop web

cx run -d --name stubborn --stop-timeout 1 --rootfs "$ROOTFS" -- sleep 1000 >/dev/null
cx stop -t 1 stubborn >/dev/null
check_eq "PID 1 ignoring SIGTERM is killed after the timeout: 137" 137 "$(field stubborn exit_code)"

cx run -d --name k --rootfs "$ROOTFS" -- sh -c 'trap "exit 42" HUP; while :; do sleep 0.1; done' >/dev/null
check_eq "kill -s HUP prints the name" k "$(cx kill -s HUP k)"
check_eq "the trap's exit code arrives" 42 "$(cx wait k)"

cx run -d --name p --rootfs "$ROOTFS" -- sh -c "$LOOP" >/dev/null
check "pause" cx pause p
check_eq "paused state" paused "$(field p state)"
check "resume" cx resume p
check_eq "running after resume" running "$(field p state)"
check "pause again" cx pause p
check "unpause alias" cx unpause p
check_eq "running after unpause" running "$(field p state)"

cx rm p >/dev/null 2>&1; rc=$?
check_eq "rm of a running container without -f is refused (exit 2)" 2 "$rc"
check_eq "and the container still runs" running "$(field p state)"
check_eq "rm -f removes a running container" p "$(cx rm -f p)"
check_match "gone from ps -a" '^$' "$(cx ps -a | grep -w p)"

check "pause of an exited container is an error" sh -c "! cx pause short 2>/dev/null"
err=$(cx pause short 2>&1)
check_match "pause error names the container and state" '^Error: "[0-9a-f]{64}" is not running, can.t pause: container state improper$' "$err"

check "start an exited container again" cx start short
check_eq "it ran again and exited 3" 3 "$(cx wait short)"

cx run -d --name rs --stop-timeout 1 --rootfs "$ROOTFS" -- sh -c "$LOOP" >/dev/null
pid1=$(field rs pid)
check "restart" cx restart rs
check_eq "running after restart" running "$(field rs state)"
pid2=$(field rs pid)
[ "$pid1" != "$pid2" ] && ok "restart gives a new PID" || not_ok "restart gives a new PID" "$pid1 = $pid2"

rid=$(cx run -d --rm --name gone --rootfs "$ROOTFS" -- sh -c 'exit 0')
wait_until 10 sh -c "[ ! -d $ROOT/containers/$rid ]"
check "run --rm: removed after exit by conmon's exit command" sh -c "[ ! -d $ROOT/containers/$rid ]"

cx create --name made --rootfs "$ROOTFS" -- echo made-output >/dev/null
check_eq "create only records it (conmon runs at start, as Podman)" configured "$(field made state)"
check "start a created container" cx start made
check_eq "its exit code" 0 "$(cx wait made)"
check_match "its output in logs" 'made-output' "$(cx logs made)"

cx run -d --name multi --rootfs "$ROOTFS" -- sh -c 'i=0; while [ $i -lt 5 ]; do echo line$i; i=$((i+1)); done; printf partial' >/dev/null
cx wait multi >/dev/null
check_eq "logs --tail 2 (a partial last line kept whole)" "line4
partial" "$(cx logs --tail 2 multi)"

# id prefix and inspect
pre=$(field made id | cut -c1-10)
check_eq "a unique ID prefix works" made "$(cx inspect "$pre" | sed -n 's/.*"name":[[:space:]]*"\(.*\)".*/\1/p' | head -1)"
check_match "inspect has the config summary" '"config"' "$(cx inspect made)"
check_match "inspect has a timeline" '"timeline"' "$(cx inspect made)"

# OOM: a memory limit and an allocation
cx run -d --name oom --memory 16m --rootfs "$ROOTFS" -- sh -c 'x=a; while :; do x="$x$x"; done' >/dev/null
code=$(cx wait oom)
check_eq "OOM kill gives 137" 137 "$code"
check_eq "oom_killed is true" true "$(field oom oom_killed)"

# logs -f follows new lines through a file watch and ends with the container
cx run -d --name tick --stop-timeout 2 --rootfs "$ROOTFS" -- sh -c 'trap "exit 0" TERM; i=0; while :; do echo tick$i; i=$((i+1)); sleep 0.2; done' >/dev/null
"$CONMUX" logs -f tick >"$ROOT/follow.log" 2>&1 &
lp=$!
wait_until 15 grep -q tick8 "$ROOT/follow.log"
check "logs -f follows new lines" grep -q tick8 "$ROOT/follow.log"
check_eq "logs -f: lines in order, none lost" "$(seq 0 8 | sed 's/^/tick/')" "$(head -9 "$ROOT/follow.log")"
cx stop tick >/dev/null
wait_until 10 sh -c "! kill -0 $lp 2>/dev/null"
if kill -0 $lp 2>/dev/null; then not_ok "logs -f ends when the container exits"; kill $lp; else ok "logs -f ends when the container exits"; fi

# --rm whose exit command could not run (its binary is gone): the next
# conmux that reconciles finishes the removal.
cp "$CONMUX" "$ROOT/cx-gone"
gid=$("$ROOT/cx-gone" run -d --rm --name orphan-rm --rootfs "$ROOTFS" -- sh -c 'sleep 0.5')
rm -f "$ROOT/cx-gone"
wait_until 10 test -f "$ROOT/run/exits/$gid"
wait_until 10 sh -c "! kill -0 \$(cat $ROOT/containers/$gid/userdata/conmon.pid 2>/dev/null) 2>/dev/null"
cx ps -a >/dev/null
check "--rm with a failed exit command: the next conmux removes it" sh -c "[ ! -d $ROOT/containers/$gid ]"
