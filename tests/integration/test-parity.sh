#!/bin/sh
# Podman 4.3 parity of the command line (issue 9): what a Podman user types
# gets Podman's flags, defaults, exit codes and error wording. Each check
# asserts the exit code and the stdout/stderr text.
. "$(dirname "$0")/../lib/common.sh"

OUT=$ROOT/out ERR=$ROOT/err
# run_cx CMD...: run CMD; $rc, $out and $err hold what it did.
run_cx() {
	"$@" >"$OUT" 2>"$ERR"; rc=$?
	out=$(cat "$OUT") err=$(cat "$ERR")
}
# expect DESC RC STDOUT-REGEX STDERR-REGEX CMD...: exit code and both texts.
expect() {
	desc=$1 wrc=$2 wout=$3 werr=$4; shift 4
	run_cx "$@"
	if [ "$rc" -eq "$wrc" ] && printf '%s\n' "$out" | grep -Eq -- "$wout" &&
	    printf '%s\n' "$err" | grep -Eq -- "$werr"; then
		ok "$desc"
	else
		not_ok "$desc" "command: $*" "rc=$rc (want $wrc)" \
		    "stdout: $out (want /$wout/)" "stderr: $err (want /$werr/)"
	fi
}
ID64='[0-9a-f]{64}'
HUPLOOP='trap "echo got-hup" HUP; while :; do sleep 0.1; done'
hups() { cx logs "$1" 2>/dev/null | grep -c got-hup; }
hups_are() { [ "$(hups "$1")" -eq "$2" ]; }

# ---- signals in every spelling ----
cx run -d --name sig --rootfs "$ROOTFS" -- sh -c "$HUPLOOP" >/dev/null
n=0
for s in 1 -1 HUP -HUP SIGHUP sighup -SIGHUP; do
	n=$((n + 1))
	expect "kill -s $s: exit 0, prints the name" 0 '^sig$' '^$' cx kill -s "$s" sig
	wait_until 10 hups_are sig $n && ok "kill -s $s: the container got SIGHUP" ||
	    not_ok "kill -s $s: the container got SIGHUP" "$(hups sig) of $n"
done
expect "kill --signal HUP (long spelling)" 0 '^sig$' '^$' cx kill --signal HUP sig
for s in BOGUS SIG 99 0 - '' RTMAX1 "$(printf 'H%.0s' $(seq 300))"; do
	expect "kill -s '$(printf %.12s "$s")': invalid signal, exit 125" 125 '^$' \
	    "^Error: invalid signal: $(printf %.20s "$s")" cx kill -s "$s" sig
done
expect "an invalid signal is refused before the container is looked up" 125 '^$' \
    '^Error: invalid signal: BOGUS$' cx kill -s BOGUS nosuch
check_eq "and the container was not touched" running "$(field sig state)"

# ---- kill -a: every running container ----
cx run -d --name ka1 --rootfs "$ROOTFS" -- sleep 1000 >/dev/null
cx run -d --name ka2 --rootfs "$ROOTFS" -- sleep 1000 >/dev/null
cx run --name kdone --rootfs "$ROOTFS" -- true >/dev/null
expect "kill -a signals every running container and prints their IDs" 0 "^$ID64$" '^$' cx kill -a
check_eq "kill -a: one line per running container" 3 "$(printf '%s\n' "$out" | wc -l)"
for c in sig ka1 ka2; do
	wait_until 5 state_is $c exited && ok "kill -a: $c exited" || not_ok "kill -a: $c exited" "$(field $c state)"
done
check_eq "kill -a: exit code 137" 137 "$(field ka1 exit_code)"
expect "kill --all with nothing running: exit 0, no output" 0 '^$' '^$' cx kill --all
expect "kill -a with a name: Podman's refusal" 125 '^$' \
    '^Error: --all and containers cannot be used together$' cx kill -a ka1
expect "kill without a name: Podman's words" 125 '^$' \
    '^Error: you must provide at least one name or id$' cx kill
expect "kill of an exited container: Podman's words" 125 '^$' \
    "^Error: can only kill running containers. $ID64 is in state exited: container state improper$" cx kill ka1

# ---- error wording ----
expect "no such container" 125 '^$' \
    '^Error: no container with name or ID "nosuch" found: no such container$' cx stop nosuch
