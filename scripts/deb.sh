#!/bin/sh
# Build $B/deb/conmux_VERSION_ARCH.deb with dpkg-deb from a staged
# `make install` (PREFIX=/usr), as `make deb` does (B=build/dyn there). No
# debian/ tree and no fakeroot: --root-owner-group makes every file root's
# in the archive.
set -eu
cd "$(dirname "$0")/.."
VERSION=${1:?usage: deb.sh VERSION}
B=${B:-build}
ARCH=$(dpkg --print-architecture)
OUT=$B/deb
STAGE=$OUT/conmux_${VERSION}_$ARCH
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN"
# Debian's zsh reads packages' completions from vendor-completions.
make --no-print-directory B="$B" install PREFIX=/usr DESTDIR="$STAGE" \
    ZSHDIR=/usr/share/zsh/vendor-completions >"$OUT.log" 2>&1 ||
	{ cat "$OUT.log"; echo "deb: staged install failed" >&2; exit 1; }

# Debian policy: man pages compressed, a copyright file in the doc dir.
gzip -9n "$STAGE"/usr/share/man/man*/*
cat >"$STAGE/usr/share/doc/conmux/copyright" <<EOC
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: conmux
Comment: built from git revision $(./"$B"/conmux --version | sed -n 's/.*(git \(.*\))$/\1/p;q')
EOC

size=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
# The libraries are the ones we link (pkg-config's libuv, ncursesw and
# tinfo, cJSON, libselinux, libcap); conmon and a runtime are run.
cat >"$STAGE/DEBIAN/control" <<EOC
Package: conmux
Version: $VERSION
Architecture: $ARCH
Maintainer: conmux developers <conmux@localhost>
Installed-Size: $size
Section: admin
Priority: optional
Depends: libc6, conmon, runc | crun, libuv1, libncursesw6, libtinfo6, libcjson1, libselinux1, libcap2, libvterm0
Recommends: criu, podman
Homepage: https://localhost/conmux
Description: terminal console and CLI for OCI containers under conmon
 conmux supervises OCI containers on one host: each runs under conmon with
 runc or crun, as Podman's libpod runs them. A live curses console shows
 every container and acts on it; a Podman-like command line (run, ps,
 stop, attach, exec, checkpoint, ...) shares the same core. Daemonless:
 all state is on disk and several conmux processes see each other live.
EOC
(cd "$STAGE" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' |
	xargs -0 md5sum) >"$STAGE/DEBIAN/md5sums"
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$OUT/" >/dev/null
echo "$OUT/conmux_${VERSION}_$ARCH.deb"
