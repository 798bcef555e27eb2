#!/usr/bin/env bash
# Installs a pinned LNbits into .cache/lnbits-venv for the real-LNbits jest tests.
# Idempotent: when the venv already holds this exact install, it returns at once.
# Needs Python 3.10-3.12 and access to PyPI; nothing else is downloaded.
set -euo pipefail

LNBITS_VERSION="1.6.2"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.cache/lnbits-venv"
CONSTRAINTS="$ROOT/test/lnbits-server/constraints.txt"
STAMP="$VENV/.lnbits-install-stamp"

want_stamp() {
	printf 'lnbits==%s\n' "$LNBITS_VERSION"
	sha256sum "$CONSTRAINTS" | cut -d' ' -f1
}

is_installed() {
	[[ -x "$VENV/bin/lnbits" && -x "$VENV/bin/python" && -f "$STAMP" ]] &&
		[[ "$(cat "$STAMP")" == "$(want_stamp)" ]]
}

# Fast path without taking the lock.
if is_installed; then
	exit 0
fi

mkdir -p "$ROOT/.cache"
# Several jest workers may call this at the same time: serialize them.
exec 9>"$ROOT/.cache/lnbits-install.lock"
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
for candidate in "${LNBITS_PYTHON:-}" python3 python3.12 python3.11 python3.10; do
	[[ -n "$candidate" ]] || continue
	if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
		PYTHON="$(command -v "$candidate")"
		break
	fi
done
if [[ -z "$PYTHON" ]]; then
	echo "lnbits-install: no Python 3.10-3.12 found (tried \$LNBITS_PYTHON, python3, python3.12, python3.11, python3.10)." >&2
	echo "lnbits-install: python3 is: $(python3 --version 2>&1 || echo missing)" >&2
	exit 1
fi

# A venv made by another Python (or half made) is rebuilt from scratch.
if [[ -d "$VENV" ]] && ! { [[ -x "$VENV/bin/python" ]] && python_ok "$VENV/bin/python"; }; then
	rm -rf "$VENV"
fi
if [[ ! -d "$VENV" ]]; then
	echo "lnbits-install: creating venv with $("$PYTHON" --version 2>&1) at $VENV" >&2
	"$PYTHON" -m venv "$VENV"
fi

rm -f "$STAMP"
LOG="$ROOT/.cache/lnbits-pip.log"
echo "lnbits-install: pip install lnbits==$LNBITS_VERSION (log: $LOG)" >&2
start=$(date +%s)
if ! PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install \
	"lnbits==$LNBITS_VERSION" -c "$CONSTRAINTS" >"$LOG" 2>&1; then
	cat "$LOG" >&2
	echo "lnbits-install: pip install lnbits==$LNBITS_VERSION FAILED (output above)" >&2
	exit 1
fi

# Prove the install can at least import the app before stamping it.
if ! (cd "$VENV" && "$VENV/bin/python" -c 'import lnbits.server') >>"$LOG" 2>&1; then
	tail -n 40 "$LOG" >&2
	echo "lnbits-install: lnbits installed but does not import (output above)" >&2
	exit 1
fi

want_stamp >"$STAMP"
echo "lnbits-install: lnbits $LNBITS_VERSION ready in $(($(date +%s) - start))s" >&2
