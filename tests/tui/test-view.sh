#!/bin/sh
# The list view: filter, sort, resizing (down to 1x1 and back), UTF-8 and
# control characters, and the terminal going away (SIGHUP, as when an SSH
# session drops) leaving the containers running and no console behind.
. "$(dirname "$0")/../lib/tui.sh"

run_container kilo sh -c "$LOOP"
run_container alpha sh -c "$LOOP"
run_container mike sleep 1000
tui_open 80 24
expect_screen "three containers listed" '3 containers: 3 running'

# Sort: by name, reversed, then by the next column.
names() { screen | sed -n 's/^[ *]\(alpha\|kilo\|mike\) .*/\1/p' | tr '\n' ' '; }
check_eq "sorted by name by default" "alpha kilo mike " "$(names)"
send O
wait_for 'NAME(▼|v)' 5
check_eq "O reverses the order" "mike kilo alpha " "$(names)"
send O
send o
expect_screen "o sorts by the next column (ID)" ' ID(▲|\^)'
send F6
expect_screen "F6 sorts by the next one (STATE)" 'STATE(▲|\^)'
send :
send_text "sort name"
send Enter
expect_screen ":sort name goes back to names" 'NAME(▲|\^)'

# Filter: live while typing, Enter keeps it, Escape clears it.
send /
send_text "ki"
expect_gone "typing filters live" "$(row_re alpha '')"
check_match "the match stays" "$(row_re kilo running)" "$(screen)"
send Enter
expect_screen "Enter keeps the filter (shown in the header)" 'filter: ki'
send_esc
expect_screen "Escape clears it" "$(row_re alpha running)"
send /
send_text "sleep"
send Enter
expect_screen "the filter matches commands too" 'filter: sleep'
check_match "only the sleeping container is left" '^[ *]mike ' "$(screen | grep -E '^[ *](alpha|kilo|mike) ')"
send_esc
send /
send_text "exited"
send Enter
expect_screen "a filter with no match shows an empty list" 'no containers'
send_esc

# Resizing delivers SIGWINCH; every size works.
$T resize-window -t ui -x 40 -y 10
expect_screen "at 40x10 the rows are still there" "$(row_re kilo running)"
$T resize-window -t ui -x 20 -y 5
expect_screen "at 20x5 names still show" '^[ *]kilo'
$T resize-window -t ui -x 1 -y 1
sleep 0.5
check "at 1x1 the console lives on" ui_alive
$T resize-window -t ui -x 80 -y 24
expect_screen "back at 80x24 everything is there" "$(row_re mike running) .*sleep 1000"
send C-l
expect_screen "C-l redraws" "$(row_re alpha running)"

# SIGTSTP/SIGCONT: the console stops and comes back.
kill -TSTP "$UI_PID"
sleep 0.5
kill -CONT "$UI_PID"
send F1
expect_screen "after SIGTSTP and SIGCONT the console answers keys" '─ Keys ─'
send q

# Hangup: the pty goes away with the tmux server.
$T kill-server
if ui_wait_gone 5; then
	ok "a hangup ends the console"
else
	not_ok "a hangup ends the console" "pid $UI_PID still alive"
fi
check "no conmux process is left behind" sh -c "! pgrep -f '^$CONMUX --root $ROOT\$' >/dev/null"
check "the containers keep running after a hangup" state_is kilo running
check "all three" sh -c "[ \"\$('$CONMUX' ps -q | wc -l)\" -eq 3 ]"

# A crash puts the terminal back before dying of the signal.
tui_open 80 24
wait_for "$(row_re kilo running)"
check_eq "the console uses the alternate screen" 1 "$($T display -p -t ui '#{alternate_on}')"
kill -SEGV "$UI_PID"
if wait_until 10 test -s "$ROOT/ui.rc"; then
	check_match "SIGSEGV still kills it (139, or a sanitizer's status)" '^[1-9][0-9]*$' "$(cat "$ROOT/ui.rc")"
else
	not_ok "SIGSEGV still kills it (status 139)" "no exit"
fi
check_eq "the terminal is back on the normal screen" 0 "$($T display -p -t ui '#{alternate_on}')"
check_eq "with the cursor shown" 1 "$($T display -p -t ui '#{cursor_flag}')"
check "the containers keep running after a crash" state_is kilo running

# Starting at 1x1 works too.
tui_open 1 1
sleep 0.5
check "the console starts in a 1x1 window" ui_alive
$T resize-window -t ui -x 80 -y 24
expect_screen "and draws once there is room" "$(row_re kilo running)"
send q
wait_exit "quit" 0

# SIGTERM: leaves with status 0.
tui_open 80 24
wait_for "$(row_re kilo running)"
kill -TERM "$UI_PID"
wait_exit "SIGTERM ends the console with status 0" 0
check "the containers keep running after SIGTERM" state_is kilo running
exit $T_FAILED
