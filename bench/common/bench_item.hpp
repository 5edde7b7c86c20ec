// Shared by the runtime benchmarks (bench/runtime on SQLite, bench/postgresql):
// the model, the rows, the timer, the Python peer and the report.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "strata/strata.hpp"

struct BenchItem {
  std::int64_t id{};
  std::string title;
  std::optional<std::string> description;
  std::int64_t quantity{};
  double price{};
  bool is_completed = false;
};
STRATA_TABLE(BenchItem, "bench_item", field<&BenchItem::id>().primary_key().autoincrement(),
             field<&BenchItem::title>().max_length(255));

namespace bench {

/// Row i of every benchmark (the Python peers build the same rows).
inline BenchItem make_item(std::int64_t i) {
  BenchItem it;
  it.title = "item " + std::to_string(i);
  if (i % 2 == 0) it.description = "description of item " + std::to_string(i);
  it.quantity = i;
  it.price = static_cast<double>(i) * 0.5;
  it.is_completed = i % 3 == 0;
  return it;
}

/// Wall time of fn(), in seconds.
inline double seconds(const std::function<void()>& fn) {
  const auto t = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

/// Runs a Python peer that prints one JSON object {"insert": s, "select": s,
/// "get": s} and appends its times to t["<peer>.<phase>"]. Returns false
/// (after saying why on stderr) when it did not run.
inline bool run_python_peer(const std::string& cmd, const std::string& peer,
                            std::map<std::string, std::vector<double>>& t) {
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    while (std::fgets(buf, sizeof buf, p)) out += buf;
    if (pclose(p) != 0) out.clear();
  }
  if (out.empty()) {
    fmt::print(stderr, "the {} benchmark failed to run ({}); are Debian's python3 packages installed?\n", peer, cmd);
    return false;
  }
  const auto j = nlohmann::json::parse(out);
  for (const char* k : {"insert", "select", "get"}) t[peer + "." + k].push_back(j[k].get<double>());
  return true;
}

/// Prints the best times and one "<prefix><phase>_<n>k strata/<peer> = <ratio>"
/// line per phase and peer ("raw" always, `peer` when given).
inline void report(std::map<std::string, std::vector<double>>& t, const std::string& prefix, std::int64_t n,
                   const std::string& peer, int peer_digits = 3) {
  auto best = [&](const std::string& k) { return *std::min_element(t[k].begin(), t[k].end()); };
  for (const char* b : {"insert", "select", "get"}) {
    const std::string name = fmt::format("{}{}_{}k", prefix, b == std::string("get") ? "get_by_pk" : b, n / 1000);
    const double s = best(std::string("strata.") + b), raw = best(std::string("raw.") + b);
    fmt::print("#   {:<19} {:.4f} / {:.4f}{}\n", name, s, raw,
               peer.empty() ? "" : fmt::format(" / {:.4f}", best(peer + "." + b)));
    fmt::print("{} strata/raw = {:.2f}\n", name, s / raw);
    if (!peer.empty()) fmt::print("{} strata/{} = {:.{}f}\n", name, peer, s / best(peer + "." + b), peer_digits);
  }
}

}  // namespace bench
