#!/bin/sh
# Other engines' containers (issue 10), from the command line: real Podman
# (offline, a private store) and conmux's own other roots are found from
# their conmon's command line by `ps --all-engines`, with the engine, the
# state (paused from the runtime), and nothing of theirs in plain `ps`.
# Bad input: processes named conmon with a truncated argv, a bundle that
# vanished, /etc as a bundle, an attach path that is a regular file: each
# listed as broken or skipped with a reason, nothing written, no crash.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../lib/podman.sh"

# ---- forged conmons: a program named conmon that only waits ----
FAKE=$ROOT/fake
mkdir -p "$FAKE"
printf '#include <unistd.h>\nint main(void){pause();return 0;}\n' >"$FAKE/w.c"
FAKE_OK=1
cc -o "$FAKE/conmon" "$FAKE/w.c" 2>/dev/null || FAKE_OK=0
FAKES=""
# fake ARGS...: a "conmon" with this argv, waiting; its pid in FAKES
fake() {
	"$FAKE/conmon" "$@" &
	FAKES="$FAKES $!"
}
T_EXTRA_CLEANUP="${T_EXTRA_CLEANUP:+$T_EXTRA_CLEANUP; }"'for p in $FAKES; do kill $p 2>/dev/null; done'

LOOP='trap "exit 0" TERM; while :; do sleep 0.2; done'
ID1=1111111111111111111111111111111111111111111111111111111111111111
ID2=2222222222222222222222222222222222222222222222222222222222222222
ID3=3333333333333333333333333333333333333333333333333333333333333333
ID4=4444444444444444444444444444444444444444444444444444444444444444

# allps: ps -a --all-engines --json, one "name engine state broken error" per line
allps() {
	cx ps -a --all-engines --json | tr -d '\n\t' | sed 's/}, *{/}\n{/g' |
		sed -n 's/.*"name":"\([^"]*\)","engine":"\([^"]*\)","state":"\([^"]*\)".*"broken":\(true\|false\)\(,"error":"\([^"]*\)"\)\{0,1\}.*/\1 \2 \3 \4 \6/p'
}
row() { allps | grep "^$1 "; }

if [ "$FAKE_OK" = 1 ]; then
	etc_before=$(ls -la --time-style=full-iso /etc | md5sum)
	fake -c "$ID1" -n forged-etc -b /etc --exit-dir /etc -l k8s-file:/etc/shadow -t
	fake -c "$ID2" -n vanished -b "$ROOT/nowhere/userdata"
	mkdir -p "$ROOT/regular/userdata"
	echo '{"ociVersion":"1.0.2","process":{"args":["sh"]}}' >"$ROOT/regular/userdata/config.json"
	: >"$ROOT/regular/userdata/attach"
	fake -c "$ID3" -n regular-attach -b "$ROOT/regular/userdata"
	fake -b /tmp -n truncated -c
	fake -c "../../etc" -b /tmp -n dotdot
	fake --bogus "$(printf '\377\376')" -t
	fake -c "$ID4" -n escapes -b "$ROOT/nowhere/x$(printf '\033]0;pwned\007')"
	# each has exec'd (its exe is the fake conmon) before anyone looks
	for p in $FAKES; do
		wait_until 10 sh -c "readlink /proc/$p/exe | grep -q fake/conmon"
	done

	r=$(row forged-etc)
	check_match "a conmon with /etc as its bundle: listed as broken, with why" \
		'^forged-etc unknown [a-z]+ true not a container bundle: /etc/config.json' "$r"
	check_eq "nothing of /etc changed (no fifo, socket or size file written)" \
		"$etc_before" "$(ls -la --time-style=full-iso /etc | md5sum)"
	check_match "a bundle that vanished: broken, 'vanished'" \
		'^vanished unknown [a-z]+ true bundle .*/nowhere/userdata: vanished' "$(row vanished)"
	check_match "an attach path that is a regular file: broken, 'not a socket'" \
		'^regular-attach unknown [a-z]+ true .*/attach is not a socket' "$(row regular-attach)"
	info=$(cx info --json)
	check_match "a truncated argv: skipped, with the reason in info" \
		'"conmon [0-9]+: option -c has no value \(command line truncated\?\)"' "$info"
	check_match "an ID that walks out of a directory: skipped" \
		"\"conmon [0-9]+: invalid container ID '\.\./\.\./etc'\"" "$info"
	check_match "garbage without an ID: skipped" '"conmon [0-9]+: no container ID \(-c\)"' "$info"
	check_match "a bundle path that is not clean: skipped, control bytes escaped" \
		'"conmon [0-9]+: bundle .*x\\\\x1b\]0;pwned\\\\x07. is not a clean' "$info"
	check "the forged ones never reach plain ps" sh -c "! $CONMUX ps -a | grep -q forged"
	check "conmux still answers after all that" cx ps
	for p in $FAKES; do kill "$p" 2>/dev/null; done
	FAKES=""
