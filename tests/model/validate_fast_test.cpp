// validate_json's fast path (src/model/validate_fast.cpp, simdjson) against
// the nlohmann::json path: for every input, validate_json<T>(text) gives the
// same object, or the same ValidationError (errors, summary, model), as
// parsing with nlohmann::json and validating the tree, which is what
// validate_json did before the fast path (parse_or_error + validate<T>).
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "seed_models.hpp"
#include "strata/model/dump.hpp"
#include "strata/model/validate.hpp"

namespace vf {

enum class Color { red, green, blue };

/// Every member kind the fast path handles, and some it leaves to the slow path.
struct Plain {
  std::string name;                  // required, 1..5 characters
  std::optional<std::string> note;   // at most 3 characters
  bool flag = false;
  std::int16_t small = 0;
  int mid = 0;                       // -10..1000
  std::int64_t big = 0;
  float f = 0;
  double d = 0;
  std::optional<double> maybe;
  Color color = Color::red;
  std::optional<strata::Uuid> id;
  std::optional<strata::Date> day;
  std::optional<strata::Time> time;
  std::optional<strata::DateTime> at;
  std::optional<strata::DateTimeTz> at_tz;
  std::optional<std::string> code;   // pattern
  std::optional<std::string> email;  // email()
  strata::Numeric price;             // slow path only
  std::vector<std::string> tags;     // slow path only
};
STRATA_MODEL(Plain, field<&Plain::name>().min_length(1).max_length(5), field<&Plain::note>().max_length(3),
             field<&Plain::flag>().has_default(), field<&Plain::small>().has_default(),
             field<&Plain::mid>().has_default().ge(-10).le(1000), field<&Plain::big>().has_default(),
             field<&Plain::f>().has_default(), field<&Plain::d>().has_default(),
             field<&Plain::color>().has_default(), field<&Plain::code>().pattern("^[A-Z]+$"),
             field<&Plain::email>().email(), field<&Plain::price>().has_default(),
             field<&Plain::tags>().has_default());

/// extra_forbid(): unknown keys are errors.
struct Closed {
  std::string a;
  int b = 0;
};
STRATA_MODEL(Closed, field<&Closed::b>().has_default(), extra_forbid());

/// Members whose initializers are not the value-initialized state (so not
/// required): input replaces them, absent keys keep them.
struct Defaults {
  std::string title = "untitled";
  std::optional<std::string> nick = "anon";
  int n = 7;
};
STRATA_MODEL(Defaults, field<&Defaults::title>().max_length(4));

/// Custom and model validators: the slow path's (they must run once).
struct Checked {
  std::string word;
  int n = 0;
};
STRATA_MODEL(Checked,
             field<&Checked::word>().validator([](const std::string& w) -> std::optional<std::string> {
               if (w == "bad") return "no bad words";
               return std::nullopt;
             }),
             field<&Checked::n>().has_default(),
             model_validator([](const Checked& c) -> std::optional<std::string> {
               if (c.n > 10 && c.word == "small") return "small words take n <= 10";
               return std::nullopt;
             }));

/// Nested models: the slow path's.
struct Line {
  std::string sku;
  int qty = 0;
};
STRATA_MODEL(Line, field<&Line::sku>().min_length(1), field<&Line::qty>().ge(1));
struct Order {
  std::string reference;
  Line first;
  std::vector<Line> lines;
};
STRATA_MODEL(Order, field<&Order::reference>().min_length(1));

/// A member type whose TypeMap tells how it was written: from_cell (the fast
/// path writes strings through FieldInfo::read) or from_value (the slow path).
struct Traced {
  std::string text;
  bool via_cell = false;
  friend bool operator==(const Traced& a, const Traced& b) { return a.text == b.text; }
};

/// A member whose conversion itself calls validate_json (of Line): a nested
/// validate_json on the same thread while the outer one is under way.
struct LineText {
  Line line;
  friend bool operator==(const LineText& a, const LineText& b) {
    return a.line.sku == b.line.sku && a.line.qty == b.line.qty;
  }
};

}  // namespace vf

