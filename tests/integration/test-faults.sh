#!/bin/sh
# Faults from outside: a full disk (a root on a small tmpfs), a read-only
# root, a runtime that hangs (a fake runc/crun script that sleeps on kill,
# pause and state: nothing else can make the real ones hang), conmon
# SIGKILLed under an attached session, the attach socket removed
# mid-session. Every failure must be one clear line naming the file, the
# runtime and verb, or the cause; nothing may be left half-written.
. "$(dirname "$0")/../lib/common.sh"

LOOP='i=0; while :; do i=$((i+1)); echo $i; sleep 0.2; done'
SMALL=$ROOT/small
RO=$ROOT/ro
# Containers under the extra roots go too, then the mounts.
extra_cleanup() {
	for mnt in "$SMALL" "$RO"; do
		mountpoint -q "$mnt" || continue
		mount -o remount,rw "$mnt" 2>/dev/null
		save=$ROOT; ROOT=$mnt; cleanup_containers; ROOT=$save
		umount -l "$mnt"
	done
	rm -f "$ROOT/hang"
}
T_EXTRA_CLEANUP=extra_cleanup

# expect_fail DESC REGEX CMD...: CMD fails with 125, stderr matching REGEX.
expect_fail() {
	desc=$1 re=$2; shift 2
	out=$("$@" 2>&1); rc=$?
	if [ $rc -eq 125 ] && printf '%s\n' "$out" | grep -Eq -- "$re"; then
		ok "$desc"
	else
		not_ok "$desc" "rc=$rc (want 125), output:" "$out"
	fi
}
# all_json_whole ROOT: every container.json there is whole JSON.
all_json_whole() {
	for f in "$1"/containers/*/container.json; do
		[ -f "$f" ] || continue
		[ "$(tail -c 2 "$f" | tr -d '\n')" = "}" ] || { echo "$f: truncated"; return 1; }
		if command -v python3 >/dev/null; then
			python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$f" || return 1
		fi
	done
	! ls -A "$1"/containers/*/ | grep -q 'container\.json\.tmp'
}

# ---- ENOSPC: a 2 MiB root, filled up ----
mkdir -p "$SMALL"
if mount -t tmpfs -o size=2m tmpfs "$SMALL" 2>/dev/null; then
	sx() { CONMUX_ROOT=$SMALL "$CONMUX" "$@"; }
	sx run -d --name full1 --rootfs "$ROOTFS" -- sleep 1000 >/dev/null
	sx run -d --name full2 --rootfs "$ROOTFS" -- true >/dev/null
	sx wait full2 >/dev/null
	dd if=/dev/zero of="$SMALL/fill" bs=4k 2>/dev/null
	check_eq "the small root is full" 0 "$(df -P "$SMALL" | awk 'NR == 2 { print $4 }')"
	expect_fail "ENOSPC: run -d fails naming the file" \
		'^Error: write /.*/config\.json: No space left on device$' \
		sx run -d --name full3 --rootfs "$ROOTFS" -- true
	check_eq "ENOSPC: no half container left by the failed run" "" \
		"$(ls -A "$SMALL/containers" | grep -v -e '^lock$' -e "$(sx inspect full1 | sed -n 's/^\t"id":\t"\(.*\)",/\1/p')" -e "$(sx inspect full2 | sed -n 's/^\t"id":\t"\(.*\)",/\1/p')")"
	expect_fail "ENOSPC: stop fails naming the container and the file" \
		'store full1: write /.*/container\.json: No space left on device$' \
		sx stop -t 1 full1
	check_eq "ENOSPC: the container still runs after the failed stop" running "$(CONMUX_ROOT=$SMALL field full1 state)"
	check "ENOSPC: and its process too" kill -0 "$(CONMUX_ROOT=$SMALL field full1 pid)"
	expect_fail "ENOSPC: rm fails naming the container and the file" \
		'store full2: write /.*/container\.json: No space left on device$' \
		sx rm full2
	check "ENOSPC: no container.json truncated or half-written" all_json_whole "$SMALL"
	out=$(sx ps -a 2>&1)
	check_match "ENOSPC: ps still lists both" 'full1 +running' "$out"
	check_match "ENOSPC: ps still lists both (exited)" 'full2 +exited' "$out"
	rm -f "$SMALL/fill"
	check "space again: rm -f works" sx rm -f full1 full2
	check_eq "space again: nothing left" "lock" "$(ls -A "$SMALL/containers")"
	check_eq "space again: no runtime state left" "" "$(ls -A "$SMALL/run/$RUNTIME" 2>/dev/null)"
