#!/usr/bin/env bash
# tests/demo/run.sh BUILD_DIR WORK_DIR EXAMPLE
#
# scripts/lib/demo.sh (the demo and the smaller examples, end to end, with the
# real tools) on this build: on a fresh SQLite file, or with
# DEMO_BACKEND=postgresql on a fresh database of the server at
# $STRATA_TEST_PG_URL (created here with psql, dropped on exit). Without that
# server the PostgreSQL run exits 77 (skipped), or fails under CI=true.
# STRATA_PREFIX (set by ctest) is the shared install of the build tree.
set -euo pipefail
BUILD_DIR=${1:?usage: run.sh BUILD_DIR WORK_DIR EXAMPLE}
WORK=${2:?usage: run.sh BUILD_DIR WORK_DIR EXAMPLE}
EXAMPLE=${3:?usage: run.sh BUILD_DIR WORK_DIR EXAMPLE}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$WORK"
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

if [ "${DEMO_BACKEND:-sqlite}" = postgresql ]; then
  if [ -z "${STRATA_TEST_PG_URL:-}" ]; then
    if [ "${CI:-}" = true ]; then
      echo "CI=true but no PostgreSQL server (STRATA_TEST_PG_URL is not set)" >&2
      exit 1
    fi
    echo "no PostgreSQL server (STRATA_TEST_PG_URL is not set): skipped"
    exit 77
  fi
  db="demo_${EXAMPLE}_$$_$RANDOM"
  psql "$STRATA_TEST_PG_URL" -XAtq -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db"
  trap 'psql "$STRATA_TEST_PG_URL" -XAtq -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
  url="${STRATA_TEST_PG_URL%/*}/$db"
else
  url="sqlite:///$WORK/$EXAMPLE.db"
fi
"$SRC/scripts/lib/demo.sh" "$BUILD_DIR" "$WORK" "$url" "$EXAMPLE"
# Passed: the work folder (the app's build, the SQLite file) goes, unless
# STRATA_KEEP_WORK=1; a failed run keeps it to be looked at.
[ "${STRATA_KEEP_WORK:-}" = 1 ] || rm -rf "$WORK"
