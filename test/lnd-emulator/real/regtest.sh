#!/usr/bin/env bash
# A real Lightning regtest on loopback: btcd and two lnd nodes (built from their Go modules by
# scripts/lnd-install.sh into ~/.cache, once), A funded by mining and one 2M sat channel A→B
# (100k pushed to B). The jest project `lnd` starts it (test/lnd/global-setup.js); by hand:
#   test/lnd-emulator/real/regtest.sh up      # then: npx jest --selectProjects lnd
#   test/lnd-emulator/real/regtest.sh down
# Data in $LND_REGTEST_DIR (default .cache/lnd-regtest/run).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
RUN=${LND_REGTEST_DIR:-$ROOT/.cache/lnd-regtest/run}
BIN=""

build() {
	bash "$ROOT/scripts/lnd-install.sh"
	BIN=$(bash "$ROOT/scripts/lnd-install.sh" --print-bin)
}

btcd() {
	local extra=()
	[ -n "${1:-}" ] && extra=(--miningaddr="$1")
	mkdir -p "$RUN/btcd"
	"$BIN/btcd" --regtest --datadir="$RUN/btcd/data" --logdir="$RUN/btcd/logs" --rpcuser=u --rpcpass=p \
		--rpclisten=127.0.0.1:18334 --listen=127.0.0.1:18444 --rpccert="$RUN/btcd/rpc.cert" --rpckey="$RUN/btcd/rpc.key" \
		--txindex "${extra[@]}" >"$RUN/btcd/out.log" 2>&1 &
	echo $! >"$RUN/btcd/pid"
	sleep 3
}

btcctl() { "$BIN/btcctl" --regtest --rpcuser=u --rpcpass=p --rpcserver=127.0.0.1:18334 --rpccert="$RUN/btcd/rpc.cert" "$@" 2>/dev/null; }

lnd() { # name rest rpc p2p
	mkdir -p "$RUN/$1"
	"$BIN/lnd" --lnddir="$RUN/$1" --bitcoin.active --bitcoin.regtest --bitcoin.node=btcd \
		--btcd.rpchost=127.0.0.1:18334 --btcd.rpcuser=u --btcd.rpcpass=p --btcd.rpccert="$RUN/btcd/rpc.cert" \
		--restlisten=127.0.0.1:"$2" --rpclisten=127.0.0.1:"$3" --listen=127.0.0.1:"$4" --noseedbackup \
		--tlsextraip=127.0.0.1 --trickledelay=50 >"$RUN/$1/out.log" 2>&1 &
	echo $! >"$RUN/$1/pid"
}

rest() { # name port method path [json]
	local dir=$RUN/$1 mac
	mac=$(xxd -ps -u -c 1000 "$dir/data/chain/bitcoin/regtest/admin.macaroon")
	curl -sf --cacert "$dir/tls.cert" -H "Grpc-Metadata-macaroon: $mac" -X "$3" "https://127.0.0.1:$2$4" ${5:+-d "$5"}
}

wait_for() { # command...
	for _ in $(seq 1 120); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
	echo "timed out: $*" >&2
	return 1
}

json() { python3 -c "import json,sys;d=json.load(sys.stdin);print($1)"; }

# Like wait_for, but mines a block before each try: lnd 0.19 reports synced_to_chain only once it
# has seen a block after it finished starting (under load it may start after the 500 blocks).
mine_until() { # command...
	for _ in $(seq 1 120); do "$@" >/dev/null 2>&1 && return 0; btcctl generate 1 >/dev/null || true; sleep 1; done
	echo "timed out: $*" >&2
	return 1
}

up() {
	build
	down >/dev/null 2>&1 || true
	mkdir -p "$(dirname "$RUN")"
	rm -rf "$RUN" && mkdir -p "$RUN"
	btcd
	lnd a 18080 10019 19735
	lnd b 18081 10020 19736
	wait_for test -f "$RUN/a/data/chain/bitcoin/regtest/admin.macaroon"
	wait_for test -f "$RUN/b/data/chain/bitcoin/regtest/admin.macaroon"
	wait_for rest a 18080 GET /v1/getinfo
	local addr
	addr=$(rest a 18080 GET '/v1/newaddress?type=0' | json 'd["address"]')
	kill "$(cat "$RUN/btcd/pid")" && sleep 3
	btcd "$addr"
	btcctl generate 500 >/dev/null # segwit activates on btcd regtest after 432 blocks
	mine_until sh -c "$(declare -f rest json); RUN=$RUN; rest a 18080 GET /v1/getinfo | json 'd[\"synced_to_chain\"] and d[\"block_height\"]>=500' | grep -q True"
	mine_until sh -c "$(declare -f rest json); RUN=$RUN; rest b 18081 GET /v1/getinfo | json 'd[\"synced_to_chain\"]' | grep -q True"
	local bpub
	bpub=$(rest b 18081 GET /v1/getinfo | json 'd["identity_pubkey"]')
	rest a 18080 POST /v1/peers "{\"addr\":{\"pubkey\":\"$bpub\",\"host\":\"127.0.0.1:19736\"}}" >/dev/null
	sleep 2
	rest a 18080 POST /v1/channels "{\"node_pubkey_string\":\"$bpub\",\"local_funding_amount\":\"2000000\",\"push_sat\":\"100000\"}" >/dev/null
	sleep 2
	btcctl generate 6 >/dev/null
	mine_until sh -c "$(declare -f rest json); RUN=$RUN; rest a 18080 GET /v1/channels | json 'any(c[\"active\"] for c in d[\"channels\"])' | grep -q True"
	echo "regtest up: A https://127.0.0.1:18080, B https://127.0.0.1:18081, data in $RUN"
}

down() {
	for n in a b btcd; do
		[ -f "$RUN/$n/pid" ] || continue
		pid=$(cat "$RUN/$n/pid")
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
		kill -9 "$pid" 2>/dev/null || true
		rm -f "$RUN/$n/pid"
	done
}

case "${1:-}" in
up) up ;;
down) down ;;
*) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
