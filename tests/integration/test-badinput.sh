#!/bin/sh
# Bad input gets a clear error and loses nothing: names, IDs, prefixes,
# bundles, config.json, signals, missing tools, garbage exit files, a
# corrupt container.json, runtime failures in the runtime's own words.
. "$(dirname "$0")/../lib/common.sh"

# expect_err DESC REGEX CMD...: CMD fails with exit 125 and stderr matching.
expect_err() {
	desc=$1 re=$2; shift 2
	out=$("$@" 2>&1); rc=$?
	if [ $rc -eq 125 ] && printf '%s\n' "$out" | grep -Eq -- "$re"; then
		ok "$desc"
	else
		not_ok "$desc" "rc=$rc (want 125), output:" "$out"
	fi
}

cx run -d --name good --rootfs "$ROOTFS" -- sleep 1000 >/dev/null
expect_err "name with a slash" "invalid name 'a/b'" cx run -d --name a/b --rootfs "$ROOTFS" -- true
expect_err "path-like name" "invalid name '../x'" cx run -d --name ../x --rootfs "$ROOTFS" -- true
expect_err "empty name" "invalid name" cx run -d --name "" --rootfs "$ROOTFS" -- true
expect_err "65-character name" "at most 64" cx run -d --name "$(printf 'a%.0s' $(seq 65))" --rootfs "$ROOTFS" -- true
expect_err "duplicate name" 'name "good" is already in use' cx run -d --name good --rootfs "$ROOTFS" -- true
expect_err "control characters in a name are escaped" 'invalid name .a\\x1b' cx run -d --name "$(printf 'a\033[2J')" --rootfs "$ROOTFS" -- true
[ "$(ls "$ROOT/containers" | grep -c '^[0-9a-f]\{64\}$')" -eq 1 ] && ok "no container left behind by the refusals" || not_ok "no container left behind" "$(ls "$ROOT/containers")"

expect_err "no such container" '^Error: no container with name or ID "nosuch" found: no such container$' cx stop nosuch
expect_err "a path is not a name or ID" "not a valid container name or ID" cx stop ../../etc
expect_err "cleanup wants a 64-hex ID" "one container ID is required" cx cleanup ABC
expect_err "missing rootfs" "rootfs /nonexistent: not a directory" cx run -d --rootfs /nonexistent -- true
expect_err "missing bundle" "config.json" cx run -d --bundle /nonexistent
B=$ROOT/bundle
mkdir -p "$B"
ln -s "$ROOTFS" "$B/rootfs"
printf '{"ociVersion": "1.0.2", "process": {' >"$B/config.json"
expect_err "malformed config.json" "config.json: not valid JSON" cx run -d --bundle "$B"
printf '[1, 2]' >"$B/config.json"
expect_err "config.json not an object" "not a JSON object" cx run -d --bundle "$B"
expect_err "unknown signal" '^Error: invalid signal: BOGUS$' cx kill -s BOGUS good
expect_err "unknown stop signal" "invalid signal: NOPE" cx run -d --stop-signal NOPE --rootfs "$ROOTFS" -- true
expect_err "missing runtime" "runtime /nonexistent/runc: not found" cx --runtime /nonexistent/runc run -d --rootfs "$ROOTFS" -- true
expect_err "missing conmon" "conmon /nonexistent/conmon: not found" cx --conmon /nonexistent/conmon run -d --rootfs "$ROOTFS" -- true
expect_err "bad memory size" "memory|size" cx run -d --memory 12q --rootfs "$ROOTFS" -- true
expect_err "bad env" "env|=" cx run -d -e =x --rootfs "$ROOTFS" -- true

# A runtime failure comes back in the runtime's own words.
expect_err "a missing executable: the runtime's words" "no such file|not found" cx run -d --name nocmd --rootfs "$ROOTFS" -- /nonexistent-binary
check_match "a failed run leaves no container" '^$' "$(cx ps -a | grep nocmd)"

