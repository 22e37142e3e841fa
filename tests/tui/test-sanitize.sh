#!/bin/sh
# Bad text never reaches the operator's terminal raw: a command and log
# output holding a title sequence (\e]0;...\a), a screen clear (\e[2J) and
# invalid UTF-8, an error naming such a reference, a 10,000-character name.
# Each is shown in a tmux pane (ps, logs, errors, the console's list and
# logs view); the pane's title must stay ours and the screen must show the
# sequences escaped. Piped, `logs` keeps the bytes as the container wrote
# them (as podman logs does).
. "$(dirname "$0")/../lib/tui.sh"

ESC=$(printf '\033')
BEL=$(printf '\007')
BAD="${ESC}]0;PWNED${BEL} ${ESC}[2J $(printf '\377\376') end"
# The output from the container's printf (runc would turn invalid UTF-8 in
# argv into U+FFFD); the raw bytes themselves in the command, as a comment.
cx run -d --name evil --rootfs "$ROOTFS" -- sh -c \
	"printf '\\033]0;PWNED\\007 \\033[2J \\377\\376 end\\n'; while :; do sleep 1; done # $BAD" >/dev/null
wait_until 10 sh -c "cx logs evil | grep -q end"

title() { $T display -p -t "$1" '#{pane_title}'; }
# in_pane NAME CMD: run CMD (a shell script) in a fresh pane titled "clean"
# and wait for it to finish; `pane NAME` is then its screen (wrapped lines
# joined).
in_pane() {
	$T kill-session -t "$1" >/dev/null 2>&1
	rm -f "$ROOT/go-$1"
	printf '%s\necho DONE-$?\n' "$2" >"$ROOT/pane-$1.sh"
	# it waits for the title to be set before it runs CMD
	$T new-session -d -s "$1" -x 200 -y 30 \
	    "while [ ! -e $ROOT/go-$1 ]; do sleep 0.05; done; env LC_ALL=C.UTF-8 CONMUX_ROOT=$ROOT sh $ROOT/pane-$1.sh; sleep 600"
	$T select-pane -t "$1" -T clean
	: >"$ROOT/go-$1"
	wait_until 10 sh -c "$T capture-pane -p -t $1 | grep -q DONE-"
}
pane() {
	$T kill-session -t "$1" >/dev/null 2>&1
	rm -f "$ROOT/go-$1"
	# it waits for the title to be set before it runs CMD
	$T new-session -d -s "$1" -x 200 -y 30 \
	    "while [ ! -e $ROOT/go-$1 ]; do sleep 0.05; done; env LC_ALL=C.UTF-8 CONMUX_ROOT=$ROOT sh -c '$2; echo DONE-\$?'; sleep 600"
	$T select-pane -t "$1" -T clean
	: >"$ROOT/go-$1"
	wait_until 10 sh -c "$T capture-pane -p -t $1 | grep -q DONE-"
}
pane() { $T capture-pane -p -J -t "$1"; }

# The test can fail: the same bytes printed raw do set the title.
in_pane raw "printf '${ESC}]0;PWNED${BEL}'"
check_eq "printed raw, the title sequence does set the pane's title" PWNED "$(title raw)"

in_pane ps "$CONMUX ps"
check_eq "ps: the pane's title is untouched" clean "$(title ps)"
check_match "ps: the sequences are shown escaped" '\\x1b\]0;PWNED\\x07 \\x1b\[2J \\xff\\xfe end' "$(pane ps)"
check_match "ps: the screen was not cleared (header still there)" 'CONTAINER ID' "$(pane ps)"

in_pane logs "$CONMUX logs evil"
check_eq "logs to a terminal: the pane's title is untouched" clean "$(title logs)"
check_match "logs to a terminal: the sequences are shown escaped" '^\\x1b\]0;PWNED\\x07 \\x1b\[2J \\xff\\xfe end$' "$(pane logs)"
check_eq "logs piped: the bytes as the container wrote them" "$BAD" "$(cx logs evil)"

in_pane err "$CONMUX stop '${ESC}]0;PWNED${BEL}x${ESC}[2J'"
check_eq "an error naming such a reference: the title is untouched" clean "$(title err)"
check_match "the error shows it escaped" 'Error: \\x1b\]0;PWNED\\x07x\\x1b\[2J: not a valid container name or ID' "$(pane err)"

long=$(printf 'x%.0s' $(seq 10000))
in_pane long "$CONMUX run -d --name $long --rootfs $ROOTFS -- true"
out=$(pane long | grep '^Error:')
check_match "a 10,000-character name: refused in one short line" "^Error: invalid name 'x+\.\.\.'" "$out"
[ ${#out} -lt 400 ] && ok "the refusal is short (${#out} characters)" ||
	not_ok "the refusal is short" "${#out} characters"
check_eq "nothing was made" "evil" "$(cx ps -a --json | sed -n 's/^[[:space:]]*"name":[[:space:]]*"\(.*\)",$/\1/p')"

# The console: its list and its logs view.
tui_open 200 30
$T select-pane -t ui -T clean
expect_screen "console: the command shows escaped" 'x1b\]0;PWNED\\x07 \\x1b\[2J \\xff\\xfe end'
check_eq "console: the pane's title is untouched" clean "$(title ui)"
select_row evil
send l
expect_screen "console logs view: the output shows escaped" '\\x1b\]0;PWNED\\x07 \\x1b\[2J \\xff\\xfe end'
check_eq "console logs view: the pane's title is untouched" clean "$(title ui)"
send q
send q
wait_exit "quit" 0