namespace strata::model {
template <>
struct TypeMap<vf::Traced> {
  static constexpr bool supported = true;
  static constexpr bool nullable = false;
  static SqlType sql() { return SqlType::string(); }
  static Value to_value(const vf::Traced& t) { return Value(t.text); }
  static vf::Traced from_value(const Value& v) { return vf::Traced{convert::to_string(v), false}; }
  static vf::Traced from_cell(const CellSource& row, int col) { return vf::Traced{std::string(row.get_text(col)), true}; }
};
template <>
struct TypeMap<vf::LineText> {
  static constexpr bool supported = true;
  static constexpr bool nullable = false;
  static SqlType sql() { return SqlType::string(); }
  static Value to_value(const vf::LineText& t) { return Value(to_json(t.line).dump()); }
  static vf::LineText from_value(const Value& v) { return vf::LineText{validate_json<vf::Line>(convert::to_string(v))}; }
  static vf::LineText from_cell(const CellSource& row, int col) {
    return vf::LineText{validate_json<vf::Line>(row.get_text(col))};
  }
};
}  // namespace strata::model

namespace vf {

struct Tracing {
  Traced label;
  int n = 0;
};
STRATA_MODEL(Tracing, field<&Tracing::n>().has_default());

struct Wrapper {
  LineText inner;
  std::string after;
  int n = 0;
};
STRATA_MODEL(Wrapper, field<&Wrapper::n>().has_default());

}  // namespace vf

namespace {

using nlohmann::json;
using strata::ValidationError;
using strata::model::validate_json;

/// An object (as to_json dumps it) or a ValidationError (model, what(), errors).
struct Result {
  bool ok = false;
  std::string text;  // to_json(obj).dump() or model + what() + errors_json().dump()
};

std::string error_text(const ValidationError& e) {
  return e.model() + "\n" + e.what() + "\n" + e.errors_json().dump() + "\n" + e.json().dump();
}

/// validate_json<T>(text), fast path included.
template <class T>
Result with_fast_path(const std::string& text) {
  try {
    return {true, strata::model::to_json(validate_json<T>(text)).dump()};
  } catch (const ValidationError& e) {
    return {false, error_text(e)};
  }
}

/// What validate_json<T> did before the fast path: nlohmann::json::parse
/// (parse_or_error: bad JSON is one json_invalid error), then validate<T>.
template <class T>
Result nlohmann_path(const std::string& text) {
  std::vector<strata::ErrorDetail> errors;
  const json j = strata::model::detail::parse_or_error(text, errors);
  try {
    if (!errors.empty()) throw ValidationError(std::string(strata::model::info<T>().model), std::move(errors));
    return {true, strata::model::to_json(strata::model::validate<T>(j)).dump()};
  } catch (const ValidationError& e) {
    return {false, error_text(e)};
  }
}

template <class T>
void expect_same(const std::vector<std::string>& texts, int min_valid = 0) {
  int valid = 0;
  for (const auto& text : texts) {
    const Result fast = with_fast_path<T>(text), slow = nlohmann_path<T>(text);
    EXPECT_EQ(fast.ok, slow.ok) << "input: " << text;
    EXPECT_EQ(fast.text, slow.text) << "input: " << text;
    valid += slow.ok ? 1 : 0;
  }
  EXPECT_GE(valid, min_valid);  // the list does exercise the happy path
}

TEST(ValidateFast, ScalarKindsAgree) {
  expect_same<vf::Plain>(
      {
          R"({"name": "ab"})",
          R"({"name": "abcde", "note": "xyz", "flag": true, "small": -32768, "mid": 1000, "big": -9223372036854775808,
              "f": 0.1, "d": 1e-320, "maybe": 3, "color": "green", "id": "6f9619ff-8b86-d011-b42d-00c04fc964ff",
              "day": "2024-02-29", "time": "13:45:00", "at": "2024-05-01T13:45:00", "at_tz": "2024-05-01T13:45:00+02:00",
              "code": "ABC", "email": "a.b@example.com"})",
          R"({"name": "a", "small": 32767, "mid": -10, "big": 9223372036854775807, "flag": false})",
          R"({"name": "a", "d": 123, "f": -7, "maybe": null, "note": null})",
          R"({"name": "a", "d": 18446744073709551615})",
          R"({"name": "a", "d": -0})",
          R"({"name": "a", "d": -0.0})",
          R"({"name": "a", "d": 9007199254740993})",
          R"({"name": "a", "d": 2.2250738585072011e-308, "f": 3.4e38})",
          R"({"name": "a", "d": 1e400})",
          R"({"name": "a", "id": "urn:uuid:6f9619ff-8b86-d011-b42d-00c04fc964ff"})",
          R"({"name": "a", "id": "6f9619ff8b86d011b42d00c04fc964ff"})",
          R"({"name": "a", "id": "6f9619ff-8b86"})",
          R"({"name": "a", "day": "2024-13-01"})",
          R"({"name": "a", "day": "2024-02-30"})",
          R"({"name": "a", "time": "25:00"})",
          R"({"name": "a", "at": "2024-05-01 13:45:00"})",
          R"({"name": "a", "at": "2024-05-01X13:45:00"})",
          R"({"name": "a", "at_tz": "2024-05-01T13:45:00Z"})",
          R"({"name": "a", "color": "purple"})",
          R"({"name": "a", "color": 1})",
          R"({"name": "a", "code": "abc"})",
          R"({"name": "a", "email": "not an address"})",
          R"({"name": "a", "email": "a..b@example.com"})",
          R"({"name": "a", "price": 9.99})",
          R"({"name": "a", "price": "9.99", "tags": ["x", "y"]})",
          R"({"name": "a", "tags": ["x", 1]})",
      },
      10);
}

