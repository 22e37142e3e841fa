#!/bin/sh
# conmux.conf and the keymap found through XDG_CONFIG_HOME (issue 14):
# defaults from the file, the command line and environment first, a bad
# file told as FILE:LINE before anything starts (the console included),
# and conmux.conf's detach keys used by a real attach in a tmux pane.
. "$(dirname "$0")/../lib/common.sh"

CONF=$XDG_CONFIG_HOME/conmux
mkdir -p "$CONF"
T="tmux -S $ROOT/tmux.sock -f /dev/null"
T_EXTRA_CLEANUP='$T kill-server 2>/dev/null'
other=crun
[ "$RUNTIME" = crun ] && other=runc
rtof() { sed -n 's/^runtime  *//p' | head -1; }

check_eq "no conmux.conf: the built-in runtime (runc)" runc \
    "$(env -u CONMUX_RUNTIME "$CONMUX" info | rtof)"
printf '# test\nruntime = %s\n' "$other" >"$CONF/conmux.conf"
check_eq "conmux.conf's runtime is the default" "$other" \
    "$(env -u CONMUX_RUNTIME "$CONMUX" info | rtof)"
check_eq "CONMUX_RUNTIME wins over conmux.conf" "$RUNTIME" "$(cx info | rtof)"
check_eq "--runtime wins over conmux.conf" "$RUNTIME" \
    "$(env -u CONMUX_RUNTIME "$CONMUX" --runtime "$RUNTIME" info | rtof)"

printf 'runtime = runc\n\nbogus = 1\n' >"$CONF/conmux.conf"
out=$(cx ps 2>&1); rc=$?
check_eq "a bad conmux.conf: exit 125" 125 "$rc"
check_eq "a bad conmux.conf: FILE:LINE: cause" \
    "Error: $CONF/conmux.conf:3: unknown setting 'bogus'" "$out"
out=$(cx </dev/null 2>&1)
check_eq "the console stops on a bad conmux.conf before it needs a terminal" \
    "Error: $CONF/conmux.conf:3: unknown setting 'bogus'" "$out"
printf 'detach-keys = ctrl-P\n' >"$CONF/conmux.conf"
check_match "bad detach keys in conmux.conf are refused with the line" \
    "conmux.conf:1: detach keys: unknown key 'ctrl-P'" "$(cx ps 2>&1)"
check_eq "--version never reads conmux.conf" 0 "$(cx --version >/dev/null 2>&1; echo $?)"
mv "$CONF/conmux.conf" "$CONF/bad"
id=$(cx create --rm --rootfs "$ROOTFS" -- true)
mv "$CONF/bad" "$CONF/conmux.conf"
check_eq "conmon's exit command (cleanup) ignores a bad conmux.conf" 0 \
    "$(cx cleanup "$id" >/dev/null 2>&1; echo $?)"
rm -f "$CONF/conmux.conf"
cx rm -f "$id" >/dev/null 2>&1

# The keymap: $XDG_CONFIG_HOME/conmux/keys, conmux.conf's keys, --keys.
printf 'bind list x\n' >"$CONF/keys"
check_eq "the default keymap is \$XDG_CONFIG_HOME/conmux/keys" \
    "conmux: $CONF/keys:1: missing action" "$(cx </dev/null 2>&1)"
printf 'q nosuch.action\n' >"$ROOT/other.keys"
printf "keys = '%s'\n" "$ROOT/other.keys" >"$CONF/conmux.conf"
check_match "conmux.conf's keys replaces the default file" \
    "^conmux: $ROOT/other.keys:1: " "$(cx </dev/null 2>&1)"
printf '# fine\n' >"$ROOT/fine.keys"
check_eq "--keys wins over conmux.conf's keys" \
    "conmux: the console needs a terminal on stdin and stdout" \
    "$(cx --keys "$ROOT/fine.keys" </dev/null 2>&1)"
rm -f "$CONF/conmux.conf" "$CONF/keys"

# conmux.conf's detach keys, in a real terminal.
if ! command -v tmux >/dev/null 2>&1; then
	skip "detach keys from conmux.conf" "tmux is not installed"
	exit 0
fi
printf 'detach-keys = ctrl-a,d\n' >"$CONF/conmux.conf"
cx run -d -t -i --name sh1 --rootfs "$ROOTFS" -- sh >/dev/null
$T new-session -d -s t -x 100 -y 30 "env TERM=xterm LC_ALL=C.UTF-8 XDG_CONFIG_HOME=$XDG_CONFIG_HOME CONMUX_ROOT=$ROOT CONMUX_RUNTIME=$RUNTIME $CONMUX attach sh1; echo \$? >$ROOT/pane.rc; sleep 60"
screen() { $T capture-pane -p -t t 2>/dev/null; }
if wait_until 10 sh -c "$T capture-pane -p -t t | grep -q 'detach with ctrl-a,d'"; then
	ok "attach announces conmux.conf's detach keys"
else
	not_ok "attach announces conmux.conf's detach keys" "$(screen)"
fi
$T send-keys -t t C-a d
if wait_until 10 test -s "$ROOT/pane.rc"; then
	ok "ctrl-a d detaches"
else
	not_ok "ctrl-a d detaches" "$(screen)"
fi
check_eq "detached: exit 0" 0 "$(cat "$ROOT/pane.rc" 2>/dev/null)"
check_eq "the container still runs" running "$(field sh1 state)"
cx rm -f sh1 >/dev/null
