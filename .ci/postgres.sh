#!/usr/bin/env bash
# Install the PostgreSQL server binaries the SQLAlchemy store's contract tests use.
#
# The tests start their own throwaway cluster (initdb + pg_ctl in a temp dir, Unix socket
# only), so nothing is configured or started here. Idempotent and quiet: does nothing when
# initdb is already installed; on a machine without apt-get it says so and exits 0 (the
# PostgreSQL tests are then skipped, with the reason in pytest's summary).
set -uo pipefail

if compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null || command -v initdb > /dev/null; then
    exit 0
fi
if ! command -v apt-get > /dev/null; then
    echo "postgres.sh: no apt-get here; install PostgreSQL yourself or the tests skip it" >&2
    exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq > /dev/null
$sudo apt-get install -y -qq --no-install-recommends postgresql > /dev/null
