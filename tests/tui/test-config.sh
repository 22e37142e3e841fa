#!/bin/sh
# conmux.conf in the console (issue 14): its detach keys leave the attach
# view, confirm = no skips the questions, colour = no draws no colour, and
# keys = FILE is the keymap. Real conmon + runc, in tmux.
. "$(dirname "$0")/../lib/tui.sh"

mkdir -p "$XDG_CONFIG_HOME/conmux"
printf 'bind list x container.stop "Stop it now"\n' >"$ROOT/mine.keys"
cat >"$XDG_CONFIG_HOME/conmux/conmux.conf" <<EOC
detach-keys = ctrl-a,d
confirm = no
colour = no
keys = $ROOT/mine.keys
EOC
cx run -d -t -i --name shell --rootfs "$ROOTFS" -- sh >/dev/null
run_container web sh -c "$LOOP"
TUI_ENV="XDG_CONFIG_HOME=$XDG_CONFIG_HOME"
tui_open 100 30
expect_screen "the console starts with a conmux.conf" "$(row_re shell running)"
check "colour = no: no colour at all" sh -c "! $T capture-pane -e -p -t ui | grep -Eq '\[(3[0-7]|4[0-7]|38|48)[;m]'"
select_row shell
send A
expect_screen "attach announces conmux.conf's detach keys" 'attached to shell; detach with ctrl-a,d'
send C-p C-q
sleep 0.3
check_match "the default keys are just keys now" 'attached to shell' "$(screen)"
send C-a d
expect_screen "ctrl-a d returns to the list" 'detached from shell; it keeps running'
select_row web
send x
expect_screen "keys = FILE binds x; confirm = no does not ask" "$(row_re web exited)"
send q
wait_exit "quit" 0
exit $T_FAILED
