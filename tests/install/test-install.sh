#!/bin/sh
# Installing conmux like a real tool (issue 14), once per `make check` (not
# per runtime): make install into a DESTDIR and the installed binary
# (--version, run --rm cleaned up through the installed path), the man
# pages against --help and the console's actions, bash/zsh/fish
# completion, make uninstall leaving nothing, and the .deb installed into
# a scratch dpkg root checked against this machine's packages (and, in CI,
# on the machine itself), run, and removed without a trace.
. "$(dirname "$0")/../lib/common.sh"

STAGE=$ROOT/stage
P=/opt/cxtest
BIN=$STAGE$P/bin/conmux
MAKE="make --no-print-directory -C $TOP"

# ---- make install / the installed binary ----
if out=$($MAKE install DESTDIR="$STAGE" PREFIX=$P 2>&1); then
	ok "make install DESTDIR=... PREFIX=$P"
else
	not_ok "make install DESTDIR=... PREFIX=$P" "$out"
fi
missing=""
for f in bin/conmux share/man/man1/conmux.1 share/man/man1/conmux-console.1 \
    share/man/man5/conmux-keys.5 share/bash-completion/completions/conmux \
    share/zsh/site-functions/_conmux share/fish/vendor_completions.d/conmux.fish \
    share/doc/conmux/keys.example share/doc/conmux/conmux.conf.example; do
	[ -f "$STAGE$P/$f" ] || missing="$missing $f"
done
check_eq "install puts binary, man pages, completions, examples in place" "" "$missing"

v=$("$BIN" --version)
check_match "installed --version: version and git revision" \
    '^conmux version [0-9]+\.[0-9]+\.[0-9]+ \(git [0-9a-f]{7,}(-dirty)?\)$' \
    "$(printf '%s\n' "$v" | head -1)"
check_match "--version names conmon's version" '^conmon +[0-9]' "$v"
check_match "--version names runc or crun" '^(runc|crun) +[0-9]' "$v"
check_match "--version has a CRIU line" '^criu ' "$v"
j=$("$BIN" version --json)
check_match "version --json: git_revision" '"git_revision":[[:space:]]*"[0-9a-f]' "$j"
check_match "version --json: tools.conmon.version" '"conmon":[[:space:]]*\{[^}]*"version":[[:space:]]*"[0-9]' \
    "$(printf '%s' "$j" | tr -d '\n')"
check_match "version needs no store" '^conmux version ' \
    "$("$BIN" --root /proc/nonexistent version 2>&1 | head -1)"
check_eq "the installed binary is the build's" "$(cx --version | head -1)" "$(printf '%s\n' "$v" | head -1)"

# --rm: conmon's exit command must be the installed binary, and work.
id=$("$BIN" run -d --rm --name rmme --rootfs "$ROOTFS" -- sleep 2)
cpid=$(cat "$ROOT/containers/$id/userdata/conmon.pid" 2>/dev/null)
exitcmd=$(tr '\0' '\n' <"/proc/$cpid/cmdline" 2>/dev/null | sed -n '/^--exit-command$/{n;p;}')
check_eq "run --rm: conmon's exit command is the installed path" "$BIN" "$exitcmd"
wait_until 15 sh -c "! [ -d '$ROOT/containers/$id' ]"
check_eq "run --rm: removed by the installed binary when it exits" "" \
    "$("$BIN" ps -a -q)"
check_eq "run --rm (attached) reports the container's code" 7 \
    "$("$BIN" run --rm --rootfs "$ROOTFS" -- sh -c 'exit 7' </dev/null >/dev/null 2>&1; echo $?)"

# ---- man pages cannot drift from --help and the action table ----
MAN1=$STAGE$P/share/man/man1/conmux.1
KEYS5=$STAGE$P/share/man/man5/conmux-keys.5
man1=$(MANWIDTH=200 man -l "$MAN1" 2>/dev/null)
keys5=$(MANWIDTH=200 man -l "$KEYS5" 2>/dev/null)
check_match "conmux(1) renders" '^NAME' "$man1"
check_match "conmux-console(1) renders" '^NAME' \
    "$(MANWIDTH=200 man -l "$STAGE$P/share/man/man1/conmux-console.1" 2>/dev/null)"
help=$("$BIN" --help)
cmds=$(printf '%s\n' "$help" | sed -n '/^commands:/,/^$/p' | sed 1d |
    sed 's/(\([a-z]*\))/\1/; s/^  //; s/  .*//' | tr ', ' '\n\n' | grep -E '^[a-z]+$')
nc=0 bad=""
for c in $cmds; do
	nc=$((nc + 1))
	printf '%s\n' "$man1" | grep -qE "conmux $c( |$)" || bad="$bad $c"
