#!/bin/sh
# Live terminal panes (libvterm) beside the list: two at once, typing into
# each, each container's terminal the size of its pane, the outer terminal
# and the split resized, zoom, a pane's container exiting, hostile output
# contained, a flood in one pane while the other echoes, history search,
# a non-tty pane, recordings replayed with asciinema. Real conmon + runc.
# Markers are computed by the container's shell ($((6*7))) so that the
# typed command line never matches what its output is expected to show.
. "$(dirname "$0")/../lib/tui.sh"

# asciinema cat wants a terminal: give it one
cast_cat() { script -qec "asciinema cat '$1'" /dev/null </dev/null 2>&1 | tr -d '\r'; }

# --engine conmux: this root's containers only. Discovery would also list
# every conmon container on the node (other suites running at the same
# time have their own "one"), and the rows asserted on here are ours.
cx run -d -t -i --name one --rootfs "$ROOTFS" -- sh >/dev/null
cx run -d -t -i --name two --rootfs "$ROOTFS" -- sh >/dev/null
tui_open 160 40 --engine conmux
title0=$($T display -p -t ui '#{pane_title}')
mouse0=$($T display -p -t ui '#{mouse_any_flag}')
expect_screen "the list" "$(row_re one running)"
select_row one
send a
expect_screen "a opens a pane beside the list (wide: side by side)" 'one \[running\] 96x35'
send_text 'stty size'
send Enter
expect_screen "typing reaches the container; its terminal is the pane's size" '35 96$'

# details say the size the pane sent
send C-b l
send Enter
expect_screen "the details show the pane's size" '^pane: 96x35$'
send q
# a second pane: focus the list (prefix l), select, a
select_row two
send a
expect_screen "a second pane: the panes share the height" 'two \[running\] 96x17'
check_match "and the first pane was resized too" 'one \[running\] 96x17' "$(screen)"
send_text 'echo in-$((1+1)); stty size'
send Enter
expect_screen "typing goes to the focused pane" 'in-2$'
expect_screen "the second container's terminal is its pane's size" '17 96$'
# prefix o cycles: the list, then the first pane
send C-b o
send C-b o
send_text 'clear; echo in-$((2-1)); stty size'
send Enter
expect_screen "prefix o o: the first pane has the keys again" 'in-1$'
expect_screen "and its container was resized with its pane" '17 96$'

# zoom and back
send C-b z
expect_screen "prefix z zooms the pane to the whole body" 'one \[running\] 160x35'
send_text 'clear; stty size'
send Enter
expect_screen "the zoomed container's terminal follows" '^35 160$'
send C-b z
expect_screen "prefix z again: back beside the list" 'one \[running\] 96x17'

# the outer terminal resizes: every pane follows
$T resize-window -t ui -x 120 -y 30
expect_screen "the panes follow the outer terminal" 'one \[running\] 72x12'
send_text 'clear; stty size'
send Enter
expect_screen "and so does the container" '12 72$'
send C-b +
expect_screen "prefix + gives the panes more room" 'one \[running\] 84x12'
send C-b Space
expect_screen "prefix Space: stacked under the list" 'one \[running\] 60x18'
send C-b Space
send C-b Space
expect_screen "prefix Space twice more: back to the automatic split" 'one \[running\] 84x12'
$T resize-window -t ui -x 160 -y 40

# hostile output stays in the pane
send_text "clear; printf '\\033]0;EVIL-TITLE\\007\\033]52;c;aGVsbG8=\\007\\033[?1000h\\033[?2004h'; echo hostile-\$((6*7))"
send Enter
expect_screen "hostile sequences ran" 'hostile-42$'
expect_screen "a title set shows in the pane's frame only" 'EVIL-TITLE'
check_eq "the operator's terminal keeps its title" "$title0" "$($T display -p -t ui '#{pane_title}')"
check_eq "mouse mode did not reach the operator's terminal" "$mouse0" "$($T display -p -t ui '#{mouse_any_flag}')"
# (random bytes leave the terminal in any state: reset it in the same
# command line, before the shell reads what the pane answered)
send_text "head -c 1048576 /dev/urandom; printf '\\033c'; echo random-\$((6*7))"
send Enter
expect_screen "1 MB of random bytes: the pane survives" 'random-42$' 60
check_eq "and the terminal's title is still ours" "$title0" "$($T display -p -t ui '#{pane_title}')"
check "the console still runs" ui_alive