else
	skip "forged conmon processes" "no C compiler to build the fake conmon"
fi

# ---- info says how other containers are found ----
check_match "info names the discovery mode" \
	'^discovery +(process events \(netlink connector\)|inotify)' "$(cx info)"
check_match "CONMUX_DISCOVERY=inotify: info says the fallback" \
	'^discovery +inotify \(runtime state dirs; CONMUX_DISCOVERY=inotify\)' \
	"$(CONMUX_DISCOVERY=inotify cx info)"

# ---- another conmux root ----
OTHER=$(mktemp -d /tmp/cxt-other.XXXXXX)
T_EXTRA_CLEANUP="${T_EXTRA_CLEANUP:+$T_EXTRA_CLEANUP; }$CONMUX --root $OTHER rm -af >/dev/null 2>&1; rm -rf $OTHER"
"$CONMUX" --root "$OTHER" run -d --name elsewhere --rootfs "$ROOTFS" -- sh -c "$LOOP" >/dev/null
cx run -d --name mine --rootfs "$ROOTFS" -- sleep 1000 >/dev/null
check_match "another root's container: engine conmux, running" \
	'^elsewhere conmux running false' "$(row elsewhere)"
check_match "ours is listed once, as ours" '^mine conmux running false' "$(row mine)"
check_eq "ours is listed exactly once" 1 "$(allps | grep -c '^mine ')"
check "plain ps lists this root's only" sh -c "! $CONMUX ps | grep -q elsewhere"
"$CONMUX" --root "$OTHER" rm -f elsewhere >/dev/null 2>&1

# ---- Podman ----
if ! pm_ready; then
	skip "Podman's containers" "$PM_WHY"
	exit 0
fi
pm run -d --name pmd localhost/busybox sleep 1000 >/dev/null
pm run -dt --name pmt localhost/busybox sh -c 'while :; do echo tick; sleep 1; done' >/dev/null
check_match "a Podman container: listed with engine podman, running" \
	'^pmd podman running false' "$(row pmd)"
check_match "a Podman tty container too" '^pmt podman running false' "$(row pmt)"
check "plain ps lists none of Podman's" sh -c "! $CONMUX ps -a | grep -q pmd"
check_match "ps --all-engines shows an ENGINE column" '^ENGINE +CONTAINER ID +NAME' \
	"$(cx ps --all-engines | head -1)"
check_match "the table row says podman" '^podman +[0-9a-f]{12} +pmd +running' \
	"$(cx ps --all-engines | grep ' pmd ')"
pid=$(pm inspect -f '{{.State.Pid}}' pmd)
check_match "its PID is Podman's" "\"pid\":$pid," "$(cx ps --all-engines --json | tr -d '\n\t' | sed 's/}, *{/}\n{/g' | grep '"name":"pmd"')"
pm pause pmd >/dev/null
check_match "paused by podman: the runtime says paused" '^pmd podman paused' "$(row pmd)"
pm unpause pmd >/dev/null
check_match "unpaused: running again" '^pmd podman running' "$(row pmd)"
pm stop -t 0 pmd >/dev/null 2>&1
# conmon runs Podman's cleanup, then goes: a one-shot scan no longer sees it
check "stopped: once its conmon is gone, it is no longer listed" \
	wait_until 20 sh -c "! $CONMUX ps -a --all-engines | grep -q ' pmd '"
insp=$(cx ps --all-engines --json)
check_match "--json has an engine field" '"engine":[[:space:]]*"podman"' "$insp"
pm rm -af -t 0 >/dev/null 2>&1
check "after podman rm, none of this test's Podman containers is listed" \
	wait_until 20 sh -c "! $CONMUX ps -a --all-engines | grep -Eq ' pm[dt] '"
