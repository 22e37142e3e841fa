#!/bin/sh
# c and C in the console: with this machine's CRIU (3.17.1, whose
# `criu check` fails on this kernel) they say why they are not offered; with
# a fake CRIU and a recording fake runtime (tests/fixtures: they cannot
# checkpoint for real, and say so) the options dialog appears, the
# checkpoint runs with the chosen option, and C restores.
. "$(dirname "$0")/../lib/tui.sh"

FIX=$TOP/tests/fixtures
run_container web sh -c "$LOOP"

# the real CRIU here: not supported, with the reason
if command -v criu >/dev/null 2>&1 && ! criu check >/dev/null 2>&1; then
	tui_open 100 30
	select_row web
	send c
	expect_screen "c says why checkpoint is not offered" 'not supported here: .*criu check'
	check_eq "and the container is untouched" running "$(field web state)"
	check "the key bar leaves Ckpt off" sh -c "! $T capture-pane -p -t ui | grep -q Ckpt"
	send q
	wait_exit "quit" 0
else
	skip "c on this machine's CRIU" "criu is missing or works here"
fi

# supported (fake CRIU and recording runtime): the options dialog
mkdir -p "$ROOT/fakebin"
ln -s "$FIX/fake-runtime-record.sh" "$ROOT/fakebin/$RUNTIME"
export FAKE_REAL_RUNTIME=$(command -v "$RUNTIME") FAKE_CR_LOG="$ROOT/fake.log"
"$CONMUX" --runtime "$ROOT/fakebin/$RUNTIME" --criu "$FIX/fake-criu-ok.sh" \
	run -d --name ck --rootfs "$ROOTFS" -- sh -c "$LOOP" >/dev/null
tui_open 110 30 --runtime "$ROOT/fakebin/$RUNTIME" --criu "$FIX/fake-criu-ok.sh"
select_row ck
send c
wait_for 'Checkpoint ck:' 5 || { sleep 1; send c; }
expect_screen "c opens the options dialog" 'Checkpoint ck:'
expect_screen "with --leave-running among the options" 'leave it running \(--leave-running\)'
send Down
send Enter
expect_screen "the checkpoint ran" 'checkpointed ck'
check_match "with the chosen option (recorded argv)" 'checkpoint .*--leave-running' "$(grep ' checkpoint ' "$FAKE_CR_LOG" | tail -1)"
check_eq "--leave-running: still running" running "$(field ck state)"
select_row ck
send c
expect_screen "c again" 'Checkpoint ck:'
send Enter
expect_screen "checkpoint and stop: the row says Checkpointed" "$(row_re ck exited) +Checkpointed"
send C
expect_screen "C asks before restoring" 'Restore ck\?'
send y
expect_screen "C restores: running again" "$(row_re ck running)"
send q
wait_exit "quit" 0