# history: scroll back and search
send_text 'clear; seq 1 400'
send Enter
expect_screen "seq ran" ' 400$'
send C-b [
expect_screen "prefix [ enters copy mode" '\[copy\]'
send /
send_text '123'
send Enter
expect_screen "a search finds a line that scrolled away" ' 123$'
send q
expect_gone "q leaves copy mode" '\[copy\]'

# a flood in one pane while the other still echoes
send_text 'clear; head -c 100000000 /dev/zero | tr "\0" "x"; echo; echo flood-$((6*7))'
send Enter
send C-b o
send_text 'echo typing-$((6*7))'
send Enter
expect_screen "the other pane echoes during the flood" 'typing-42$' 20
expect_screen "and the flood ends" 'flood-42$' 240

# a pane's container exits: the code in its frame, the pane stays
send_text 'exit 7'
send Enter
expect_screen "the pane shows its container's exit code" 'two \[exited with code 7\]'
check_match "and the row says so" "$(row_re two exited)" "$(screen)"
send C-b x
expect_gone "prefix x closes it" 'two \['
send C-b q
wait_exit "q quits with panes open" 0
check_eq "containers keep running after the console quits" running "$(field one state)"

# a container without a tty: output pane, a line sent on Enter; recording
cx run -d -i --name notty --rootfs "$ROOTFS" -- sh -c 'while read l; do echo "got:$l"; done' >/dev/null
mkdir -p "$ROOT/rec"
TUI_ENV="CONMUX_RECORD_DIR=$ROOT/rec" tui_open 160 40 --engine conmux
select_row notty
send a
expect_screen "a non-tty container gets an output pane" 'notty \(no tty\) \[running\]'
send C-b R
expect_screen "prefix R starts recording" 'recording to .*\.cast'
send_text 'hello pane'
send Enter
expect_screen "the line is sent on Enter" 'got:hello pane$'
send C-b R
expect_screen "prefix R again stops it" 'recorded .*\.cast'
rec=$(ls "$ROOT"/rec/*.cast 2>/dev/null | head -1)
check_match "the recording is asciicast v2 with the pane's size" '^\{"version":2,"width":96,"height":35,' "$(head -1 "$rec" 2>&1)"
if command -v asciinema >/dev/null 2>&1; then
	check_match "the recording replays (asciinema cat)" 'got:hello pane' "$(cast_cat "$rec")"
else
	skip "the recording replays" "asciinema is not installed"
fi
# removed from elsewhere: the frame follows
cx rm -f notty >/dev/null
expect_screen "a container removed elsewhere: the frame says so" 'notty \(no tty\) \[(removed|exited|failed)'
send C-b q
wait_exit "prefix q quits" 0

# the command line records too: attach --record, exec --record
cx run -d --name talker --rootfs "$ROOTFS" -- sh -c 'sleep 1; echo talker-says-hi; sleep 100' >/dev/null
timeout -s KILL 4 "$CONMUX" attach --sig-proxy=false --record "$ROOT/a.cast" talker </dev/null >/dev/null 2>&1
"$CONMUX" exec --record "$ROOT/e.cast" talker -- echo exec-says-hi >/dev/null
if command -v asciinema >/dev/null 2>&1; then
	check_match "attach --record: replayed, the container's output" 'talker-says-hi' "$(cast_cat "$ROOT/a.cast")"
	check_match "exec --record: replayed" 'exec-says-hi' "$(cast_cat "$ROOT/e.cast")"
else
	skip "attach --record replayed" "asciinema is not installed"
	skip "exec --record replayed" "asciinema is not installed"
fi

# resource columns: t shows them, read while shown; details add a minute
cx run -d -m 64m --name burner --rootfs "$ROOTFS" -- sh -c 'while :; do :; done' >/dev/null
tui_open 160 30 --engine conmux
expect_screen "the burner is listed" "$(row_re burner running)"
check_eq "no resource columns by default" "" "$(screen | grep 'CPU%')"
send t
expect_screen "t shows the resource columns" 'CPU% +MEM +PIDS +BLOCK I/O'
expect_screen "the burner's CPU and its memory limit" 'burner .* [1-9][0-9]*\.[0-9]% +[0-9.]+[kM]B/67\.11MB +1 +[0-9.]+[kMG]?B/[0-9.]+[kMG]?B *$' 15
select_row burner
send Enter
expect_screen "details: its resources" 'memory: [0-9.]+[kM]B / 67\.11MB'
expect_screen "and the last minute of CPU as bars" 'cpu, last minute: +[▁▂▃▄▅▆▇█]{2,}' 15
send q
send t
expect_gone "t hides them again" 'CPU% +MEM'
send q
wait_exit "quit" 0
