#!/usr/bin/env bash
# scripts/lib/demo.sh BUILD_DIR WORK_DIR URL [EXAMPLE]
#
# The main job, end to end, with the real tools, the way a user meets them
# (scripts/demo runs it on a Release build; tests/demo runs it on the test
# build, on SQLite and on the throwaway PostgreSQL server). BUILD_DIR is a
# configured and built Strata tree; it is installed into WORK_DIR/prefix and
# each app is built against that prefix with find_package(strata). URL must
# name an empty database. EXAMPLE is one of:
#
#   catalog    (default) the AI model catalogue of seed 004: a copy of
#              examples/catalog in WORK_DIR, `strata-migrate init`, revision
#              --autogenerate "initial schema", rebuild, upgrade head, the
#              data (seed figures + a synthetic volume) through the Session,
#              the queries, the ER diagram (mermaid, dot, PNG), a schema change
#              (a column and an index), autogenerate, upgrade, downgrade -1,
#              upgrade head, current, history, check; then a summary.
#   school     the student management system of seed 003 (examples/school,
#   fullstack  the user / item app of seed 000 (examples/fullstack); both
#              with their own committed migrations: the app upgrades the
#              database at start-up, then walks the seed's tutorial; the
#              migration tool then shows current / history / check and a
#              downgrade to base and back, keeping nothing behind.
#
# Environment: DEMO_MODELS / DEMO_BENCHMARKS / DEMO_RESULTS (the synthetic
# volume; 10000 / 50 / 200000), CMAKE_CXX_COMPILER_LAUNCHER (default: ccache
# when installed), CXX, STRATA_E2E_FLAGS (extra compile + link flags, e.g.
# "-fsanitize=address,undefined" for a sanitizer build), DEMO_BUILD_TYPE
# (Release), STRATA_PREFIX (a prefix where BUILD_DIR is already installed:
# used as it is, not installed again). Stops at the first step that fails,
# names it, exits non-zero.
set -euo pipefail

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=$(cd "${1:?usage: demo.sh BUILD_DIR WORK_DIR URL [catalog|school|fullstack]}" && pwd)
WORK=${2:?usage: demo.sh BUILD_DIR WORK_DIR URL [catalog|school|fullstack]}
URL=${3:?usage: demo.sh BUILD_DIR WORK_DIR URL [catalog|school|fullstack]}
EXAMPLE=${4:-catalog}
LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-$(command -v ccache || true)}
BUILD_TYPE=${DEMO_BUILD_TYPE:-Release}
case "$EXAMPLE" in catalog | school | fullstack) ;; *) echo "demo: unknown example '$EXAMPLE' (catalog, school, fullstack)" >&2; exit 2 ;; esac

mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
PREFIX=$WORK/prefix
unset DATABASE_URL  # the tools would prefer it to --url

CURRENT_STEP="start"
step() {
  CURRENT_STEP="$*"
  printf '\n\033[1m== %s\033[0m\n' "$*"
}
fail() {
  echo "demo FAILED at step '$CURRENT_STEP': $*" >&2
  exit 1
}
trap 'rc=$?; [ $rc -ne 0 ] && echo "demo FAILED at step \"$CURRENT_STEP\" (exit $rc)" >&2; exit $rc' EXIT

configure() {  # configure SOURCE_DIR BINARY_DIR
  local args=(-S "$1" -B "$2" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" -DCMAKE_PREFIX_PATH="$PREFIX")
  [ -n "$LAUNCHER" ] && args+=(-DCMAKE_CXX_COMPILER_LAUNCHER="$LAUNCHER")
  [ -n "${CXX:-}" ] && args+=(-DCMAKE_CXX_COMPILER="$CXX")
  [ -n "${STRATA_E2E_FLAGS:-}" ] && args+=("-DCMAKE_CXX_FLAGS=$STRATA_E2E_FLAGS" "-DCMAKE_EXE_LINKER_FLAGS=$STRATA_E2E_FLAGS")
  cmake "${args[@]}" >/dev/null
}
build() {  # build BINARY_DIR TARGET...: quiet, unless it fails
  local dir=$1
  shift
  local t args=()
  for t in "$@"; do args+=(--target "$t"); done
  cmake --build "$dir" -j "$(nproc)" "${args[@]}" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; fail "the build failed"; }
}

