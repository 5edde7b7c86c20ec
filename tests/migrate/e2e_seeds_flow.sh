#!/usr/bin/env bash
# tests/migrate/e2e_seeds_flow.sh BUILD_DIR [WORK_DIR]
#
# The seeds' migration flow for real, with the built tools: install BUILD_DIR
# into a prefix, `strata-migrate init`, an app with seed 000's user/item models
# built against the prefix with find_package(strata) + strata_add_migrations,
# then revision --autogenerate / upgrade / downgrade / check / upgrade --sql on
# a SQLite file, checking rows with the sqlite3 CLI; or, with
# E2E_BACKEND=postgresql, on a fresh database of the server at
# $STRATA_TEST_PG_URL, checking with the real psql client (\d shows the
# tables, the constraint names and the strata_version row). Without a server
# the PostgreSQL run exits 77 (skipped), or fails under CI=true.
# Honours CMAKE_CXX_COMPILER_LAUNCHER (ccache), CXX and STRATA_E2E_FLAGS (extra
# compile + link flags, e.g. "-fsanitize=address,undefined" for a sanitizer build)
# from the environment; STRATA_PREFIX names a prefix where BUILD_DIR is already
# installed (used as it is). WORK_DIR is deleted when the flow passes, unless
# STRATA_KEEP_WORK=1.
set -euo pipefail

BUILD_DIR=$(cd "${1:?usage: e2e_seeds_flow.sh BUILD_DIR [WORK_DIR]}" && pwd)
WORK=${2:-$(mktemp -d)}
rm -rf "$WORK"
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
PREFIX=$WORK/prefix
APP=$WORK/app
LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-$(command -v ccache || true)}

fail() { echo "e2e FAILED: $*" >&2; exit 1; }
step() { echo "== $*"; }

BACKEND=${E2E_BACKEND:-sqlite}
unset DATABASE_URL  # the tools would prefer it to strata.toml
if [ "$BACKEND" = postgresql ]; then
  if [ -z "${STRATA_TEST_PG_URL:-}" ]; then
    [ "${CI:-}" = true ] && fail "CI=true but no PostgreSQL server (STRATA_TEST_PG_URL is not set)"
    echo "no PostgreSQL server (STRATA_TEST_PG_URL is not set): skipped"
    exit 77
  fi
  PG_DB="e2e_$$_$RANDOM"
  psql "$STRATA_TEST_PG_URL" -XAtq -v ON_ERROR_STOP=1 -c "CREATE DATABASE $PG_DB" || fail "CREATE DATABASE"
  DB_URL="${STRATA_TEST_PG_URL%/*}/$PG_DB"
  trap 'psql "$STRATA_TEST_PG_URL" -XAtq -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
  q() { psql "$DB_URL" -XAtq -v ON_ERROR_STOP=1 -c "$1"; }
  columns_of() { q "SELECT column_name FROM information_schema.columns WHERE table_name = '$1'"; }
  schema_dump() { psql "$DB_URL" -Xq -c '\d "user"' -c '\d item'; q "SELECT * FROM strata_version"; }
  FALSE_DEFAULT=false
else
  q() { sqlite3 "$DB" "$1"; }
  columns_of() { sqlite3 "$DB" "SELECT name FROM pragma_table_info('$1')"; }
  schema_dump() { sqlite3 "$DB" .schema; sqlite3 "$DB" "SELECT * FROM strata_version"; }
  FALSE_DEFAULT=0
fi

# shellcheck source=scripts/lib/prefix.sh
. "$(dirname "$0")/../../scripts/lib/prefix.sh"
strata_prefix "$BUILD_DIR" "$PREFIX"

step "strata-migrate init"
mkdir -p "$APP/include/app"
"$PREFIX/bin/strata-migrate" init "$APP/migrations"
"$PREFIX/bin/strata-migrate" init "$APP/migrations" 2>/dev/null && fail "init accepted a non-empty directory"
if [ "$BACKEND" = postgresql ]; then
  sed -i 's|^url = .*|url = "'"$DB_URL"'"|' "$APP/migrations/strata.toml"
else
  sed -i 's|^url = .*|url = "sqlite:///'"$APP"'/app.db"|' "$APP/migrations/strata.toml"
fi
sed -i 's|^// #include "app/models.hpp"|#include "app/models.hpp"|' "$APP/migrations/env.cpp"
sed -i 's|# MODELS app_models|MODELS app_models|' "$APP/migrations/CMakeLists.txt"
grep -q '^#include "app/models.hpp"' "$APP/migrations/env.cpp" || fail "env.cpp template changed"
grep -q '^  MODELS app_models' "$APP/migrations/CMakeLists.txt" || fail "CMakeLists.txt template changed"

