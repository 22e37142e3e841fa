#!/bin/sh
# No byte of stdin lost: random data through every path that carries our
# stdin into a container (exec -i, attach without and with a tty, run -i,
# start -ai), checked with sha256sum inside the container; a slow reader;
# a reader that stops early. Signals proxied as Podman's --sig-proxy.
. "$(dirname "$0")/../lib/common.sh"

# STDIN_MB: the large size (100 as the issue asks; smaller for a quick run)
BIG_MB=${STDIN_MB:-100}
head -c 1572864 /dev/urandom >"$ROOT/small"
head -c $((BIG_MB * 1048576)) /dev/urandom >"$ROOT/big"
sum() { sha256sum "$1" | cut -d' ' -f1; }
SMALL=$(sum "$ROOT/small")
BIG=$(sum "$ROOT/big")

cx run -d --name box --rootfs "$ROOTFS" -- sleep 100000 >/dev/null

for f in small big; do
	want=$(sum "$ROOT/$f")
	size=$(wc -c <"$ROOT/$f")

	# exec -i, exactly the reported case: dd with 512-byte blocks
	out=$(timeout -k 5 120 "$CONMUX" exec -i box -- sh -c 'dd of=/tmp/f bs=512 2>/dev/null; sha256sum </tmp/f; wc -c </tmp/f' <"$ROOT/$f")
	rc=$?
	check_eq "exec -i: $f file arrives whole (sha256)" "$want" "$(echo "$out" | sed -n '1s/ .*//p')"
	check_eq "exec -i: $f file arrives whole (size)" "$size" "$(echo "$out" | sed -n 2p | tr -d ' ')"
	check_eq "exec -i: $f ends with the process's code" 0 "$rc"

	# the same from a pipe, not a file (a pollable stdin)
	out=$(cat "$ROOT/$f" | timeout -k 5 120 "$CONMUX" exec -i box -- sha256sum)
	check_eq "exec -i from a pipe: $f arrives whole" "$want" "${out%% *}"

	# run -i: the container's stdin ends after the last byte
	out=$(timeout -k 5 120 "$CONMUX" run -i --rm --rootfs "$ROOTFS" -- sha256sum <"$ROOT/$f")
	rc=$?
	check_eq "run -i: $f arrives whole" "$want" "${out%% *}"
	check_eq "run -i: $f exits 0" 0 "$rc"

	# start -ai on a created -i container
	cx create -i --name "sa-$f" --rootfs "$ROOTFS" -- sha256sum >/dev/null
	out=$(timeout -k 5 120 "$CONMUX" start -a -i "sa-$f" <"$ROOT/$f")
	check_eq "start -ai: $f arrives whole" "$want" "${out%% *}"
	cx rm -f "sa-$f" >/dev/null 2>&1

	# attach, no tty: a detached -i container keeps its stdin open
	# (--leave-stdin-open), so it reads exactly the size
	cx run -d -i --name "at-$f" --rootfs "$ROOTFS" -- sh -c "head -c $size | sha256sum" >/dev/null
	out=$(timeout -k 5 120 "$CONMUX" attach "at-$f" <"$ROOT/$f" 2>/dev/null)
	rc=$?
	check_eq "attach (no tty): $f arrives whole" "$want" "${out%% *}"
	check_eq "attach (no tty): $f ends with the container's code" 0 "$rc"
	cx rm -f "at-$f" >/dev/null 2>&1

	# attach with a tty: raw, no echo, so the pty passes bytes untouched
	cx run -d -t -i --name "tt-$f" --rootfs "$ROOTFS" -- sh -c "stty raw -echo; echo READY; head -c $size | sha256sum" >/dev/null
	wait_until 10 sh -c "'$CONMUX' logs tt-$f | grep -q READY"
	out=$(timeout -k 5 120 "$CONMUX" attach "tt-$f" <"$ROOT/$f" 2>/dev/null | tr -d '\r')
	check_match "attach (tty): $f arrives whole" "^$want  -" "$out"
	cx rm -f "tt-$f" >/dev/null 2>&1
done

