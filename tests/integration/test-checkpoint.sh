#!/bin/sh
# Checkpoint and restore, capabilities. CRIU cannot run on these kernels
# (Debian's criu 3.17.1 fails `criu check`: vdso), so most of this uses
# fakes, and says so where it does:
# - support detection against small fake criu scripts and runtimes
#   (tests/fixtures/fake-criu-*.sh, fake-runtime-nocr.sh) through `info`;
# - the refusal path against the real criu: the container keeps running;
# - argv and state flow against a recording fake runtime
#   (tests/fixtures/fake-runtime-record.sh): it logs its argv, imitates the
#   checkpoint (kills the container as CRIU does, writes a fake image) and,
#   since it cannot really restore, "restores" by creating and starting a
#   fresh container from the same bundle through the real runtime;
# - a real round trip only when detection says supported (CONMUX_CRIU=a CRIU
#   of at least 4.1.1), skipped with the reason otherwise;
# - an unprivileged conmux (setpriv) is refused up front, naming the
#   capability.
. "$(dirname "$0")/../lib/common.sh"

FIX=$(cd "$TOP/tests/fixtures" && pwd -P)
REAL_RT=$(command -v "$RUNTIME")
RUNC=$(command -v runc) # detection cases: a runtime with checkpoint
TAB=$(printf '\t')
LOOP='trap "exit 0" TERM; i=0; while :; do i=$((i+1)); echo $i; sleep 0.2; done'

# crfield NAME KEY: a field of inspect's "checkpoint" object
crfield() {
	cx inspect "$1" 2>/dev/null | sed -n "/^$TAB\"checkpoint\":/,/^$TAB}/p" |
		sed -n "s/^[[:space:]]*\"$2\":[[:space:]]*\"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" | head -1
}
# check_has DESC NEEDLE TEXT: TEXT contains NEEDLE, literally
check_has() {
	case $3 in
	*"$2"*) ok "$1" ;;
	*) not_ok "$1" "no '$2' in:" "$3" ;;
	esac
}
# info_cr [ARGS...]: the checkpoint line of `conmux ARGS info`
info_cr() { "$CONMUX" "$@" info 2>&1 | sed -n 's/^checkpoint  *//p'; }
# info_field KEY [ARGS...]: another line of `conmux ARGS info`
info_field() { k=$1; shift; "$CONMUX" "$@" info 2>&1 | sed -n "s/^$k  *//p"; }

# ---- detection, against fake criu and runtime scripts ----
check_eq "detection (fake criu 4.2): supported" supported \
	"$(info_cr --runtime "$RUNC" --criu "$FIX/fake-criu-ok.sh")"
check_match "detection (fake criu 4.1.1): supported, with the hang warning" \
	'^supported \(warning: CRIU 4\.1\.1 may hang .*time out after 120 s\)$' \
	"$(info_cr --runtime "$RUNC" --criu "$FIX/fake-criu-411.sh")"
check_match "detection (fake criu 3.17.1): too old" \
	'^not supported: CRIU 3\.17\.1 is too old: 4\.1\.1 or newer' \
	"$(info_cr --runtime "$RUNC" --criu "$FIX/fake-criu-old.sh")"
check_match "detection (fake criu whose check fails): criu check's message" \
	'^not supported: criu check failed: vdso: fake: unexpected vDSO area bounds$' \
	"$(info_cr --runtime "$RUNC" --criu "$FIX/fake-criu-checkfail.sh")"
check_eq "detection (helpers failed, cause repeated): one cause, once" \
	'not supported: criu check failed: vdso: fake: unexpected vDSO area bounds' \
	"$(info_cr --runtime "$RUNC" --criu "$FIX/fake-criu-repeat.sh")"
check_eq "info: the version of a CRIU whose check fails (Version: 3.17.1)" \
	3.17.1 "$(info_field criu_version --runtime "$RUNC" --criu "$FIX/fake-criu-repeat.sh")"
check_match "detection (--criu to nothing): no CRIU" \
	"^not supported: no CRIU: $ROOT/nowhere/criu: not found" \
	"$(info_cr --runtime "$RUNC" --criu "$ROOT/nowhere/criu")"
