#!/bin/sh
# make bench: conmux side by side with the raw floor (bench/floor.c: bare
# conmon + runtime, no store) and Podman (Debian's podman, offline, set up
# as ../shared/docs/bench-notes.md says). The machine's speed drifts, so the
# tools are interleaved per iteration and medians reported with min and max.
# Timing lives here, never in tests.
set -u
cd "$(dirname "$0")/.."
TOP=$(pwd)
N=${BENCH_N:-9}
NPS=${BENCH_PS:-100}
CONMUX=$TOP/build/conmux
ROOT=$(mktemp -d /tmp/cxb.XXXXXX)
export CONMUX_ROOT=$ROOT
RUNTIME=${CONMUX_RUNTIME:-runc}
CONMON=$(command -v conmon || echo /usr/bin/conmon)
RTPATH=$(command -v "$RUNTIME")
cc -O2 -o build/floor bench/floor.c || exit 1
sh scripts/mkrootfs.sh build/rootfs
RESULTS=$ROOT/results
: >"$RESULTS"

cleanup() {
	"$CONMUX" ps -a -q 2>/dev/null | xargs -r "$CONMUX" rm -f >/dev/null 2>&1
	for s in "$ROOT"/run/"$RUNTIME"/*/ "$ROOT"/floor-rt/*/; do
		[ -d "$s" ] && "$RTPATH" --root "$(dirname "$s")" delete --force "$(basename "$s")" >/dev/null 2>&1
	done
	[ -n "${PODMAN:-}" ] && $PODMAN rm -af -t 0 >/dev/null 2>&1
	rm -rf "$ROOT"
}
trap cleanup EXIT INT TERM

now() { date +%s%N; }
# rec TOOL METRIC VALUE
rec() { echo "$1 $2 $3" >>"$RESULTS"; }
ms() { echo "$1 $2" | awk '{ printf "%.2f", ($2 - $1) / 1e6 }'; }

# ---- Podman, offline (bench-notes.md) ----
PODMAN=""
if command -v podman >/dev/null 2>&1; then
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

echo "== create + start ($N iterations, interleaved)"
i=0
while [ $i -lt $N ]; do
	t0=$(now); "$CONMUX" run -d --name b$i --rootfs build/rootfs -- sleep 1000 >/dev/null; t1=$(now)
	rec conmux run $(ms $t0 $t1)
	# the floor: same config.json, bare conmon + runtime start
	src=$ROOT/containers/$("$CONMUX" inspect b$i | sed -n 's/.*"id":[[:space:]]*"\([0-9a-f]*\)".*/\1/p' | head -1)/userdata
	fb=$ROOT/floor/f$i; mkdir -p "$fb" "$ROOT/floor-exits"
	sed 's#"cgroupsPath":[^,]*,##' "$src/config.json" >"$fb/config.json"
	fid=$(printf 'f%063d' $i)
	t0=$(now); build/floor create "$CONMON" "$RTPATH" "$ROOT/floor-rt" "$fb" "$fid" "$ROOT/floor-exits" ; t1=$(now)
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

echo "== stop of a container whose PID 1 exits on SIGTERM"
i=0
while [ $i -lt $N ]; do
	"$CONMUX" run -d --name s$i --rootfs build/rootfs -- sh -c 'trap "exit 0" TERM; sleep 1000 & wait' >/dev/null
	t0=$(now); "$CONMUX" stop s$i >/dev/null; t1=$(now); rec conmux stop $(ms $t0 $t1)
	if [ -n "$PODMAN" ]; then
		$PODMAN run -d --name ps$i localhost/busybox sh -c 'trap "exit 0" TERM; sleep 1000 & wait' >/dev/null 2>&1
		t0=$(now); $PODMAN stop ps$i >/dev/null 2>&1; t1=$(now); rec podman stop $(ms $t0 $t1)
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
FLOOD='head -c 33554432 /dev/zero | tr "\0" x; exit 0'
i=0
while [ $i -lt $((N < 5 ? N : 5)) ]; do
	"$CONMUX" create --name a$i --rootfs build/rootfs -- sh -c "sleep 0.3; $FLOOD" >/dev/null
	t0=$(now); "$CONMUX" start -a a$i >/dev/null; t1=$(now)
	rec conmux attach-MBps $(echo "$t0 $t1" | awk '{ printf "%.1f", 32 * 1.048576 / (($2 - $1) / 1e9) }')
	"$CONMUX" create --name r$i --rootfs build/rootfs -- sh -c "sleep 0.3; $FLOOD" >/dev/null
	rid=$("$CONMUX" inspect r$i | sed -n 's/.*"id":[[:space:]]*"\([0-9a-f]*\)".*/\1/p' | head -1)
	(build/floor attach "$ROOT/containers/$rid/userdata" >"$ROOT/floor.out") &
	fp=$!
	until grep -q connected "$ROOT/floor.out" 2>/dev/null; do sleep 0.01; done
	t0=$(now); "$CONMUX" start r$i >/dev/null; wait $fp; t1=$(now)
	rec floor attach-MBps $(echo "$t0 $t1" | awk '{ printf "%.1f", 32 * 1.048576 / (($2 - $1) / 1e9) }')
	if [ -n "$PODMAN" ]; then
		$PODMAN create --name pa$i localhost/busybox sh -c "sleep 0.3; $FLOOD" >/dev/null 2>&1
		t0=$(now); $PODMAN start -a pa$i >/dev/null 2>&1; t1=$(now)
		rec podman attach-MBps $(echo "$t0 $t1" | awk '{ printf "%.1f", 32 * 1.048576 / (($2 - $1) / 1e9) }')
	fi
	i=$((i + 1))
done

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
