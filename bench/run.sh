#!/bin/sh
# make bench: conmux side by side with the raw floor (bench/floor.c: bare
# conmon + runtime, no store) and Podman (Debian's podman, offline, set up
# as ../shared/docs/bench-notes.md says). The machine's speed drifts, so the
# tools are interleaved per iteration and medians reported with min and max.
# Timing lives here, never in tests. Rows the issue tracks (conmux/floor):
# run (runc, and crun when installed), stop-after-death, rm-f, pause,
# unpause, attach-MBps and attach-tty-MBps. BENCH_PODMAN=0 skips Podman;
# BENCH_ONLY=panes runs only the panes (bench/pane.c), BENCH_ONLY=attach
# only the attach rows, BENCH_ONLY=foreign only other engines' containers.
# Then BENCH_SCALE (200) containers started, listed, stopped and removed
# by eight parallel shells (BENCH_PART=scale runs only that section), and
# other engines' containers (bench/discover.c).
set -u
cd "$(dirname "$0")/.."
TOP=$(pwd)
N=${BENCH_N:-9}
NPS=${BENCH_PS:-100}
CONMUX=${CONMUX_BENCH_BIN:-$TOP/build/conmux}
ROOT=$(mktemp -d /tmp/cxb.XXXXXX)
export CONMUX_ROOT=$ROOT
RUNTIME=${CONMUX_RUNTIME:-runc}
CONMON=$(command -v conmon || echo /usr/bin/conmon)
RTPATH=$(command -v "$RUNTIME")
[ -n "${BENCH_PART:-}" ] || cc -O2 -o build/floor bench/floor.c || exit 1
sh scripts/mkrootfs.sh build/rootfs
RESULTS=$ROOT/results
: >"$RESULTS"

cleanup() {
	"$CONMUX" ps -a -q 2>/dev/null | xargs -r "$CONMUX" rm -f >/dev/null 2>&1
	for s in "$ROOT"/run/"$RUNTIME"/*/ "$ROOT"/floor-rt/*/; do
		[ -d "$s" ] && "$RTPATH" --root "$(dirname "$s")" delete --force "$(basename "$s")" >/dev/null 2>&1
	done
	[ -d "$ROOT/foreign-own" ] && CONMUX_ROOT=$ROOT/foreign-own "$CONMUX" rm -fa >/dev/null 2>&1
	[ -n "${PODMAN:-}" ] && $PODMAN rm -af -t 0 >/dev/null 2>&1
	# Podman's store leaves its overlay home mounted
	grep " $ROOT/" /proc/mounts | awk '{print $2}' | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null; done
	rm -rf "$ROOT"
}
trap cleanup EXIT INT TERM