else
	skip "ENOSPC on a small tmpfs" "cannot mount a tmpfs here"
fi

# ---- a read-only root ----
mkdir -p "$RO"
if mount -t tmpfs -o size=4m tmpfs "$RO" 2>/dev/null; then
	CONMUX_ROOT=$RO "$CONMUX" ps >/dev/null # lay out the root
	mount -o remount,ro "$RO"
	expect_fail "read-only root: run -d fails naming the path" \
		'^Error: .*/containers.*: Read-only file system$' \
		env CONMUX_ROOT="$RO" "$CONMUX" run -d --name ro1 --rootfs "$ROOTFS" -- true
	check_eq "read-only root: no half container" "" "$(ls -A "$RO/containers" | grep -vx lock)"
	check "read-only root: ps still works" env CONMUX_ROOT="$RO" "$CONMUX" ps -a
	mount -o remount,rw "$RO"
else
	skip "read-only root" "cannot mount a tmpfs here"
fi

# ---- a runtime that hangs ----
# It passes everything to the real runtime, except kill, pause and state
# while $ROOT/hang exists: those sleep (for ever, as far as we care).
mkdir -p "$ROOT/hangbin"
REAL_RT=$(command -v "$RUNTIME")
cat >"$ROOT/hangbin/$RUNTIME" <<EOF
#!/bin/sh
for a in "\$@"; do
	case \$a in
	kill | pause | state) [ -e "$ROOT/hang" ] && exec sleep 6008 ;;
	--root | --log | --log-format) ;;
	-*) ;;
	*) ;;
	esac
done
exec "$REAL_RT" "\$@"
EOF
chmod +x "$ROOT/hangbin/$RUNTIME"
hx() { CONMUX_RUNTIME_TIMEOUT=2 "$CONMUX" --runtime "$ROOT/hangbin/$RUNTIME" "$@"; }
hx run -d --name hang1 --rootfs "$ROOTFS" -- sleep 1000 >/dev/null
check_eq "a container made through the wrapper runs" running "$(field hang1 state)"
: >"$ROOT/hang"
expect_fail "hanging runtime: kill times out, naming the runtime and verb" \
	"kill hang1: .*$RUNTIME kill timed out after 2 s" hx kill hang1
expect_fail "hanging runtime: stop times out, naming the runtime and verb" \
	"stop hang1: .*$RUNTIME kill timed out after 2 s" hx stop -t 1 hang1
# A runtime timeout longer than the stop's own wait (1 s, then 5 s after
# SIGKILL): the hung kill's timeout still ends it, with its words.
expect_fail "hanging runtime: a stop that outwaits its escalation names the runtime and verb" \
	"stop hang1: .*$RUNTIME kill timed out after 8 s" \
	env CONMUX_RUNTIME_TIMEOUT=8 "$CONMUX" --runtime "$ROOT/hangbin/$RUNTIME" stop -t 1 hang1
check_eq "hanging runtime: after a failed stop it is running, not stopping" running "$(field hang1 state)"
expect_fail "hanging runtime: pause times out, naming the runtime and verb" \
	"pause hang1: .*$RUNTIME pause timed out after 2 s" hx pause hang1
# (a runtime command a finished operation no longer waits for is killed
# at its own timeout, 2 s here)
wait_until 6 sh -c "! pgrep -f 'sleep 600[8]' >/dev/null"
check "hanging runtime: the hung commands are killed, children too" sh -c \
	"! pgrep -f 'sleep 600[8]' >/dev/null"
