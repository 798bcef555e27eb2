#!/usr/bin/env bash
# Builds a pinned lnd (with lncli) and btcd (with btcctl) from their Go modules for the real-lnd
# regtest tests (test/lnd-emulator/real/). They go to a per-machine cache outside the repository,
# shared by every clone on the machine (so CI's fresh clones reuse it): $LND_INSTALL_DIR, by default
# ${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-btcpay-lnbits/lnd-<lnd>-btcd-<btcd>/bin.
# Idempotent: when the stamp beside the binaries names these exact versions, it returns at once.
# Needs Go (1.23+) and the Go module proxy; nothing else is downloaded.
set -euo pipefail

LND_VERSION="v0.19.3-beta"
BTCD_VERSION="v0.24.2"
LND_TAGS="routerrpc invoicesrpc signrpc walletrpc"

CACHE_BASE="${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-btcpay-lnbits"
DIR="${LND_INSTALL_DIR:-$CACHE_BASE/lnd-$LND_VERSION-btcd-$BTCD_VERSION}"
BIN="$DIR/bin"
STAMP="$DIR/.lnd-install-stamp"

# `--print-bin`: where the binaries are (for scripts and tests), nothing else.
if [[ "${1:-}" == "--print-bin" ]]; then
	echo "$BIN"
	exit 0
fi

if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
	export PATH="/usr/local/go/bin:$PATH"
fi
if ! command -v go >/dev/null 2>&1; then
	echo "lnd-install: go not found on PATH (needs Go 1.23+ to build lnd $LND_VERSION)." >&2
	exit 1
fi

want_stamp() {
	printf 'lnd@%s tags=%s\nbtcd@%s\n%s\n' "$LND_VERSION" "$LND_TAGS" "$BTCD_VERSION" "$(go env GOVERSION)"
}

is_installed() {
	[[ -f "$STAMP" && -x "$BIN/lnd" && -x "$BIN/lncli" && -x "$BIN/btcd" && -x "$BIN/btcctl" ]] &&
		[[ "$(cat "$STAMP")" == "$(want_stamp)" ]]
}

if is_installed; then
	exit 0
fi

mkdir -p "$DIR"
# Several jest workers (or a hand run and CI) may call this at once: serialize them.
exec 9>"$DIR.lock"
if command -v flock >/dev/null 2>&1; then
	flock 9
fi
if is_installed; then
	exit 0
fi

rm -f "$STAMP"
mkdir -p "$BIN" "$DIR/src"
LOG="$DIR/build.log"
: >"$LOG"
GOFLAGS="$(go env GOFLAGS)"
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod -buildvcs=false"
start=$(date +%s)

# Copies one module's source out of the module cache (read-only there) and builds it in place,
# with the versions its own go.mod/go.sum pin.
build_module() { # module version dir-name then: output package pairs
	local module=$1 version=$2 name=$3 dir
	shift 3
	echo "lnd-install: downloading $module@$version" >&2
	if ! dir=$(go mod download -json "$module@$version" 2>>"$LOG" |
		python3 -c 'import json,sys;print(json.load(sys.stdin)["Dir"])' 2>>"$LOG"); then
		tail -n 40 "$LOG" >&2
		echo "lnd-install: go mod download $module@$version FAILED (output above)" >&2
		exit 1
	fi
	rm -rf "${DIR:?}/src/$name" && cp -r "$dir" "$DIR/src/$name" && chmod -R u+w "$DIR/src/$name"
	while [[ $# -gt 0 ]]; do
		local out=$1 pkg=$2
		shift 2
		echo "lnd-install: go build $name $pkg -> $out" >&2
		if ! (cd "$DIR/src/$name" && go build -trimpath ${BUILD_TAGS:+-tags="$BUILD_TAGS"} -o "$BIN/$out" "$pkg") >>"$LOG" 2>&1; then
			tail -n 40 "$LOG" >&2
			echo "lnd-install: building $out from $module@$version FAILED (output above, log: $LOG)" >&2
			exit 1
		fi
	done
}

BUILD_TAGS="$LND_TAGS" build_module github.com/lightningnetwork/lnd "$LND_VERSION" lnd lnd ./cmd/lnd lncli ./cmd/lncli
BUILD_TAGS="" build_module github.com/btcsuite/btcd "$BTCD_VERSION" btcd btcd . btcctl ./cmd/btcctl
# The copied sources are only needed for the build.
rm -rf "${DIR:?}/src"

"$BIN/lnd" --version >>"$LOG" 2>&1
"$BIN/btcd" --version >>"$LOG" 2>&1
want_stamp >"$STAMP"
echo "lnd-install: lnd $LND_VERSION and btcd $BTCD_VERSION built in $(($(date +%s) - start))s ($BIN)" >&2
