#!/usr/bin/env bash
# `npm run demo`: a local n8n 2.40.7 on http://127.0.0.1:5678 with this package (built from
# the working tree, packed and installed like a user's manual install) and the example
# workflows from workflows/ imported. Open the URL, create the owner account, add your
# BTCPay / LNbits credentials and try the workflows.
#
# Data is kept in .cache/demo (delete it to start over). Only 127.0.0.1 is listened on;
# telemetry, version checks and templates are off. Ctrl+C stops n8n.
#   N8N_PORT=5679 npm run demo     another port
#   DEMO_SMOKE=1 npm run demo      start, check the package's nodes are loaded, stop (exit code)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N8N_VERSION="${N8N_VERSION:-2.40.7}"
PACKAGE="n8n-nodes-btcpay-lnbits"
PORT="${N8N_PORT:-5678}"
DEMO="${DEMO_DIR:-$ROOT/.cache/demo}"
N8N_DIR="${N8N_INSTALL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-btcpay-lnbits/n8n-$N8N_VERSION}"

bash "$ROOT/scripts/n8n-install.sh"

export PATH="$ROOT/node_modules/node/bin:$ROOT/node_modules/.bin:$PATH"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

echo "demo: building and packing $PACKAGE" >&2
(cd "$ROOT" && npm run --silent build >/dev/null)
mkdir -p "$DEMO/pack" "$DEMO/.n8n/nodes"
rm -f "$DEMO/pack"/*.tgz
(cd "$ROOT" && npm pack --silent --ignore-scripts --pack-destination "$DEMO/pack" >/dev/null)
TARBALL="$(ls "$DEMO"/pack/*.tgz)"

NODES="$DEMO/.n8n/nodes"
[[ -f "$NODES/package.json" ]] || printf '{\n  "name": "installed-nodes",\n  "private": true\n}\n' >"$NODES/package.json"
# n8n-workflow is a peer dependency: n8n's own copy is used (as n8n's installer does).
(cd "$NODES" && npm install --silent "$TARBALL" --legacy-peer-deps --prefer-offline --ignore-scripts \
	--no-audit --no-fund --bin-links=false --package-lock=false >/dev/null)

export N8N_USER_FOLDER="$DEMO"
export N8N_LISTEN_ADDRESS=127.0.0.1 N8N_HOST=127.0.0.1 N8N_PORT="$PORT" N8N_PROTOCOL=http
export WEBHOOK_URL="http://127.0.0.1:$PORT/" N8N_SECURE_COOKIE=false
export N8N_RUNNERS_BROKER_LISTEN_ADDRESS=127.0.0.1 N8N_PYTHON_ENABLED=false
export N8N_DIAGNOSTICS_ENABLED=false N8N_DIAGNOSTICS_CONFIG_FRONTEND= N8N_DIAGNOSTICS_CONFIG_BACKEND=
export N8N_VERSION_NOTIFICATIONS_ENABLED=false N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED=false
export N8N_PERSONALIZATION_ENABLED=false N8N_TEMPLATES_ENABLED=false N8N_HIRING_BANNER_ENABLED=false
export N8N_DYNAMIC_BANNERS_ENABLED=false N8N_LICENSE_AUTO_RENEW_ENABLED=false N8N_AI_ENABLED=false
export N8N_REINSTALL_MISSING_PACKAGES=false EXTERNAL_FRONTEND_HOOKS_URLS=
export N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=true GENERIC_TIMEZONE="${GENERIC_TIMEZONE:-UTC}"
N8N=(node "$N8N_DIR/node_modules/n8n/bin/n8n")

if [[ ! -f "$DEMO/.workflows-imported" ]]; then
	echo "demo: importing the example workflows from workflows/" >&2
	"${N8N[@]}" import:workflow --separate --input="$ROOT/workflows" >"$DEMO/import.log" 2>&1 || {
		cat "$DEMO/import.log" >&2
		exit 1
	}
	touch "$DEMO/.workflows-imported"
fi

if [[ "${DEMO_SMOKE:-}" == "1" ]]; then
	"${N8N[@]}" export:nodes --output="$DEMO/node-types.json" >"$DEMO/export.log" 2>&1
	missing=0
	for type in btcPay btcPayTrigger lnbits lnbitsTrigger lnd; do
		if ! grep -q "\"name\":\"$PACKAGE.$type\"" "$DEMO/node-types.json"; then
			echo "demo: node type $PACKAGE.$type is not loaded" >&2
			missing=1
		fi
	done
	"${N8N[@]}" start >"$DEMO/n8n.log" 2>&1 &
	pid=$!
	ready=0
	for _ in $(seq 1 240); do
		if curl -fsS "http://127.0.0.1:$PORT/healthz/readiness" >/dev/null 2>&1; then
			ready=1
			break
		fi
		sleep 0.5
	done
	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	if [[ $ready != 1 ]]; then
		tail -n 40 "$DEMO/n8n.log" >&2
		echo "demo: n8n did not become ready on port $PORT" >&2
		exit 1
	fi
	[[ $missing == 0 ]] || exit 1
	echo "demo: ok (n8n $N8N_VERSION answered on http://127.0.0.1:$PORT with the package loaded)"
	exit 0
fi

echo "demo: n8n $N8N_VERSION with $PACKAGE on http://127.0.0.1:$PORT (Ctrl+C stops it)" >&2
exec "${N8N[@]}" start