check_eq "hanging runtime: the container is left running" running "$(field hang1 state)"
rm -f "$ROOT/hang"
check "the runtime back: stop works" hx stop -t 1 hang1
check "the runtime back: rm works" hx rm hang1

# ---- what a runtime command starts with (posix_spawn) ----
# A wrapper that writes down, for pause, its blocked and ignored signals,
# its session and its stdin, then runs the real runtime.
mkdir -p "$ROOT/envbin"
cat >"$ROOT/envbin/$RUNTIME" <<EOF
#!/bin/sh
for a in "\$@"; do
	if [ "\$a" = pause ]; then
		grep -E '^Sig(Blk|Ign):' /proc/\$\$/status >"$ROOT/pause-env"
		echo "sid \$(cut -d' ' -f6 /proc/\$\$/stat) pid \$\$" >>"$ROOT/pause-env"
		echo "stdin \$(readlink /proc/\$\$/fd/0)" >>"$ROOT/pause-env"
	fi
done
exec "$REAL_RT" "\$@"
EOF
chmod +x "$ROOT/envbin/$RUNTIME"
"$CONMUX" --runtime "$ROOT/envbin/$RUNTIME" run -d --name envc --rootfs "$ROOTFS" -- sleep 1000 >/dev/null
check "pause through the recording wrapper" "$CONMUX" --runtime "$ROOT/envbin/$RUNTIME" pause envc
penv=$(cat "$ROOT/pause-env" 2>/dev/null)
check_match "a runtime command starts with no signal blocked" 'SigBlk:[[:space:]]+0+$' "$(echo "$penv" | grep SigBlk)"
check_match "... and none ignored (conmux's own SIGPIPE not passed on)" 'SigIgn:[[:space:]]+0+$' "$(echo "$penv" | grep SigIgn)"
check_match "... in a session of its own (a timeout kills all of it)" '^sid ([0-9]+) pid \1$' "$(echo "$penv" | grep sid)"
check_eq "... with stdin from /dev/null" "stdin /dev/null" "$(echo "$penv" | grep stdin)"
check_eq "and the pause took" paused "$(field envc state)"
cx rm -f envc >/dev/null

# ---- attach: the socket removed mid-session, then conmon killed ----
id=$(cx run -d --name att --rootfs "$ROOTFS" -- sh -c "$LOOP")
U=$ROOT/containers/$id/userdata
cx attach --no-stdin att </dev/null >"$ROOT/att.out" 2>"$ROOT/att.err" &
ap=$!
wait_until 10 grep -q . "$ROOT/att.out"
rm -f "$U/attach"
n1=$(wc -l <"$ROOT/att.out")
wait_until 10 sh -c "[ \$(wc -l <'$ROOT/att.out') -gt $((n1 + 2)) ]" &&
	ok "attach socket removed mid-session: the session goes on" ||
	not_ok "attach socket removed mid-session: the session goes on" "$(cat "$ROOT/att.err")"
expect_fail "attach socket removed: a new attach says so, naming it" \
	"attach att: attach socket not there .*: $U/attach\$" cx attach --no-stdin att
kill -9 "$(cat "$U/conmon.pid")"
i=0
while kill -0 $ap 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if kill -0 $ap 2>/dev/null; then
	kill $ap
	not_ok "conmon SIGKILLed under an attached session: the session ends"
else
	wait $ap; rc=$?
	ok "conmon SIGKILLed under an attached session: the session ends"
	check_eq "conmon SIGKILLed: attach exits 125" 125 "$rc"
	check_eq "conmon SIGKILLed: one clear line" \
		"Error: att: conmon exited without an exit file" "$(cat "$ROOT/att.err")"
fi
check_eq "conmon SIGKILLed: the container is unknown" unknown "$(field att state)"
check "and removable" cx rm -f att