now() { date +%s%N; }
# rec TOOL METRIC VALUE
rec() { echo "$1 $2 $3" >>"$RESULTS"; }
cid() { "$CONMUX" inspect "$1" | sed -n 's/.*"id":[[:space:]]*"\([0-9a-f]*\)".*/\1/p' | head -1; }
cpid() { "$CONMUX" inspect "$1" | sed -n 's/.*"pid":[[:space:]]*\([0-9]*\).*/\1/p' | head -1; }
# floor_bundle NAME DIR FID: DIR/config.json from conmux container NAME's,
# in a cgroup of its own (NAME's may still be in use)
floor_bundle() {
	mkdir -p "$2" "$ROOT/floor-exits"
	sed "s#\"cgroupsPath\":[^\"]*\"[^\"]*\"#\"cgroupsPath\": \"/conmux-floor/$3\"#" \
	    "$ROOT/containers/$(cid "$1")/userdata/config.json" >"$2/config.json"
}
floor_create() {	# DIR FID
	build/floor create "$CONMON" "$RTPATH" "$ROOT/floor-rt" "$1" "$2" "$ROOT/floor-exits"
}
floor_delete() {	# DIR FID
	"$RTPATH" --root "$ROOT/floor-rt" delete --force "$2" >/dev/null 2>&1
	rm -rf "$1"
}
results() {
echo
echo "== results (ms unless named otherwise; median [min..max])"
awk '
{ v[$1" "$2] = v[$1" "$2] " " $3; m[$2] = 1; t[$1] = 1 }
function median(s,   a, n, i, j, x) {
	n = split(s, a, " ")
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { x = a[i]; a[i] = a[j]; a[j] = x }
	lo = a[1]; hi = a[n]
	return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
END {
	for (metric in m) {
		line = sprintf("%-16s", metric)
		for (tool in t) {
			k = tool " " metric
			if (!(k in v)) continue
			md[tool] = median(v[k])
			line = line sprintf("  %s %.2f [%.2f..%.2f]", tool, md[tool], lo, hi)
		}
		if (("conmux " metric) in v && ("floor " metric) in v)
			line = line sprintf("  conmux/floor %.2f", md["conmux"] / md["floor"])
		if (("conmux " metric) in v && ("podman " metric) in v)
			line = line sprintf("  conmux/podman %.2f", md["conmux"] / md["podman"])
		print line
		delete md
	}
}' "$RESULTS" | sort
}
ms() { echo "$1 $2" | awk '{ printf "%.2f", ($2 - $1) / 1e6 }'; }

# ---- the console's panes (issue 12): through a real pty ----
# Keystroke echo in a pane against today's full-screen attach (the same tty
# shell, the same pty harness, interleaved: rounds alternate which goes
# first); 8 panes open: the console's RSS, its context switches and loop
# wakeups a second while nothing happens (the 1 Hz clock ticks for the
# ages in the list); a 100 MB stream in one pane: frames a second, then
# the echo in another pane meanwhile. The console runs with --engine conmux:
# discovery wakes for every process the node starts, which is the node's
# business, not the panes'. BENCH_ONLY=panes runs this part alone.
bench_panes() {
	cc -O2 -o build/panebench bench/pane.c -lutil || return 1
	PR=$ROOT/panes
	mkdir -p "$PR"
	for i in 1 2 3 4 5 6 7 8; do
		CONMUX_ROOT=$PR "$CONMUX" run -d -t -i --name "p$i" --rootfs build/rootfs -- sh >/dev/null
	done
	export PANE_ARGS="--engine conmux"
	R=$(( (N + 2) / 3 ))
	echo
	echo "== panes (ms: median p99 of $((R * 100)) keystrokes each, 20 a second, $R interleaved rounds)"
	e=$(build/panebench cmp "$CONMUX" "$PR" $R 100)
	echo "$e" | awk '{ printf "echo in a pane      %.3f %.3f\necho full-screen    %.3f %.3f\n", $1, $2, $3, $4
	    printf "pane - full-screen  %+.3f ms median, %+.3f ms p99 (pane/full %.2f)\n", $1 - $3, $2 - $4, $1 / $3 }'
	pp=$(build/panebench panes "$CONMUX" "$PR" 8)
	echo "$pp" | awk '{ printf "8 panes open        RSS %d kB, idle: %.1f context switches/s, %.1f wakeups/s (clock ticks %.1f/s)\n", $1, $2, $3, $4 }'
	st=$(build/panebench stream "$CONMUX" "$PR" 100)
	echo "$st" | awk '{ printf "100 MB in a pane     %.1f frames/s, %.1f MB/s\nwhile it streams     echo in another pane %.3f %.3f ms (median p99), %.1f frames/s\n", $1, $2, $3, $4, $5 }'
	CONMUX_ROOT=$PR "$CONMUX" rm -fa >/dev/null 2>&1
}
if [ "${BENCH_ONLY:-}" = panes ]; then
	bench_panes
	exit $?
fi

