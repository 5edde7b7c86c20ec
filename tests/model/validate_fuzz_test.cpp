// Regressions found by fuzz/validate_json_fuzz.cpp: each input must give a
// ValidationError whose bodies render (json().dump() must not throw).
#include <gtest/gtest.h>

#include <string>

#include "seed_models.hpp"
#include "strata/model/validate.hpp"

namespace {

TEST(ValidateFuzzRegressions, InvalidUtf8TextRendersAsReplacementCharacters) {
  // Bad UTF-8 is bad JSON; the error echoes the text, which dump() would refuse.
  const std::string text = "\"just a \x8d\x8dring\"";
  try {
    (void)strata::model::validate_json<seeds::fullstack::ItemCreate>(text);
    FAIL() << "no ValidationError";
  } catch (const strata::ValidationError& e) {
    ASSERT_EQ(e.errors().size(), 1U);
    EXPECT_EQ(e.errors()[0].type, "json_invalid");
    EXPECT_EQ(e.errors()[0].input, "\"just a \xEF\xBF\xBD\xEF\xBF\xBDring\"");
    std::string body;
    EXPECT_NO_THROW(body = e.json().dump());
    EXPECT_NE(body.find("json_invalid"), std::string::npos);
    EXPECT_NO_THROW((void)e.errors_json().dump());
  }
}

}  // namespace

TEST(ValidateFuzzRegressions, NumberTooLargeForADoubleIsInvalidJson) {
  // nlohmann throws out_of_range (406), not parse_error, for this number.
  try {
    (void)strata::model::validate_json<seeds::fullstack::ItemCreate>("9999e99999,");
    ADD_FAILURE() << "no ValidationError";
  } catch (const strata::ValidationError& e) {
    ASSERT_EQ(e.errors().size(), 1u);
    EXPECT_EQ(e.errors()[0].type, "json_invalid");
    EXPECT_NO_THROW((void)e.json().dump());
  }
}
