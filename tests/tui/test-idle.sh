#!/bin/sh
# An idle console with 8 panes open wakes for nothing but its clock.
# With CONMUX_COUNTERS=FILE the console writes its loop counters to FILE on
# SIGUSR1 (turns of the loop, i.e. wakeups; clock ticks; frames). Between
# two dumps, with nothing typed and nothing printed, every turn must be a
# clock tick, the message line's expiry or the dump's own signal, and no
# pane may have timed a frame. Counts, never times: the wait is only for
# the clock to have ticked. Real conmon + runc.
. "$(dirname "$0")/../lib/tui.sh"

CNT=$ROOT/counters
DUMPS=0
# counters: a fresh dump, its values in c_turns, c_ticks, ... (0 on failure)
counters() {
	DUMPS=$((DUMPS + 1))
	kill -USR1 "$UI_PID" 2>/dev/null
	if ! wait_until 5 grep -qx "dumps $DUMPS" "$CNT"; then
		c_turns=0 c_ticks=0 c_msg_expiries=0 c_pane_timer_arms=0 c_pane_frames=0
		return 1
	fi
	eval "$(sed -n 's/^\([a-z_]*\) \([0-9]*\)$/c_\1=\2/p' "$CNT")"
}

# (the helpers use $i: these loops count with other names)
for pn in 1 2 3 4 5 6 7 8; do
	cx run -d -t -i --name "p$pn" --rootfs "$ROOTFS" -- sh >/dev/null
done
# --engine conmux: this root's containers only (discovery would wake for
# every process started on the node, which is not the console idling)
TUI_ENV="CONMUX_COUNTERS=$CNT" tui_open 160 40 --engine conmux
expect_screen "the list" "$(row_re p8 running)"
for pn in 1 2 3 4 5 6 7 8; do
	select_row "p$pn"
	send a
	wait_for "p$pn \\[running\\]" 10 || not_ok "pane p$pn opens" "no frame for p$pn"
	send C-b l
done
expect_screen "8 panes open" 'p8 \[running\] [0-9]+x[0-9]+'
# (not through check: its subshell would lose the count of dumps)
if counters; then
	ok "the counters are written on SIGUSR1"
else
	not_ok "the counters are written on SIGUSR1" "no dump $DUMPS in $CNT"
fi

# Idle means: an interval with the clock ticking at least twice and no
# other wakeup. Panes settle first (the shells redraw their prompts after
# the resizes), so a few intervals are tried; a timer that re-arms while
# idle spoils every one of them.
clean=0
tries=0
dt=-1 allowed=-1 c_pane_frames=0 f0=0 c_pane_timer_arms=0 a0=0
while [ $clean = 0 ] && [ $tries -lt 6 ]; do
	tries=$((tries + 1))
	counters || break
	t0=$c_turns k0=$c_ticks m0=$c_msg_expiries a0=$c_pane_timer_arms f0=$c_pane_frames
	polls=0
	while [ $polls -lt 100 ]; do
		counters || break
		[ $((c_ticks - k0)) -ge 2 ] && break
		# each dump is a wakeup of its own: not counted below
		polls=$((polls + 1))
		sleep 0.1
	done
	dt=$((c_turns - t0 - polls - 1))
	allowed=$((c_ticks - k0 + c_msg_expiries - m0))
	if [ $((c_ticks - k0)) -ge 2 ] && [ $dt -le $allowed ] &&
	    [ $c_pane_timer_arms = "$a0" ] && [ $c_pane_frames = "$f0" ]; then
		clean=1
	fi
done
check_eq "idle with 8 panes: every wakeup is the clock's (turns $dt, ticks and expiries $allowed, pane frames $((c_pane_frames - f0)), pane timers $((c_pane_timer_arms - a0)))" 1 $clean

send C-b q
wait_exit "prefix q quits" 0