done
check_eq "every command --help lists ($nc) has an entry in conmux(1)" "" "$bad"
usages=$(printf '%s\n' "$help"; for c in $cmds; do [ "$c" = console ] || "$BIN" "$c" --help; done)
no=0 bad=""
for o in $(printf '%s\n' "$usages" | grep -oE -- '(^|[^a-zA-Z0-9-])--?[a-zA-Z][a-zA-Z-]*' |
    sed 's/^[^-]*//' | sort -u); do
	no=$((no + 1))
	printf '%s\n' "$man1" | grep -qwF -- "$o" || bad="$bad $o"
done
[ "$no" -gt 30 ] || bad="$bad (only $no options found)"
check_eq "every option --help lists ($no) appears in conmux(1)" "" "$bad"
actions=$(sed -n 's/^[[:space:]]*{"\([a-z][a-z-]*\(\.[a-z-]*\)\{0,1\}\)", tui_act_[a-z_]*},$/\1/p' "$TOP/tui/action.c")
na=0 bad=""
for a in $actions; do
	na=$((na + 1))
	printf '%s\n' "$keys5" | grep -qwF -- "$a" || bad="$bad $a"
done
[ "$na" -gt 30 ] || bad="$bad (only $na actions found in tui/action.c)"
check_eq "every console action ($na) appears in conmux-keys(5)" "" "$bad"
bad=""
for m in list details logs attach pane prefix; do
	printf '%s\n' "$keys5" | grep -qw "$m" || bad="$bad mode:$m"
done
check_eq "every keymap mode appears in conmux-keys(5)" "" "$bad"
console=$(MANWIDTH=200 man -l "$STAGE$P/share/man/man1/conmux-console.1" 2>/dev/null)
nk=0 bad=""
for k in $(sed -n 's/^[[:space:]]*"bind [a-z]* *\([^ ]*\) .*/\1/p' "$TOP/keymaps/defaults.c" | sort -u); do
	nk=$((nk + 1))
	printf '%s\n' "$console" | grep -qwF -- "$k" || bad="$bad $k"
done
[ "$nk" -gt 20 ] || bad="$bad (only $nk keys found in keymaps/defaults.c)"
check_eq "every default key ($nk) appears in conmux-console(1)" "" "$bad"
bad=""
for w in conmux.conf XDG_CONFIG_HOME detach-keys confirm colour; do
	printf '%s\n' "$man1" | grep -qF -- "$w" || bad="$bad $w"
done
check_eq "conmux(1) documents conmux.conf and XDG" "" "$bad"