# a slow reader: every line, in order, nothing dropped while it dawdles
seq 1 1000 >"$ROOT/lines"
out=$(timeout -k 5 120 "$CONMUX" exec -i box -- sh -c 'while read l; do sleep 0.001; echo "$l"; done' <"$ROOT/lines")
check_eq "a slow reader gets every line in order" "$(sum "$ROOT/lines")" "$(printf '%s\n' "$out" | sha256sum | cut -d' ' -f1)"

# the container closes its stdin early: conmux exits with its code, at once
out=$(timeout -k 5 60 "$CONMUX" exec -i box -- head -c 10 <"$ROOT/big" | wc -c)
rc=$?
check_eq "a reader that stops early: conmux exits (no hang)" 0 "$rc"
check_eq "and the reader got its 10 bytes" 10 "$(echo $out)"
out=$(timeout -k 5 60 "$CONMUX" run -i --rm --rootfs "$ROOTFS" -- sh -c 'head -c 10 >/dev/null; exit 6' <"$ROOT/big")
check_eq "run -i whose container stops reading: the container's code" 6 "$?"

# catches_int PID: its SIGINT handler is in. The socket comes before it, and
# sh starts a background job with SIGINT ignored: a signal sent between the
# two would be lost (a test race, not a lost signal in use).
catches_int() {
	m=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null)
	[ -n "$m" ] && [ $(( (0x$m >> 1) & 1 )) -eq 1 ]
}

# --sig-proxy is on by default: SIGINT to the client reaches the container
cx run -d --name trap --rootfs "$ROOTFS" -- sh -c 'trap "echo got-int; exit 3" INT; while :; do sleep 0.1; done' >/dev/null
"$CONMUX" attach trap >"$ROOT/trap.out" 2>&1 </dev/null &
ap=$!
wait_until 10 catches_int $ap
kill -INT $ap
wait_until 10 grep -q got-int "$ROOT/trap.out"
wait $ap; arc=$?
check_match "attach: SIGINT is proxied by default; the trap prints" 'got-int' "$(cat "$ROOT/trap.out")"
check_eq "and attach ends with the container's code" 3 "$arc"

"$CONMUX" run --name trap2 --rootfs "$ROOTFS" -- sh -c 'trap "echo got-term; exit 4" TERM; echo ready; while :; do sleep 0.1; done' >"$ROOT/trap2.out" 2>&1 </dev/null &
rp=$!
wait_until 10 grep -q ready "$ROOT/trap2.out"
kill -TERM $rp
wait $rp; rrc=$?
check_match "run: SIGTERM is proxied by default" 'got-term' "$(cat "$ROOT/trap2.out")"
check_eq "and run exits with the container's code" 4 "$rrc"

cx run -d --name trap3 --rootfs "$ROOTFS" -- sh -c 'trap "echo got-int" INT; while :; do sleep 0.1; done' >/dev/null
"$CONMUX" attach --sig-proxy=false trap3 >"$ROOT/trap3.out" 2>&1 </dev/null &
ap=$!
wait_until 10 catches_int $ap || echo "# attach has no SIGINT handler after 10 s"
kill -INT $ap
# Bounded. Under heavy load (make check beside two fuzzers) the first
# SIGINT was lost 3 times in one run and never alone (0 of 40): said, and
# sent once more; a second loss fails the check, never a hung suite.
if ! wait_until 10 sh -c "! kill -0 $ap 2>/dev/null || grep -q ') Z' /proc/$ap/stat"; then
	echo "# the first SIGINT to attach --sig-proxy=false was lost; sent again"
	kill -INT $ap
	wait_until 10 sh -c "! kill -0 $ap 2>/dev/null || grep -q ') Z' /proc/$ap/stat" ||
		kill -9 $ap 2>/dev/null
fi
wait $ap; arc=$?
check_eq "--sig-proxy=false: SIGINT ends the client (130)" 130 "$arc"
sleep 0.3
check_eq "and the container never saw it" "" "$(grep got-int "$ROOT/trap3.out")"
check_eq "and it keeps running" running "$(field trap3 state)"
check_match "--sig-proxy=bogus is refused" 'invalid argument "bogus"' "$("$CONMUX" attach --sig-proxy=bogus trap3 2>&1)"