expect "container exists: exit 0, no output" 0 '^$' '^$' cx container exists ka1
expect "container exists of a missing one: exit 1, no output" 1 '^$' '^$' cx container exists nosuch
cx run -d --name up --rootfs "$ROOTFS" -- sleep 1000 >/dev/null
upid=$(field up id)
expect "rm of a running container without force: exit 2, Podman's words" 2 '^$' \
    "^Error: cannot remove container $upid as it is running - running or paused containers cannot be removed without force: container state improper$" cx rm up
expect "name in use" 125 '^$' \
    "^Error: the container name \"up\" is already in use by $upid. You have to remove that container to be able to reuse that name: that name is already in use$" \
    cx run -d --name up --rootfs "$ROOTFS" -- true
expect "unpause of a running container" 125 '^$' \
    "^Error: \"$upid\" is not paused, can't unpause: container state improper$" cx unpause up
expect "pause" 0 '^up$' '^$' cx pause up
expect "pause of a paused container" 125 '^$' \
    "^Error: \"$upid\" is already paused: container state improper$" cx pause up
expect "start of a paused container" 125 '^$' \
    "^Error: container $upid must be in Created or Stopped state to be started: container state improper$" cx start up
expect "unpause --all" 0 "^$upid$" '^$' cx unpause --all
expect "pause of an exited container" 125 '^$' \
    "^Error: \"$(field ka1 id)\" is not running, can't pause: container state improper$" cx pause ka1

# ---- rm: -f of a missing one, -i, -t, -a ----
expect "rm -f of a container that does not exist: exit 0, nothing printed" 0 '^$' '^$' cx rm -f nosuch
expect "rm --force (long spelling) of a missing one: the same" 0 '^$' '^$' cx rm --force nosuch
expect "rm -i of a missing one: exit 0, nothing printed" 0 '^$' '^$' cx rm -i nosuch
expect "rm --ignore of a missing one next to a real one" 0 '^ka2$' '^$' cx rm --ignore nosuch ka2
expect "rm of a missing one: exit 1, Podman's words" 1 '^$' \
    '^Error: no container with name or ID "nosuch" found: no such container$' cx rm nosuch
cx run -d --name termer --rootfs "$ROOTFS" -- sh -c 'trap "exit 7" TERM; while :; do sleep 0.1; done' >/dev/null
expect "rm -f -t 5 stops with the stop signal first, then removes" 0 '^termer$' '^$' cx rm -f -t 5 termer
expect "rm -f --time 0 removes at once" 0 '^up$' '^$' cx rm -f --time 0 up
check_match "both gone" '^$' "$(cx ps -a | grep -Ew 'termer|up')"
expect "rm -t of a bad number" 125 '^$' '^Error: -t x: not a number of seconds$' cx rm -f -t x sig

# ---- run --replace, --memory ----
cx run --name rep --rootfs "$ROOTFS" -- true >/dev/null
old=$(field rep id)
expect "run --replace --name: the old container goes, a new one comes" 0 "^$ID64$" '^$' \
    cx run -d --replace --name rep --rootfs "$ROOTFS" -- sleep 1000
new=$(field rep id)
[ -n "$new" ] && [ "$new" != "$old" ] && ok "run --replace: a new ID under the name" || not_ok "run --replace: a new ID" "old $old new $new"
check_eq "run --replace: it runs" running "$(field rep state)"
expect "run --replace of a running one replaces it too" 0 "^$ID64$" '^$' \
    cx run -d --replace --name rep --rootfs "$ROOTFS" -- true
expect "run --replace without --name" 125 '^$' \
    '^Error: cannot replace container without --name being set$' cx run -d --replace --rootfs "$ROOTFS" -- true
memlimit() { cx inspect "$1" | sed -n 's/.*"memory_limit":[[:space:]]*\([0-9]*\).*/\1/p'; }
cx create --name m0 -m 0 --rootfs "$ROOTFS" -- true >/dev/null
check_eq "-m 0: no memory limit" "" "$(memlimit m0)"
cx create --name m00 --memory 0b --rootfs "$ROOTFS" -- true >/dev/null
check_eq "--memory 0b: no memory limit" "" "$(memlimit m00)"
for m in 8388608b:8388608 8192k:8388608 64m:67108864 1g:1073741824 16M:16777216; do
	cx create --name "mem${m%%:*}" -m "${m%%:*}" --rootfs "$ROOTFS" -- true >/dev/null 2>&1
	check_eq "-m ${m%%:*}: ${m#*:} bytes" "${m#*:}" "$(memlimit "mem${m%%:*}")"