# ---- crun (run from the runc pass inside tests/lib/crun-ns.sh) ----
if [ "${BENCH_PART:-}" = crun-run ]; then
	RESULTS=$BENCH_RESULTS
	i=0
	while [ $i -lt $N ]; do
		t0=$(now); "$CONMUX" run -d --name c$i --rootfs build/rootfs -- sleep 1000 >/dev/null; t1=$(now)
		rec conmux run-crun $(ms $t0 $t1)
		floor_bundle c$i "$ROOT/floor/c$i" "$(printf 'c%063d' $i)"
		t0=$(now); floor_create "$ROOT/floor/c$i" "$(printf 'c%063d' $i)"; t1=$(now)
		rec floor run-crun $(ms $t0 $t1)
		floor_delete "$ROOT/floor/c$i" "$(printf 'c%063d' $i)"
		"$CONMUX" rm -f c$i >/dev/null
		i=$((i + 1))
	done
	exit 0
fi

# ---- many containers at once, eight shells (issue 13) ----
# Wall-clock seconds for each phase: BENCH_SCALE containers made with
# run -d, ps with all of them running, stop and rm -f, each phase split
# among BENCH_SHELLS shells (container i to shell i mod 8). PID 1 exits on
# SIGTERM at once, so stop measures conmux, not a stop timeout.
scale_section() {
	sn=${BENCH_SCALE:-200} ns=${BENCH_SHELLS:-8}
	echo "== $sn containers, $ns parallel shells: run -d, ps, stop, rm"
	# scale_phase VERB...: every shell runs VERB... s<i> on its share
	scale_phase() {
		k=0
		while [ $k -lt "$ns" ]; do
			(
				i=$k
				while [ $i -lt "$sn" ]; do
					"$@" "sc$i" >/dev/null 2>>"$ROOT/scale.err" ||
					    echo "sc$i" >>"$ROOT/scale.fail"
					i=$((i + ns))
				done
			) &
			k=$((k + 1))
		done
		wait
	}
	scale_run() {
		"$CONMUX" run -d --name "$1" --rootfs build/rootfs -- \
		    sh -c 'trap "exit 0" TERM; sleep 1000 & wait'
	}
	: >"$ROOT/scale.fail"
	t0=$(now); scale_phase scale_run; t1=$(now)
	up=$("$CONMUX" ps -q | wc -l)
	t2=$(now); "$CONMUX" ps >/dev/null; t3=$(now)
	"$CONMUX" ps >/dev/null; t4=$(now)
	"$CONMUX" ps >/dev/null; t5=$(now)
	t6=$(now); scale_phase "$CONMUX" stop; t7=$(now)
	t8=$(now); scale_phase "$CONMUX" rm -f; t9=$(now)
	left=$("$CONMUX" ps -a -q | wc -l)
	rec conmux scale-run-s $(ms $t0 $t1 | awk '{ printf "%.2f", $1 / 1000 }')
	rec conmux scale-ps $(ms $t2 $t3)
	rec conmux scale-ps $(ms $t3 $t4)
	rec conmux scale-ps $(ms $t4 $t5)
	rec conmux scale-stop-s $(ms $t6 $t7 | awk '{ printf "%.2f", $1 / 1000 }')
	rec conmux scale-rm-s $(ms $t8 $t9 | awk '{ printf "%.2f", $1 / 1000 }')
	printf '%-28s %8.2f s (%s running after)\n' "run -d $sn, $ns shells" \
	    "$(ms $t0 $t1 | awk '{ print $1 / 1000 }')" "$up"
	printf '%-28s %s ms (three runs)\n' "ps with $up running" \
	    "$(ms $t2 $t3) $(ms $t3 $t4) $(ms $t4 $t5)"
	printf '%-28s %8.2f s\n' "stop $sn, $ns shells" \
	    "$(ms $t6 $t7 | awk '{ print $1 / 1000 }')"
	printf '%-28s %8.2f s (%s left)\n' "rm -f $sn, $ns shells" \
	    "$(ms $t8 $t9 | awk '{ print $1 / 1000 }')" "$left"
	nf=$(sort -u "$ROOT/scale.fail" | wc -l)
	[ "$nf" -eq 0 ] || echo "scale: $nf commands failed: $(sort -u "$ROOT/scale.err" | head -3)"
}
if [ "${BENCH_PART:-}" = scale ]; then
	scale_section
	exit 0