# -t agreeing with process.terminal: a bundle says terminal false, -t wins.
"$RUNTIME" spec --rootless >/dev/null 2>&1; rm -f config.json
cat >"$B/config.json" <<JSON
{"ociVersion": "1.0.2", "process": {"terminal": false, "user": {"uid": 0, "gid": 0},
 "args": ["sh", "-c", "[ -t 0 ] && echo tty-yes || echo tty-no; sleep 100"], "cwd": "/",
 "env": ["PATH=/bin"]}, "root": {"path": "rootfs"},
 "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "ipc"}, {"type": "uts"}]},
 "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
  {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "mode=755"]},
  {"destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]}]}
JSON
cx run -d -t --name tb --bundle "$B" >/dev/null
check_eq "-t overrides terminal false in a bundle" true "$(field tb tty)"
wait_until 5 sh -c "cx logs tb | grep -q tty-"
check_match "the container really has a terminal" 'tty-yes' "$(cx logs tb)"
cx run -d --name nb --bundle "$B" >/dev/null
check_eq "without -t the bundle's terminal is kept" false "$(field nb tty)"
check_match "rootfs made absolute in the container's own config.json" "\"path\":[[:space:]]*\"/" "$(cat "$ROOT/containers/$(field nb id)/userdata/config.json")"

# Garbage in an exit file: listed as exited with the reason; removable.
cx run -d --name gx --rootfs "$ROOTFS" -- sleep 1000 >/dev/null
gid=$(field gx id)
kill -9 "$(cat "$ROOT/containers/$gid/userdata/conmon.pid")"
kill -9 "$(field gx pid)"
printf 'garbage\033[2J' >"$ROOT/run/exits/$gid"
out=$(cx ps -a 2>&1)
check_eq "garbage exit file: state exited" exited "$(field gx state)"
check_match "garbage exit file: the error says so" 'exit file: not a number' "$(cx inspect gx)"
check "and the container can be removed" cx rm -f gx

# A truncated container.json: listed as broken, the others unaffected.
cx run -d --name victim --rootfs "$ROOTFS" -- sleep 1000 >/dev/null
vid=$(field victim id)
head -c 40 "$ROOT/containers/$vid/container.json" >"$ROOT/x" && mv "$ROOT/x" "$ROOT/containers/$vid/container.json"
out=$(cx ps -a 2>&1)
check_match "corrupt container.json: listed as broken" "$(echo "$vid" | cut -c1-12) +\(broken\)" "$out"
check_match "the others unaffected" 'good +running' "$out"
check_match "inspect by ID explains" 'not valid JSON' "$(cx inspect "$vid")"
check "a broken container is removable" cx rm -f "$vid"
check "its directory is gone" sh -c "[ ! -d $ROOT/containers/$vid ]"
check_eq "the good one still runs" running "$(field good state)"

# Ambiguous ID prefix: a second container whose ID shares 10 characters.
gd=$(field good id)
fake=$(echo "$gd" | cut -c1-10)$(echo "$gd" | cut -c11-64 | tr '0-9a-f' 'f0-9a-e')
mkdir -p "$ROOT/containers/$fake/userdata"
sed -e "s/$gd/$fake/" -e 's/"name":[[:space:]]*"good"/"name": "twin"/' -e 's/"state":[[:space:]]*"running"/"state": "configured"/' \
	"$ROOT/containers/$gd/container.json" >"$ROOT/containers/$fake/container.json"
expect_err "ambiguous ID prefix" "ambiguous ID prefix" cx inspect "$(echo "$gd" | cut -c1-10)"
check_eq "a longer prefix is unique" good "$(cx inspect "$(echo "$gd" | cut -c1-12)" | sed -n 's/.*"name":[[:space:]]*"\(.*\)".*/\1/p' | head -1)"

# Closed standard descriptors (a cron line, a CI job with <&-): the next
# descriptor opened must not pass for stdin (libuv aborts closing it).
check "ps with stdin closed" sh -c "$CONMUX --root $ROOT ps -a <&- >/dev/null"
check "run -d with stdin, stdout and stderr closed" sh -c \
	"$CONMUX --root $ROOT run -d --name nofds --rootfs $ROOTFS -- sleep 1000 <&- >&- 2>&-"
check_eq "and it runs" running "$(field nofds state)"
check "stop and rm with stdin closed" sh -c "$CONMUX --root $ROOT rm -f nofds <&- >/dev/null"
check "the console's one-shot info with stdin closed" sh -c "$CONMUX --root $ROOT info <&- >/dev/null"