mkdir -p "$ROOT/emptybin"
check_match "detection (no criu in PATH): no CRIU" \
	'^not supported: no CRIU: criu not found in PATH' \
	"$(env -u CONMUX_CRIU PATH="$ROOT/emptybin" "$CONMUX" --runtime "$RUNC" info 2>&1 | sed -n 's/^checkpoint  *//p')"
check_match "detection (a runtime without checkpoint): its words" \
	'^not supported: fake-runtime-nocr\.sh has no checkpoint command .*unknown command checkpoint' \
	"$(info_cr --runtime "$FIX/fake-runtime-nocr.sh" --criu "$FIX/fake-criu-ok.sh")"
if command -v crun >/dev/null && ! crun --version | grep -q '+CRIU'; then
	check_match "detection (Debian's crun): built without CRIU" \
		'^not supported: crun version .* is built without CRIU' \
		"$(info_cr --runtime "$(command -v crun)" --criu "$FIX/fake-criu-ok.sh")"
else
	skip "detection (Debian's crun): built without CRIU" "no crun without +CRIU here"
fi
check_match "CONMUX_CRIU selects the CRIU too" '^criu_path +.*/fake-criu-old\.sh$' \
	"$(env CONMUX_CRIU="$FIX/fake-criu-old.sh" "$CONMUX" --runtime "$RUNC" info)"

# ---- the real CRIU: refused up front, the container untouched ----
real=$(info_cr)
realcriu=${CONMUX_CRIU:-$(command -v criu)}
if [ -n "$realcriu" ] && [ -x "$realcriu" ]; then
	want=$("$realcriu" --version 2>/dev/null | sed -n 's/^Version: *\([0-9.]*\).*/\1/p' | head -1)
	case $want in *.*.*) ;; *.*) want=$want.0 ;; esac
	check_eq "info: this host's CRIU version, as criu --version says ($want)" \
		"$want" "$(info_field criu_version --runtime "$RUNC")"
else
	skip "info: this host's CRIU version" "no criu here"
fi
cx run -d --name web --rootfs "$ROOTFS" -- sh -c "$LOOP" >/dev/null
pid=$(field web pid)
case $real in
"not supported: "*)
	out=$(cx checkpoint web 2>&1); rc=$?
	check_eq "checkpoint with this host's CRIU/runtime: refused, exit 125" 125 "$rc"
	check_has "the refusal names the reason info gives" \
		"Error: checkpoint web: checkpoint/restore is not supported here: ${real#not supported: }" \
		"$out"
	if [ "$RUNTIME" = runc ]; then
		check_match "with runc, the reason is criu check's" 'criu check failed: ' "$out"
	else
		check_match "with $RUNTIME, the reason is the runtime" "$RUNTIME" "$out"
	fi
	check_eq "the container still runs" running "$(field web state)"
	check_eq "with the same PID" "$pid" "$(field web pid)"
	check_eq "not marked checkpointed" false "$(field web checkpointed)"
	out=$(cx restore web 2>&1); rc=$?
	check_eq "restore without a checkpoint: exit 125" 125 "$rc"
	;;
*)
	skip "checkpoint with this host's CRIU/runtime: refused" "checkpoint is supported here ($real)"
	;;
esac
out=$(cx checkpoint nosuch 2>&1); rc=$?
check_eq "checkpoint of no such container: exit 125" 125 "$rc"

# ---- unprivileged: refused up front, naming the capability ----
if command -v setpriv >/dev/null; then
	NOADMIN="setpriv --inh-caps=-all --bounding-set=-sys_admin,-checkpoint_restore"
	out=$($NOADMIN "$CONMUX" run -d --name np --rootfs "$ROOTFS" -- true 2>&1); rc=$?
	check_eq "run without CAP_SYS_ADMIN: exit 125" 125 "$rc"
	check_match "run without CAP_SYS_ADMIN: the message names it" 'create: needs CAP_SYS_ADMIN$' "$out"
	check_eq "and nothing was made" "" "$(cx ps -a | grep -w np)"
	out=$($NOADMIN "$CONMUX" checkpoint web 2>&1); rc=$?
	check_eq "checkpoint without the capabilities: exit 125" 125 "$rc"
	check_eq "checkpoint without the capabilities: named" \
		"Error: checkpoint web: needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN" "$out"
	check_eq "the container still runs" running "$(field web state)"
	check_match "info shows the unprivileged mode" \
		'^capability_mode +unprivileged \(missing CAP_SYS_ADMIN, CAP_CHECKPOINT_RESTORE\)$' \
		"$($NOADMIN "$CONMUX" info)"
	check_match "info shows the privileged mode" '^capability_mode +privileged$' "$(cx info)"
