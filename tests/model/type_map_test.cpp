// TypeMap: SQL types per C++ type and the lenient conversions.
#include "strata/model/type_map.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/value_row.hpp"
#include "strata/core/error.hpp"

namespace sm = strata::model;
using strata::SqlType;
using strata::TypeKind;
using strata::Value;

namespace {
enum class Color { red, green, blue };

using FakeRow = strata_test::ValueRow;
}  // namespace

TEST(model_type_map, SqlTypes) {
  EXPECT_EQ(sm::TypeMap<bool>::sql(), SqlType::boolean());
  EXPECT_EQ(sm::TypeMap<std::int16_t>::sql(), SqlType::small_integer());
  EXPECT_EQ(sm::TypeMap<int>::sql(), SqlType::integer());
  EXPECT_EQ(sm::TypeMap<std::int64_t>::sql(), SqlType::big_integer());
  EXPECT_EQ(sm::TypeMap<long long>::sql(), SqlType::big_integer());
  EXPECT_EQ(sm::TypeMap<float>::sql(), SqlType::float_());
  EXPECT_EQ(sm::TypeMap<double>::sql(), SqlType::double_());
  EXPECT_EQ(sm::TypeMap<strata::Numeric>::sql(), SqlType::numeric());
  EXPECT_EQ(sm::TypeMap<std::string>::sql(), SqlType::string());
  EXPECT_EQ(sm::TypeMap<strata::Bytes>::sql(), SqlType::bytes());
  EXPECT_EQ(sm::TypeMap<strata::Uuid>::sql(), SqlType::uuid());
  EXPECT_EQ(sm::TypeMap<strata::Date>::sql(), SqlType::date());
  EXPECT_EQ(sm::TypeMap<strata::Time>::sql(), SqlType::time());
  EXPECT_EQ(sm::TypeMap<strata::DateTime>::sql(), SqlType::datetime(false));
  EXPECT_EQ(sm::TypeMap<strata::DateTimeTz>::sql(), SqlType::datetime(true));
  EXPECT_EQ(sm::TypeMap<strata::Json>::sql(), SqlType::json());
  EXPECT_EQ(sm::TypeMap<std::vector<std::string>>::sql(), SqlType::string_array());
  EXPECT_EQ(sm::TypeMap<std::optional<int>>::sql(), SqlType::integer());
  static_assert(sm::TypeMap<std::optional<int>>::nullable);
  static_assert(!sm::TypeMap<int>::nullable);
  static_assert(!sm::is_mapped_type_v<std::uint64_t>);
  static_assert(!sm::is_mapped_type_v<std::optional<char>>);
}

TEST(model_type_map, ValuesKeepSemanticTypes) {
  auto u = strata::Uuid::v4();
  EXPECT_EQ(sm::TypeMap<strata::Uuid>::to_value(u), Value(u));
  EXPECT_EQ(sm::TypeMap<bool>::to_value(true), Value(true));
  EXPECT_EQ(sm::TypeMap<strata::Json>::to_value(nlohmann::json{{"a", 1}}), Value(strata::JsonText{R"({"a":1})"}));
  EXPECT_EQ(sm::TypeMap<std::vector<std::string>>::to_value({"a", "b"}), Value(strata::StringList{"a", "b"}));
  EXPECT_EQ(sm::TypeMap<Color>::to_value(Color::blue), Value("blue"));
  EXPECT_EQ(sm::TypeMap<std::optional<int>>::to_value(std::nullopt), Value());
  EXPECT_EQ(sm::TypeMap<std::optional<int>>::to_value(4), Value(4));
}

TEST(model_type_map, LenientBool) {
  using M = sm::TypeMap<bool>;
  EXPECT_TRUE(M::from_value(Value(1)));
  EXPECT_FALSE(M::from_value(Value(0)));
  for (const char* t : {"t", "true", "TRUE", "1"}) EXPECT_TRUE(M::from_value(Value(t))) << t;
  for (const char* f : {"f", "false", "0"}) EXPECT_FALSE(M::from_value(Value(f))) << f;
  EXPECT_THROW(M::from_value(Value(2)), strata::SchemaError);
  EXPECT_THROW(M::from_value(Value("maybe")), strata::SchemaError);
}

TEST(model_type_map, LenientIntegers) {
  EXPECT_EQ(sm::TypeMap<int>::from_value(Value("42")), 42);
  EXPECT_EQ(sm::TypeMap<int>::from_value(Value(42.0)), 42);
  EXPECT_EQ(sm::TypeMap<std::int64_t>::from_value(Value(std::int64_t{1} << 40)), std::int64_t{1} << 40);
  EXPECT_THROW(sm::TypeMap<std::int16_t>::from_value(Value(70000)), strata::SchemaError);
  EXPECT_THROW(sm::TypeMap<int>::from_value(Value(4.5)), strata::SchemaError);
  try {
    sm::TypeMap<int>::from_value(Value("abc"));
    FAIL();
  } catch (const strata::SchemaError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot convert 'abc' to Integer");
  }
}

