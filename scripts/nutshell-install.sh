#!/usr/bin/env bash
# Installs a pinned Nutshell (the reference Cashu mint, PyPI `cashu`) into .cache/nutshell-venv for
# the real-mint jest tests. Idempotent: when the venv already holds this exact install, it returns at once.
# cashu 0.21.0 does not install (its dependency breez-sdk-spark<0.18 is not served); 0.20.0 does and
# starts only with marshmallow<4 and limits<4 beside it (pinned exactly in test/cashu-mint/constraints.txt).
# Needs Python 3.10-3.12 and access to PyPI; nothing else is downloaded.
set -euo pipefail

NUTSHELL_VERSION="0.20.0"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/pip-venv.sh
source "$ROOT/scripts/lib/pip-venv.sh"
mkdir -p "$ROOT/.cache"
# The physical path: .cache may be a symlink, and the venv's scripts record where it was made.
# (cashu.mint.app needs a configured backend to import: the ledger and both backends the tests use are checked.)
pip_venv_install nutshell "$(cd "$ROOT/.cache" && pwd -P)/nutshell-venv" "cashu==$NUTSHELL_VERSION" "$ROOT/test/cashu-mint/constraints.txt" \
	mint 'import cashu.mint.ledger, cashu.lightning.fake, cashu.lightning.lnbits' "${NUTSHELL_PYTHON:-}"
