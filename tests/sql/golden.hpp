// Test helpers for golden SQL: readable gtest output for Values.
#pragma once

#include <ostream>

#include "strata/core/value.hpp"

namespace strata {
// gtest prints a Value through this (ADL) instead of dumping its bytes.
inline void PrintTo(const Value& v, std::ostream* os) { *os << v.repr(); }
}  // namespace strata

// Asserts the SQL text and the bound parameters of a Compiled.
#define EXPECT_COMPILED(compiled, want_sql, ...)                        \
  do {                                                                  \
    const ::strata::sql::Compiled c_ = (compiled);                      \
    EXPECT_EQ(c_.sql, want_sql);                                        \
    EXPECT_EQ(c_.params, (std::vector<::strata::Value>{__VA_ARGS__})); \
  } while (0)