TEST(ValidateFast, InitializersAgree) {
  expect_same<vf::Defaults>(
      {
          R"({})",
          R"({"title": "abc", "nick": "z", "n": 1})",
          R"({"nick": null})",
          R"({"nick": "a much longer nickname than fits in place"})",
          R"({"title": "too long"})",
          R"({"title": null})",
      },
      4);
}

TEST(ValidateFast, LaxInputAgrees) {
  // Valid in Pydantic's lax mode: the fast path leaves them to the slow one.
  expect_same<vf::Plain>({
      R"({"name": "a", "mid": "123"})",
      R"({"name": "a", "mid": " 12 "})",
      R"({"name": "a", "mid": "12.0"})",
      R"({"name": "a", "mid": 1.0})",
      R"({"name": "a", "mid": 1.5})",
      R"({"name": "a", "mid": true})",
      R"({"name": "a", "mid": "abc"})",
      R"({"name": "a", "big": 1e3})",
      R"({"name": "a", "f": "1.5"})",
      R"({"name": "a", "f": true})",
      R"({"name": "a", "d": "inf"})",
      R"({"name": "a", "d": "nan"})",
      R"({"name": "a", "flag": 1})",
      R"({"name": "a", "flag": 0.0})",
      R"({"name": "a", "flag": "yes"})",
      R"({"name": "a", "flag": "Off"})",
      R"({"name": "a", "flag": 2})",
      R"({"name": 12})",
      R"({"name": ["a"]})",
      R"({"name": {"x": 1}})",
      R"({"name": "a", "mid": [1]})",
      R"({"name": "a", "note": 5})",
  });
}

TEST(ValidateFast, NullsAgree) {
  expect_same<vf::Plain>(
      {
          R"({"name": null})",
          R"({"name": "a", "mid": null})",
          R"({"name": "a", "flag": null})",
          R"({"name": "a", "color": null})",
          R"({"name": "a", "note": null, "maybe": null, "id": null, "day": null, "at_tz": null, "code": null})",
      },
      1);
}

TEST(ValidateFast, NumbersOutOfRangeAgree) {
  expect_same<vf::Plain>({
      R"({"name": "a", "small": 32768})",
      R"({"name": "a", "small": -32769})",
      R"({"name": "a", "mid": 2147483648})",
      R"({"name": "a", "mid": 1001})",
      R"({"name": "a", "mid": -11})",
      R"({"name": "a", "big": 9223372036854775808})",
      R"({"name": "a", "big": -9223372036854775809})",
      R"({"name": "a", "big": 18446744073709551616})",
      R"({"name": "a", "big": 99999999999999999999})",
      R"({"name": "a", "d": 1.7976931348623159e308})",
      R"({"name": "a", "d": 9999e99999})",
  });
}