done
expect "-m of a bad size" 125 '^$' "invalid size '12q'" cx create -m 12q --rootfs "$ROOTFS" -- true

# ---- long spellings ----
expect "run --detach --interactive --tty" 0 "^$ID64$" '^$' \
    cx run --detach --interactive --tty --name longs --rootfs "$ROOTFS" -- sleep 1000
check_eq "--tty: the container has a terminal" true "$(field longs tty)"
expect "stop --time 1" 0 '^longs$' '^$' cx stop --time 1 longs
expect "start --attach runs it and ends with its code" 3 '^hi$' '^$' \
    sh -c "'$CONMUX' create --name att --rootfs '$ROOTFS' -- sh -c 'echo hi; exit 3' >/dev/null && exec '$CONMUX' start --attach att </dev/null"
expect "wait --latest" 0 '^3$' '^$' cx wait --latest
expect "stop --all (nothing but rep's successor runs)" 0 '^$|^[0-9a-f]{64}$' '^$' cx stop --all -t 1

# ---- an attached run whose container another process removes: 137 ----
# (wait_until uses $i: the loop has its own variable)
for v in victim1 victim2 victim3; do
	"$CONMUX" run --name $v --rootfs "$ROOTFS" -- sleep 1000 </dev/null >"$ROOT/victim.out" 2>&1 &
	vpid=$!
	wait_until 10 state_is $v running
	expect "rm -f -t 0 of an attached run's container ($v)" 0 "^$v$" '^$' cx rm -f -t 0 $v
	wait $vpid; vrc=$?
	check_eq "the attached run exits 137 ($v)" 137 "$vrc"
	check_eq "and says nothing ($v)" "" "$(cat "$ROOT/victim.out")"
done

# ---- run and start -a: 127 not found, 126 cannot execute ----
expect "run of a command that does not exist: 127" 127 '^$' 'executable file not found|No such file' \
    cx run --rootfs "$ROOTFS" -- nosuchcmd
expect "run of a directory: 126" 126 '^$' 'ermission denied|not permitted' \
    cx run --rootfs "$ROOTFS" -- /etc
expect "run --rm of a command that does not exist: 127" 127 '^$' 'not found|No such file' \
    cx run --rm --rootfs "$ROOTFS" -- nosuchcmd
expect "run of a command that exits 5: 5" 5 '^$' '^$' cx run --rootfs "$ROOTFS" -- sh -c 'exit 5'
expect "an error of ours in run: 125" 125 '^$' '^Error: rootfs /nonexistent: not a directory$' \
    cx run --rootfs /nonexistent -- true

# ---- create records only; the runtime's create comes at start ----
expect "create of a command that does not exist succeeds, prints the ID" 0 "^$ID64$" '^$' \
    cx create --name nocmd --rootfs "$ROOTFS" -- nosuchcmd
check_eq "it is configured: no conmon, no runtime container yet" configured "$(field nocmd state)"
check_eq "and has no conmon" 0 "$(field nocmd conmon_pid)"
expect "inspect shows Podman's word for it" 0 '^created$' '^$' cx inspect --format '{{.State.Status}}' nocmd
expect "ps --filter status=created finds it" 0 '^nocmd$' '^$' cx ps --filter status=created --format '{{.Names}}'
expect "wait on a never-started container prints 0" 0 '^0$' '^$' cx wait nocmd
expect "start then fails with 125 and the runtime's words" 125 '^$' \
    '^Error: start nocmd: .*(executable file not found|No such file or directory)' cx start nocmd
check_eq "and it stays configured" configured "$(field nocmd state)"
expect "start -a of it: 127" 127 '^$' 'executable file not found|No such file or directory' cx start -a nocmd </dev/null
cx create --name nox --rootfs "$ROOTFS" -- /etc >/dev/null
expect "start -a of a directory: 126" 126 '^$' 'ermission denied|not permitted' cx start -a nox </dev/null
expect "start of a directory: 125" 125 '^$' '^Error: start nox: ' cx start nox
cx create --name good1 --rootfs "$ROOTFS" -- sh -c 'echo made; exit 6' >/dev/null
expect "start -a of a good created container: its output and code" 6 '^made$' '^$' cx start -a good1 </dev/null
cx create --name good2 --rootfs "$ROOTFS" -- sh -c 'echo made2' >/dev/null
expect "start of a created container" 0 '^good2$' '^$' cx start good2
expect "then wait gives its code" 0 '^0$' '^$' cx wait good2
expect "and logs its output" 0 '^made2$' '^$' cx logs good2
expect "rm of a configured container" 0 '^nocmd$' '^$' cx rm nocmd

