#!/bin/sh
# The console shows what happens without a keypress: containers made by
# another process appear, exit codes show up, logs follow new lines; Enter
# shows the details and ? the keys. Real conmon + runc, driven in tmux.
. "$(dirname "$0")/../lib/tui.sh"

run_container web sh -c "$LOOP"
tui_open 100 30
expect_screen "the console lists a container made before it started" "$(row_re web running)"
expect_screen "the header shows host, runtime and conmon versions" 'conmux on .*(runc|crun).*conmon'
expect_screen "and the capability mode" 'conmon [0-9.]+  (privileged|unprivileged)'
expect_screen "the header counts containers by state" '1 container: 1 running'

run_container short sh -c 'sleep 2; exit 3'
expect_screen "a container made by the CLI appears without a keypress" "$(row_re short running)"
expect_screen "its exit code shows without a keypress" "$(row_re short exited) +Exited \\(3\\)"

run_container talker sh -c 'i=0; while :; do i=$((i+1)); echo "line-$i"; sleep 1; done'
expect_screen "a third container appears" "$(row_re talker running)"
send : && send_text "logs talker" && send Enter
expect_screen "logs: the last lines are shown" 'line-[0-9]+'
n=$(screen | sed -n 's/^line-\([0-9]*\)$/\1/p' | tail -1)
n=${n:-0}
expect_screen "logs: new lines follow without a keypress" "^line-$((n + 2))\$"
send /
send_text "line-1"
send Enter
expect_screen "logs: search finds a line and stops following" 'line [0-9]+/[0-9]+ +/line-1'
send G
# conmon rotates by renaming a new file over ctr.log: the view reopens it.
log="$ROOT/containers/$(field talker id)/userdata/ctr.log"
printf '%s stdout F rotated-away\n' "$(date -u +%Y-%m-%dT%H:%M:%S.000000000Z)" >"$log.new"
mv "$log.new" "$log"
expect_screen "logs: a log renamed over is reopened" '^rotated-away$'
send q
expect_screen "q goes back to the list" "$(row_re talker running)"

select_row web
send Enter
expect_screen "Enter shows the details" 'details: web'
expect_screen "details include the command" 'command: sh -c'
send G
expect_screen "details include the config summary and the timeline" '^timeline:'
expect_screen "the timeline has the state changes" 'running$'
send_esc
expect_screen "Escape goes back to the list" "$(row_re web running)"

send '?'
expect_screen "? shows the keys from the live bindings" 'Stop the container'
send G
expect_screen "the help scrolls to the command line" ':kill -s SIG'
send q
expect_gone "q closes the help" 'Stop the container'

send F2
expect_gone "F2 hides the key bar" 'F10Quit'
send F2
expect_screen "F2 shows it again" 'F10Quit'

check "the console is still running" ui_alive
send q
wait_exit "q quits with status 0" 0
check "the containers keep running after quitting" state_is web running
exit $T_FAILED