TEST(ValidateFast, StringLengthsCountCodePoints) {
  // max_length 5 / 3 and min_length 1 in characters (UTF-8 code points), not bytes.
  expect_same<vf::Plain>(
      {
          R"({"name": ""})",
          "{\"name\": \"h\xc3\xa9llo\"}",                   // 5 characters, 6 bytes
          "{\"name\": \"h\xc3\xa9llo!\"}",                  // 6 characters
          "{\"name\": \"a\", \"note\": \"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\"}",      // 3 characters, 9 bytes
          "{\"name\": \"a\", \"note\": \"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9ex\"}",     // 4 characters
          "{\"name\": \"a\", \"note\": \"\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\"}",  // 3 emoji, 12 bytes
          R"({"name": "a", "note": "\ud83d\ude00\ud83d\ude00\ud83d\ude00"})",  // the same, escaped
          R"({"name": "a", "note": "\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00"})",
          R"({"name": "\u00e9\u00e9\u00e9\u00e9\u00e9"})",
          R"({"name": "a\u0000b"})",
          R"({"name": "a\"\\\/\b"})",
          R"({"name": "\t\n\r\f"})",
          R"({"name": "abcdef"})",
      },
      8);
}

TEST(ValidateFast, KeysAgree) {
  expect_same<vf::Plain>(
      {
          R"({})",
          R"({"note": "x"})",
          R"({"name": "a", "unknown": [1, {"deep": null}]})",  // ignored
          R"({"na\u006de": "ab"})",                              // escaped key
          R"({"name": "a", "name": "bb"})",                      // duplicates: the last one counts
          R"({"name": "toolong", "name": "ok"})",
          R"({"name": "ok", "name": ""})",
          R"({"name": "ok", "mid": "x", "mid": 5})",
          R"({"Name": "ab"})",
      },
      4);
  expect_same<vf::Closed>(
      {
          R"({"a": "x"})",
          R"({"a": "x", "b": 2})",
          R"({"a": "x", "c": 1})",
          R"({"a": "x", "c": 1, "d": null})",
          R"({"b": 2, "c": 1})",
          R"({"a": "x", "a": "y"})",
      },
      2);
}

TEST(ValidateFast, BadJsonAndNonObjectsAgree) {
  expect_same<vf::Plain>({
      "",
      " ",
      "{",
      R"({"name": "a",})",
      R"({"name": "a"} x)",
      R"({"name": "a"}{"name": "b"})",
      R"({'name': 'a'})",
      R"({"name": "a\x"})",
      R"({"name": "\ud800"})",
      R"({"name": "\udc00"})",
      "{\"name\": \"a\x01\"}",
      "{\"name\": \"\xff\"}",
      "{\"name\": \"a\"}\n",
      std::string("{\"name\": \"a\"}\0", 14),
      "\xef\xbb\xbf{\"name\": \"a\"}",  // a UTF-8 BOM: nlohmann::json skips it, simdjson refuses it
      R"({"name": "a", "mid": 01})",
      R"({"name": "a", "mid": -})",
      R"({"name": "a", "d": 1.})",
      R"({"name": "a", "d": .5})",
      R"({"name": "a", "d": NaN})",
      R"({"name": "a", "flag": tru})",
      "1",
      "null",
      R"("text")",
      "[]",
      R"([{"name": "a"}])",
  });
}

TEST(ValidateFast, ValidatorsAndNestedModelsAgree) {
  expect_same<vf::Checked>(
      {
          R"({"word": "fine", "n": 3})",
          R"({"word": "bad"})",
          R"({"word": "small", "n": 11})",
          R"({"word": "small", "n": 10})",
          R"({"n": 1})",
      },
      2);
  expect_same<vf::Order>(
      {
          R"({"reference": "r", "first": {"sku": "a", "qty": 1}, "lines": []})",
          R"({"reference": "r", "first": {"sku": "a", "qty": 1}, "lines": [{"sku": "b", "qty": 2}]})",
          R"({"reference": "", "first": {"sku": "", "qty": 0}, "lines": [{"sku": "b"}, 3]})",
          R"({"reference": "r"})",
      },
      2);
}

