#!/bin/sh
# The console's full-screen attach (A) and exec (E): takeover, detach
# back to the list redrawn at the current size, exit codes on the message
# line, a vanished socket as a clear error. Real conmon + runc, in tmux.
. "$(dirname "$0")/../lib/tui.sh"

cx run -d -t -i --name shell --rootfs "$ROOTFS" -- sh >/dev/null
run_container other sh -c "$LOOP"
tui_open 100 30
expect_screen "the list shows the shell" "$(row_re shell running)"
select_row shell
send A
expect_screen "A takes over the terminal: attached, with the detach keys" 'attached to shell; detach with ctrl-p,ctrl-q'
send_text 'echo in-the-''container'
send Enter
expect_screen "typing reaches the container" '^in-the-container'
send_text 'stty size'
send Enter
expect_screen "the container's terminal has the pane's size" '^30 100'
$T resize-window -t ui -x 90 -y 25
send_text 'stty size'
send Enter
expect_screen "resized while attached: the container follows" '^25 90'
send C-p C-q
expect_screen "ctrl-p ctrl-q returns to the list" 'detached from shell; it keeps running'
expect_screen "the list is back, drawn at the new size" "$(row_re shell running)"
check_match "drawn at the new height: the key bar is on row 24 of 25" 'F1Help' "$(screen | sed -n 24p)"
check_eq "the container still runs" running "$(field shell state)"

# Type-ahead: keys sent in the same burst as A are the container's, none
# taken by the list (e would open an exec pane), none echoed by a cooked
# terminal; the log's saved ESC[6n (ash asks the cursor) is not replayed,
# so no cursor report is typed into the shell either.
select_row shell
$T send-keys -t ui A 'echo ahead-''typed' Enter
expect_screen "keys typed with A reach the container, not the list" '^ahead-typed'
check "no cursor report was typed into the container" sh -c "! $T capture-pane -p -t ui | grep -q '\\^\\[\\['"
send C-p C-q
expect_screen "and the list is back, no exec pane opened" "$(row_re shell running)"
check "no pane took the typed keys" sh -c "! $T capture-pane -p -t ui | grep -q '(exec)'"

# exit while attached: the code on the message line
select_row shell
send A
expect_screen "attach again" 'attached to shell'
send_text 'exit 7'
send Enter
expect_screen "its exit code is shown back in the list" 'shell exited with code 7'
expect_screen "and the row says so" "$(row_re shell exited) +Exited \\(7\\)"

# exec a shell with e
select_row other
send E
expect_screen "E: exec a shell with a tty" 'exec in other; detach with'
send_text 'echo exec-pid-$$; exit 3'
send Enter
expect_screen "the exec's exit code is shown" 'exec in other exited with code 3'
check_eq "the container is untouched" running "$(field other state)"

# the attach socket vanished: an error, and the console stays
oid=$(field other id)
rm -f "$ROOT/containers/$oid/userdata/attach"
select_row other
send A
expect_screen "a vanished socket gives a clear error" 'attach socket not there'
expect_screen "and the list is still there" "$(row_re other running)"
send q
wait_exit "q quits after all that" 0

# SSH drops while attached: the console goes, the terminal is left alone,
# the container keeps running
cx run -d -t -i --name shell2 --rootfs "$ROOTFS" -- sh >/dev/null
tui_open 100 30
select_row shell2
send A
expect_screen "attached again" 'attached to shell2'
$T kill-server
ui_wait_gone 5
check "a hangup while attached leaves no conmux behind" sh -c "! kill -0 $UI_PID 2>/dev/null"
check_eq "and the container keeps running" running "$(field shell2 state)"
