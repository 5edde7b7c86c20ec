#!/usr/bin/env bash
# A private PostgreSQL server for tests that must stop or restart their server
# (tests/live/postgresql/pool_restart_test.cpp); the shared test server is never touched.
#   private_pg.sh start        starts one; prints "<DATABASE_URL> <folder>" on stdout
#   private_pg.sh restart DIR  restarts the server of folder DIR (pg_ctl -m fast), same port
#   private_pg.sh stop DIR     stops it and removes DIR
set -euo pipefail
cd "$(dirname "$0")/../../.."
source scripts/lib/pg.sh
case "${1:-}" in
  start)
    pg_start >&2
    # scripts/lib/pg.sh exports the URL as STRATA_TEST_PG_URL (DATABASE_URL in older versions).
    echo "${STRATA_TEST_PG_URL:-${DATABASE_URL:-}} $STRATA_PG_DIR"
    ;;
  restart)
    STRATA_PG_DIR=${2:?folder of the server}
    # -l: without a log file the server would inherit (and hold open) our stdout.
    pg_as_postgres "$STRATA_PG_BIN/pg_ctl" -D "$STRATA_PG_DIR/data" -l "$STRATA_PG_DIR/server.log" \
      -m fast -w -t 60 restart >/dev/null
    ;;
  stop)
    STRATA_PG_DIR=${2:?folder of the server}
    pg_stop
    ;;
  *)
    echo "usage: private_pg.sh start | restart DIR | stop DIR" >&2
    exit 2
    ;;
esac
