// The command line every benchmark takes: positional numbers, --no-python,
// --profile=<phase> (run only that Strata phase, for perf).
#pragma once

#include <string>
#include <vector>

namespace bench {

struct Args {
  std::vector<std::string> positional;
  bool python = true;
  std::string profile;

  Args(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      if (a == "--no-python")
        python = false;
      else if (a.rfind("--profile=", 0) == 0)
        profile = a.substr(10);
      else
        positional.push_back(a);
    }
  }
  /// Positional argument i as a number, or `fallback` when absent.
  long long number(std::size_t i, long long fallback) const {
    return i < positional.size() ? std::stoll(positional[i]) : fallback;
  }
};

}  // namespace bench
