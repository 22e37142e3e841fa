#!/bin/sh
# conmux stats: CPU %, memory and its limit, PIDs, block I/O from the
# container's cgroup (v1 or v2), as podman stats prints them.
. "$(dirname "$0")/../lib/common.sh"

cx run -d -m 64m --name burner --rootfs "$ROOTFS" -- sh -c 'while :; do :; done' >/dev/null
cx run -d --name idle --rootfs "$ROOTFS" -- sleep 100000 >/dev/null
cx run -d --name done --rootfs "$ROOTFS" -- true >/dev/null
wait_until 10 sh -c "[ \"\$('$CONMUX' inspect --format '{{.State.Status}}' done 2>/dev/null)\" = exited ]"

out=$(timeout 20 "$CONMUX" stats --no-stream)
check_eq "stats --no-stream: exits 0" 0 "$?"
check_match "a header as podman's" '^ID +NAME +CPU % +MEM USAGE / LIMIT +MEM % +PIDS +BLOCK I/O' "$out"
check_match "the burner's memory limit (64m)" 'burner .* / 67\.11MB' "$out"
check_match "an unlimited container says so" 'idle .* / no limit' "$out"
check_eq "an exited container is not listed" "" "$(echo "$out" | grep ' done ')"

json=$(timeout 20 "$CONMUX" stats --no-stream --format json burner)
check_match "json: the limit in bytes" '"mem_limit":[[:space:]]*67108864' "$json"
check_match "json: one process (the shell's loop)" '"pids":[[:space:]]*1,' "$json"
cpu=$(echo "$json" | sed -n 's/.*"cpu_percent":[[:space:]]*\([0-9.]*\).*/\1/p' | cut -d. -f1)
check "json: a CPU burner uses CPU (${cpu:-?}%)" test "${cpu:-0}" -ge 5
check_match "json: memory in use" '"mem_usage":[[:space:]]*[1-9]' "$json"

# streaming: one table a second until interrupted
timeout -s INT 3 "$CONMUX" stats idle >"$ROOT/stream" 2>&1
check "streaming: at least two tables before SIGINT" test "$(grep -c '^ID ' "$ROOT/stream")" -ge 2

check_match "a stopped container by name is refused" 'container is exited' "$("$CONMUX" stats --no-stream done 2>&1)"
check_match "--format other than json is refused" 'only json' "$("$CONMUX" stats --format table 2>&1)"
check_match "a missing one" 'no container with name or ID "nope" found' "$("$CONMUX" stats --no-stream nope 2>&1)"
