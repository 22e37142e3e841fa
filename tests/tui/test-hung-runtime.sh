#!/bin/sh
# The console over a runtime that hangs. A fake runtime (a wrapper around
# the real runc: nothing else can make it hang) sleeps on kill, pause and
# state while $ROOT/hang exists. Stop, kill and pause time out with a
# message naming the runtime and the verb; while the command hangs the
# console still answers keys (help, moving, filtering, the other
# container's logs); the hung commands are killed; the runtime back, the
# same keys work.
. "$(dirname "$0")/../lib/tui.sh"

TMO=8	# CONMUX_RUNTIME_TIMEOUT: the keys below come well before it
mkdir -p "$ROOT/hangbin"
REAL_RT=$(command -v "$RUNTIME")
W=$ROOT/hangbin/$RUNTIME
cat >"$W" <<EOF
#!/bin/sh
for a in "\$@"; do
	case \$a in
	kill | pause | state)
		if [ -e "$ROOT/hang" ]; then
			echo \$\$ >>"$ROOT/hung.pids"
			exec sleep 6011
		fi ;;
	esac
done
exec "$REAL_RT" "\$@"
EOF
chmod +x "$W"
T_EXTRA_CLEANUP="${T_EXTRA_CLEANUP}; rm -f '$ROOT/hang'; for p in \$(cat '$ROOT/hung.pids' 2>/dev/null); do kill \$p 2>/dev/null; done"
hx() { "$CONMUX" --runtime "$W" "$@"; }

hx run -d --name hang1 --stop-timeout 1 --rootfs "$ROOTFS" -- sh -c "$LOOP" >/dev/null
hx run -d --name other --rootfs "$ROOTFS" -- sh -c 'echo other-says-hi; exec sleep 1000' >/dev/null
check_eq "two containers through the wrapper run" "running running" \
    "$(field hang1 state) $(field other state)"

# hung_alive: a hung runtime command is still running (it sleeps until
# the timeout kills it).
hung_alive() {
	for p in $(cat "$ROOT/hung.pids" 2>/dev/null); do
		kill -0 "$p" 2>/dev/null && return 0
	done
	return 1
}

TUI_ENV="CONMUX_RUNTIME_TIMEOUT=$TMO" tui_open 100 30 --runtime "$W" --no-confirm
expect_screen "the console lists both" '2 containers: 2 running'
: >"$ROOT/hang"

# stop, hung: the console answers meanwhile
select_row hang1
send s
if wait_until 5 hung_alive; then ok "s runs the runtime's kill, which hangs"; else not_ok "s runs the runtime's kill, which hangs"; fi
send F1
expect_screen "while it hangs: F1 shows the help" '─ Keys ─'
send q
expect_gone "while it hangs: q closes the help" '─ Keys ─'
select_row other
send l
expect_screen "while it hangs: the other container's logs open" 'other-says-hi'
send_esc
expect_screen "while it hangs: back to the list" "$(row_re hang1 '')"
if hung_alive; then
	ok "all of that while the runtime command still hung"
else
	not_ok "all of that while the runtime command still hung" \
	    "the hung command ended before the keys were answered"
fi
expect_screen "the stop times out, naming the runtime and the verb" \
    "stop hang1: .*$RUNTIME kill timed out after $TMO s" $((TMO + 10))
check_match "hang1 is still running" "$(row_re hang1 running)" "$(screen)"

# pause and kill, hung: the same, each naming its verb
select_row hang1
send p
expect_screen "pause times out, naming the runtime and the verb" \
    "pause hang1: .*$RUNTIME pause timed out after $TMO s" $((TMO + 10))
send C-k
wait_for 'Send a signal to hang1' 5
send Enter
expect_screen "kill times out, naming the runtime and the verb" \
    "kill hang1: .*$RUNTIME kill timed out after $TMO s" $((TMO + 10))

# the console still moves: a filter, then the cursor
send /
send_text other
send Enter
expect_screen "after the timeouts: the filter works" "$(row_re other running)"
expect_gone "and hides hang1" "$(row_re hang1 '')"
send_esc
expect_screen "Escape brings hang1 back" "$(row_re hang1 running)"

# (a hung command that outlives its operation is killed at its own timeout)
if wait_until $((TMO + 5)) sh -c 'for p in $(cat "$0"); do kill -0 $p 2>/dev/null && exit 1; done; exit 0' "$ROOT/hung.pids"; then
	ok "every hung runtime command is killed"
else
	not_ok "every hung runtime command is killed" "$(cat "$ROOT/hung.pids")"
fi

# the runtime back: s stops it, through the same console
rm -f "$ROOT/hang"
select_row hang1
send s
expect_screen "the runtime back: s stops hang1" "$(row_re hang1 exited)"
check "the CLI agrees" state_is hang1 exited
check_eq "the console still runs" yes "$(ui_alive && echo yes)"
send q
wait_exit "q quits with 0" 0