# ---- container VERB ----
expect "container ls" 0 'CONTAINER ID' '^$' cx container ls
expect "container list -a lists exited ones" 0 'att' '^$' cx container list -a
expect "container inspect" 0 '"name":[[:space:]]+"att"' '^$' cx container inspect att
expect "container rm" 0 '^att$' '^$' cx container rm att
expect "container without a verb" 125 '^$' '^Error: container: a command is required$' cx container

# ---- ps --format, --filter, --last, --no-trunc; inspect --format ----
cx rm -a -f >/dev/null
cx run --name fa --rootfs "$ROOTFS" -- sh -c 'exit 4' >/dev/null
cx run -d --name fb --rootfs "$ROOTFS" -- sleep 1000 >/dev/null
faid=$(field fa id) fbid=$(field fb id)
fa12=$(printf %.12s "$faid") fb12=$(printf %.12s "$fbid")
expect "ps --format with Podman's field names" 0 \
    "^$fb12 fb Up [0-9]+[smh] running sleep 1000 0$" '^$' \
    cx ps --format '{{.ID}} {{.Names}} {{.Status}} {{.State}} {{.Command}} {{.ExitCode}}'
check_eq "ps --format: without -a only the running one" 1 "$(printf '%s\n' "$out" | wc -l)"
expect "ps -a --format: the exited one too" 0 '^fa exited 4$' '^$' \
    cx ps -a --format '{{.Names}} {{.State}} {{.ExitCode}}'
check_eq "ps -a --format: two lines, newest first" "fb running 0
fa exited 4" "$out"
expect "ps --format table: a header and aligned columns" 0 '^CONTAINER ID  NAMES  STATE$' '^$' \
    cx ps -a --format 'table {{.ID}} {{.Names}} {{.State}}'
check_eq "ps --format table: the rows" "CONTAINER ID  NAMES  STATE
$fb12  fb     running
$fa12  fa     exited" "$out"
expect "ps --format with \\t" 0 "^fb	running$" '^$' cx ps --format '{{.Names}}\t{{.State}}'
expect "ps --format json: Podman's keys" 0 '"Names":[[:space:]]*\["fb"\]' '^$' cx ps --format json
check_match "ps --format json: State and ExitCode" '"State":[[:space:]]*"running"' "$out"
expect "ps --format with an unknown field: the error names it" 125 '^$' \
    '^Error: invalid format "\{\{.Foo\}\}": unknown field .Foo$' cx ps --format '{{.Foo}}'
expect "ps --format with an unclosed action" 125 '^$' 'unclosed action' cx ps --format '{{.ID'
expect "ps --no-trunc: the full ID" 0 "^$fbid$" '^$' cx ps --no-trunc --format '{{.ID}}'
expect "ps -q: short IDs" 0 "^$fb12$" '^$' cx ps -q
expect "ps -q -a --no-trunc: full IDs" 0 "^$fbid
$faid$" '^$' cx ps -q -a --no-trunc
cx run --name fc --rootfs "$ROOTFS" -- sh -c 'echo a-long-command-line-here' >/dev/null
expect "ps --format .Command is cut at 17 characters, as Podman" 0 '^sh -c echo a-long[.][.][.]$' '^$' \
    cx ps -a --filter name=fc --format '{{.Command}}'
expect "and --no-trunc keeps it whole" 0 '^sh -c echo a-long-command-line-here$' '^$' \
    cx ps -a --no-trunc --filter name=fc --format '{{.Command}}'
expect "ps --filter name=" 0 '^fa$' '^$' cx ps -a --filter name=fa --format '{{.Names}}'
expect "ps --filter name= is a regular expression" 0 '^fb
fa$' '^$' cx ps -a --filter 'name=^f[ab]$' --format '{{.Names}}'
expect "ps --filter id=PREFIX" 0 '^fa$' '^$' cx ps -a --filter "id=$(printf %.8s "$faid")" --format '{{.Names}}'
expect "ps --filter status=exited (no -a needed)" 0 '^fc
fa$' '^$' cx ps --filter status=exited --format '{{.Names}}'
expect "ps --filter status=running --filter name=fa: both must hold" 0 '^$' '^$' \
    cx ps --filter status=running --filter name=fa --format '{{.Names}}'