# shellcheck source=scripts/lib/prefix.sh
. "$SRC/scripts/lib/prefix.sh"
strata_prefix "$BUILD_DIR" "$PREFIX"
START=$SECONDS

# --- the smaller examples: committed migrations, upgrade at start-up ---------
if [ "$EXAMPLE" != catalog ]; then
  APP_BUILD=$WORK/$EXAMPLE-build
  MIGRATE=$APP_BUILD/migrations/${EXAMPLE}_migrate
  step "build examples/$EXAMPLE against the installed Strata (its migrations: $(ls "$SRC/examples/$EXAMPLE/migrations/versions" | tr '\n' ' '))"
  configure "$SRC/examples/$EXAMPLE" "$APP_BUILD"
  build "$APP_BUILD" "${EXAMPLE}_app" "${EXAMPLE}_migrate"
  step "${EXAMPLE}_app: upgrade head at start-up, then the seed's tutorial"
  "$APP_BUILD/${EXAMPLE}_app" --url "$URL"
  step "the migration tool: current, history, check"
  "$MIGRATE" --url "$URL" current | tee "$WORK/current.out"
  grep -q "(head)" "$WORK/current.out" || fail "the database is not at head after the app's start-up upgrade"
  "$MIGRATE" --url "$URL" history
  "$MIGRATE" --url "$URL" check || fail "check found a difference between the models and the migrated database"
  step "downgrade base (every table dropped), then upgrade head again"
  "$MIGRATE" --url "$URL" downgrade base
  "$MIGRATE" --url "$URL" current | tee "$WORK/current.out"
  grep -q "(head)" "$WORK/current.out" && fail "still at head after downgrade base"
  "$MIGRATE" --url "$URL" upgrade head
  "$MIGRATE" --url "$URL" check || fail "check failed after downgrade base + upgrade head"
  step "summary"
  echo "examples/$EXAMPLE: migrated by the app at start-up, tutorial run, down to base and up to head again ($((SECONDS - START)) s)"
  echo "  database:   $URL"
  echo "  migrations: $SRC/examples/$EXAMPLE/migrations/versions"
  echo "  tools:      $APP_BUILD/${EXAMPLE}_app, $MIGRATE"
  trap - EXIT
  exit 0
fi

# --- the main job: the AI model catalogue ------------------------------------
APP=$WORK/catalog
APP_BUILD=$APP/build
MIGRATE=$APP_BUILD/migrations/migrate
DEMO=$APP_BUILD/catalog_demo
rm -rf "$APP"
mkdir -p "$APP"
cp -r "$SRC/examples/catalog/CMakeLists.txt" "$SRC/examples/catalog/include" "$SRC/examples/catalog/src" "$APP/"
cd "$APP"

step "1. init: a migration environment for the catalogue (models, benchmarks, benchmark_results, opinions, use_cases)"
"$PREFIX/bin/strata-migrate" --url "$URL" init "$APP/migrations"
# As after `alembic init`, the environment is told where the models are: its
# env.cpp includes their header and its CMakeLists.txt links their library.
sed -i 's|^// #include "app/models.hpp"|#include "catalog/models.hpp"|' migrations/env.cpp
sed -i 's|# MODELS app_models|MODELS catalog_models|' migrations/CMakeLists.txt
grep -q '^#include "catalog/models.hpp"' migrations/env.cpp || fail "env.cpp template changed: could not name the models"
grep -q '^  MODELS catalog_models' migrations/CMakeLists.txt || fail "CMakeLists.txt template changed: could not link the models"
echo "env.cpp includes catalog/models.hpp; migrations/CMakeLists.txt links catalog_models"

step "2. revision --autogenerate -m \"initial schema\"; rebuild the migration tool; upgrade head"
configure "$APP" "$APP_BUILD"
build "$APP_BUILD" migrate
"$MIGRATE" revision --autogenerate -m "initial schema" | tee "$WORK/rev1.out"
for t in models benchmarks benchmark_results opinions use_cases; do
  grep -q "Detected added table '$t'" "$WORK/rev1.out" || fail "autogenerate did not detect table $t (is the database empty?)"
done
build "$APP_BUILD" migrate catalog_demo
"$MIGRATE" upgrade head
"$MIGRATE" current | tee "$WORK/current.out"
grep -q "(head)" "$WORK/current.out" || fail "not at head after upgrade head"