else
	skip "unprivileged runs refused up front" "setpriv is not installed"
fi
check_match "inspect shows the capability sets" '"bounding":' "$(cx inspect web)"

# ---- argv and state flow, against the recording fake runtime ----
mkdir -p "$ROOT/fakebin"
ln -s "$FIX/fake-runtime-record.sh" "$ROOT/fakebin/$RUNTIME" # its name: root dir, cleanup
export FAKE_REAL_RUNTIME="$REAL_RT" FAKE_CR_LOG="$ROOT/fake.log"
CRIU="$FIX/fake-criu-ok.sh"
fcx() { "$CONMUX" --runtime "$ROOT/fakebin/$RUNTIME" --criu "$CRIU" "$@"; }
last_call() { grep -- " $1 " "$FAKE_CR_LOG" | tail -1; }

fcx run -d --name ck --rootfs "$ROOTFS" -- sh -c "$LOOP" >/dev/null
id=$(field ck id)
B=$ROOT/containers/$id/userdata
IMG=$ROOT/checkpoints/$id/checkpoint
R="--root $ROOT/run/$RUNTIME"
pid1=$(field ck pid)
out=$(fcx checkpoint --tcp-established --file-locks ck 2>&1); rc=$?
check_eq "checkpoint (fake runtime): exit 0, prints the name" "0 ck" "$rc $out"
check_eq "checkpoint argv: --criu, --image-path, --work-path, options, as libpod" \
	"$R --criu $CRIU checkpoint --image-path $IMG.new --work-path $B --tcp-established --file-locks $id" \
	"$(last_call checkpoint)"
check_eq "after checkpoint: exited" exited "$(field ck state)"
check_eq "after checkpoint: checkpointed" true "$(field ck checkpointed)"
check_match "status says Checkpointed" '^Checkpointed ' "$(field ck status)"
check "the image is in checkpoints/<id>/checkpoint" test -f "$IMG/inventory.img"
check_match "inspect: checkpoint time" '^20[0-9-]+T' "$(crfield ck checkpointed_at)"
check_match "inspect: checkpoint size" '^[1-9][0-9]*$' "$(crfield ck size)"
check_match "inspect: checkpoint duration" '^[0-9]+$' "$(crfield ck duration_ms)"
check_eq "inspect: CRIU's freezing time from stats-dump" 1000 "$(crfield ck freezing_time_us)"
check_eq "inspect: dump.log path" "$B/dump.log" "$(crfield ck dump_log)"
check_eq "checkpoint persisted in container.json" 1 \
	"$(grep -c '"checkpointed_at"' "$ROOT/containers/$id/container.json")"

out=$(fcx restore --tcp-established --file-locks ck 2>&1); rc=$?
check_eq "restore (fake runtime, a fresh container): exit 0, prints the name" "0 ck" "$rc $out"
call=$(last_call restore)
check_match "restore through conmon: --criu as a runtime global option" \
	"^$R .*--criu $CRIU restore " "$call"
check_match "restore argv: bundle, image, work path, options" \
	"restore --bundle $B --pid-file $B/pidfile --detach --image-path $IMG --work-path $B --tcp-established --file-locks $id\$" \
	"$call"
check_eq "after restore: running (never started)" running "$(field ck state)"
pid2=$(field ck pid)
[ -n "$pid2" ] && [ "$pid2" != 0 ] && [ "$pid2" != "$pid1" ] &&
	ok "after restore: a new PID" || not_ok "after restore: a new PID" "$pid1 -> $pid2"
check "the new PID is alive" kill -0 "$pid2"
check_eq "after restore: no longer checkpointed" false "$(field ck checkpointed)"
check_eq "no start after restore: conmon's restore made it run" 1 \
	"$(grep -c " start $id\$" "$FAKE_CR_LOG")"