fi

# ---- Podman, offline (bench-notes.md) ----
PODMAN=""
if [ "${BENCH_PODMAN:-1}" = 0 ]; then
	echo "podman: skipped (BENCH_PODMAN=0)"
elif command -v podman >/dev/null 2>&1; then
	P=$ROOT/podman
	mkdir -p "$P/storage" "$P/run"
	cat >"$P/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=20000:20000"]
netns = "none"
log_driver = "k8s-file"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "$RUNTIME"
conmon_env_vars = ["PATH=$PATH", "CONTAINERS_CONF=$P/containers.conf", "CONTAINERS_STORAGE_CONF=$P/storage.conf"]
CONF
	cat >"$P/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$P/storage"
runroot = "$P/run"
CONF
	export CONTAINERS_CONF=$P/containers.conf CONTAINERS_STORAGE_CONF=$P/storage.conf
	if tar -C build/rootfs -c . | podman import - localhost/busybox >/dev/null 2>&1; then
		PODMAN=podman
	else
		echo "podman: import failed; comparing with the floor only"
	fi
else
	echo "podman: not installed (apt-get install podman); comparing with the floor only"
fi

FLOOD='head -c 33554432 /dev/zero | tr "\0" x; exit 0'
# attach_row METRIC CREATE-FLAGS TTY: 32 MiB through conmux start -a, the
# raw floor (a bare conmon's attach socket read by build/floor, which writes
# the stream out as a client would) and Podman; MB/s from the first byte to
# the end, so that neither start nor the flood's sleep counts. Without a
# tty the client writes into a pipe (build/floor rate); with one, onto a pty
# (build/floor ptyrate), as in a terminal.
attach_rate() {	# TTY CMD...
	if [ "$1" = 1 ]; then
		shift
		build/floor ptyrate "$@"
	else
		shift
		"$@" 2>/dev/null | build/floor rate
	fi
}
attach_row() {
	i=0
	while [ $i -lt "$N" ]; do
		"$CONMUX" create $2 --name a$1$i --rootfs build/rootfs -- sh -c "sleep 0.3; $FLOOD" >/dev/null
		rec conmux $1 "$(attach_rate $3 "$CONMUX" start -a a$1$i)"
		fb=$ROOT/floor/a$1$i; fid=$(printf 'a%063d' $i)
		floor_bundle a$1$i "$fb" "$fid"
		if floor_create "$fb" "$fid"; then
			rec floor $1 "$(attach_rate $3 build/floor attach "$fb" out)"
		else
			[ $i -eq 0 ] && echo "floor $1: the bare conmon did not start"
		fi
		floor_delete "$fb" "$fid"
		"$CONMUX" rm -f a$1$i >/dev/null
		if [ -n "$PODMAN" ]; then
			$PODMAN create $2 --name pa$1$i localhost/busybox sh -c "sleep 0.3; $FLOOD" >/dev/null 2>&1
			rec podman $1 "$(attach_rate $3 $PODMAN start -a pa$1$i)"
			$PODMAN rm -f pa$1$i >/dev/null 2>&1
		fi
		i=$((i + 1))
	done
}
# ---- other engines' containers (issue 10): through a real pty ----
# The console's first frame with BENCH_FOREIGN_N running Podman containers
# against the same console with as many of conmux's own (interleaved, N
# runs each); a new Podman container on screen after its conmon's exec
# (seen by the process-events connector, as the console sees it); the
# console's context switches a second while idle, with and without them.
foreign_section() {
	FN=${BENCH_FOREIGN_N:-100}
	if [ -n "$PODMAN" ] && cc -O2 -o build/discoverbench bench/discover.c -lutil -lvterm 2>/dev/null; then
		DR=$ROOT/foreign-own
		ER=$ROOT/foreign-empty
		mkdir -p "$DR" "$ER"
		# only this section's containers on the node: the console lists every
		# engine's, and the earlier sections' would push rows off its screen
		"$CONMUX" rm -fa >/dev/null 2>&1
		$PODMAN rm -af -t 0 >/dev/null 2>&1
		echo
		echo "== other engines' containers ($FN Podman containers, $FN of conmux's)"
		i=0
		while [ $i -lt "$FN" ]; do
			CONMUX_ROOT=$DR "$CONMUX" run -d --name "o$(printf %03d $i)" --rootfs build/rootfs -- sleep 100000 >/dev/null
			$PODMAN run -d --name "pf$(printf %03d $i)" localhost/busybox sleep 100000 >/dev/null 2>&1
			i=$((i + 1))
		done
		FR=$ROOT/foreign.txt
		: >"$FR"
		i=0
		while [ $i -lt "$N" ]; do
			# the last name in the (sorted) list: every row has been drawn
			echo "own $(build/discoverbench first "$CONMUX" "$DR" "o$(printf %03d $((FN - 1)))" conmux)" >>"$FR"
			echo "podman $(build/discoverbench first "$CONMUX" "$ER" "pf$(printf %03d $((FN - 1)))" podman)" >>"$FR"
			# named to sort first: its row is on the screen whatever else is
			echo "appear $(build/discoverbench appear "$CONMUX" "$ER" "0appear$i" $PODMAN run -d --name "0appear$i" localhost/busybox sleep 100000)" >>"$FR"
			i=$((i + 1))
		done
		awk -v fn="$FN" 'function median(s,  a, n, t, i, j) { n = split(s, a, " ")
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
			return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
		{ v[$1] = v[$1] " " $2 }
		END {
			o = median(v["own"]); p = median(v["podman"]); a = median(v["appear"])
			printf "first frame, %d conmux containers  %.1f ms\n", fn, o
			printf "first frame, %d Podman containers  %.1f ms   podman/own %.2f (goal <= 2)\n", fn, p, p / o
			printf "new Podman container on screen    %.1f ms after the exec of its conmon (goal <= 20)\n", a
		}' "$FR"
		io=$(build/discoverbench idle "$CONMUX" "$DR" 10 conmux)
		ip=$(build/discoverbench idle "$CONMUX" "$DR" 10 all)
		echo "idle, conmux's only              $io context switches/s"
		echo "idle, with $FN Podman containers $ip context switches/s"
		CONMUX_ROOT=$DR "$CONMUX" rm -fa >/dev/null 2>&1
		$PODMAN rm -af -t 0 >/dev/null 2>&1
	fi
}
if [ "${BENCH_ONLY:-}" = foreign ]; then
	foreign_section
	exit 0
