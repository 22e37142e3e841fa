#!/bin/sh
# Few file descriptors: the console under `ulimit -n 22` with 20 running
# containers (each watched conmon costs a pidfd). It must start, list them
# all, say in its log what ran out, keep following changes (an exit, a
# removal, a new container) and watch again once descriptors free up.
. "$(dirname "$0")/../lib/tui.sh"

i=1
while [ $i -le 20 ]; do
	run_container "m$i" sh -c "$LOOP"
	i=$((i + 1))
done
$T kill-server >/dev/null 2>&1
rm -f "$ROOT/ui.rc" "$ROOT/ui.pid"
$T new-session -d -s ui -x 120 -y 40 \
    "ulimit -n 22; env TERM=tmux-256color LC_ALL=C.UTF-8 sh -c 'echo \$\$ >$ROOT/ui.pid; exec \"\$0\" \"\$@\"' $CONMUX --root $ROOT --engine conmux; echo \$? >$ROOT/ui.rc; sleep 600"
$T set -g window-size manual >/dev/null
wait_until 5 test -s "$ROOT/ui.pid"
UI_PID=$(cat "$ROOT/ui.pid" 2>/dev/null)

expect_screen "ulimit -n 22, 20 containers: the console starts and lists them" '20 containers: 20 running'
expect_screen "it says what ran out, on screen" 'out of file descriptors \(ulimit -n 22\)'
check_match "and in its log" 'out of file descriptors \(ulimit -n 22\).* not watched' \
	"$(cat "$ROOT/run/console.log" 2>/dev/null)"
cx stop m20 >/dev/null
expect_screen "an exit still shows" "$(row_re m20 exited)"
i=1
while [ $i -le 18 ]; do
	cx rm -f "m$i" >/dev/null
	i=$((i + 1))
done
expect_screen "removals show" '2 containers: 1 running'
run_container fresh sh -c "$LOOP"
expect_screen "a new container shows" "$(row_re fresh running)"
# descriptors are free again: conmon of fresh is watched, so its death shows
kill -9 "$(cat "$ROOT/containers/$(field fresh id)/userdata/conmon.pid")"
expect_screen "descriptors free again: conmon's death is seen at once" "$(row_re fresh unknown)"
check "the console is still running" ui_alive
send q
wait_exit "quit" 0
