#!/bin/sh
# Build a busybox-static rootfs at $1 (default build/rootfs), idempotently.
set -eu
dest=${1:-build/rootfs}
bb=/bin/busybox
[ -x "$bb" ] || bb=/usr/bin/busybox
if [ -x "$dest/bin/busybox" ] && [ "$dest/bin/busybox" -nt "$bb" ]; then
	exit 0
fi
file -L "$bb" 2>/dev/null | grep -q 'statically linked' ||
	{ echo "mkrootfs: $bb is not static (install busybox-static)" >&2; exit 1; }
tmp="$dest.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp/bin" "$tmp/proc" "$tmp/sys" "$tmp/dev" "$tmp/tmp" "$tmp/etc" \
	"$tmp/root" "$tmp/run" "$tmp/var"
chmod 1777 "$tmp/tmp"
cp "$bb" "$tmp/bin/busybox"
for app in $("$bb" --list); do
	[ -e "$tmp/bin/$app" ] || ln -s busybox "$tmp/bin/$app"
done
mkdir -p "$tmp/usr"
ln -s ../bin "$tmp/usr/bin"
ln -s bin "$tmp/sbin"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$tmp/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$tmp/etc/group"
rm -rf "$dest"
mv "$tmp" "$dest"
