// fuzz/validate_json_fuzz.cpp - libFuzzer target: validate_json<T> over
// arbitrary bytes, for three of the seeds' models (ItemCreate, UserCreate and
// the catalogue's BenchmarkResult) and a list of ItemCreate. Any input must end
// in a value or a strata::ValidationError; a crash, a sanitizer report, a leak
// or another exception is a finding. The rendered error bodies are built too,
// so that their code (loc paths, input echo, summaries) is exercised as well.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "seed_models.hpp"
#include "strata/model/dump.hpp"
#include "strata/model/validate.hpp"

namespace {

template <class T>
void one(std::string_view text) {
  try {
    T value = strata::model::validate_json<T>(text);
    if constexpr (!strata::model::detail::is_vector<T>::value) {
      // A valid object dumps and validates again to itself.
      (void)strata::model::validate<T>(strata::model::to_json(value));
    }
  } catch (const strata::ValidationError& e) {
    (void)e.json().dump();
    (void)e.what();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  one<seeds::fullstack::ItemCreate>(text);
  one<seeds::fullstack::UserCreate>(text);
  one<seeds::catalog::BenchmarkResult>(text);
  one<std::vector<seeds::fullstack::ItemCreate>>(text);
  return 0;
}
