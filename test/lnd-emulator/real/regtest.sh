#!/usr/bin/env bash
# By hand: the real lnd regtest (regtest.js beside this script): up | down [state file] | reap [--all].
exec node "$(dirname "$0")/regtest.js" "$@"
