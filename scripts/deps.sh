#!/bin/sh
# Install what conmux needs from Debian's packages, if anything is missing.
# Idempotent; needs root (or sudo) only when something must be installed.
set -eu
PKGS="build-essential pkg-config libuv1-dev libncurses-dev libcjson-dev
libselinux1-dev libcap-dev libcmocka-dev libvterm-dev runc crun conmon criu
busybox-static tmux file util-linux procps asciinema scdoc bash-completion zsh
fish podman"
# podman: the tests of other engines' containers and the benchmark use it.
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
# clang (libFuzzer) only for the fuzz targets: tried, never required;
# tests/fuzz/check.sh says why it skips when it is missing.
optional() {
	command -v clang >/dev/null && return 0
	[ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null || return 0
	echo "deps: installing clang (for the fuzz targets)" >&2
	${SUDO:-} apt-get install -y --no-install-recommends clang </dev/null \
		>>/tmp/conmux-apt.log 2>&1 ||
		echo "deps: clang could not be installed: the fuzz targets will be skipped" >&2
}
[ -z "$missing" ] && { SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo; optional; exit 0; }
echo "deps: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
if ! $SUDO apt-get install -y --no-install-recommends $missing </dev/null >/tmp/conmux-apt.log 2>&1; then
	$SUDO apt-get update </dev/null >>/tmp/conmux-apt.log 2>&1 || true
	# shellcheck disable=SC2086
	$SUDO apt-get install -y --no-install-recommends $missing </dev/null >>/tmp/conmux-apt.log 2>&1 || {
		tail -20 /tmp/conmux-apt.log >&2
		echo "deps: apt-get install failed (log: /tmp/conmux-apt.log)" >&2
		exit 1
	}
fi
optional
