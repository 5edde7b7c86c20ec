// strata/migrate/cli.hpp - the migration tool's command line (Alembic's
// CommandLine), a thin shell over command.hpp: it parses argv with CLI11 into
// one verb call and prints errors. The plain `strata-migrate` binary and each
// app's env.cpp (scaffolded by `init`) call run().
//
//   strata-migrate [--url URL] [-c DIR] <verb> ...
//     init DIR
//     revision -m MSG [--autogenerate] [--head H] [--splice] [--branch-label L]
//              [--rev-id ID] [--rename table.old:new]...
//     upgrade TARGET [--sql]         downgrade TARGET [--sql]   (--sql: "from:to")
//     current [-v]   history [-r A:B] [-v]   heads [-v]   branches [-v]
//     show REV       merge -m MSG REVS...    stamp REV [--sql] [--purge]   check
//     schema [-f mermaid|dot] [-o FILE]   (the models as an ER diagram; no database)
//
// Exit status: 0 success; 1 a verb failed ("FAILED: <what>" on stderr) or
// `check` found drift; 2 bad command line (CLI11's message).
#pragma once

#include "strata/migrate/command.hpp"
#include "strata/migrate/config.hpp"

namespace strata::migrate::cli {

/// Parses argv, loads the configuration (base, then <dir>/strata.toml, then
/// DATABASE_URL, then --url; dir = -c or base.script_location) and runs the
/// verb. Never throws; returns the exit status.
int run(int argc, char** argv, Config base = {});

}  // namespace strata::migrate::cli