TEST(model_type_map, LenientUuid) {
  auto u = strata::Uuid::v4();
  using M = sm::TypeMap<strata::Uuid>;
  EXPECT_EQ(M::from_value(Value(u.str())), u);
  EXPECT_EQ(M::from_value(Value(u.hex())), u);
  strata::Bytes blob(16);
  for (int i = 0; i < 16; ++i) blob[i] = static_cast<std::byte>(u.bytes()[i]);
  EXPECT_EQ(M::from_value(Value(blob)), u);
  EXPECT_THROW(M::from_value(Value("not-a-uuid")), strata::SchemaError);
  EXPECT_THROW(M::from_value(Value(strata::Bytes(15))), strata::SchemaError);
}

TEST(model_type_map, DatesFromIsoText) {
  using namespace std::chrono;
  EXPECT_EQ(sm::TypeMap<strata::Date>::from_value(Value("2024-03-01")), strata::Date{2024y / March / 1d});
  auto dt = sm::TypeMap<strata::DateTime>::from_value(Value("2024-03-01 13:45:00.250000"));
  EXPECT_EQ(dt, local_days{2024y / March / 1d} + 13h + 45min + 250ms);
  auto tz = sm::TypeMap<strata::DateTimeTz>::from_value(Value("2024-03-01T13:45:00+02:00"));
  EXPECT_EQ(tz, sys_days{2024y / March / 1d} + 11h + 45min);
  EXPECT_EQ(sm::TypeMap<strata::Time>::from_value(Value("13:45:00")).since_midnight, 13h + 45min);
  EXPECT_THROW(sm::TypeMap<strata::Date>::from_value(Value("yesterday")), strata::SchemaError);
}

TEST(model_type_map, NumericFromTextIntDouble) {
  using M = sm::TypeMap<strata::Numeric>;
  EXPECT_EQ(M::from_value(Value("86.40")).text, "86.40");
  EXPECT_EQ(M::from_value(Value(12)).text, "12");
  EXPECT_EQ(M::from_value(Value(86.4)).text, "86.4");
  EXPECT_THROW(M::from_value(Value("12abc")), strata::SchemaError);
}

TEST(model_type_map, JsonFromText) {
  using M = sm::TypeMap<strata::Json>;
  EXPECT_EQ(M::from_value(Value(R"({"ctx": 128000})"))["ctx"], 128000);
  EXPECT_EQ(M::from_value(Value(strata::JsonText{"[1,2]"})).size(), 2u);
  EXPECT_THROW(M::from_value(Value("{oops")), strata::SchemaError);
}

TEST(model_type_map, StringListFromJsonOrPgArray) {
  using M = sm::TypeMap<std::vector<std::string>>;
  using L = std::vector<std::string>;
  EXPECT_EQ(M::from_value(Value(R"(["coding", "creative-writing"])")), (L{"coding", "creative-writing"}));
  EXPECT_EQ(M::from_value(Value("{coding,creative-writing}")), (L{"coding", "creative-writing"}));
  EXPECT_EQ(M::from_value(Value(R"({"a b","c\"d",e})")), (L{"a b", "c\"d", "e"}));
  EXPECT_EQ(M::from_value(Value("{}")), L{});
  EXPECT_THROW(M::from_value(Value("{a,NULL}")), strata::SchemaError);
  EXPECT_THROW(M::from_value(Value("[1,2]")), strata::SchemaError);
}

TEST(model_type_map, EnumFromName) {
  EXPECT_EQ(sm::TypeMap<Color>::from_value(Value("green")), Color::green);
  EXPECT_THROW(sm::TypeMap<Color>::from_value(Value("purple")), strata::SchemaError);
}

TEST(model_type_map, OptionalAndCells) {
  FakeRow row({Value(), Value("t"), Value(7)});
  EXPECT_EQ(sm::TypeMap<std::optional<int>>::from_cell(row, 0), std::nullopt);
  EXPECT_TRUE(sm::TypeMap<bool>::from_cell(row, 1));
  EXPECT_EQ(sm::TypeMap<std::optional<int>>::from_cell(row, 2), 7);
  EXPECT_THROW(sm::TypeMap<int>::from_cell(row, 0), strata::SchemaError);  // NULL into int
}