fi
if [ "${BENCH_ONLY:-}" = attach ]; then
	echo "== attach throughput, no tty (32 MiB)"
	attach_row attach-MBps "" 0
	echo "== attach throughput, tty (32 MiB)"
	attach_row attach-tty-MBps -t 1
	results
	exit 0
fi
echo "== create + start ($N iterations, interleaved)"
i=0
while [ $i -lt $N ]; do
	t0=$(now); "$CONMUX" run -d --name b$i --rootfs build/rootfs -- sleep 1000 >/dev/null; t1=$(now)
	rec conmux run $(ms $t0 $t1)
	# the floor: same config.json, bare conmon + runtime start
	fb=$ROOT/floor/f$i
	fid=$(printf 'f%063d' $i)
	floor_bundle b$i "$fb" "$fid"
	t0=$(now); floor_create "$fb" "$fid"; t1=$(now)
	rec floor run $(ms $t0 $t1)
	if [ -n "$PODMAN" ]; then
		t0=$(now); $PODMAN run -d --name p$i localhost/busybox sleep 1000 >/dev/null 2>&1; t1=$(now)
		rec podman run $(ms $t0 $t1)
	fi
	i=$((i + 1))
done

echo "== ps with $NPS running"
i=$N
while [ $i -lt $NPS ]; do
	"$CONMUX" run -d --name b$i --rootfs build/rootfs -- sleep 1000 >/dev/null
	[ -n "$PODMAN" ] && $PODMAN run -d --name p$i localhost/busybox sleep 1000 >/dev/null 2>&1
	i=$((i + 1))
