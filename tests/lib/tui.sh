# tests/lib/tui.sh: drive the real console inside a private tmux server
# (POSIX sh), on top of common.sh. Gives: $T (tmux on a private socket),
# tui_open, screen, send, send_text, send_esc, wait_for, expect_screen,
# expect_gone, wait_exit, ui_alive, run_container, row_re, select_row, and a
# cleanup that kills the tmux server (a hangup for the console) and waits
# for the console to be gone before the containers are removed.
. "$(dirname "$0")/../lib/common.sh"

T="tmux -S $ROOT/tmux.sock -f /dev/null"
# A PID 1 that stops at once on SIGTERM (busybox sleep would not).
LOOP='trap "exit 0" TERM; while :; do sleep 0.2; done'

if ! command -v tmux >/dev/null 2>&1; then
	skip "console tests" "tmux is not installed"
	exit 0
fi

tui_cleanup() {
	$T kill-server >/dev/null 2>&1
	ui_wait_gone 5 || { [ -f "$ROOT/ui.pid" ] && kill -9 "$(cat "$ROOT/ui.pid")" 2>/dev/null; }
}
T_EXTRA_CLEANUP="${T_EXTRA_CLEANUP:+$T_EXTRA_CLEANUP; }tui_cleanup"

# tui_open WIDTH HEIGHT [ARGS...]: the console in a fresh fixed-size session,
# with TERM=$TUI_TERM (default tmux-256color) and $TUI_ENV (VAR=value ...).
# It lists $TUI_ENGINE's containers (default conmux: this test's root only,
# whatever else runs on the node; test-foreign sets all).
# Its PID goes to $ROOT/ui.pid (the shell execs it), its exit code to
# $ROOT/ui.rc; the pane stays afterwards so that its output can be read.
tui_open() {
	w=$1 h=$2
	shift 2
	rm -f "$ROOT/ui.rc" "$ROOT/ui.pid"
	# A server still going away would take the new session with it.
	$T kill-server >/dev/null 2>&1
	ui_wait_gone 5
	wait_until 5 sh -c "! $T ls" 2>/dev/null
	rm -f "$ROOT/tmux.sock"
	$T new-session -d -s ui -x "$w" -y "$h" \
	    "env TERM=${TUI_TERM:-tmux-256color} LC_ALL=C.UTF-8 ${TUI_ENV:-} sh -c 'echo \$\$ >$ROOT/ui.pid; exec \"\$0\" \"\$@\"' $CONMUX --root $ROOT --engine ${TUI_ENGINE:-conmux} $*; echo \$? >$ROOT/ui.rc; sleep 600"
	$T set -g window-size manual >/dev/null
	wait_until 5 test -s "$ROOT/ui.pid"
	UI_PID=$(cat "$ROOT/ui.pid" 2>/dev/null)
}

screen() { $T capture-pane -p -t ui 2>/dev/null; }
send() { $T send-keys -t ui "$@"; }
send_text() { $T send-keys -t ui -l "$1"; }
# Escape alone: anything right after it would read as Meta.
send_esc() { $T send-keys -t ui Escape; sleep 0.15; }

# wait_for REGEX [SECONDS]: until the screen matches (ERE), at most 10 s.
wait_for() {
	i=0
	lim=$(( ${2:-10} * 10 ))
	until screen | grep -Eq -- "$1"; do
		i=$((i + 1))
		[ $i -le $lim ] || return 1
		sleep 0.1
	done
	return 0
}

# wait_gone REGEX [SECONDS]: until the screen no longer matches.
wait_gone() {
	i=0
	lim=$(( ${2:-10} * 10 ))
	while screen | grep -Eq -- "$1"; do
		i=$((i + 1))
		[ $i -le $lim ] || return 1
		sleep 0.1
	done
	return 0
}

# The screen as TAP diagnostics.
screen_diag() { screen | sed 's/^/#   | /'; }

# expect_screen DESC REGEX [SECONDS]: ok when the screen comes to match.
expect_screen() {
	if wait_for "$2" "${3:-10}"; then
		ok "$1"
	else
		not_ok "$1" "no /$2/ on the screen:"
		screen_diag
	fi
}

# expect_gone DESC REGEX [SECONDS]: ok when the screen stops matching.
expect_gone() {
	if wait_gone "$2" "${3:-10}"; then
		ok "$1"
	else
		not_ok "$1" "still /$2/ on the screen:"
		screen_diag
	fi
}

ui_alive() { [ -n "${UI_PID:-}" ] && kill -0 "$UI_PID" 2>/dev/null; }
# ui_wait_gone SECONDS: until the console process has exited.
ui_wait_gone() {
	[ -n "${UI_PID:-}" ] || return 0
	i=0
	while kill -0 "$UI_PID" 2>/dev/null; do
		i=$((i + 1))
		[ $i -le $(($1 * 10)) ] || return 1
		sleep 0.1
	done
	return 0
}

# wait_exit DESC CODE: the console exits with CODE.
wait_exit() {
	if wait_until 10 test -s "$ROOT/ui.rc"; then
		check_eq "$1" "$2" "$(cat "$ROOT/ui.rc")"
	else
		not_ok "$1" "the console did not exit"
		screen_diag
	fi
}

# run_container NAME CMD...: a real container through the CLI.
run_container() {
	n=$1
	shift
	cx run -d --name "$n" --stop-timeout 1 --rootfs "$ROOTFS" -- "$@" >/dev/null
}

# row_re NAME STATE: a table row (the first column is the tag gutter).
row_re() { printf '^[ *]%s +[^ ]+ +%s' "$1" "$2"; }

# select_row NAME: filter down to NAME (Enter selects the first match),
# then clear the filter with Escape; the selection stays on NAME.
select_row() {
	send /
	send_text "$1"
	send Enter
	wait_for "$(row_re "$1" '')" 5
	send_esc
}
