#!/bin/sh
# Other engines' containers in the console (issue 10), with real Podman
# offline: a container made by `podman run -dt` appears without a keypress
# with its ENGINE; attach in a pane (typing, `stty size` equal to the pane,
# resize through ctl, detach); logs follow; `podman stop` from outside
# shows the exit code live; s stops through Podman and `podman ps -a`
# agrees; `podman rm` makes it vanish; a conmon killed gives unknown; exec
# runs podman's own exec in the terminal; --engine narrows the list.
. "$(dirname "$0")/../lib/tui.sh"
. "$(dirname "$0")/../lib/podman.sh"
TUI_ENGINE=all # the console's default: every engine's containers

if ! pm_ready; then
	skip "Podman's containers in the console" "$PM_WHY"
	exit 0
fi
# the console's row of a Podman container: NAME ID STATE ... podman
prow() { printf '^[ *]%s +[0-9a-f]{12} +%s .*podman *$' "$1" "$2"; }

cx run -d --name ours --rootfs "$ROOTFS" -- sh -c "$LOOP" >/dev/null
tui_open 160 40
expect_screen "our own container" "$(row_re ours running)"
pm run -dt --name ptty localhost/busybox sh >/dev/null
expect_screen "podman run -dt: it appears without a keypress, engine podman" "$(prow ptty running)"
expect_screen "with another engine's: an ENGINE column" 'CREATED +ENGINE *$'
expect_screen "and ours says conmux" "$(row_re ours running).*conmux *\$"
check_eq "our own is listed once" 1 "$(screen | grep -Ec "$(row_re ours running)")"

# attach in a pane: typing, the pane's size, resize
select_row ptty
send a
expect_screen "a opens a pane on Podman's container" 'ptty \[running\] 96x35'
send_text 'echo in-$((40+2)); stty size'
send Enter
expect_screen "typing reaches it" 'in-42$'
expect_screen "its terminal is the pane's size (through conmon's ctl)" '35 96$'
$T resize-window -t ui -x 120 -y 30
expect_screen "the pane follows the outer terminal" 'ptty \[running\] 72x25'
send_text 'clear; stty size'
send Enter
expect_screen "and so does Podman's container" '25 72$'
send C-b x
expect_gone "prefix x closes the pane (detached: it keeps running)" 'ptty \[running\]'
check_eq "podman agrees it is still running" running "$(pm inspect -f '{{.State.Status}}' ptty)"

# logs follow (k8s-file, conmon's own log)
pm run -d --name ptick localhost/busybox sh -c 'i=0; while :; do i=$((i+1)); echo "tick-$i"; sleep 1; done' >/dev/null
expect_screen "a second Podman container appears" "$(prow ptick running)"
send : && send_text "logs ptick" && send Enter
expect_screen "logs: Podman's container's lines" '^tick-[0-9]+$'
n=$(screen | sed -n 's/^tick-\([0-9]*\)$/\1/p' | tail -1)
n=${n:-0}
expect_screen "logs: new lines follow" "^tick-$((n + 2))\$"
send q

# exec through podman's own CLI, in the foreground terminal
select_row ptick
send e
expect_screen "e on a Podman container: podman exec takes the terminal" 'podman exec in ptick; exit the shell'
send_text 'echo in-$((6*7)); stty size'
send Enter
expect_screen "typing reaches podman's exec session" '^in-42'
expect_screen "with the terminal's size" '^30 120'
send_text 'exit 3'
send Enter
expect_screen "its end brings the list back, with the code" 'podman exec in ptick ended: exit code 3'
expect_screen "the list is drawn again" "$(prow ptick running)"

# podman stop from outside: exited, with its code, live
pm run -d --name pcode localhost/busybox sh -c 'trap "exit 7" TERM; while :; do sleep 0.1; done' >/dev/null
expect_screen "a third appears" "$(prow pcode running)"
pm stop -t 5 pcode >/dev/null
expect_screen "podman stop from outside: exited (7), live" '^[ *]pcode +[0-9a-f]{12} +exited +Exited \(7\)'
pm rm pcode >/dev/null
expect_gone "podman rm: it vanishes" "$(prow pcode '')"

# s stops it through Podman; podman's own database agrees
select_row ptick
send s
expect_screen "s asks first" 'Stop ptick\?'
send y
expect_screen "stopped through podman: exited" "$(prow ptick exited)"
check_match "podman ps -a agrees" '^ptick Exited' "$(pm ps -a --format '{{.Names}} {{.Status}}' | grep ptick)"

