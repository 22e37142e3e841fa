# tests/lib/podman.sh: Debian's Podman, offline, with a private store under
# $ROOT/podman (../shared/docs/bench-notes.md), for the tests of other
# engines' containers (issue 10). Source after common.sh or tui.sh. Gives:
# pm (podman on the private store), pm_ready (0 when podman works here;
# else PM_WHY says why), and a cleanup that removes every Podman container
# and unmounts the store before $ROOT goes.
P=$ROOT/podman
PM_WHY=""
pm() { podman "$@"; }

pm_cleanup() {
	[ -d "$P" ] || return 0
	podman rm -af -t 0 >/dev/null 2>&1
	# conmon runs `podman container cleanup` as a container dies, and
	# that mounts the store's overlay home again: let those end first
	i=0
	while pgrep -f -- "$P/" >/dev/null 2>&1 && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	# what podman left mounted (its overlay home, shm) goes before rm -rf
	# (mounts can be stacked: a few passes, until none is left)
	for pass in 1 2 3 4 5; do
		grep -q " $P/" /proc/mounts || break
		grep " $P/" /proc/mounts | awk '{print $2}' | sort -r |
			while read -r m; do umount -l "$m" 2>/dev/null; done
	done
}
T_EXTRA_CLEANUP="${T_EXTRA_CLEANUP:+$T_EXTRA_CLEANUP; }pm_cleanup"

pm_ready() {
	if ! command -v podman >/dev/null 2>&1; then
		PM_WHY="podman is not installed (scripts/deps.sh installs it)"
		return 1
	fi
	mkdir -p "$P/storage" "$P/run" "$P/tmp"
	cat >"$P/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=20000:20000"]
netns = "none"
log_driver = "k8s-file"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
tmp_dir = "$P/tmp"
conmon_env_vars = ["PATH=$PATH", "CONTAINERS_CONF=$P/containers.conf", "CONTAINERS_STORAGE_CONF=$P/storage.conf"]
CONF
	cat >"$P/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$P/storage"
runroot = "$P/run"
CONF
	export CONTAINERS_CONF="$P/containers.conf"
	export CONTAINERS_STORAGE_CONF="$P/storage.conf"
	if ! tar -C "$ROOTFS" -c . | podman import - localhost/busybox >"$P/import.log" 2>&1; then
		PM_WHY="podman import failed: $(tail -1 "$P/import.log")"
		return 1
	fi
	return 0
}

# pm_conmon NAME: the PID of the conmon of Podman's container NAME
pm_conmon() {
	for p in $(pgrep -x conmon); do
		tr '\0' '\n' <"/proc/$p/cmdline" 2>/dev/null | grep -qx "$1" &&
			tr '\0' ' ' <"/proc/$p/cmdline" | grep -q -- "-n $1 " &&
			{ echo "$p"; return 0; }
	done
	return 1
}
