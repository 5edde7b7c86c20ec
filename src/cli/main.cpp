// The plain `strata-migrate` binary: no models linked (target_metadata empty),
// enough for init, and for the verbs that need no models on an environment
// whose revisions are compiled into a tool built from env.cpp.
#include "strata/migrate/cli.hpp"

int main(int argc, char** argv) { return strata::migrate::cli::run(argc, argv); }
