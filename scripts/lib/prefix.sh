# scripts/lib/prefix.sh - sourced by scripts/lib/demo.sh and
# tests/migrate/e2e_seeds_flow.sh (both define step and fail).
#
# strata_prefix BUILD_DIR PREFIX sets PREFIX to the Strata installation to
# build against: $STRATA_PREFIX when it is set (BUILD_DIR is already installed
# there, as ctest's install.prefix fixture does), else PREFIX, into which it
# installs BUILD_DIR. Fails (fail) when strata-migrate is not there.
strata_prefix() {
  if [ -n "${STRATA_PREFIX:-}" ]; then
    PREFIX=$STRATA_PREFIX
    step "use Strata ($1) installed at $PREFIX"
  else
    PREFIX=$2
    step "install Strata ($1) into $PREFIX"
    cmake --install "$1" --prefix "$PREFIX" >/dev/null
  fi
  [ -x "$PREFIX/bin/strata-migrate" ] || fail "strata-migrate is not installed at $PREFIX"
}