# ---- completion ----
"$BIN" create --name web-1 --rootfs "$ROOTFS" -- true >/dev/null
wid=$("$BIN" ps -a -q | head -1)
comp() {	# WORD...: what bash's completion offers for "conmux WORD..."
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
	    _conmux; [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"' sh \
	    "$STAGE$P/share/bash-completion/completions/conmux" "$BIN" "$@" | sort | tr '\n' ' '
}
check_eq "bash: commands by prefix (st)" "start stats stop " "$(comp st)"
check_eq "bash: global options (--r)" "--read-only --root --runtime " "$(comp --r)"
check_eq "bash: --runtime values" "crun runc " "$(comp --runtime '')"
check_eq "bash: a command's options (rm -)" "--all --force --help --ignore --latest --time -a -f -i -l -t " "$(comp rm -)"
check_match "bash: run's options include --rm and --detach-keys" '--detach-keys .*--rm ' "$(comp run --)"
check_eq "bash: container names from the store (stop w)" "web-1 " "$(comp stop w)"
check_eq "bash: --root on the line picks the store" "" \
    "$(comp --runtime runc --root "$ROOT/elsewhere" stop w)"
check_eq "bash: ... and nothing is created there" no \
    "$([ -e "$ROOT/elsewhere" ] && echo yes || echo no)"
check_eq "bash: container IDs by prefix" "$(printf '%s' "$wid" | cut -c1-4)" \
    "$(comp rm "$(printf '%s' "$wid" | cut -c1-4)" | cut -c1-4)"
check_eq "bash: after exec's -- nothing (files)" "" "$(comp exec web-1 -- s)"
check_eq "bash: hidden commands are not offered (cl)" "" "$(comp cl)"
if command -v zsh >/dev/null 2>&1; then
	check "zsh completion parses" zsh -n "$STAGE$P/share/zsh/site-functions/_conmux"
	# The completion system's builtins stubbed: what _conmux would add.
	z=$(PATH="$STAGE$P/bin:$PATH" zsh -fc '
	    compadd() { [[ $1 == -a ]] && print -l -- ${(P)2}; }
	    _files() { print FILES; }
	    fpath=("$1" $fpath); autoload -Uz _conmux
	    words=(conmux stop w); CURRENT=3; _conmux
	    words=(conmux exec web-1 -- s); CURRENT=5; _conmux' zsh \
	    "$STAGE$P/share/zsh/site-functions" 2>&1 | tr '\n' ' ')
	check_eq "zsh: container names, then files after --" "web-1 FILES " "$z"
else
	skip "zsh completion parses" "zsh is not installed"
fi
if command -v fish >/dev/null 2>&1; then
	check "fish completion parses" fish -n "$STAGE$P/share/fish/vendor_completions.d/conmux.fish"
	f=$(PATH="$STAGE$P/bin:$PATH" fish -c "source '$STAGE$P/share/fish/vendor_completions.d/conmux.fish'; complete -C 'conmux stop w'" 2>&1)
	check_eq "fish: container names (stop w)" "web-1" "$f"
else
	skip "fish completion" "fish is not installed"
fi
"$BIN" rm -f web-1 >/dev/null

# ---- make uninstall ----
out=$($MAKE uninstall DESTDIR="$STAGE" PREFIX=$P 2>&1) || not_ok "make uninstall" "$out"
check_eq "make uninstall leaves no file behind" "" "$(find "$STAGE" ! -type d)"

# ---- the Debian package ----
if ! command -v dpkg-deb >/dev/null 2>&1; then
	skip "make deb" "dpkg-deb is not installed"
	exit 0
fi
deb=$($MAKE deb 2>&1 | tail -1)
check_match "make deb builds a .deb" '\.deb$' "$deb"
deb=$TOP/$deb
info=$(dpkg-deb -f "$deb" Depends Recommends 2>&1)
for d in conmon 'runc | crun' libuv1 libncursesw6 libcjson1 libselinux1 libcap2 libvterm0; do
	printf '%s\n' "$info" | grep -q "$d" || bad="$bad [$d]"
done
check_eq "Depends: conmon, runc | crun and the libraries we link" "" "$bad"
check_match "Recommends: criu, podman" '^Recommends: criu, podman$' "$info"
check_match "the package holds the binary, man pages, completions" \
    'usr/bin/conmux.*usr/share/bash-completion/completions/conmux.*usr/share/man/man1/conmux.1.gz.*usr/share/zsh/vendor-completions/_conmux' \
    "$(dpkg-deb -c "$deb" | awk '{print $6}' | sort | tr '\n' ' ')"

if [ "$(id -u)" -ne 0 ]; then
	skip "dpkg -i / dpkg -r" "needs root"
	exit 0
fi
# A scratch dpkg root whose database is a copy of this machine's: the
# Depends are checked for real, and nothing of the machine is touched.
DR=$ROOT/dpkgroot
mkdir -p "$DR/var/lib/dpkg/info" "$DR/var/lib/dpkg/updates"
cp /var/lib/dpkg/status "$DR/var/lib/dpkg/status"
check "dpkg -i (scratch root, this machine's packages) satisfies Depends" \
    dpkg --root="$DR" -i "$deb"
check_match "the packaged conmux info runs" '^runtime +(runc|crun)' \
    "$("$DR/usr/bin/conmux" info 2>&1)"
check "dpkg -r removes it" dpkg --root="$DR" -r conmux
check_eq "dpkg -r leaves no file of conmux" "" \
    "$(find "$DR" ! -type d ! -path "$DR/var/lib/dpkg/*")"
check_eq "dpkg forgets it" "" \
    "$(dpkg --root="$DR" -l conmux 2>/dev/null | grep '^ii')"

# On the machine itself only in CI (a fresh machine, one run): on a shared
# one a test must not put /usr/bin/conmux in front of other people.
if [ -z "${CI:-}" ]; then
	skip "dpkg -i on the machine" "only in CI (CI=1)"
elif dpkg -s conmux >/dev/null 2>&1; then
	skip "dpkg -i on the machine" "a conmux package is installed already"
else
	T_EXTRA_CLEANUP='dpkg -r conmux >/dev/null 2>&1'
	check "dpkg -i on the machine" dpkg -i "$deb"
	check_match "conmux info (installed, from PATH)" '^runtime +(runc|crun)' \
	    "$(/usr/bin/conmux info 2>&1)"
	files=$(dpkg -L conmux | while read -r f; do [ -d "$f" ] || echo "$f"; done)
	check "dpkg -r conmux" dpkg -r conmux
	left=""
	for f in $files; do [ -e "$f" ] && left="$left $f"; done
	check_eq "dpkg -r leaves none of its files" "" "$left"
	T_EXTRA_CLEANUP=
fi
