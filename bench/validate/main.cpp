// validate_json benchmark: Strata's validate_json<ItemCreate> over 1M small
// JSON texts against pydantic 1.10's ItemCreate.parse_raw (Debian
// python3-pydantic, /usr/bin/python3, bench/validate/pydantic_bench.py), and
// against the bare parse of the same texts by the JSON libraries, in one run:
//   - simdjson (DOM, one reused dom::parser, parse(data, size): the parser and
//     the call validate_json's fast path uses on valid input of a plain model;
//     the text is copied into the parser's padded buffer in both), "bare-parse";
//   - nlohmann::json::parse (the tree validate<T> works on, and the parser of
//     validate_json's fallback path: errors, lax input), "nlohmann-parse".
// The texts are generated once, written to a file for the Python side, and are
// the same for all.
//
// Prints "validate_json_1m strata/<peer> = <ratio>" (lower is better for Strata)
// for pydantic, bare-parse and nlohmann-parse.
// Usage: strata_bench_validate [n=1000000] [repeats=3] [--no-python]
#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>
// Linked with simdjson::simdjson (bench/CMakeLists.txt), whose usage
// requirement SIMDJSON_THREADS_ENABLED gives dom::parser the layout
// validate_fast.cpp compiles with.
#include <simdjson.h>

#include "../common/args.hpp"
#include "strata/model/model.hpp"
#include "strata/model/validate.hpp"

namespace bench_validate {

// The full-stack template's ItemCreate (tests/seed_models.hpp), with the same
// constraints as the pydantic model: title 1..255 characters, description at
// most 255 or absent / null.
struct ItemCreate {
  std::string title;
  std::optional<std::string> description;
};
STRATA_MODEL(ItemCreate, field<&ItemCreate::title>().min_length(1).max_length(255),
             field<&ItemCreate::description>().max_length(255));

}  // namespace bench_validate

namespace {

using bench_validate::ItemCreate;

template <class F>
double seconds(F&& fn) {
  const auto t0 = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// Small ItemCreate bodies, as an API receives them: one in four without a
/// description, one in eight with a null one.
std::vector<std::string> make_texts(long n) {
  std::vector<std::string> texts;
  texts.reserve(static_cast<std::size_t>(n));
  for (long i = 0; i < n; ++i) {
    if (i % 4 == 0) texts.push_back(fmt::format(R"({{"title": "item {}"}})", i));
    else if (i % 8 == 1) texts.push_back(fmt::format(R"({{"title": "item {}", "description": null}})", i));
    else texts.push_back(fmt::format(R"({{"title": "item {}", "description": "the description of item {}"}})", i, i));
  }
  return texts;
}

}  // namespace

int main(int argc, char** argv) {
  const bench::Args args(argc, argv);
  const long n = static_cast<long>(args.number(0, 1000000));
  const int repeats = std::max(1, static_cast<int>(args.number(1, 3)));
  bool python = args.python;

  const std::vector<std::string> texts = make_texts(n);
  std::size_t sink = 0;
  // Warm-up: builds the model's ModelInfo once.
  sink += strata::model::validate_json<ItemCreate>(texts[0]).title.size();

  std::vector<double> strata_s, bare_s, nlohmann_s, pydantic_s;
  simdjson::dom::parser parser;
  for (int r = 0; r < repeats; ++r) {
    strata_s.push_back(seconds([&] {
      for (const auto& t : texts) {
        const ItemCreate item = strata::model::validate_json<ItemCreate>(t);
        sink += item.title.size() + (item.description ? item.description->size() : 0);
      }
    }));
    bare_s.push_back(seconds([&] {
      for (const auto& t : texts) {
        simdjson::dom::object o;
        if (parser.parse(t.data(), t.size()).get_object().get(o)) std::abort();
        sink += o.size();
      }
    }));
    nlohmann_s.push_back(seconds([&] {
      for (const auto& t : texts) {
        const nlohmann::json j = nlohmann::json::parse(t);
        sink += j.size();
      }
    }));
  }

  if (python) {
    namespace fs = std::filesystem;
    const fs::path file = fs::temp_directory_path() / fmt::format("strata_bench_validate_{}.txt", getpid());
    {
      std::ofstream out(file);
      for (const auto& t : texts) out << t << '\n';
    }
    const std::string cmd = fmt::format("/usr/bin/python3 {}/pydantic_bench.py {} {}", STRATA_BENCH_DIR,
                                        file.string(), repeats);
    std::string out;
    if (FILE* p = popen(cmd.c_str(), "r")) {
      char buf[4096];
      while (std::fgets(buf, sizeof buf, p)) out += buf;
      if (pclose(p) != 0) out.clear();
    }
    fs::remove(file);
    if (out.empty()) {
      fmt::print(stderr, "the pydantic benchmark failed to run ({}); is Debian's python3-pydantic installed?\n", cmd);
      python = false;
    } else {
      const auto j = nlohmann::json::parse(out);
      for (const auto& s : j["seconds"]) pydantic_s.push_back(s.get<double>());
    }
  }

  auto best = [](const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); };
  const double s = best(strata_s), bare = best(bare_s), nl = best(nlohmann_s);
  fmt::print("#   validate_json_{}k   strata {:.4f} s / bare-parse (simdjson) {:.4f} s / nlohmann-parse {:.4f} s{} "
             "(best of {}; sink {})\n",
             n / 1000, s, bare, nl, python ? fmt::format(" / pydantic {:.4f} s", best(pydantic_s)) : "", repeats,
             sink % 10);
  const std::string name = n == 1000000 ? "validate_json_1m" : fmt::format("validate_json_{}k", n / 1000);
  if (python) fmt::print("{} strata/pydantic = {:.4f}\n", name, s / best(pydantic_s));
  fmt::print("{} strata/bare-parse = {:.2f}\n", name, s / bare);
  fmt::print("{} strata/nlohmann-parse = {:.2f}\n", name, s / nl);
  return 0;
}
