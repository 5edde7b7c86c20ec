# shellcheck shell=bash
# A throwaway PostgreSQL 15 cluster for tests and benchmarks (sourced by
# scripts/test, scripts/bench and scripts/pg).
#
#   pg_start   initdb + pg_ctl start in a fresh temp folder (fsync off, a free
#              loopback port, the unix socket in the same folder), creates the
#              database "strata_test" and exports its URL as STRATA_TEST_PG_URL
#              (what the tests read; scripts/test leaves DATABASE_URL unset
#              because the migration tools under test read that one), and
#              STRATA_PG_DIR, STRATA_PG_PORT, STRATA_PG_BIN. Returns non-zero
#              when the server does not start.
#   pg_stop    stops the server and removes its folder (safe to call twice).
#
# initdb and the server refuse to run as root, so they run as the `postgres`
# OS user (runuser) from a folder that user can read.

STRATA_PG_BIN=${STRATA_PG_BIN:-/usr/lib/postgresql/15/bin}

pg_free_port() {
  /usr/bin/python3 - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

pg_as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd "$STRATA_PG_DIR" && runuser -u postgres -- "$@")
  else
    (cd "$STRATA_PG_DIR" && "$@")
  fi
}

pg_start() {
  if [ ! -x "$STRATA_PG_BIN/initdb" ]; then
    echo "pg: no PostgreSQL 15 server in $STRATA_PG_BIN" >&2
    return 1
  fi
  STRATA_PG_DIR=$(mktemp -d /tmp/pg.XXXXXX)
  export STRATA_PG_DIR
  [ "$(id -u)" -eq 0 ] && chown postgres: "$STRATA_PG_DIR"
  chmod 755 "$STRATA_PG_DIR"
  STRATA_PG_PORT=$(pg_free_port)
  export STRATA_PG_PORT STRATA_PG_BIN
  if ! pg_as_postgres "$STRATA_PG_BIN/initdb" -D "$STRATA_PG_DIR/data" -U postgres -A trust -E UTF8 \
        --locale=C.UTF-8 --no-sync >"$STRATA_PG_DIR/initdb.log" 2>&1; then
    echo "pg: initdb failed:" >&2
    cat "$STRATA_PG_DIR/initdb.log" >&2
    return 1
  fi
  if ! pg_as_postgres "$STRATA_PG_BIN/pg_ctl" -D "$STRATA_PG_DIR/data" -l "$STRATA_PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $STRATA_PG_PORT -k $STRATA_PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null; then
    echo "pg: the server did not start:" >&2
    cat "$STRATA_PG_DIR/server.log" >&2
    return 1
  fi
  if ! PGHOST=127.0.0.1 PGPORT=$STRATA_PG_PORT PGUSER=postgres "$STRATA_PG_BIN/createdb" strata_test; then
    echo "pg: createdb failed" >&2
    return 1
  fi
  export STRATA_TEST_PG_URL="postgresql://postgres@127.0.0.1:$STRATA_PG_PORT/strata_test"
  echo "pg: PostgreSQL 15 at $STRATA_TEST_PG_URL (data in $STRATA_PG_DIR)" >&2
}

pg_stop() {
  [ -n "${STRATA_PG_DIR:-}" ] && [ -d "$STRATA_PG_DIR" ] || return 0
  if [ -d "$STRATA_PG_DIR/data" ]; then
    pg_as_postgres "$STRATA_PG_BIN/pg_ctl" -D "$STRATA_PG_DIR/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$STRATA_PG_DIR"
  STRATA_PG_DIR=
}
