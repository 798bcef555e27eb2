#!/usr/bin/env bash
# Installs a pinned LNbits into .cache/lnbits-venv for the real-LNbits jest tests.
# Idempotent: when the venv already holds this exact install, it returns at once.
# Needs Python 3.10-3.12 and access to PyPI; nothing else is downloaded.
set -euo pipefail

LNBITS_VERSION="1.6.2"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/pip-venv.sh
source "$ROOT/scripts/lib/pip-venv.sh"
mkdir -p "$ROOT/.cache"
# The physical path: .cache may be a link (CI keeps it in ~/.cache), and the venv's scripts record where it was made.
pip_venv_install lnbits "$(cd "$ROOT/.cache" && pwd -P)/lnbits-venv" "lnbits==$LNBITS_VERSION" "$ROOT/test/lnbits-server/constraints.txt" \
	lnbits 'import lnbits.server' "${LNBITS_PYTHON:-}"
