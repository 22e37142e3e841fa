#!/bin/sh
# Attach, resize, run -it and exec through conmon's attach socket and ctl
# fifo, driven through a real terminal: conmux runs in a tmux pane.
. "$(dirname "$0")/../lib/common.sh"

N=0
T="tmux -S $ROOT/tmux$N.sock -f /dev/null"
T_EXTRA_CLEANUP='for s in "$ROOT"/tmux*.sock; do tmux -S "$s" kill-server 2>/dev/null; done'

W=100 H=30

# pane CMD...: a fresh window running CMD in a WxH pane; the exit code of
# CMD goes to $ROOT/pane.rc.
pane() {
	rm -f "$ROOT/pane.rc"
	$T kill-server 2>/dev/null
	N=$((N + 1))
	T="tmux -S $ROOT/tmux$N.sock -f /dev/null"
	$T new-session -d -s t -x $W -y $H "env TERM=xterm LC_ALL=C.UTF-8 CONMUX_ROOT=$ROOT CONMUX_RUNTIME=$RUNTIME $*; echo \$? >$ROOT/pane.rc; sleep 60"
	$T set -g window-size manual 2>/dev/null
}
screen() { $T capture-pane -p -t t 2>/dev/null; }
# wait_screen REGEX: until the pane shows it (at most 10 s)
wait_screen() {
	i=0
	until screen | grep -Eq -- "$1"; do
		i=$((i + 1))
		[ $i -le 200 ] || return 1
		sleep 0.05
	done
}
# see DESC REGEX: ok when the pane shows REGEX in time
see() {
	if wait_screen "$2"; then ok "$1"; else not_ok "$1" "no /$2/ on screen:" "$(screen)"; fi
}
pane_rc() { wait_until 10 test -s "$ROOT/pane.rc"; cat "$ROOT/pane.rc" 2>/dev/null; }
keys() { $T send-keys -t t "$@"; }

# The terminal is given back as it was found: output is non-blocking only
# while conmux runs (on a terminal stdout and stderr are one open file, and
# stderr's flags once "restored" our O_NONBLOCK onto the user's shell)
cx run -d -t -i --name nb --rootfs "$ROOTFS" -- sh >/dev/null
pane "$CONMUX" attach nb '; sed -n "s/^flags:[[:space:]]*//p" /proc/$$/fdinfo/0 >'"$ROOT/nb.flags"
see "attach to check the terminal's flags after" 'detach with'
keys C-p C-q
wait_until 10 test -s "$ROOT/nb.flags"
check_eq "after attach the terminal is blocking again (O_NONBLOCK clear)" 0 \
	"$(( $(printf '%d' "0$(cat "$ROOT/nb.flags")") & 2048 ))"

cx run -d -t -i --name sh1 --rootfs "$ROOTFS" -- sh >/dev/null
pane "$CONMUX" attach sh1
see "attach announces the detach keys" 'detach with ctrl-p,ctrl-q'
keys 'echo hel""lo-$((6*7))' Enter
see "type a command, see its output" 'hello-42'
keys 'stty size' Enter
see "stty size inside equals the pane" "^$H $W"
$T resize-window -t t -x 120 -y 40
keys 'stty size' Enter
see "after tmux resize-window stty size follows" '^40 120'
check_match "inspect shows the size last sent" '"tty_size":[[:space:]]*"40x120"' "$(cx inspect sh1)"
keys 'cat -v >/tmp/cv' Enter
sleep 0.3
keys C-p x Enter C-d
keys 'cat /tmp/cv' Enter
see "ctrl-p then x reaches the container as both bytes" '^\^Px$'
keys 'sleep 100' Enter
sleep 0.3
keys C-c
keys 'echo after-sleep-$?' Enter
see "ctrl-c reaches the container, not conmux" 'after-sleep-130'
keys C-p C-q
see "ctrl-p ctrl-q detaches" 'detached from sh1'
check_eq "detach exits 0" 0 "$(pane_rc)"
check_eq "the container still runs after detach" running "$(field sh1 state)"

# a storm of resizes ends at the right size
pane "$CONMUX" attach sh1
wait_screen 'detach with' || true
i=0
while [ $i -lt 200 ]; do
	$T resize-window -t t -x $((60 + i % 50)) -y $((15 + i % 20))
	i=$((i + 1))
