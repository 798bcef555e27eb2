#!/usr/bin/env bash
# Debian packages the queue-mode cluster suite (test/cluster) runs: PostgreSQL 15, Redis, nginx.
# Idempotent: installs only what is missing; the suite starts them itself in temp folders (none of
# the packages' own services is needed, so they are stopped and disabled if the install started them).
set -euo pipefail
need=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v nginx >/dev/null 2>&1 || need+=(nginx)
if [ ${#need[@]} -eq 0 ]; then
	echo "cluster deps: postgresql, redis-server, nginx already installed"
	exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "cluster deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# The packages' own daemons (if the install started them) are not used by the tests.
for svc in postgresql redis-server nginx; do
	if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
		$SUDO systemctl stop "$svc" || true
		$SUDO systemctl disable "$svc" >/dev/null 2>&1 || true
	fi
done
echo "cluster deps: done"
