# Sourced by scripts/lnbits-install.sh and scripts/nutshell-install.sh: installs one pinned Python
# package into its own venv, idempotently (a stamp of the package spec and the constraints file's
# hash), serialized by a lock (several jest workers may ask at once), with Python 3.10-3.12.
#
#   pip_venv_install NAME VENV SPEC CONSTRAINTS BIN IMPORT_CHECK PYTHON_OVERRIDE
#     NAME            label of the messages, lock and log files (e.g. lnbits)
#     VENV            the venv folder
#     SPEC            pip requirement, e.g. lnbits==1.6.2
#     CONSTRAINTS     pip constraints file (exact versions)
#     BIN             a program the package installs into VENV/bin (proof of the install)
#     IMPORT_CHECK    Python code that must run in the venv before the stamp is written
#     PYTHON_OVERRIDE a Python interpreter to try first (e.g. "$LNBITS_PYTHON"), may be empty
# Needs ROOT (the repository) set by the caller. Nothing but PyPI is downloaded.

pip_venv_install() {
	local name="$1" venv="$2" spec="$3" constraints="$4" bin="$5" import_check="$6" override="$7"
	local stamp="$venv/.$name-install-stamp"
	local want
	want="$(printf '%s\n' "$spec"; sha256sum "$constraints" | cut -d' ' -f1)"

	installed() {
		[[ -x "$venv/bin/$bin" && -x "$venv/bin/python" && -f "$stamp" ]] && [[ "$(cat "$stamp")" == "$want" ]]
	}
	# Fast path without taking the lock.
	if installed; then
		return 0
	fi
	mkdir -p "$ROOT/.cache"
	exec 9>"$ROOT/.cache/$name-install.lock"
	if command -v flock >/dev/null 2>&1; then
		flock 9
	fi
	if installed; then
		return 0
	fi

	python_ok() {
		"$1" -c 'import sys; sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 12) else 1)' >/dev/null 2>&1
	}
	local python="" candidate
	for candidate in "$override" python3 python3.12 python3.11 python3.10; do
		[[ -n "$candidate" ]] || continue
		if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
			python="$(command -v "$candidate")"
			break
		fi
	done
	if [[ -z "$python" ]]; then
		echo "$name-install: no Python 3.10-3.12 found (tried the override, python3, python3.12, python3.11, python3.10)." >&2
		echo "$name-install: python3 is: $(python3 --version 2>&1 || echo missing)" >&2
		return 1
	fi

	# A venv made by another Python (or half made) is rebuilt from scratch.
	if [[ -d "$venv" ]] && ! { [[ -x "$venv/bin/python" ]] && python_ok "$venv/bin/python"; }; then
		rm -rf "$venv"
	fi
	if [[ ! -d "$venv" ]]; then
		echo "$name-install: creating venv with $("$python" --version 2>&1) at $venv" >&2
		"$python" -m venv "$venv"
	fi

	rm -f "$stamp"
	local log="$ROOT/.cache/$name-pip.log" start
	echo "$name-install: pip install $spec (log: $log)" >&2
	start=$(date +%s)
	if ! PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/python" -m pip install "$spec" -c "$constraints" >"$log" 2>&1; then
		cat "$log" >&2
		echo "$name-install: pip install $spec FAILED (output above)" >&2
		return 1
	fi
	# Prove the install can at least import before stamping it.
	if ! (cd "$venv" && "$venv/bin/python" -c "$import_check") >>"$log" 2>&1; then
		tail -n 40 "$log" >&2
		echo "$name-install: $spec installed but does not import (output above)" >&2
		return 1
	fi
	printf '%s\n' "$want" >"$stamp"
	echo "$name-install: $spec ready in $(($(date +%s) - start))s" >&2
}
