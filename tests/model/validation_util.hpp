// Shared by the validation tests (tests/model/*_test.cpp).
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "strata/model/validation_error.hpp"

namespace strata_validation_test {

/// The errors_json() of the ValidationError that f throws (a test failure when none).
template <class F>
nlohmann::json errors_of(F&& f) {
  try {
    f();
  } catch (const strata::ValidationError& e) {
    return e.errors_json();
  }
  ADD_FAILURE() << "no ValidationError";
  return nullptr;
}

}  // namespace strata_validation_test
