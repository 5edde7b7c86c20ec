// A row of plain Values as a CellSource (tests of FieldInfo / TypeMap reads):
// it publishes no cell views, so every read goes through the virtual do_*
// functions, as a source without views does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "strata/core/cell.hpp"
#include "strata/core/value.hpp"

namespace strata_test {

class ValueRow : public strata::CellSource {
 public:
  explicit ValueRow(std::vector<strata::Value> v) : v_(std::move(v)) {}
  bool do_is_null(int i) const override { return v_[i].is_null(); }
  std::int64_t do_get_int64(int i) const override { return *v_[i].get_if<std::int64_t>(); }
  double do_get_double(int i) const override { return *v_[i].get_if<double>(); }
  std::string_view do_get_text(int i) const override { return *v_[i].get_if<std::string>(); }
  std::span<const std::byte> do_get_bytes(int i) const override { return *v_[i].get_if<strata::Bytes>(); }
  strata::Value do_get_value(int i) const override { return v_[i]; }

 private:
  std::vector<strata::Value> v_;
};

}  // namespace strata_test