done
$T resize-window -t t -x 91 -y 27
sleep 0.5
keys 'stty size' Enter
see "after 200 resizes the last size wins" '^27 91'
keys 'exit 7' Enter
see "exit 7 while attached says so" 'sh1 exited with code 7'
check_eq "the CLI ends with the container's code" 7 "$(pane_rc)"

# run -it ends with the container's code
W=80 H=24
pane "$CONMUX" run -t -i --name it1 --rootfs "$ROOTFS" -- sh
see "run -it: a prompt" '#'
keys 'stty size; exit 5' Enter
see "run -it: the pty was sized before start" '^24 80'
check_eq "run -it exits with the container's code" 5 "$(pane_rc)"

# start -a: attach before start, then the container's code
cx create -t -i --name sa --rootfs "$ROOTFS" -- sh >/dev/null
pane "$CONMUX" start -a sa
see "start -a: a prompt" '#'
keys 'exit 4' Enter
check_eq "start -a exits with the container's code" 4 "$(pane_rc)"

# non-tty -i with cat echoes
cx run -d -i --name cat1 --rootfs "$ROOTFS" -- cat >/dev/null
pane "$CONMUX" attach cat1
wait_screen 'detach with' || true
keys 'ping-through-cat' Enter
see "non-tty -i: cat echoes what we type" '^ping-through-cat$'
keys C-p C-q Enter
see "detach from a non-tty session (line mode: after Enter)" 'detached from cat1'
check_eq "cat still runs: detaching did not close its stdin" running "$(field cat1 state)"
pane "$CONMUX" attach cat1
wait_screen 'detach with' || true
keys 'second-attach' Enter
see "a second attach can still type" '^second-attach$'
check_eq "piped stdin to run -i reaches EOF" "hello" "$(echo hello | cx run -i --rootfs "$ROOTFS" -- cat)"

# exec with a tty
cx run -d --name host --rootfs "$ROOTFS" -- sleep 1000 >/dev/null
pane "$CONMUX" exec -t -i host -- sh
see "exec -t: a prompt" '#'
keys 'stty size; echo pid=$$' Enter
see "exec -t: sized to the pane" '^24 80'
see "exec -t: a shell of its own" 'pid=[0-9]+'
check_match "exec sessions are listed while they run" '"session"' "$(cx inspect host)"
keys 'exit 3' Enter
check_eq "exec exit code propagates" 3 "$(pane_rc)"
check_eq "exec's exit code without a terminal" 9 "$(cx exec host -- sh -c 'exit 9' >/dev/null 2>&1; echo $?)"
check_eq "exec of something that cannot run: 126" 126 "$(cx exec host -- /etc/passwd >/dev/null 2>&1; echo $?)"
check_eq "exec of a missing command: 127" 127 "$(cx exec host -- /nonexistent >/dev/null 2>&1; echo $?)"
check_match "exec --cap is checked with libcap" "unknown capability 'bogus'" "$(cx exec --cap bogus host -- true 2>&1)"
check_match "exec -u nobody runs as that user" '^65534$' "$(cx exec -u nobody host -- id -u)"

# --sig-proxy: a signal to the attach client goes to the container
cx run -d --name sp --rootfs "$ROOTFS" -- sh -c 'trap "exit 11" INT; while :; do sleep 0.1; done' >/dev/null
"$CONMUX" attach --no-stdin --sig-proxy sp >/dev/null 2>&1 &
apid=$!
wait_until 10 sh -c "ls -l /proc/$apid/fd 2>/dev/null | grep -q socket"
kill -INT $apid
wait $apid; arc=$?
check_eq "--sig-proxy forwards SIGINT; attach ends with the container's code" 11 "$arc"

# resize for scripts, and never for a non-tty container
cx run -d -t --name rz --rootfs "$ROOTFS" -- sleep 1000 >/dev/null
check_eq "conmux resize" rz "$(cx resize rz 33 99)"
check_match "resize recorded for details" '"tty_size":[[:space:]]*"33x99"' "$(cx inspect rz)"
check_match "resize of a non-tty container is refused" 'no terminal' "$(cx resize host 10 10 2>&1)"

# the attach socket vanished: a clear error
hid=$(field host id)
rm -f "$ROOT/containers/$hid/userdata/attach"
check_match "attach to a container whose socket was removed: the error" 'attach socket not there' "$(cx attach host 2>&1 </dev/null)"
check_eq "and the container is untouched" running "$(field host state)"

