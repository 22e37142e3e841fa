#!/bin/sh
# Two consoles and four scripted CLI loops racing on the same 30 containers
# for RACE_SECONDS (20): every exit conmon reports (an exit file renamed
# into the exits dir, counted by an inotify watcher of our own) appears
# exactly once, with its code, in each of two `events --json` readers;
# nothing is left at the end (no container, directory, runtime state,
# conmon, container process or conmux process). The operations are drawn
# from a printed seed; SEED= reruns the same draws (the interleaving is the
# machine's).
. "$(dirname "$0")/../lib/tui.sh"

N=30
RACE_SECONDS=${RACE_SECONDS:-20}
SEED=${SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "# seed $SEED (rerun with SEED=$SEED), $N containers, $RACE_SECONDS s"
PY=/usr/bin/python3
if ! [ -x $PY ]; then
	skip "racing consoles and CLI loops" "$PY (the exit-file watcher) is not installed"
	exit 0
fi

RFS=$ROOTFS
BG=""	# every background PID, killed by the trap
# What conmux lost track of, if anything (the checks below say so): the
# conmons of this root and the processes in its containers' cgroups.
reap_leftovers() {
	for p in /proc/[0-9]*; do
		{ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -q "^[^ ]*conmon .*$ROOT/" &&
		    kill -9 "${p#/proc/}" 2>/dev/null
	done
	sed -n 's/.*"id":"\([0-9a-f]\{64\}\)".*/\1/p' "$ROOT"/ev*.log 2>/dev/null | sort -u |
	while read -r id; do
		for cg in /sys/fs/cgroup/*/conmux/"$id"; do
			[ -d "$cg" ] || continue
			for pid in $(cat "$cg/cgroup.procs" 2>/dev/null); do
				kill -9 "$pid" 2>/dev/null
			done
			rmdir "$cg" 2>/dev/null
		done
	done
}
T_EXTRA_CLEANUP='[ -n "${RACE_KEEP:-}" ] && mkdir -p "$RACE_KEEP" && cp "$ROOT"/*.log "$ROOT"/*.rc "$ROOT"/*.err "$RACE_KEEP"/ 2>/dev/null; for p in $BG; do kill $p 2>/dev/null; done; tmux -S "$ROOT/tmux2.sock" kill-server 2>/dev/null; [ -n "${UI2_PID:-}" ] && sleep 0.5 && kill -9 $UI2_PID 2>/dev/null; reap_leftovers'

# The watcher: one line per exit file conmon puts in the exits dir (conmon
# writes <id>.XXXXXX and renames it to <id>; a direct write counts once as
# well), independent of conmux.
cat >"$ROOT/watch.py" <<'EOF'
import ctypes, os, re, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.inotify_init1(0)
IN_CLOSE_WRITE, IN_MOVED_TO = 0x8, 0x80
if fd < 0 or libc.inotify_add_watch(fd, sys.argv[1].encode(), IN_CLOSE_WRITE | IN_MOVED_TO) < 0:
    sys.exit("inotify: %s" % os.strerror(ctypes.get_errno()))
out = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
os.write(out, b"ready\n")
hexid = re.compile(rb"^[0-9a-f]{64}$")
while True:
    buf = os.read(fd, 65536)
    i = 0
    while i < len(buf):
        wd, mask, cookie, n = struct.unpack_from("iIII", buf, i)
        name = buf[i + 16:i + 16 + n].rstrip(b"\0")
        i += 16 + n
        if hexid.match(name):
            os.write(out, name + b"\n")
EOF
mkdir -p "$ROOT/run/exits"
$PY "$ROOT/watch.py" "$ROOT/run/exits" "$ROOT/exits.log" 2>"$ROOT/watch.err" &
BG="$BG $!"
wait_until 10 grep -q ready "$ROOT/exits.log" ||
	not_ok "the exit-file watcher starts" "$(cat "$ROOT/watch.err")"

# Two readers, watching before anything is made.
for r in 1 2; do
	"$CONMUX" events --json >"$ROOT/ev$r.log" 2>"$ROOT/ev$r.err" &
	eval "EV$r=$!"
	BG="$BG $!"
done
if wait_until 10 sh -c "grep -qs 'inotify wd' /proc/$EV1/fdinfo/* && grep -qs 'inotify wd' /proc/$EV2/fdinfo/*"; then
	ok "two events readers are watching"
else
	not_ok "two events readers are watching"
fi

# cmd_of I: container I's command. A third exit on their own (code I),
# a third stop on TERM, a third ignore TERM (a stop escalates to KILL).
cmd_of() {
	case $(($1 % 3)) in
	0) echo "sleep 0.$((($1 % 9) + 1)); exit $1" ;;
	1) echo "$LOOP" ;;
	2) echo 'exec sleep 1000' ;;
	esac
}
mk() {	# I: run container c$I
	cx run -d --name "c$1" --stop-timeout 1 --rootfs "$RFS" -- sh -c "$(cmd_of "$1")"
}
made=0
i=0
while [ $i -lt $N ]; do
	mk $i >/dev/null 2>&1 && made=$((made + 1))
	i=$((i + 1))
done
check_eq "$N containers made" "$N" "$made"

# Two consoles, each with its own terminal, no confirmations.
tui_open 110 45 --no-confirm
UI1_PID=$UI_PID
# (its own tmux server: tmux 3.3a dies making a second session once
# window-size is manual)
T2="tmux -S $ROOT/tmux2.sock -f /dev/null"
$T2 new-session -d -s ui2 -x 110 -y 45 \
    "env TERM=tmux-256color LC_ALL=C.UTF-8 sh -c 'echo \$\$ >$ROOT/ui2.pid; exec \"\$0\" \"\$@\"' $CONMUX --root $ROOT --engine conmux --no-confirm; echo \$? >$ROOT/ui2.rc; sleep 600"
wait_until 5 test -s "$ROOT/ui2.pid"
$T2 set -g window-size manual >/dev/null
UI2_PID=$(cat "$ROOT/ui2.pid" 2>/dev/null)
if wait_for 'c29' 10 && wait_until 10 sh -c "$T2 capture-pane -p -t ui2 | grep -q c29"; then
	ok "two consoles list the containers"
else
	not_ok "two consoles list the containers"
	screen_diag
fi

# The draws: one line per step, "OP I" for the CLI loops, "KEY I" for the
# consoles, from awk's generator seeded with SEED and the loop's number.
draws() {	# LOOP KIND
	awk -v seed="$SEED" -v loop="$1" -v kind="$2" -v n=$N 'BEGIN {
		srand(seed * 10 + loop)
		split("run run stop start restart kill pause resume rm", cli, " ")
		split("j j k k g G s S r p d C-k : : :", key, " ")
		for (s = 0; s < 5000; s++) {
			if (kind == "cli")
				print cli[1 + int(rand() * 9)], int(rand() * n)
			else
				print key[1 + int(rand() * 15)], int(rand() * n)
		}
	}'
}

END_AT=$(($(date +%s) + RACE_SECONDS))

# cli_loop K: until the deadline, one operation after another. Every exit
# status goes to $ROOT/cli$K.rc ("OP STATUS"), stderr to $ROOT/cli$K.err.
cli_loop() {
	draws "$1" cli | while read -r op i; do
		[ "$(date +%s)" -lt $END_AT ] || break
		case $op in
		run) mk "$i" ;;
		stop) cx stop -t 1 "c$i" ;;
		restart) cx restart -t 1 "c$i" ;;
		rm) cx rm -f "c$i" ;;
		*) cx "$op" "c$i" ;;
		esac >/dev/null 2>>"$ROOT/cli$1.err"
		echo "$op $?" >>"$ROOT/cli$1.rc"
	done
}

# ui_loop K SESSION: keys to one console until the deadline: moves,
# actions on whatever is selected, the kill picker, and ':' commands
# naming a container.
ui_loop() {
	draws "$1" ui | while read -r key i; do
		[ "$(date +%s)" -lt $END_AT ] || break
		case $key in
		:)
			case $((i % 3)) in
			0) c="stop c$i" ;;
			1) c="rm -f c$i" ;;
			2) c="start c$i" ;;
			esac
			$T send-keys -t "$2" :
			$T send-keys -t "$2" -l "$c"
			$T send-keys -t "$2" Enter
			;;
		C-k) $T send-keys -t "$2" C-k Enter ;;
		*) $T send-keys -t "$2" "$key" ;;
		esac
		echo "$key" >>"$ROOT/ui$1.keys"
		sleep 0.05
	done
}

pids=""
for k in 1 2 3 4; do
	cli_loop $k &
	pids="$pids $!"
done
ui_loop 5 ui &
pids="$pids $!"
T=$T2 ui_loop 6 ui2 &
pids="$pids $!"
BG="$BG $pids"
for p in $pids; do
	wait "$p"
done

ops=$(cat "$ROOT"/cli[1-4].rc 2>/dev/null | wc -l)
okops=$(cat "$ROOT"/cli[1-4].rc 2>/dev/null | grep -c ' 0$')
keys=$(cat "$ROOT"/ui[56].keys 2>/dev/null | wc -l)
echo "# $ops CLI operations ($okops succeeded), $keys console keys"
bad=$(cat "$ROOT"/cli[1-4].rc 2>/dev/null | grep -vE ' (0|1|2|125)$' | sort | uniq -c | tr '\n' ';')
check_eq "every CLI operation ends with 0, 1, 2 or 125 (no crash)" "" "$bad"
check "the loops succeeded at something (one in ten at least)" \
    test "$okops" -gt 0 -a "$((okops * 10))" -ge "$ops"
san=$(cat "$ROOT"/cli[1-4].err 2>/dev/null | grep -E 'Sanitizer|runtime error:|LeakSanitizer' | head -3)
check_eq "no sanitizer report from the CLI" "" "$san"

if ui_alive && kill -0 "$UI2_PID" 2>/dev/null; then
	ok "both consoles survived the race"
else
	not_ok "both consoles survived the race"
	screen_diag
fi

# Settled: nothing broken, nothing stuck in stopping or removing once the
# last operations are in.
settled() {
	out=$(cx ps -a 2>&1) || return 1
	! printf '%s\n' "$out" | grep -qE ' (stopping|removing|configured|broken|unknown) '
}
if wait_until 20 settled; then
	ok "after the race every container settles (none stopping, removing, broken or unknown)"
else
	not_ok "after the race every container settles" "$(cx ps -a 2>&1)"
fi

echo "# $(date +%T) removing what is left"
# Remove everything that is left, through the CLI.
i=0
while [ $i -lt $N ]; do
	cx rm -f "c$i" >/dev/null 2>>"$ROOT/rm.err" || echo "c$i: rm -f exited $?" >>"$ROOT/rm.err"
	i=$((i + 1))
done
if [ -z "$(cx ps -a -q 2>&1)" ]; then
	ok "ps -a lists nothing"
else
	not_ok "ps -a lists nothing" "left: $(cx ps -a 2>&1)" "rm -f said: $(cat "$ROOT/rm.err")"
fi

# Both consoles follow: an empty list, and still taking keys (q quits 0).
if wait_gone '^[ *]c[0-9]+ ' 10 &&
    wait_until 10 sh -c "! $T2 capture-pane -p -t ui2 | grep -Eq '^[ *]c[0-9]+ '"; then
	ok "both consoles show the empty list"
else
	not_ok "both consoles show the empty list"
	screen_diag
fi
# Back to the list from whatever view the keys left open, then quit.
for s in "$T ui" "$T2 ui2"; do
	for k in 1 2 3; do
		${s% *} send-keys -t ${s##* } Escape
		sleep 0.15
	done
	${s% *} send-keys -t ${s##* } q
done
wait_exit "console 1 quits with 0" 0
if wait_until 10 test -s "$ROOT/ui2.rc"; then
	check_eq "console 2 quits with 0" 0 "$(cat "$ROOT/ui2.rc")"
else
	not_ok "console 2 quits with 0" "it did not exit"
fi

# ids: every container ID any observer saw.
ids() {
	{
		sed -n 's/.*"id":"\([0-9a-f]\{64\}\)".*/\1/p' "$ROOT/ev1.log" "$ROOT/ev2.log"
		grep -E '^[0-9a-f]{64}$' "$ROOT/exits.log"
	} | sort -u
}
# The readers have caught up once each has "removed" for every ID.
caught_up() {
	for id in $(ids); do
		for r in 1 2; do
			grep -q "\"id\":\"$id\".*\"state\":\"removed\"" "$ROOT/ev$r.log" || return 1
		done
	done
}
wait_until 20 caught_up ||
	not_ok "both readers saw every container removed" "$(for id in $(ids); do for r in 1 2; do grep -q "\"id\":\"$id\".*\"state\":\"removed\"" "$ROOT/ev$r.log" || echo "reader $r: ${id%"${id#????????????}"} not removed"; done; done | head -5)"
# conmon writes the exit file before the container is removable; give the
# watcher its last read, then stop everything.
sleep 0.5
for p in $BG; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
BG=""

nids=$(ids | wc -l)
exits=$(grep -cE '^[0-9a-f]{64}$' "$ROOT/exits.log")
echo "# $nids containers, $exits exits reported by conmon"
check "containers were made and exited during the race" test "$nids" -gt "$N" -a "$exits" -gt "$N"
for r in 1 2; do
	diff=""
	for id in $(ids); do
		want=$(grep -c "^$id\$" "$ROOT/exits.log")
		got=$(grep "\"id\":\"$id\"" "$ROOT/ev$r.log" | grep -c '"state":"exited"')
		[ "$want" = "$got" ] || diff="$diff ${id%"${id#????????????}"}:conmon=$want,events=$got"
	done
	check_eq "reader $r: every exit exactly once ($exits exits)" "" "$diff"
	nocode=$(grep '"state":"exited"' "$ROOT/ev$r.log" | grep -vc '"exit_code":')
	check_eq "reader $r: every exit has its code" 0 "$nocode"
	check_eq "reader $r: no error output" "" "$(cat "$ROOT/ev$r.err")"
done
# The same codes in the same order, per container, in both readers.
codes() {	# READER
	grep '"state":"exited"' "$ROOT/ev$1.log" |
	    sed 's/.*"id":"\([0-9a-f]*\)".*"exit_code":\([-0-9]*\).*/\1 \2/' |
	    sort -s -k1,1
}
check_eq "both readers report the same exit codes" "$(codes 1 | md5sum)" "$(codes 2 | md5sum)"
# Self-exiting containers (c0, c3, ...) exit with their number when left
# alone; the code of a signalled one is 128+N, or 2 when SIGTERM reached
# runc's init before it exec'd the command (Go's runtime exits 2 when the
# signal's default action does not kill it, as in a PID 1). Anything else
# is made up.
weird=$(grep '"state":"exited"' "$ROOT/ev1.log" |
    sed 's/.*"name":"c\([0-9]*\)".*"exit_code":\([-0-9]*\).*/\1 \2/' |
    awk '$2 != 0 && $2 != 2 && $2 != 137 && $2 != 143 && !($1 % 3 == 0 && $2 == $1) {print "c" $1 "=" $2}' | sort -u | tr '\n' ' ')
check_eq "every exit code is 0, 2, 137, 143 or the container's own" "" "$weird"

# Nothing left.
check_eq "no container directory left" "" "$(ls "$ROOT/containers" | grep -v '^lock$')"
check_eq "no runtime state left" "" "$(ls "$ROOT/run/$RUNTIME" 2>/dev/null)"
# Exit files outlive their containers (pruned after an hour), so that a
# process that had not read an exit yet still reports it: only those.
stray=""
for f in $(ls "$ROOT/run/exits"); do
	ids | grep -qx "$f" || stray="$stray $f"
	[ -d "$ROOT/containers/$f" ] && stray="$stray $f(container)"
done
check_eq "no exit file but of removed containers" "" "$stray"
# A container's processes are found by its cgroup (a process in a mount
# namespace of its own shows no usable root link), conmon by its argv.
left=""
for id in $(ids); do
	for cg in /sys/fs/cgroup/*/conmux/"$id" /sys/fs/cgroup/conmux/"$id"; do
		[ -d "$cg" ] || continue
		# (crun in tests/lib/crun-ns.sh's namespace keeps plain
		# directories in /sys/fs/cgroup's tmpfs: only a live process
		# or a real cgroup counts)
		procs=""
		for p in $(cat "$cg/cgroup.procs" 2>/dev/null); do
			kill -0 "$p" 2>/dev/null && procs="$procs $p"
		done
		case $(stat -f -c %T "$cg" 2>/dev/null) in
		cgroup*) ;;
		*) [ -n "$procs" ] || continue ;;
		esac
		left="$left cgroup:${cg#/sys/fs/cgroup/}${procs:+(pids$procs)}"
	done
done
check_eq "no container cgroup or process left" "" "$left"
left=""
me=$(readlink -f "$CONMUX")
for p in /proc/[0-9]*; do
	pid=${p#/proc/}
	cmd=$({ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null)
	if printf '%s\n' "$cmd" | grep -q "^[^ ]*conmon .*$ROOT/"; then
		left="$left conmon:$pid"
	elif [ "$(readlink "$p/exe" 2>/dev/null)" = "$me" ] &&
	    tr '\0' '\n' <"$p/environ" 2>/dev/null | grep -qx "CONMUX_ROOT=$ROOT"; then
		left="$left conmux:$pid"
	fi
done
check_eq "no conmon or conmux process left" "" "$left"