step "3. load the seed's figures and a synthetic volume through the Session"
"$DEMO" --url "$URL" load --models "${DEMO_MODELS:-10000}" --benchmarks "${DEMO_BENCHMARKS:-50}" \
  --results "${DEMO_RESULTS:-200000}"
"$DEMO" --url "$URL" count | tee "$WORK/count_before.out"

step "4. query: top models per benchmark, a model with its relationships, JSON and tag filters"
"$DEMO" --url "$URL" query

step "ER diagram: schema --format mermaid | dot, rendered to PNG with Graphviz"
"$MIGRATE" schema --format mermaid -o "$WORK/catalog.mmd"
"$MIGRATE" schema --format dot -o "$WORK/catalog.dot"
dot -Tpng "$WORK/catalog.dot" -o "$WORK/catalog.png" || fail "graphviz could not render catalog.dot"
head -c 8 "$WORK/catalog.png" | od -An -tx1 | grep -q "89 50 4e 47" || fail "catalog.png is not a PNG"
echo "wrote $WORK/catalog.mmd, $WORK/catalog.dot and $WORK/catalog.png"

step "5. evolve the schema: models gains context_window (a column) with an index"
cp include/catalog/models.hpp "$WORK/models.hpp.orig"
sed -i 's|^  std::optional<std::string> license;$|&\n  std::optional<std::int64_t> context_window;  // added by the demo (step 5)|' include/catalog/models.hpp
sed -i 's|^             field<&ModelBase::license>().max_length(255));$|             field<\&ModelBase::license>().max_length(255),\n             field<\&ModelBase::context_window>().index());|' include/catalog/models.hpp
grep -q 'field<&ModelBase::context_window>().index()' include/catalog/models.hpp || fail "models.hpp changed: could not add context_window"
diff -u "$WORK/models.hpp.orig" include/catalog/models.hpp | sed 's|^|    |' || true
build "$APP_BUILD" migrate
"$MIGRATE" revision --autogenerate -m "add context_window to models" | tee "$WORK/rev2.out"
grep -q "Detected added column 'models.context_window'" "$WORK/rev2.out" || fail "autogenerate did not detect the added column"
grep -q "Detected added index 'ix_models_context_window'" "$WORK/rev2.out" || fail "autogenerate did not detect the added index"
[ "$(grep -c Detected "$WORK/rev2.out")" = 2 ] || fail "autogenerate detected more than the column and the index"
build "$APP_BUILD" migrate catalog_demo
"$MIGRATE" upgrade head
"$DEMO" --url "$URL" count >"$WORK/count_after.out"
diff "$WORK/count_before.out" "$WORK/count_after.out" || fail "upgrade changed the row counts"

step "downgrade -1 (the column and its index are dropped, every row kept)"
"$MIGRATE" downgrade -1
"$DEMO" --url "$URL" count >"$WORK/count_after.out"
diff "$WORK/count_before.out" "$WORK/count_after.out" || fail "downgrade -1 changed the row counts"
"$MIGRATE" current | tee "$WORK/current.out"
grep -q "(head)" "$WORK/current.out" && fail "still at head after downgrade -1"

step "upgrade head; current; history; check"
"$MIGRATE" upgrade head
"$DEMO" --url "$URL" count >"$WORK/count_after.out"
diff "$WORK/count_before.out" "$WORK/count_after.out" || fail "downgrade + upgrade lost rows"
"$MIGRATE" current
"$MIGRATE" history
"$MIGRATE" check || fail "check found drift after upgrade head"

step "6. summary"
build "$APP_BUILD" catalog_api
echo "The AI model catalogue, end to end in $((SECONDS - START)) s:"
echo "  database:     $URL"
sed 's|^|    |' "$WORK/count_before.out"
echo "  models:       $APP/include/catalog/models.hpp (context_window added in step 5)"
echo "  migrations:   $APP/migrations/versions/ ($(ls "$APP/migrations/versions" | tr '\n' ' '))"
echo "  tools:        $MIGRATE, $DEMO"
echo "  ER diagram:   $WORK/catalog.png ($WORK/catalog.mmd, $WORK/catalog.dot)"
echo "  HTTP API:     $APP_BUILD/catalog_api --url $URL --port 8000  (docs/api.md)"
trap - EXIT