done
i=0
while [ $i -lt $N ]; do
	t0=$(now); "$CONMUX" ps >/dev/null; t1=$(now); rec conmux ps $(ms $t0 $t1)
	if [ -n "$PODMAN" ]; then
		t0=$(now); $PODMAN ps >/dev/null; t1=$(now); rec podman ps $(ms $t0 $t1)
	fi
	i=$((i + 1))
done

echo "== pause / unpause"
i=0
while [ $i -lt $N ]; do
	t0=$(now); "$CONMUX" pause b0 >/dev/null; t1=$(now); rec conmux pause $(ms $t0 $t1)
	t0=$(now); "$CONMUX" resume b0 >/dev/null; t1=$(now); rec conmux unpause $(ms $t0 $t1)
	fid=$(printf 'f%063d' 0)
	t0=$(now); "$RTPATH" --root "$ROOT/floor-rt" pause "$fid"; t1=$(now); rec floor pause $(ms $t0 $t1)
	t0=$(now); "$RTPATH" --root "$ROOT/floor-rt" resume "$fid"; t1=$(now); rec floor unpause $(ms $t0 $t1)
	if [ -n "$PODMAN" ]; then
		t0=$(now); $PODMAN pause p0 >/dev/null; t1=$(now); rec podman pause $(ms $t0 $t1)
		t0=$(now); $PODMAN unpause p0 >/dev/null; t1=$(now); rec podman unpause $(ms $t0 $t1)
	fi
	i=$((i + 1))
done

echo "== stop -t 10 of a container whose PID 1 exits on SIGTERM (whole, and after PID 1 died)"
# after-death: from PID 1's death (a pidfd in build/floor) to the stopping
# command's exit. The floor signals PID 1 itself and returns once conmon's
# exit file is written.
TRAP='trap "exit 0" TERM; sleep 1000 & wait'
i=0
while [ $i -lt $N ]; do
	"$CONMUX" run -d --name s$i --rootfs build/rootfs -- sh -c "$TRAP" >/dev/null
	t0=$(now); "$CONMUX" stop -t 10 s$i >/dev/null; t1=$(now); rec conmux stop $(ms $t0 $t1)
	"$CONMUX" run -d --name sd$i --rootfs build/rootfs -- sh -c "$TRAP" >/dev/null
	rec conmux stop-after-death $(build/floor after-death "$(cpid sd$i)" "$CONMUX" stop -t 10 sd$i)
	fb=$ROOT/floor/s$i; fid=$(printf 's%063d' $i)
	floor_bundle sd$i "$fb" "$fid"
	floor_create "$fb" "$fid"
	fp=$(cat "$fb/pidfile")
	rec floor stop-after-death $(build/floor after-death "$fp" build/floor stop "$fp" "$ROOT/floor-exits" "$fid")
	floor_delete "$fb" "$fid"
	if [ -n "$PODMAN" ]; then
		$PODMAN run -d --name ps$i localhost/busybox sh -c "$TRAP" >/dev/null 2>&1
		t0=$(now); $PODMAN stop -t 10 ps$i >/dev/null 2>&1; t1=$(now); rec podman stop $(ms $t0 $t1)
		$PODMAN run -d --name psd$i localhost/busybox sh -c "$TRAP" >/dev/null 2>&1
		pp=$($PODMAN inspect -f '{{.State.Pid}}' psd$i 2>/dev/null)
		[ -n "$pp" ] && rec podman stop-after-death $(build/floor after-death "$pp" $PODMAN stop -t 10 psd$i)
	fi
	i=$((i + 1))
done