# A slow reader gets every byte: past 1 MiB behind, conmux stops reading
# conmon (which waits, as on a slow terminal) instead of dropping what a
# bounded buffer cannot hold. 80 MiB at full speed into a reader of about
# 40 MiB/s: without the hold, all past 64 MiB was lost.
cx create --name slowr --rootfs "$ROOTFS" -- sh -c 'head -c 83886080 /dev/zero | tr "\0" y' >/dev/null
want=$(head -c 83886080 /dev/zero | tr '\0' y | sha256sum | cut -d' ' -f1)
got=$(timeout -k 5 120 "$CONMUX" start -a slowr </dev/null 2>/dev/null |
	perl -e 'while (sysread(STDIN, $b, 1 << 20)) { print $b; select(undef, undef, undef, 0.025) }' |
	sha256sum | cut -d' ' -f1)
check_eq "80 MiB through attach into a slow reader: whole (sha256)" "$want" "$got"
cx rm -f slowr >/dev/null 2>&1

# A stalled reader must not freeze conmon (its logging included): our
# stdout is a fifo whose reader never reads; the container floods past the
# hold (1 MiB), so conmux waits 5 s for the reader, then reads on, dropping.
cx run -d --name flood --rootfs "$ROOTFS" -- sh -c 'sleep 0.5; i=0; while [ $i -lt 12000 ]; do echo "line $i ................................................................................................................................"; i=$((i+1)); done; sleep 1000' >/dev/null
mkfifo "$ROOT/fifo"
sleep 1000 <"$ROOT/fifo" &
sp=$!
"$CONMUX" attach --no-stdin --sig-proxy=false flood >"$ROOT/fifo" 2>/dev/null &
ap=$!
fid=$(field flood id)
wait_until 30 grep -q 'line 11999' "$ROOT/containers/$fid/userdata/ctr.log"
check "a stalled terminal does not stall conmon for ever: the whole flood is logged" grep -q 'line 11999' "$ROOT/containers/$fid/userdata/ctr.log"
check "and the attach client is still alive" kill -0 $ap
kill $ap $sp 2>/dev/null
wait $ap 2>/dev/null

# conmon dies mid-attach: a clear error, exit 125, the container untouched
cx run -d --name cm --rootfs "$ROOTFS" -- sh -c 'while :; do echo t; sleep 0.2; done' >/dev/null
cmid=$(field cm id)
"$CONMUX" attach --no-stdin cm >/dev/null 2>"$ROOT/cm.err" </dev/null &
cmp=$!
wait_until 10 sh -c "ls -l /proc/$cmp/fd 2>/dev/null | grep -q socket"
kill -9 "$(cat "$ROOT/containers/$cmid/userdata/conmon.pid")"
wait $cmp; cmrc=$?
check_eq "conmon dying mid-attach ends the attach with 125" 125 "$cmrc"
check_match "with the reason" 'conmon exited without an exit file' "$(cat "$ROOT/cm.err")"
check_eq "the container is reported unknown, not lost" unknown "$(field cm state)"

# The log's last lines shown on attach are text: a title set and a cursor
# query (ESC[6n, as ash's prompt writes it) saved in the log reach neither
# the operator's terminal nor, as the terminal's answer, the container.
cx run -d -t -i --name lt --rootfs "$ROOTFS" -- sh -c \
	'printf "\033]2;pwned-title\007\033[6nlogged-line\n"; exec cat' >/dev/null
ltid=$(field lt id)
wait_until 10 grep -q logged-line "$ROOT/containers/$ltid/userdata/ctr.log"
pane "$CONMUX" attach lt
see "attach shows the log's last line" '^logged-line'
keys 'typed-after' Enter
see "typing reaches the container" '^typed-after$'
check "no cursor report was typed into the container" sh -c "! $T capture-pane -p -t t | grep -q 'R.*typed-after\\|\\^\\['"
check "the title set in the log did not reach the terminal" sh -c "! $T display -p -t t '#{pane_title}' | grep -q pwned"
keys C-p C-q
"$CONMUX" attach --no-stdin --sig-proxy=false lt >"$ROOT/lt.out" 2>/dev/null </dev/null &
ltp=$!
wait_until 10 sh -c "ls -l /proc/$ltp/fd 2>/dev/null | grep -q socket"
sleep 0.3
kill "$ltp" 2>/dev/null
wait "$ltp" 2>/dev/null
check_eq "the log tail is not written into a file or pipe (Podman shows none)" "" \
	"$(head -c 100 "$ROOT/lt.out")"
