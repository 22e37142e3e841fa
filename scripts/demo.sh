#!/bin/sh
# make demo: a busybox rootfs, three demo containers, then the console.
set -eu
cd "$(dirname "$0")/.."
CONMUX=$(pwd)/build/conmux
sh scripts/mkrootfs.sh build/rootfs
for n in demo-shell demo-ticker demo-exit3; do
	"$CONMUX" rm -f "$n" >/dev/null 2>&1 || true
done
"$CONMUX" run -d -t -i --name demo-shell --rootfs build/rootfs -- sh >/dev/null
"$CONMUX" run -d --name demo-ticker --stop-timeout 2 --rootfs build/rootfs -- \
	sh -c 'trap "exit 0" TERM; i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 1; done' >/dev/null
"$CONMUX" run -d --name demo-exit3 --rootfs build/rootfs -- \
	sh -c 'echo "exiting with 3 in 5 seconds"; sleep 5; exit 3' >/dev/null
"$CONMUX" ps -a
echo
echo "try: $CONMUX logs -f demo-ticker   |   $CONMUX wait demo-exit3"
# On a terminal the demo ends in the console (q quits; containers stay).
if [ -t 0 ] && [ -t 1 ]; then
	sleep 1
	exec "$CONMUX" console
fi