# Seed 000's models; $1 = 1 adds Item::is_completed.
write_models() {
  # As seed 000's `Field(default=False)`, plus the server default that keeps
  # existing rows valid (autogenerate warns about NOT NULL without one).
  local completed_member="" completed_field=""
  if [ "$1" = 1 ]; then
    completed_member="  bool is_completed = false;"
    completed_field=",
             field<&Item::is_completed>().server_default(\"$FALSE_DEFAULT\")"
  fi
  cat > "$APP/include/app/models.hpp" <<MODELS
#pragma once
#include <optional>
#include <string>
#include "strata/core/uuid.hpp"
#include "strata/model/model.hpp"
namespace app {
struct User {
  strata::Uuid id = strata::Uuid::v4();
  std::string email;
  std::optional<std::string> full_name;
  std::string hashed_password;
  bool is_active = true;
};
struct Item {
  strata::Uuid id = strata::Uuid::v4();
  std::string title;
  std::optional<std::string> description;
  strata::Uuid owner_id;
$completed_member
};
STRATA_TABLE(User, "user", field<&User::id>().primary_key(),
             field<&User::email>().unique().index().max_length(255),
             field<&User::full_name>().max_length(255));
STRATA_TABLE(Item, "item", field<&Item::id>().primary_key(),
             field<&Item::title>().max_length(255),
             field<&Item::owner_id>().foreign_key<&User::id>().on_delete(Cascade)$completed_field);
}  // namespace app
MODELS
}
write_models 0

cat > "$APP/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(app LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 20)
find_package(strata REQUIRED)
add_library(app_models INTERFACE)
target_include_directories(app_models INTERFACE ${CMAKE_CURRENT_SOURCE_DIR}/include)
add_subdirectory(migrations)
CMAKE

step "configure the app against the prefix"
args=(-S "$APP" -B "$APP/build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_PREFIX_PATH="$PREFIX")
[ -n "$LAUNCHER" ] && args+=(-DCMAKE_CXX_COMPILER_LAUNCHER="$LAUNCHER")
[ -n "${CXX:-}" ] && args+=(-DCMAKE_CXX_COMPILER="$CXX")
[ -n "${STRATA_E2E_FLAGS:-}" ] && args+=("-DCMAKE_CXX_FLAGS=$STRATA_E2E_FLAGS" "-DCMAKE_EXE_LINKER_FLAGS=$STRATA_E2E_FLAGS")
cmake "${args[@]}" >/dev/null
build() { cmake --build "$APP/build" -j2 >/dev/null || cmake --build "$APP/build" -j2; }
MIGRATE=$APP/build/migrations/migrate
DB=$APP/app.db
cd "$APP"

step "build; revision --autogenerate -m 'initialize models'"
build
"$MIGRATE" revision --autogenerate -m "initialize models" | tee "$WORK/rev1.out"
grep -q "Detected added table 'user'" "$WORK/rev1.out" || fail "no Detected line for table user"
grep -q "Detected added table 'item'" "$WORK/rev1.out" || fail "no Detected line for table item"
ls "$APP"/migrations/versions/*_initialize_models.cpp >/dev/null || fail "revision file not written"

step "rebuild; upgrade head"
build
"$MIGRATE" upgrade head
"$MIGRATE" current | grep -q "(head)" || fail "current is not at head"
q "INSERT INTO \"user\" (id, email, hashed_password, is_active) VALUES ('00000000000000000000000000000001', 'a@b.c', 'x', true);
INSERT INTO item (id, title, owner_id) VALUES ('00000000000000000000000000000002', 'first', '00000000000000000000000000000001');
INSERT INTO item (id, title, owner_id) VALUES ('00000000000000000000000000000003', 'second', '00000000000000000000000000000001');"
if [ "$BACKEND" = postgresql ]; then
  step "psql \\d shows the tables, the constraint names and the strata_version row"
  psql "$DB_URL" -Xq -c '\dt' | tee "$WORK/dt.out"
  for t in user item strata_version; do grep -qE "\| $t +\| table" "$WORK/dt.out" || fail "\\dt does not list $t"; done
  psql "$DB_URL" -Xq -c '\d item' | tee "$WORK/d_item.out"
  for c in pk_item fk_item_owner_id_user; do grep -q "\"$c\"" "$WORK/d_item.out" || fail "\\d item does not show $c"; done
  grep -q 'ON DELETE CASCADE' "$WORK/d_item.out" || fail "\\d item does not show ON DELETE CASCADE"
  psql "$DB_URL" -Xq -c '\d "user"' | tee "$WORK/d_user.out"
  for c in pk_user uq_user_email ix_user_email; do grep -q "\"$c\"" "$WORK/d_user.out" || fail "\\d user does not show $c"; done
  head_rev=$(basename "$(ls "$APP"/migrations/versions/*_initialize_models.cpp)" | cut -d_ -f1)
  [ "$(q "SELECT version_num FROM strata_version")" = "$head_rev" ] || fail "strata_version does not hold $head_rev"
fi

step "add is_completed to the models; rebuild; revision --autogenerate"
write_models 1
build
"$MIGRATE" revision --autogenerate -m "add is_completed to item" | tee "$WORK/rev2.out"
[ "$(grep -c "Detected" "$WORK/rev2.out")" = 1 ] || fail "expected exactly one Detected line"
grep -q "^  Detected added column 'item.is_completed'$" "$WORK/rev2.out" || fail "no Detected line for item.is_completed"

step "rebuild; upgrade head"
build
"$MIGRATE" upgrade head
[ "$(q "SELECT count(*) FROM item WHERE is_completed = false")" = 2 ] || fail "rows not kept with is_completed false"

step "downgrade -1"
"$MIGRATE" downgrade -1
columns_of item | grep -qx is_completed && fail "is_completed still there"
[ "$(q "SELECT count(*) FROM item")" = 2 ] || fail "rows lost by downgrade"

step "upgrade head; check"
"$MIGRATE" upgrade head
"$MIGRATE" check || fail "check found drift after upgrade head"
"$MIGRATE" history

step "downgrade -1; upgrade head --sql changes nothing"
"$MIGRATE" downgrade -1
before=$(schema_dump)
"$MIGRATE" upgrade head --sql > "$WORK/upgrade.sql"
grep -q "is_completed" "$WORK/upgrade.sql" || fail "upgrade --sql printed no DDL for is_completed"
after=$(schema_dump)
[ "$before" = "$after" ] || fail "upgrade --sql changed the database"
"$MIGRATE" check >/dev/null && fail "check passed on a database one revision behind"
"$MIGRATE" upgrade head

echo "e2e OK ($BACKEND)"
[ "${STRATA_KEEP_WORK:-}" = 1 ] || rm -rf "$WORK"