check_eq "inspect: CRIU's restore time from stats-restore" 1500 "$(crfield ck restore_time_us)"
check_match "inspect: restore time" '^20[0-9-]+T' "$(crfield ck restored_at)"
wait_until 5 sh -c "'$CONMUX' logs ck | grep -q '^2\$'"
check "the restored container runs (its output arrives)" sh -c "'$CONMUX' logs ck | grep -q '^2\$'"

out=$(fcx checkpoint --leave-running ck 2>&1); rc=$?
check_eq "checkpoint --leave-running: exit 0" 0 "$rc"
check_match "checkpoint argv: --leave-running" " --leave-running $id\$" "$(last_call checkpoint)"
check_eq "--leave-running: still running" running "$(field ck state)"
check_eq "--leave-running: same PID" "$pid2" "$(field ck pid)"
check_eq "--leave-running: recorded" true "$(crfield ck leave_running)"

out=$(fcx restore ck 2>&1); rc=$?
check_eq "restore of a running container: refused (125)" 125 "$rc"
check_match "restore of a running container: says so" 'restore ck: container is running' "$out"

nid=$(fcx restore --name ck2 ck 2>&1); rc=$?
check_match "restore --name: exit 0, prints the new ID" '^0 [0-9a-f]{64}$' "$rc $nid"
check_eq "restore --name: the new container runs" running "$(field ck2 state)"
check_eq "restore --name: the source still runs" running "$(field ck state)"
check_eq "restore --name: a new ID" "$nid" "$(field ck2 id)"
[ "$(field ck2 pid)" != "$pid2" ] && ok "restore --name: its own PID" ||
	not_ok "restore --name: its own PID" "$(field ck2 pid)"
check_eq "restore --name: restored from the source" "$id" "$(crfield ck2 restored_from)"
check_match "restore --name: the source's image, the new bundle and ID" \
	"--image-path $IMG --work-path $ROOT/containers/$nid/userdata $nid\$" "$(last_call restore)"
check_match "restore --name: its own cgroup" "\"cgroupsPath\":[[:space:]]*\"/conmux/$nid\"" \
	"$(cat "$ROOT/containers/$nid/userdata/config.json")"
out=$(fcx restore --name ck2 ck 2>&1); rc=$?
check_eq "restore --name with a taken name: 125" 125 "$rc"
check_match "restore --name with a taken name: says so" 'already in use' "$out"

out=$(fcx checkpoint --pre-dump ck 2>&1); rc=$?
check_eq "checkpoint --pre-dump: exit 0" 0 "$rc"
check_eq "pre-dump argv: into pre-checkpoint" \
	"$R --criu $CRIU checkpoint --image-path $ROOT/checkpoints/$id/pre-checkpoint.new --work-path $B --pre-dump $id" \
	"$(last_call checkpoint)"
check_eq "pre-dump: still running" running "$(field ck state)"
out=$(fcx checkpoint --with-previous ck 2>&1); rc=$?
check_eq "checkpoint --with-previous: exit 0" 0 "$rc"
check_match "with-previous argv: --parent-path ../pre-checkpoint" \
	" --parent-path \.\./pre-checkpoint $id\$" "$(last_call checkpoint)"
check_eq "with-previous: a relative parent link" ../pre-checkpoint "$(readlink "$IMG/parent")"
check_eq "with-previous: exited and checkpointed" "exited true" \
	"$(field ck state) $(field ck checkpointed)"

out=$(FAKE_RESTORE_FAIL=1 fcx restore ck 2>&1); rc=$?
check_eq "a failed restore: exit 125" 125 "$rc"
check_match "a failed restore: restore.log's last lines in the error" \
	'restore ck: .*restore\.log: Error \(criu/cr-restore\.c:1500\): fake: cannot restore task 1 \| Error \(criu/cr-restore\.c:2500\): Restoring FAILED\.\)$' "$out"
check_eq "a failed restore: the whole log's path in inspect" "$B/restore.log" "$(crfield ck log)"
check_eq "a failed restore: still exited and checkpointed" "exited true" \
	"$(field ck state) $(field ck checkpointed)"