# a conmon killed: unknown
cp=$(pm_conmon ptty)
if [ -n "$cp" ]; then
	kill -9 "$cp"
	expect_screen "a foreign conmon killed: state unknown" "$(prow ptty unknown)"
else
	not_ok "a foreign conmon killed: state unknown" "no conmon found for ptty"
fi
check "the console is still alive" ui_alive

# --engine narrows the list
pm run -d --name pnarrow localhost/busybox sleep 1000 >/dev/null
tui_open 160 40 --engine conmux
expect_screen "--engine conmux: ours" "$(row_re ours running)"
check "--engine conmux: no Podman container" sh -c "! $T capture-pane -p -t ui | grep -q pnarrow"
check_match "ours alone: no ENGINE column" 'CREATED *$' "$(screen | grep 'NAME.*CREATED')"
tui_open 160 40 --engine podman
expect_screen "--engine podman: Podman's" "$(prow pnarrow running)"
check "--engine podman: not ours" sh -c "! $T capture-pane -p -t ui | grep -Eq '$(row_re ours running)'"

# ---- a conmon seen at its exec: listed before it forks the one that stays ----
# A program named conmon that waits on a fifo, then forks a child that stays
# (as conmon does; f) or just ends (x). The console lists it at its exec, a
# first process's end is no death when its child carries on, and one that
# forked nothing was never a container.
FK=$ROOT/firstfake
mkdir -p "$FK/b1/userdata" "$FK/b2/userdata"
for b in b1 b2; do
	echo '{"ociVersion":"1.0.2","process":{"args":["sleep","1"]}}' >"$FK/$b/userdata/config.json"
done
cat >"$FK/f.c" <<'CSRC'
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
int main(void) {
	char c = 0;
	int fd = open(getenv("FK_GO"), O_RDONLY);
	if (fd < 0 || read(fd, &c, 1) != 1)
		return 1;
	if (c == 'f' && fork() == 0)
		for (;;)
			pause();
	return 0;
}
CSRC
T_EXTRA_CLEANUP="${T_EXTRA_CLEANUP:+$T_EXTRA_CLEANUP; }"'pkill -9 -f "$FK/conmon" 2>/dev/null'
ID5=5555555555555555555555555555555555555555555555555555555555555555
ID6=6666666666666666666666666666666666666666666666666666666666666666
# fake N ID NAME WHAT: fake conmon N listed at its exec, then told WHAT
# (f: fork, x: just end) through its fifo, and waited for
fake() {
	FK_GO=$FK/go$1 "$FK/conmon" -c "$2" -n "$3" -b "$FK/b$1/userdata" &
	fkp=$!
	expect_screen "$3: a conmon is listed at its exec, before it forks" "$(row_re "$3" created)"
	# (bounded: a fake that died before opening its fifo would block us)
	timeout 10 sh -c "echo $4 >'$FK/go$1'"
	wait "$fkp"
}
if ! cx info | grep -Eq '^discovery +process events'; then
	skip "a conmon seen at its exec" "no process-events connector here (inotify mode)"
elif cc -o "$FK/conmon" "$FK/f.c" 2>/dev/null && mkfifo "$FK/go1" "$FK/go2"; then
	tui_open 160 40
	# after its first scan: a conmon already there then is taken for one
	# that stays (an exit without an exit file is then unknown)
	expect_screen "the console is up" "$(row_re ours running)"
	fake 1 "$ID5" firstonly x
	expect_gone "a first process that forked no conmon: never a container, not listed" 'firstonly'
	fake 2 "$ID6" forks f
	sleep 0.5 # the console has seen the first process end (its pidfd)
	check "its first process gone, the conmon it forked stands for it: still created" \
		sh -c "$T capture-pane -p -t ui | grep -Eq '$(row_re forks created)'"
	pkill -9 -f -- "-c $ID6"
	expect_screen "that forked conmon killed: unknown (it was the one watched)" "$(row_re forks unknown)"
	# started again, and this time its first process forks nothing: a
	# failed restart, not a removal
	fake 2 "$ID6" forks x
	expect_screen "a failed restart of a dead one: back to unknown, still listed" "$(row_re forks unknown)"
	check "the console is still alive" ui_alive
else
	skip "a conmon seen at its exec" "no C compiler or mkfifo for the fake conmon"
fi