echo "== rm -f of a running container"
i=0
while [ $i -lt $N ]; do
	"$CONMUX" run -d --name rm$i --rootfs build/rootfs -- sleep 1000 >/dev/null
	fb=$ROOT/floor/rm$i; fid=$(printf 'r%063d' $i)
	floor_bundle rm$i "$fb" "$fid"
	floor_create "$fb" "$fid"
	t0=$(now); "$CONMUX" rm -f rm$i >/dev/null; t1=$(now); rec conmux rm-f $(ms $t0 $t1)
	# the floor: SIGKILL to PID 1, conmon's exit file, the runtime's delete
	fp=$(cat "$fb/pidfile")
	t0=$(now)
	build/floor stop "$fp" "$ROOT/floor-exits" "$fid" 9
	"$RTPATH" --root "$ROOT/floor-rt" delete "$fid" >/dev/null 2>&1
	rm -rf "$fb" "$ROOT/floor-exits/$fid"
	t1=$(now); rec floor rm-f $(ms $t0 $t1)
	if [ -n "$PODMAN" ]; then
		$PODMAN run -d --name prm$i localhost/busybox sleep 1000 >/dev/null 2>&1
		t0=$(now); $PODMAN rm -f prm$i >/dev/null 2>&1; t1=$(now); rec podman rm-f $(ms $t0 $t1)
	fi
	i=$((i + 1))
done

echo "== exit file -> state recorded by a watching conmux (events running)"
"$CONMUX" events >/dev/null 2>&1 &
evp=$!
sleep 0.5
i=0
while [ $i -lt $N ]; do
	"$CONMUX" run -d --name x$i --rootfs build/rootfs -- sleep 1000 >/dev/null
	"$RTPATH" --root "$ROOT/run/$RUNTIME" kill "$("$CONMUX" inspect x$i | sed -n 's/.*"id":[[:space:]]*"\([0-9a-f]*\)".*/\1/p' | head -1)" KILL
	"$CONMUX" wait x$i >/dev/null
	j=$("$CONMUX" inspect x$i)
	fin=$(echo "$j" | sed -n 's/.*"finished_at":[[:space:]]*"\(.*\)".*/\1/p' | head -1)
	since=$(echo "$j" | grep -B1 '"state":[[:space:]]*"exited"' | sed -n 's/.*"time":[[:space:]]*"\(.*\)".*/\1/p' | tail -1)
	a=$(date -d "$fin" +%s%N); b=$(date -d "$since" +%s%N)
	rec conmux exit-to-state $(ms $a $b)
	i=$((i + 1))
done
kill $evp 2>/dev/null

echo "== attach throughput, no tty (32 MiB)"
attach_row attach-MBps "" 0
echo "== attach throughput, tty (32 MiB)"
attach_row attach-tty-MBps -t 1

echo "== keystroke echo, tty (300 keys; median and p99 per run)"
"$CONMUX" run -d -t -i --name echo --rootfs build/rootfs -- cat >/dev/null
eid=$("$CONMUX" inspect echo | sed -n 's/.*"id":[[:space:]]*"\([0-9a-f]*\)".*/\1/p' | head -1)
[ -n "$PODMAN" ] && $PODMAN run -d -t -i --name pecho localhost/busybox cat >/dev/null 2>&1
i=0
while [ $i -lt $((N < 5 ? N : 5)) ]; do
	set -- $(build/floor echo-socket "$ROOT/containers/$eid/userdata" 300)
	rec floor echo-median $1; rec floor echo-p99 $2
	set -- $(build/floor echo-client 300 "$CONMUX" attach echo)
	rec conmux echo-median $1; rec conmux echo-p99 $2
	if [ -n "$PODMAN" ]; then
		set -- $(build/floor echo-client 300 $PODMAN attach pecho)
		[ -n "${1:-}" ] && { rec podman echo-median $1; rec podman echo-p99 $2; }
	fi
	i=$((i + 1))
done

if command -v crun >/dev/null 2>&1 && [ "$RUNTIME" != crun ]; then
	echo "== create + start with crun ($N iterations, interleaved)"
	CONMUX_RUNTIME=crun BENCH_PART=crun-run BENCH_RESULTS=$RESULTS \
	    sh tests/lib/crun-ns.sh sh bench/run.sh
fi

scale_section

results

bench_panes

foreign_section