check "a failed restore leaves no conmon behind" sh -c \
	"! pgrep -f '[c]onmon .*-c $id' >/dev/null"
out=$(fcx restore ck 2>&1); rc=$?
check_eq "restore after a failed one: works" "0 running" "$rc $(field ck state)"

out=$(FAKE_CR_FAIL=1 fcx checkpoint ck2 2>&1); rc=$?
check_eq "a failed checkpoint: exit 125" 125 "$rc"
check_match "a failed checkpoint: dump.log's last lines in the error" \
	'checkpoint ck2: criu failed: type NOTIFY errno 0 \(dump\.log: Error \(criu/cr-dump\.c:1234\): fake: cannot dump task 1 \| Error \(criu/cr-dump\.c:2000\): Dumping FAILED\.\)$' "$out"
check_eq "a failed checkpoint: the log's path in inspect" \
	"$ROOT/containers/$nid/userdata/dump.log" "$(crfield ck2 log)"
check_eq "a failed checkpoint: still running" running "$(field ck2 state)"

t0=$(date +%s)
out=$(FAKE_CR_HANG=1 CONMUX_CR_TIMEOUT=2 fcx checkpoint ck2 2>&1); rc=$?
t1=$(date +%s)
check_eq "a hanging checkpoint: exit 125" 125 "$rc"
check_match "a hanging checkpoint: times out (CONMUX_CR_TIMEOUT)" 'checkpoint ck2: timed out after 2 s' "$out"
[ $((t1 - t0)) -le 8 ] && ok "a hanging checkpoint: given up in time" ||
	not_ok "a hanging checkpoint: given up in time" "$((t1 - t0)) s"
check "a hanging checkpoint: the runtime and its children are killed" sh -c \
	"! pgrep -f 'sleep 600[7]' >/dev/null"
check_eq "a hanging checkpoint: the container still runs" running "$(field ck2 state)"

out=$(fcx checkpoint --pre-dump --with-previous ck2 2>&1); rc=$?
check_eq "--pre-dump with --with-previous: refused (125)" 125 "$rc"
cx stop -t 1 ck2 >/dev/null
out=$(fcx checkpoint ck2 2>&1); rc=$?
check_match "checkpoint of an exited container: refused" '^125 Error: checkpoint ck2: container is exited$' "$rc $out"
cx rm -f ck >/dev/null
check "rm removes the container's checkpoints" test ! -e "$ROOT/checkpoints/$id"

# ---- a real round trip, when this host can ----
real=$(info_cr)
case $real in
supported*)
	cx run -d --name rr --rootfs "$ROOTFS" -- sh -c "$LOOP" >/dev/null
	wait_until 10 sh -c "'$CONMUX' logs rr | grep -q '^5\$'"
	check "real checkpoint" cx checkpoint rr
	check_eq "real checkpoint: exited, checkpointed" "exited true" "$(field rr state) $(field rr checkpointed)"
	n=$(cx logs rr | tail -1)
	check "real restore" cx restore rr
	check_eq "real restore: running" running "$(field rr state)"
	wait_until 10 sh -c "'$CONMUX' logs rr | grep -q '^$((n + 3))\$'"
	check_eq "the counter goes on from where it stopped" "$((n + 1))" \
		"$(cx logs rr | sed -n "/^$n\$/{n;p;q}")"
	check "real checkpoint --leave-running" cx checkpoint --leave-running rr
	check_eq "--leave-running: still running" running "$(field rr state)"
	check "real restore --name" cx restore --name rr2 rr
	wait_until 10 sh -c "'$CONMUX' logs rr2 | grep -q ."
	first=$(cx logs rr2 | head -1)
	[ "${first:-0}" -gt 1 ] && ok "the clone counts on from the checkpoint" ||
		not_ok "the clone counts on from the checkpoint" "first line: $first"
	;;
*)
	skip "real checkpoint/restore round trip" "${real:-no answer} (set CONMUX_CRIU to a CRIU >= 4.1.1)"
	skip "real checkpoint --leave-running" "${real:-no answer}"
	skip "real restore under a new name" "${real:-no answer}"
	;;
esac