TEST(ValidateFast, SeedModelsAgree) {
  expect_same<seeds::fullstack::ItemCreate>(
      {
          R"({"title": "item 1"})",
          R"({"title": "item 1", "description": null})",
          R"({"title": "item 1", "description": "the description"})",
          R"({"title": ""})",
          R"({"description": "no title"})",
          R"({"title": 5})",
      },
      3);
  expect_same<seeds::fullstack::UserCreate>(
      {
          R"({"email": "a@example.com", "password": "12345678"})",
          R"({"email": "a@example.com", "password": "12345678", "is_active": false, "full_name": "A B"})",
          R"({"email": "a@example", "password": "1234"})",
          R"({"email": "a@example.com", "password": "12345678", "is_superuser": "true"})",
      },
      2);
  // A table model with extends<> bases (fields reached through the bases).
  expect_same<seeds::catalog::BenchmarkResult>(
      {
          R"({"score": 86.4, "date_tested": "2024-03-01", "source": "paper", "model_id": 1, "benchmark_id": 2})",
          R"({"score": 67, "model_id": 1, "benchmark_id": 2})",
          R"({"score": "x"})",
      },
      2);
}

TEST(ValidateFast, VectorsAndPatchesKeepTheirPath) {
  using strata::model::Patch;
  const auto items = validate_json<std::vector<seeds::fullstack::ItemCreate>>(R"([{"title": "a"}, {"title": "b"}])");
  ASSERT_EQ(items.size(), 2U);
  EXPECT_EQ(items[1].title, "b");
  const auto patch = validate_json<Patch<seeds::fullstack::ItemCreate>>(R"({"description": null})");
  EXPECT_TRUE(patch.is_set("description"));
  EXPECT_FALSE(patch.is_set("title"));
}

TEST(ValidateFast, PlainValidInputTakesTheFastPath) {
  // Traced's TypeMap records whether it was written from a cell (the fast
  // path: FieldInfo::read) or from a Value (the nlohmann::json path).
  EXPECT_TRUE(validate_json<vf::Tracing>(R"({"label": "x", "n": 1})").label.via_cell);
  // Lax input ("1" for an int) is the slow path's, for the whole object.
  const auto lax = validate_json<vf::Tracing>(R"({"label": "x", "n": "1"})");
  EXPECT_FALSE(lax.label.via_cell);
  EXPECT_EQ(lax.n, 1);
  EXPECT_FALSE(strata::model::validate<vf::Tracing>(json{{"label", "x"}}).label.via_cell);
}

TEST(ValidateFast, NestedValidateJsonOnTheSameThread) {
  // The inner validate_json runs while the outer one walks its parsed text:
  // the outer's document must survive it.
  const auto w = validate_json<vf::Wrapper>(R"({"inner": "{\"sku\": \"s1\", \"qty\": 2}", "after": "tail", "n": 7})");
  EXPECT_EQ(w.inner.line.sku, "s1");
  EXPECT_EQ(w.inner.line.qty, 2);
  EXPECT_EQ(w.after, "tail");
  EXPECT_EQ(w.n, 7);
  // An invalid inner text: the conversion throws ValidationError, which the
  // nlohmann::json path reports as the member's value_error.
  expect_same<vf::Wrapper>({
      R"({"inner": "{\"sku\": \"s1\", \"qty\": 2}", "after": "tail"})",
      R"({"inner": "{\"sku\": \"\", \"qty\": 0}", "after": "tail"})",
      R"({"inner": "not json", "after": "tail"})",
  });
}

TEST(ValidateFast, ManyValidTextsInARow) {
  // The thread's parser is reused: later (shorter or longer) texts must not see earlier ones.
  for (int i = 0; i < 200; ++i) {
    const std::string title = std::string(static_cast<std::size_t>(i % 37) + 1, static_cast<char>('a' + i % 26));
    const std::string text = i % 3 == 0 ? "{\"title\": \"" + title + "\"}"
                                        : "{\"title\": \"" + title + "\", \"description\": \"" + title + title + "\"}";
    const auto item = validate_json<seeds::fullstack::ItemCreate>(text);
    ASSERT_EQ(item.title, title);
    if (i % 3 == 0) EXPECT_FALSE(item.description.has_value());
    else EXPECT_EQ(item.description, title + title);
  }
}

}  // namespace
