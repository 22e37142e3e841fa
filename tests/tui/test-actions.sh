#!/bin/sh
# Acting on containers with keys: stop, kill (signal picker), pause, resume,
# start, remove, each asking first where it should; tags make an action
# apply to several containers; the ':' command line. Real conmon + runc.
. "$(dirname "$0")/../lib/tui.sh"

for n in alpha beta gamma delta; do
	run_container $n sh -c "$LOOP"
done
tui_open 100 30
expect_screen "four running containers are listed" '4 containers: 4 running'

# stop: asks, n keeps it running, then y stops it
select_row alpha
send s
expect_screen "s asks before stopping" 'Stop alpha\?'
send n
expect_gone "n cancels" 'Stop alpha\?'
sleep 0.5
check_match "alpha still runs after cancelling" "$(row_re alpha running)" "$(screen)"
send s
wait_for 'Stop alpha\?' 5
send y
expect_screen "y stops it: exited with its code" "$(row_re alpha exited) +Exited \\(0\\)"
expect_screen "the message line says so" '^stopped alpha'
check "the CLI agrees: alpha exited" state_is alpha exited

# start it again
send S
expect_screen "S starts it again" "$(row_re alpha running)"

# kill: the signal picker with SIGKILL preselected
select_row beta
send C-k
expect_screen "C-k opens the signal picker" 'Send a signal to beta'
expect_screen "SIGKILL is preselected" '> SIGKILL'
send Enter
expect_screen "then it asks, naming the signal" 'Send SIGKILL to beta\?'
send Enter
expect_screen "Enter sends SIGKILL: exit code 137" "$(row_re beta exited) +Exited \\(137\\)"

# pause and resume
select_row gamma
send p
expect_screen "p pauses" "$(row_re gamma paused)"
check "the CLI agrees: gamma paused" state_is gamma paused
send p
expect_screen "p again resumes" "$(row_re gamma running)"

# remove: asks, then the row goes away
select_row beta
send d
expect_screen "d asks before removing" 'Remove beta\?'
send y
expect_gone "y removes it: the row goes" "$(row_re beta '')"
check "the CLI agrees: beta is gone" sh -c "! '$CONMUX' inspect beta >/dev/null 2>&1"

# tags: tag two, stop both
select_row gamma
send Space
select_row delta
send Space
expect_screen "two rows are tagged" '\[2 tagged\]'
check_match "tagged rows are marked" '^\*gamma' "$(screen)"
send s
expect_screen "the confirmation names both" 'Stop 2 containers \(.*gamma.*\)\?'
send Enter
if wait_for "$(row_re gamma exited)" && wait_for "$(row_re delta exited)"; then
	ok "Enter confirms: both tagged containers exited"
else
	not_ok "Enter confirms: both tagged containers exited"
	screen_diag
fi
expect_screen "alpha, untagged, still runs" "$(row_re alpha running)"
send_esc
expect_gone "Escape clears the tags" '\[2 tagged\]'

# a slow stop runs in the background: its progress shows on the row
cx run -d --name slow --stop-timeout 3 --rootfs "$ROOTFS" -- sleep 1000 >/dev/null
wait_for "$(row_re slow running)"
select_row slow
send s
wait_for 'Stop slow\?' 5
send y
expect_screen "a stop in progress shows on the row" "$(row_re slow stopping) +Stopping"
send F1
expect_screen "the console answers keys meanwhile" '─ Keys ─'
send q
expect_screen "the stop ends with SIGKILL after the timeout" "$(row_re slow exited) +Exited \\(137\\)"

# the command line
send :
send_text "kill -s HUP alpha"
send Enter
expect_screen ":kill -s HUP sends the signal" 'sent SIGHUP to alpha'
send :
send_text "start gamma delta"
send Enter
if wait_for "$(row_re gamma running)" && wait_for "$(row_re delta running)"; then
	ok ":start acts on every container named"
else
	not_ok ":start acts on every container named"
	screen_diag
fi
send :
send_text "stop -t 1 gamma"
send Enter
expect_screen ":stop -t 1 stops without asking" "$(row_re gamma exited)"
send :
send_text "rm -f delta"
send Enter
expect_gone ":rm -f removes a running container" "$(row_re delta '')"
send :
send_text "frobnicate x"
send Enter
expect_screen "an unknown command is an error on the message line" "unknown command 'frobnicate'"
send :
send_text "pause nosuch"
send Enter
expect_screen "a container that does not exist is named" "no such container 'nosuch'"
send :
send_text "q"
send Enter
wait_exit ":q quits" 0
check "containers keep running after quitting" state_is alpha running
exit $T_FAILED
