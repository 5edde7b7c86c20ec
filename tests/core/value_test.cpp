#include "strata/core/value.hpp"

#include <gtest/gtest.h>

#include "strata/core/types.hpp"

namespace {

using namespace std::chrono;
using namespace std::chrono_literals;
using strata::Value;

TEST(Value, DefaultIsNull) {
  EXPECT_TRUE(Value{}.is_null());
  EXPECT_TRUE(Value{nullptr}.is_null());
  EXPECT_FALSE(Value{0}.is_null());
}

TEST(Value, IntegersAreInt64) {
  EXPECT_TRUE(Value{short{3}}.holds<std::int64_t>());
  EXPECT_TRUE(Value{3u}.holds<std::int64_t>());
  EXPECT_TRUE(Value{true}.holds<bool>());
  EXPECT_TRUE(Value{"x"}.holds<std::string>());
}

TEST(Value, Repr) {
  EXPECT_EQ(Value{}.repr(), "NULL");
  EXPECT_EQ(Value{true}.repr(), "true");
  EXPECT_EQ(Value{false}.repr(), "false");
  EXPECT_EQ(Value{42}.repr(), "42");
  EXPECT_EQ(Value{-7LL}.repr(), "-7");
  EXPECT_EQ(Value{1.5}.repr(), "1.5");
  EXPECT_EQ(Value{2.0}.repr(), "2.0");
  EXPECT_EQ(Value{"abc"}.repr(), "'abc'");
  EXPECT_EQ(Value{"it's"}.repr(), "'it''s'");
  EXPECT_EQ((Value{strata::Bytes{std::byte{0x0a}, std::byte{0xff}}}.repr()), "X'0AFF'");
  EXPECT_EQ(Value{strata::Uuid::parse("1b4e28ba2fa111d2883f0016d3cca427")}.repr(),
            "'1b4e28ba-2fa1-11d2-883f-0016d3cca427'");
  EXPECT_EQ(Value{strata::Date{2024y / 3 / 1}}.repr(), "'2024-03-01'");
  EXPECT_EQ(Value{strata::Time{13h + 45min + 250ms}}.repr(), "'13:45:00.250000'");
  EXPECT_EQ(Value{strata::DateTime{local_days{2024y / 3 / 1}.time_since_epoch()} + 13h}.repr(),
            "'2024-03-01 13:00:00'");
  EXPECT_EQ(Value{strata::DateTimeTz{sys_days{2024y / 3 / 1}.time_since_epoch()} + 13h}.repr(),
            "'2024-03-01 13:00:00+00:00'");
  EXPECT_EQ(Value{strata::Numeric{"86.40"}}.repr(), "86.40");
  EXPECT_EQ(Value{strata::JsonText{R"({"a": 1})"}}.repr(), R"('{"a": 1}')");
  EXPECT_EQ((Value{strata::StringList{"a", "b\"c", "d'e"}}.repr()), R"('["a", "b\"c", "d''e"]')");
}

TEST(Value, Equality) {
  EXPECT_EQ(Value{1}, Value{1LL});
  EXPECT_NE(Value{1}, Value{1.0});
  EXPECT_NE(Value{}, Value{0});
}

TEST(Types, ToString) {
  EXPECT_STREQ(strata::to_string(strata::TypeKind::BigInteger), "BigInteger");
  EXPECT_STREQ(strata::to_string(strata::TypeKind::StringArray), "StringArray");
  EXPECT_STREQ(strata::to_string(strata::TypeKind::Enum), "Enum");
  EXPECT_STREQ(strata::to_string(strata::TypeKind::Uuid), "Uuid");
}

TEST(Types, Factories) {
  EXPECT_EQ(strata::SqlType::string(255).length, 255);
  EXPECT_EQ(strata::SqlType::numeric(10, 2).scale, 2);
  EXPECT_TRUE(strata::SqlType::datetime(true).timezone);
  EXPECT_TRUE(strata::SqlType::big_integer().is_integer());
  EXPECT_FALSE(strata::SqlType::double_().is_integer());
  EXPECT_EQ(strata::SqlType::of(strata::TypeKind::Json), strata::SqlType::json());
}

}  // namespace
