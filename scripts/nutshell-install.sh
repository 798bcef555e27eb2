#!/usr/bin/env bash
# Installs a pinned Nutshell (the reference Cashu mint, PyPI `cashu`) into .cache/nutshell-venv for
# the real-mint jest tests. Idempotent: when the venv already holds this exact install, it returns at once.
# cashu 0.21.0 does not install (its dependency breez-sdk-spark<0.18 is not served); 0.20.0 does and
# starts only with marshmallow<4 and limits<4 beside it (test/cashu-mint/constraints.txt).
# Needs Python 3.10-3.12 and access to PyPI; nothing else is downloaded.
set -euo pipefail

NUTSHELL_VERSION="0.20.0"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$ROOT/.cache"
# The physical path: .cache may be a symlink, and the venv's scripts record where it was made.
VENV="$(cd "$ROOT/.cache" && pwd -P)/nutshell-venv"
CONSTRAINTS="$ROOT/test/cashu-mint/constraints.txt"
STAMP="$VENV/.nutshell-install-stamp"

want_stamp() {
	printf 'cashu==%s\n' "$NUTSHELL_VERSION"
	sha256sum "$CONSTRAINTS" | cut -d' ' -f1
}

is_installed() {
	[[ -x "$VENV/bin/mint" && -x "$VENV/bin/python" && -f "$STAMP" ]] &&
		[[ "$(cat "$STAMP")" == "$(want_stamp)" ]]
}

if is_installed; then
	exit 0
fi

# Several jest workers may call this at the same time: serialize them.
exec 9>"$ROOT/.cache/nutshell-install.lock"
if command -v flock >/dev/null 2>&1; then
	flock 9
fi
if is_installed; then
	exit 0
fi

python_ok() {
	"$1" -c 'import sys; sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 12) else 1)' >/dev/null 2>&1
}

PYTHON=""
for candidate in "${NUTSHELL_PYTHON:-}" python3 python3.12 python3.11 python3.10; do
	[[ -n "$candidate" ]] || continue
	if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
		PYTHON="$(command -v "$candidate")"
		break
	fi
done
if [[ -z "$PYTHON" ]]; then
	echo "nutshell-install: no Python 3.10-3.12 found (tried \$NUTSHELL_PYTHON, python3, python3.12, python3.11, python3.10)." >&2
	exit 1
fi

if [[ -d "$VENV" ]] && ! { [[ -x "$VENV/bin/python" ]] && python_ok "$VENV/bin/python"; }; then
	rm -rf "$VENV"
fi
if [[ ! -d "$VENV" ]]; then
	echo "nutshell-install: creating venv with $("$PYTHON" --version 2>&1) at $VENV" >&2
	"$PYTHON" -m venv "$VENV"
fi

rm -f "$STAMP"
LOG="$ROOT/.cache/nutshell-pip.log"
echo "nutshell-install: pip install cashu==$NUTSHELL_VERSION (log: $LOG)" >&2
start=$(date +%s)
if ! PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install \
	"cashu==$NUTSHELL_VERSION" -c "$CONSTRAINTS" >"$LOG" 2>&1; then
	cat "$LOG" >&2
	echo "nutshell-install: pip install cashu==$NUTSHELL_VERSION FAILED (output above)" >&2
	exit 1
fi

# Prove the install can import the mint app before stamping it.
# (cashu.mint.app itself needs a configured backend to import, so the ledger and both backends used.)
if ! (cd "$VENV" && "$VENV/bin/python" -c 'import cashu.mint.ledger, cashu.lightning.fake, cashu.lightning.lnbits') >>"$LOG" 2>&1; then
	tail -n 40 "$LOG" >&2
	echo "nutshell-install: cashu installed but the mint does not import (output above)" >&2
	exit 1
fi

want_stamp >"$STAMP"
echo "nutshell-install: nutshell $NUTSHELL_VERSION ready in $(($(date +%s) - start))s" >&2