expect "ps --filter of an unknown key" 125 '^$' 'invalid filter "label"' cx ps --filter label=x
expect "ps --filter status= of an unknown state" 125 '^$' 'invalid filter "status=bogus"' cx ps --filter status=bogus
expect "ps -n 2: the two made last" 0 '^fc
fb$' '^$' cx ps -n 2 --format '{{.Names}}'
expect "ps --last 1" 0 '^fc$' '^$' cx ps --last 1 --format '{{.Names}}'
expect "ps -l (latest)" 0 '^fc$' '^$' cx ps -l --format '{{.Names}}'
expect "inspect --format '{{.State.Status}}'" 0 '^exited$' '^$' cx inspect --format '{{.State.Status}}' fa
expect "inspect -f of several fields and containers" 0 "^fa exited 4 false
fb running 0 true$" '^$' cx inspect -f '{{.Name}} {{.State.Status}} {{.State.ExitCode}} {{.State.Running}}' fa fb
expect "inspect --format '{{.ID}}' and '{{.Id}}'" 0 "^$faid $faid$" '^$' cx inspect --format '{{.ID}} {{.Id}}' fa
expect "inspect --format of an unknown field names it" 125 '^$' \
    '^Error: invalid format "\{\{.State.Bogus\}\}": unknown field .State.Bogus$' cx inspect --format '{{.State.Bogus}}' fa
expect "inspect -l" 0 '^fc$' '^$' cx inspect -l --format '{{.Name}}'
expect "inspect of a missing one" 125 '^$' '^Error: no container with name or ID "nosuch" found: no such container$' \
    cx inspect --format '{{.Name}}' nosuch

# ---- logs -t, --since, --until, -n ----
cx run --name lg --rootfs "$ROOTFS" -- sh -c 'echo one; sleep 4; echo two' >/dev/null
TS='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z'
expect "logs -t: an RFC 3339 time before each line" 0 "^$TS one
$TS two$" '^$' cx logs -t lg
expect "logs --timestamps (long spelling)" 0 "^$TS one" '^$' cx logs --timestamps lg
expect "logs -n: the name before each line" 0 '^lg one
lg two$' '^$' cx logs -n lg
expect "logs --names -t: name, then time" 0 "^lg $TS one" '^$' cx logs --names -t lg
# a duration that ends between the two lines, whenever this runs (a slow
# machine must not move a line to the other side); and wide bounds
t1=$(cx logs -t lg | sed -n '1s/ .*//p')
t2=$(cx logs -t lg | sed -n '2s/ .*//p')
mid=$(( ($(date -d "$t1" +%s) + $(date -d "$t2" +%s)) / 2 ))
expect "logs --since a duration" 0 '^two$' '^$' cx logs --since "$(( $(date +%s) - mid ))s" lg
expect "logs --until a duration" 0 '^one$' '^$' cx logs --until "$(( $(date +%s) - mid ))s" lg
expect "logs --since a duration: lines newer than 1h ago" 0 '^one
two$' '^$' cx logs --since 1h lg
expect "logs --until a duration: none older than 1h ago" 0 '^$' '^$' cx logs --until 1h lg
t2=$(cx logs -t lg | sed -n '2s/ .*//p')
expect "logs --since an RFC 3339 time" 0 '^two$' '^$' cx logs --since "$t2" lg
expect "logs --until an RFC 3339 time" 0 '^one
two$' '^$' cx logs --until "$t2" lg
expect "logs --since a Unix time" 0 '^one
two$' '^$' cx logs --since 1000000000 lg
expect "logs --tail 1" 0 '^two$' '^$' cx logs --tail 1 lg
expect "logs --tail 0: nothing" 0 '^$' '^$' cx logs --tail 0 lg
expect "logs --tail -1: everything" 0 '^one
two$' '^$' cx logs --tail -1 lg
expect "logs --since of a bad time" 125 '^$' '^Error: logs: --since bogus: not a time' cx logs --since bogus lg
expect "logs -l" 0 '^one
two$' '^$' cx logs -l

# ---- rm -a: every container ----
expect "rm -a -f removes every container" 0 "^$ID64" '^$' cx rm -a -f
expect "ps -a is empty afterwards" 0 '^CONTAINER ID' '^$' cx ps -a
check_eq "ps -a: only the header" 1 "$(printf '%s\n' "$out" | wc -l)"
