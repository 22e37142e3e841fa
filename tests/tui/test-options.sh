#!/bin/sh
# Options and text: a keymap file rebinds keys and a bad one stops the
# console before it touches the terminal (naming FILE:LINE); --read-only
# refuses changes; --no-confirm skips the questions; NO_COLOR and several
# TERMs work; UTF-8 shows as itself and control characters escaped.
. "$(dirname "$0")/../lib/tui.sh"

run_container web sh -c "$LOOP"
run_container text sh -c "$(printf 'echo h\303\251llo w\303\266rld \342\234\223; echo "bell\007 esc\033[2J"; sleep 1000 # \303\251')"

# A bad keymap file: FILE:LINE: cause on stderr, exit 125, no curses.
printf 'bind list x view.help\nbind list y no.such-action\n' >"$ROOT/bad.keys"
out=$("$CONMUX" --root "$ROOT" --keys "$ROOT/bad.keys" 2>"$ROOT/err" </dev/null)
rc=$?
check_eq "a bad keymap file: exit 125" 125 "$rc"
check_match "the error names the file and the line" "$ROOT/bad.keys:2: .*no.such-action" "$(cat "$ROOT/err")"
check_eq "nothing was written to the terminal" "" "$out"
"$CONMUX" --root "$ROOT" --keys "$ROOT/missing.keys" console 2>"$ROOT/err" </dev/null
check_eq "a missing --keys FILE is an error too" 125 "$?"
check_match "naming the file" 'missing.keys' "$(cat "$ROOT/err")"
mkdir -p "$ROOT/home/.config/conmux"
printf 'bind list x view.help\n' >"$ROOT/home/.config/conmux/keys"
cp "$ROOT/bad.keys" "$ROOT/home/.config/conmux/keys"
# (without XDG_CONFIG_HOME, which common.sh points elsewhere)
env -u XDG_CONFIG_HOME HOME="$ROOT/home" "$CONMUX" --root "$ROOT" 2>"$ROOT/err" </dev/null
check_eq "a bad ~/.config/conmux/keys stops the console too" 125 "$?"
check_match "naming ~/.config/conmux/keys and the line" \
    "$ROOT/home/.config/conmux/keys:2: " "$(cat "$ROOT/err")"

# A good keymap file rebinds keys, and the help shows the new binding.
printf '# mine\nbind list x container.stop "Stop it now"\nunbind list s\n' >"$ROOT/good.keys"
tui_open 100 30 --keys "$ROOT/good.keys" --no-confirm
expect_screen "with a keymap file the console starts" "$(row_re web running)"
select_row web
send s
sleep 0.5
check_match "an unbound key does nothing" "$(row_re web running)" "$(screen)"
send x
expect_screen "the rebound key acts, and --no-confirm does not ask" "$(row_re web exited)"
send '?'
expect_screen "the help shows the user's binding and note" 'x +Stop it now'
send q
send :
send_text "start web"
send Enter
expect_screen "started again" "$(row_re web running)"
send q
wait_exit "quit" 0

# --read-only: changes are refused, and their keys are not offered.
tui_open 100 30 --read-only
expect_screen "the header shows READ-ONLY" 'READ-ONLY'
select_row web
send s
expect_screen "s is refused" 'read-only: stop is disabled'
send :
send_text "kill web"
send Enter
expect_screen ":kill is refused" 'read-only: kill is disabled'
check_match "the key bar offers no changes" '^F1Help +lLogs' "$(screen)"
check "web still runs" state_is web running
send e
expect_screen "exec is refused" 'read-only: exec is disabled'
send A
expect_screen "attach is allowed, output only" 'attached to web \(read-only: output only\)'
send C-p C-q
expect_screen "and comes back to the list" 'detached from web'
send q
wait_exit "quit" 0

# Checkpoint answers at once, even before CRIU detection is done.
tui_open 100 30
select_row web
send c
expect_screen "c answers at once: checking, or the verdict" 'checkpoint: (checking|not supported here)|Checkpoint web:'
send_esc

# Text from containers: UTF-8 as itself, control characters escaped.
expect_screen "UTF-8 in a command shows as itself" 'sh -c echo héllo wörld ✓'
expect_screen "control characters in a command are escaped" 'echo "bell\\x07'
send :
send_text "logs text"
send Enter
expect_screen "UTF-8 in logs shows as itself" 'héllo wörld ✓'
expect_screen "control characters in logs are escaped" 'bell\\x07 esc\\x1b\[2J'
send q
send q
wait_exit "quit" 0

# Other terminals, and no color.
for term in xterm-256color screen-256color linux vt100; do
	TUI_TERM=$term
	tui_open 80 24
	if wait_for "$(row_re web running)"; then
		send q
		wait_exit "TERM=$term works" 0
	else
		not_ok "TERM=$term works"
		screen_diag
	fi
done
TUI_TERM=tmux-256color TUI_ENV=NO_COLOR=1
tui_open 80 24
if wait_for "$(row_re web running)"; then
	ok "NO_COLOR=1 works"
else
	not_ok "NO_COLOR=1 works"
fi
check "no color at all with NO_COLOR" sh -c "! $T capture-pane -e -p -t ui | grep -Eq '\[(3[0-7]|4[0-7]|38|48)[;m]'"
send q
wait_exit "quit" 0
exit $T_FAILED
