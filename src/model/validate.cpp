// strata/model/validate.cpp - validation of JSON input and of typed objects
// against a model's FieldRules, with Pydantic v2's error types and messages.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <limits>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>

#include "core/text.hpp"
#include "model/validate_internal.hpp"
#include "strata/model/dump.hpp"
#include "strata/model/validate.hpp"

namespace strata {

nlohmann::json ErrorDetail::to_json() const {
  nlohmann::json j{{"type", type}, {"loc", loc}, {"msg", msg}, {"input", input}};
  if (!ctx.is_null()) j["ctx"] = ctx;
  return j;
}

namespace {

using strata::detail::trim;
std::string summary(const std::string& model, const std::vector<ErrorDetail>& errors) {
  std::string s = std::to_string(errors.size()) + " validation error" + (errors.size() == 1 ? "" : "s") +
                  " for " + model;
  for (const auto& e : errors) {
    std::string loc;
    for (const auto& part : e.loc) {
      if (!loc.empty()) loc += '.';
      loc += part.is_string() ? part.get<std::string>() : part.dump();
    }
    s += "\n" + loc + "\n  " + e.msg + " [type=" + e.type + "]";
  }
  return s;
}
}  // namespace

ValidationError::ValidationError(std::string model, std::vector<ErrorDetail> errors, Location where)
    : Error(summary(model, errors), where), model_(std::move(model)), errors_(std::move(errors)) {}

nlohmann::json ValidationError::errors_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : errors_) out.push_back(e.to_json());
  return out;
}

nlohmann::json ValidationError::json() const {
  nlohmann::json detail = nlohmann::json::array();
  for (const auto& e : errors_) {
    nlohmann::json j = e.to_json();
    nlohmann::json loc = nlohmann::json::array({"body"});
    for (const auto& part : e.loc) loc.push_back(part);
    j["loc"] = std::move(loc);
    detail.push_back(std::move(j));
  }
  return nlohmann::json{{"detail", std::move(detail)}};
}

}  // namespace strata

namespace strata::model {

struct CompiledPattern {
  std::regex re;
};

std::shared_ptr<const CompiledPattern> compile_pattern(const std::string& pattern) {
  return std::make_shared<const CompiledPattern>(CompiledPattern{std::regex(pattern, std::regex::ECMAScript)});
}

std::string NumberBound::text() const {
  if (integral) return std::to_string(static_cast<long long>(value));
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, value);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // Python's float repr: 1.0
  return s;
}

namespace {

using json = nlohmann::json;
using Errors = std::vector<ErrorDetail>;

json bound_json(const NumberBound& b) {
  if (b.integral) return static_cast<std::int64_t>(b.value);
  return b.value;
}

json at(const json& loc, const std::string& member) {
  json l = loc;
  l.push_back(member);
  return l;
}

void add(Errors& out, const json& loc, std::string type, std::string msg, json input, json ctx = nullptr) {
  out.push_back(ErrorDetail{loc, std::move(type), std::move(msg), std::move(input), std::move(ctx)});
}

}  // namespace

namespace detail {
std::size_t code_points(std::string_view s) {
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL, kOnes = 0x0101010101010101ULL;
  std::size_t n = 0, i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, s.data() + i, 8);
    // 1 in each byte that is 10xxxxxx (bit 6 shifted into bit 7 rules out 11xxxxxx);
    // the multiplication sums the eight bytes into the top one.
    const std::uint64_t continuation = (w & ~(w << 1) & kHigh) >> 7;
    n += 8 - static_cast<std::size_t>((continuation * kOnes) >> 56);
  }
  for (; i < s.size(); ++i) n += (static_cast<unsigned char>(s[i]) & 0xC0U) != 0x80U ? 1 : 0;
  return n;
}
}  // namespace detail

namespace {

using detail::code_points;

// --- email ------------------------------------------------------------------

bool local_char_ok(unsigned char c) {
  if (c >= 0x80 || std::isalnum(c)) return true;
  return std::string_view("!#$%&'*+/=?^_`{|}~.-").find(static_cast<char>(c)) != std::string_view::npos;
}

/// The reason `s` is not an email address, or nullopt.
std::optional<std::string> email_problem(std::string_view s) {
  const auto at_pos = s.find('@');
  if (at_pos == std::string_view::npos) return "An email address must have an @-sign.";
  if (s.find('@', at_pos + 1) != std::string_view::npos)
    return "The email address is not valid. It must have exactly one @-sign.";
  const std::string_view local = s.substr(0, at_pos), domain = s.substr(at_pos + 1);
  if (local.empty()) return "There must be something before the @-sign.";
  if (domain.empty()) return "There must be something after the @-sign.";
  for (unsigned char c : local)
    if (!local_char_ok(c))
      return "The email address contains invalid characters before the @-sign: '" + std::string(1, static_cast<char>(c)) + "'.";
  if (code_points(local) > 64) return "The email address is too long before the @-sign.";
  if (local.front() == '.') return "An email address cannot start with a period.";
  if (local.back() == '.') return "An email address cannot have a period immediately before the @-sign.";
  if (local.find("..") != std::string_view::npos || domain.find("..") != std::string_view::npos)
    return "An email address cannot have two periods in a row.";
  for (unsigned char c : domain)
    if (!(c >= 0x80 || std::isalnum(c) || c == '-' || c == '.'))
      return "The part after the @-sign contains invalid characters: '" + std::string(1, static_cast<char>(c)) + "'.";
  if (domain.front() == '.') return "An email address cannot have a period immediately after the @-sign.";
  if (domain.back() == '.') return "An email address cannot end with a period.";
  if (domain.find('.') == std::string_view::npos) return "The part after the @-sign is not valid. It should have a period.";
  std::size_t start = 0;
  std::string_view last;
  while (start <= domain.size()) {
    auto end = domain.find('.', start);
    if (end == std::string_view::npos) end = domain.size();
    const std::string_view label = domain.substr(start, end - start);
    if (label.front() == '-' || label.back() == '-')
      return "An email address cannot have a hyphen immediately before or after a period.";
    if (label.size() > 63) return "The part after the @-sign is not valid. A label is too long.";
    last = label;
    start = end + 1;
  }
  if (std::all_of(last.begin(), last.end(), [](unsigned char c) { return std::isdigit(c) != 0; }))
    return "The part after the @-sign is not valid. It is not within a valid top-level domain.";
  return std::nullopt;
}

// --- constraints on a typed Value --------------------------------------------

std::string validator_message(const FieldValidator& v, const Value& value) {
  try {
    return v(value).value_or(std::string());
  } catch (const std::exception& e) {
    std::string m = e.what();
    return m.empty() ? std::string("invalid value") : m;
  }
}

std::optional<double> number_of(const Value& v) {
  if (const auto* i = v.get_if<std::int64_t>()) return static_cast<double>(*i);
  if (const auto* d = v.get_if<double>()) return *d;
  if (const auto* n = v.get_if<Numeric>()) {
    char* end = nullptr;
    const double d = std::strtod(n->text.c_str(), &end);
    if (end && *end == '\0') return d;
  }
  return std::nullopt;
}

}  // namespace

namespace detail {

bool string_error(const FieldInfo& f, std::string_view s, const json& parent, Errors& out, StringRule rule,
                  std::string why) {
  auto add = [&](const char* type, std::string msg, json ctx) {
    ::strata::model::add(out, at(parent, f.member), type, std::move(msg), std::string(s), std::move(ctx));
    return true;
  };
  const FieldRules& r = f.rules;
  switch (rule) {
    case StringRule::MinLength:
      return add("string_too_short",
                 "String should have at least " + std::to_string(*r.min_length) + " character" +
                     (*r.min_length == 1 ? "" : "s"),
                 json{{"min_length", *r.min_length}});
    case StringRule::MaxLength:
      return add("string_too_long",
                 "String should have at most " + std::to_string(*f.type.length) + " character" +
                     (*f.type.length == 1 ? "" : "s"),
                 json{{"max_length", *f.type.length}});
    case StringRule::Pattern:
      return add("string_pattern_mismatch", "String should match pattern '" + r.pattern + "'",
                 json{{"pattern", r.pattern}});
    case StringRule::Email:
      return add("value_error", "value is not a valid email address: " + why, json{{"reason", why}});
  }
  return false;
}

bool matches(const CompiledPattern& p, std::string_view s) { return std::regex_search(s.begin(), s.end(), p.re); }

bool check_email(const FieldInfo& f, std::string_view s, const json& parent, Errors& out) {
  if (auto why = email_problem(s)) return string_error(f, s, parent, out, StringRule::Email, std::move(*why));
  return false;
}

/// At most one built-in constraint error per field, as Pydantic (then the
/// custom validators, if it passed).
void check_value(const FieldInfo& f, const Value& v, const json& parent, Errors& out, const json* given) {
  if (v.is_null()) return;
  // The loc is built only for an error: Session::add checks every add.
  auto add = [&](const char* type, std::string msg, json input, json ctx = nullptr) {
    ::strata::model::add(out, at(parent, f.member), type, std::move(msg), std::move(input), std::move(ctx));
  };
  const FieldRules& r = f.rules;
  if (const auto* s = v.get_if<std::string>()) {
    if (check_string(f, *s, parent, out)) return;
  } else if (r.gt || r.ge || r.lt || r.le || r.multiple_of) {
    if (auto x = number_of(v)) {
      const json input = given ? *given : value_to_json(v);
      if (r.multiple_of) {
        const double m = r.multiple_of->value, rem = std::fmod(*x, m);
        const double eps = std::numeric_limits<double>::epsilon();
        if (std::abs(rem) > eps && std::abs(std::abs(rem) - m) > eps) {
          add("multiple_of", "Input should be a multiple of " + r.multiple_of->text(), input,
              json{{"multiple_of", bound_json(*r.multiple_of)}});
          return;
        }
      }
      struct Check {
        const std::optional<NumberBound>& b;
        bool (*ok)(double, double);
        const char *type, *words, *key;
      };
      const Check checks[] = {
          {r.le, [](double a, double b) { return a <= b; }, "less_than_equal", "less than or equal to", "le"},
          {r.lt, [](double a, double b) { return a < b; }, "less_than", "less than", "lt"},
          {r.ge, [](double a, double b) { return a >= b; }, "greater_than_equal", "greater than or equal to", "ge"},
          {r.gt, [](double a, double b) { return a > b; }, "greater_than", "greater than", "gt"},
      };
      for (const auto& c : checks)
        if (c.b && !c.ok(*x, c.b->value)) {
          add(c.type, std::string("Input should be ") + c.words + " " + c.b->text(), input,
              json{{c.key, bound_json(*c.b)}});
          return;
        }
    }
  }
  for (const auto& validator : r.validators) {
    std::string m = validator_message(validator, v);
    if (!m.empty()) {
      add("value_error", "Value error, " + m, given ? *given : value_to_json(v), json{{"error", m}});
      return;
    }
  }
}

std::optional<Value> value_from_string(const FieldInfo& f, std::string_view s) {
  switch (f.type.kind) {
    case TypeKind::Uuid: {
      std::string_view body = s;
      if (body.starts_with("urn:uuid:")) body.remove_prefix(9);
      if (auto u = Uuid::try_parse(body)) return Value(*u);
      break;
    }
    case TypeKind::Date:
      if (auto d = parse_date(s)) return Value(*d);
      break;
    case TypeKind::Time:
      if (auto t = parse_time(s)) return Value(*t);
      break;
    case TypeKind::DateTime:
      if (f.type.timezone) {
        if (auto t = parse_datetime_tz(s)) return Value(*t);
      } else if (auto t = parse_datetime(s)) {
        return Value(*t);
      }
      break;
    default: break;
  }
  return std::nullopt;
}

}  // namespace detail

namespace {

void run_model_validators(const ModelInfo& mi, const void* obj, const json& loc, const json& input, Errors& out) {
  for (const auto& mv : mi.model_validators) {
    std::string m;
    try {
      m = mv(obj).value_or(std::string());
    } catch (const std::exception& e) {
      m = e.what();
      if (m.empty()) m = "invalid value";
    }
    if (!m.empty()) add(out, loc, "value_error", "Value error, " + m, input, json{{"error", m}});
  }
}

// --- JSON -> Value, lax mode ---------------------------------------------------

std::string lower(std::string_view s) {
  std::string o(s);
  for (auto& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  // "12.0", "12.00": integral decimals are accepted, as Pydantic does.
  if (auto dot = s.find('.'); dot != std::string_view::npos) {
    const auto frac = s.substr(dot + 1);
    if (!std::all_of(frac.begin(), frac.end(), [](char c) { return c == '0'; })) return std::nullopt;
    s = s.substr(0, dot);
  }
  std::int64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> parse_float(std::string_view s) {
  s = trim(s);
  const std::string l = lower(s);
  if (l == "inf" || l == "+inf" || l == "infinity" || l == "+infinity") return std::numeric_limits<double>::infinity();
  if (l == "-inf" || l == "-infinity") return -std::numeric_limits<double>::infinity();
  if (l == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

bool is_decimal(std::string_view s) {
  std::size_t i = 0, digits = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) ++digits;
  if (i < s.size() && s[i] == '.')
    for (++i; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) ++digits;
  if (digits > 0 && i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const std::size_t e0 = i;
    for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {}
    if (i == e0) return false;
  }
  return digits > 0 && i == s.size();
}

std::optional<Bytes> from_base64(std::string_view s) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  while (!s.empty() && s.back() == '=') s.remove_suffix(1);
  if (s.size() % 4 == 1) return std::nullopt;
  Bytes out;
  unsigned acc = 0;
  int bits = 0;
  for (char c : s) {
    const int v = val(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::byte>((acc >> bits) & 0xFFU));
    }
  }
  return out;
}

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

/// The uuid crate's wording, which Pydantic reports after "Input should be a valid UUID, ".
std::string uuid_problem(std::string_view s) {
  std::string_view body = s;
  if (body.starts_with("urn:uuid:")) body.remove_prefix(9);
  const std::size_t offset = s.size() - body.size();
  for (std::size_t i = 0; i < body.size(); ++i)
    if (!is_hex(body[i]) && body[i] != '-')
      return "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `" +
             std::string(1, body[i]) + "` at " + std::to_string(offset + i + 1);
  if (body.find('-') == std::string_view::npos)
    return "invalid length: expected length 32 for simple format, found " + std::to_string(body.size());
  std::vector<std::size_t> groups{0};
  for (char c : body) {
    if (c == '-') groups.push_back(0);
    else ++groups.back();
  }
  if (groups.size() != 5)
    return "invalid group count: expected 5, found " + std::to_string(groups.size());
  const std::size_t want[] = {8, 4, 4, 4, 12};
  for (std::size_t g = 0; g < 5; ++g)
    if (groups[g] != want[g])
      return "invalid group length in group " + std::to_string(g) + ": expected " + std::to_string(want[g]) +
             ", found " + std::to_string(groups[g]);
  return "invalid format";
}

bool digits(std::string_view s, std::size_t from, std::size_t n) {
  if (s.size() < from + n) return false;
  for (std::size_t i = from; i < from + n; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

/// speedate's wording for a bad date prefix (YYYY-MM-DD).
std::string date_problem(std::string_view s) {
  if (s.size() < 10) return "input is too short";
  if (!digits(s, 0, 4)) return "invalid character in year";
  if (s[4] != '-') return "invalid date separator, expected `-`";
  if (!digits(s, 5, 2)) return "invalid character in month";
  if (s[7] != '-') return "invalid date separator, expected `-`";
  if (!digits(s, 8, 2)) return "invalid character in day";
  const int month = (s[5] - '0') * 10 + (s[6] - '0');
  if (month < 1 || month > 12) return "month value is outside expected range of 1-12";
  return "day value is outside expected range";
}

/// Converts input `j` of field `f` (at parent + f.member) to a Value, or
/// appends the conversion error. The loc is built only for an error.
struct Lax {
  const FieldInfo& f;
  const json& j;
  const json& parent;
  Errors& out;

  json loc() const { return at(parent, f.member); }
  void fail(const char* type, std::string msg, json ctx = nullptr) const {
    add(out, loc(), type, std::move(msg), j, std::move(ctx));
  }

  std::optional<Value> integer() const {
    static const char* kParse = "Input should be a valid integer, unable to parse string as an integer";
    std::optional<std::int64_t> v;
    if (j.is_number_integer()) {
      if (j.is_number_unsigned() && j.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
        fail("int_parsing_size", "Unable to parse input string as an integer, exceeded maximum size");
        return std::nullopt;
      }
      v = j.get<std::int64_t>();
    } else if (j.is_number_float()) {
      const double d = j.get<double>();
      if (!std::isfinite(d)) {
        fail("finite_number", "Input should be a finite number");
        return std::nullopt;
      }
      if (d != std::trunc(d)) {
        fail("int_from_float", "Input should be a valid integer, got a number with a fractional part");
        return std::nullopt;
      }
      if (std::abs(d) >= 9.2e18) {
        fail("int_parsing_size", "Unable to parse input string as an integer, exceeded maximum size");
        return std::nullopt;
      }
      v = static_cast<std::int64_t>(d);
    } else if (j.is_boolean()) {
      v = j.get<bool>() ? 1 : 0;
    } else if (j.is_string()) {
      v = parse_int(j.get_ref<const std::string&>());
      if (!v) {
        fail("int_parsing", kParse);
        return std::nullopt;
      }
    } else {
      fail("int_type", "Input should be a valid integer");
      return std::nullopt;
    }
    const int bits = f.type.kind == TypeKind::SmallInteger ? 16 : f.type.kind == TypeKind::Integer ? 32 : 64;
    if (bits < 64) {
      const std::int64_t hi = (std::int64_t{1} << (bits - 1)) - 1, lo = -hi - 1;
      if (*v > hi) {
        fail("less_than_equal", "Input should be less than or equal to " + std::to_string(hi), json{{"le", hi}});
        return std::nullopt;
      }
      if (*v < lo) {
        fail("greater_than_equal", "Input should be greater than or equal to " + std::to_string(lo), json{{"ge", lo}});
        return std::nullopt;
      }
    }
    return Value(*v);
  }

  std::optional<Value> number() const {
    if (j.is_number()) return Value(j.get<double>());
    if (j.is_boolean()) return Value(j.get<bool>() ? 1.0 : 0.0);
    if (j.is_string()) {
      if (auto d = parse_float(j.get_ref<const std::string&>())) return Value(*d);
      fail("float_parsing", "Input should be a valid number, unable to parse string as a number");
      return std::nullopt;
    }
    fail("float_type", "Input should be a valid number");
    return std::nullopt;
  }

  std::optional<Value> decimal() const {
    if (j.is_number()) return Value(Numeric{j.dump()});
    if (j.is_string()) {
      const auto s = trim(j.get_ref<const std::string&>());
      if (is_decimal(s)) return Value(Numeric{std::string(s.front() == '+' ? s.substr(1) : s)});
      fail("decimal_parsing", "Input should be a valid decimal");
      return std::nullopt;
    }
    fail("decimal_type", "Decimal input should be an integer, float, string or Decimal object");
    return std::nullopt;
  }

  std::optional<Value> boolean() const {
    if (j.is_boolean()) return Value(j.get<bool>());
    if (j.is_number()) {
      const double d = j.get<double>();
      if (d == 0 || d == 1) return Value(d == 1);
      fail("bool_parsing", "Input should be a valid boolean, unable to interpret input");
      return std::nullopt;
    }
    if (j.is_string()) {
      const std::string s = lower(j.get_ref<const std::string&>());
      for (const char* t : {"1", "on", "t", "true", "y", "yes"})
        if (s == t) return Value(true);
      for (const char* t : {"0", "off", "f", "false", "n", "no"})
        if (s == t) return Value(false);
      fail("bool_parsing", "Input should be a valid boolean, unable to interpret input");
      return std::nullopt;
    }
    fail("bool_type", "Input should be a valid boolean");
    return std::nullopt;
  }

  std::optional<Value> text() const {
    if (j.is_string()) return Value(j.get<std::string>());
    fail("string_type", "Input should be a valid string");
    return std::nullopt;
  }

  std::optional<Value> enumeration() const {
    const auto& names = f.type.enum_values;
    if (j.is_string() && std::find(names.begin(), names.end(), j.get_ref<const std::string&>()) != names.end())
      return Value(j.get<std::string>());
    std::string expected;
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (i > 0) expected += i + 1 == names.size() ? " or " : ", ";
      expected += "'" + names[i] + "'";
    }
    fail("enum", "Input should be " + expected, json{{"expected", expected}});
    return std::nullopt;
  }

  std::optional<Value> temporal(const char* parsing, const char* parsing_msg, const char* type,
                                const char* type_msg) const {
    if (!j.is_string()) {
      fail(type, type_msg);
      return std::nullopt;
    }
    const auto& s = j.get_ref<const std::string&>();
    if (auto v = detail::value_from_string(f, s)) return v;
    std::string why;
    if (f.type.kind == TypeKind::Time) {
      why = s.size() < 5 ? "input is too short" : "invalid time format";
    } else {
      why = date_problem(s);
      if (f.type.kind == TypeKind::DateTime && s.size() >= 10 && digits(s, 0, 4) && s[4] == '-' &&
          digits(s, 5, 2) && s[7] == '-' && digits(s, 8, 2) && s.size() > 10) {
        const char sep = s[10];
        why = (sep == 'T' || sep == 't' || sep == '_' || sep == ' ') ? "invalid time format"
                                                                    : "invalid datetime separator, expected `T`, `t`, `_` or space";
      } else if (f.type.kind == TypeKind::Date && s.size() > 10 && why == "day value is outside expected range") {
        why = "unexpected extra characters at the end of the input";
      }
    }
    fail(parsing, std::string(parsing_msg) + why, json{{"error", why}});
    return std::nullopt;
  }

  std::optional<Value> convert() const {
    if (j.is_null() && f.nullable) return Value();
    switch (f.type.kind) {
      case TypeKind::Boolean: return boolean();
      case TypeKind::SmallInteger:
      case TypeKind::Integer:
      case TypeKind::BigInteger: return integer();
      case TypeKind::Float:
      case TypeKind::Double: return number();
      case TypeKind::Numeric: return decimal();
      case TypeKind::String: return text();
      case TypeKind::Enum: return enumeration();
      case TypeKind::Bytes: {
        if (!j.is_string()) {
          fail("bytes_type", "Input should be a valid bytes");
          return std::nullopt;
        }
        if (auto b = from_base64(j.get_ref<const std::string&>())) return Value(std::move(*b));
        fail("bytes_invalid_encoding", "Data should be valid base64", json{{"encoding", "base64"}});
        return std::nullopt;
      }
      case TypeKind::Uuid: {
        if (!j.is_string()) {
          fail("uuid_type", "UUID input should be a string, bytes or UUID object");
          return std::nullopt;
        }
        const auto& s = j.get_ref<const std::string&>();
        if (auto u = detail::value_from_string(f, s)) return u;
        const std::string why = uuid_problem(s);
        fail("uuid_parsing", "Input should be a valid UUID, " + why, json{{"error", why}});
        return std::nullopt;
      }
      case TypeKind::Date:
        return temporal("date_parsing", "Input should be a valid date in the format YYYY-MM-DD, ", "date_type",
                        "Input should be a valid date");
      case TypeKind::Time:
        return temporal("time_parsing", "Input should be in a valid time format, ", "time_type",
                        "Input should be a valid time");
      case TypeKind::DateTime:
        // value_from_string reads a DateTimeTz or a naive DateTime, by f.type.timezone.
        return temporal("datetime_parsing", "Input should be a valid datetime, ", "datetime_type",
                        "Input should be a valid datetime");
      case TypeKind::Json: return Value(JsonText{j.dump()});
      case TypeKind::StringArray: {
        if (!j.is_array()) {
          fail("list_type", "Input should be a valid list");
          return std::nullopt;
        }
        StringList list;
        bool ok = true;
        for (std::size_t i = 0; i < j.size(); ++i) {
          if (j[i].is_string()) {
            list.push_back(j[i].get<std::string>());
          } else {
            json l = loc();
            l.push_back(i);
            add(out, l, "string_type", "Input should be a valid string", j[i]);
            ok = false;
          }
        }
        if (!ok) return std::nullopt;
        return Value(std::move(list));
      }
    }
    return std::nullopt;
  }
};

}  // namespace

namespace detail {

namespace {
/// The fields of `j` into *obj; with `sent` (a Patch), absent fields are fine,
/// present ones are marked, and the model validators do not run.
void validate_fields(const ModelInfo& mi, const json& j, void* obj, std::vector<bool>* sent, const json& loc,
                     Errors& out) {
  if (!j.is_object()) {
    add(out, loc, "model_type", "Input should be a valid dictionary or instance of " + mi.model, j,
        json{{"class_name", mi.model}});
    return;
  }
  const std::size_t before = out.size();
  for (const auto& f : mi.fields) {
    const auto it = j.find(f.member);
    if (it == j.end()) {
      if (f.required && !sent) add(out, at(loc, f.member), "missing", "Field required", j);
      continue;
    }
    if (sent) (*sent)[f.index] = true;
    std::optional<Value> v = Lax{f, *it, loc, out}.convert();
    if (!v) continue;
    const std::size_t mark = out.size();
    check_value(f, *v, loc, out, &*it);
    if (out.size() != mark) continue;
    try {
      f.set(obj, *v);
    } catch (const std::exception& e) {
      add(out, at(loc, f.member), "value_error", std::string("Value error, ") + e.what(), *it,
          json{{"error", e.what()}});
    }
  }
  // Members holding a model or a list of models (not part of a Patch).
  static const std::vector<NestedInfo> no_nested;
  for (const auto& n : sent ? no_nested : mi.nested) {
    const auto it = j.find(n.member);
    if (it == j.end()) {
      if (n.required) add(out, at(loc, n.member), "missing", "Field required", j);
      continue;
    }
    const json here = at(loc, n.member);
    const ModelInfo& sub = n.model();
    if (!n.list) {
      validate_fields(sub, *it, n.ref(obj), nullptr, here, out);
      continue;
    }
    if (!it->is_array()) {
      add(out, here, "list_type", "Input should be a valid list", *it);
      continue;
    }
    n.resize(obj, it->size());
    for (std::size_t i = 0; i < it->size(); ++i) {
      json l = here;
      l.push_back(i);
      validate_fields(sub, (*it)[i], n.at(obj, i), nullptr, l, out);
    }
  }
  if (mi.extra_forbid)
    for (auto it = j.begin(); it != j.end(); ++it)
      if (std::none_of(mi.fields.begin(), mi.fields.end(), [&](const FieldInfo& f) { return f.member == it.key(); }) &&
          (sent || std::none_of(mi.nested.begin(), mi.nested.end(),
                                [&](const NestedInfo& n) { return n.member == it.key(); })))
        add(out, at(loc, it.key()), "extra_forbidden", "Extra inputs are not permitted", it.value());
  if (out.size() == before && !sent) run_model_validators(mi, obj, loc, j, out);
}
}  // namespace

void validate_object(const ModelInfo& mi, const json& j, void* obj, const json& loc, Errors& out) {
  validate_fields(mi, j, obj, nullptr, loc, out);
}

void validate_patch(const ModelInfo& mi, const json& j, void* obj, std::vector<bool>& sent, const json& loc,
                    Errors& out) {
  validate_fields(mi, j, obj, &sent, loc, out);
}

json parse_or_error(std::string_view text, Errors& out) {
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    // parse_error, and out_of_range 406 for a number too large for a double
    // ("9999e99999", found by fuzzing): both are invalid input, not a crash.
    std::string why = e.what();
    if (auto p = why.find("] "); why.starts_with("[json.exception.") && p != std::string::npos) why.erase(0, p + 2);
    // The text (and the parser's "last read" excerpt) may hold invalid UTF-8,
    // which json::dump() refuses: such bytes become U+FFFD (found by fuzzing).
    auto valid_utf8 = [](std::string s) {
      return json(std::move(s)).dump(-1, ' ', false, json::error_handler_t::replace);
    };
    why = json::parse(valid_utf8(std::move(why))).get<std::string>();
    add(out, json::array(), "json_invalid", "Invalid JSON: " + why,
        json::parse(valid_utf8(std::string(text))), json{{"error", why}});
    return nullptr;
  }
}

namespace {
void check_at(const ModelInfo& mi, const void* obj, const json& loc, Errors& out) {
  const std::size_t before = out.size();
  for (std::size_t i : mi.rule_fields) {
    const FieldInfo& f = mi.fields[i];
    // Only a max_length: a string of at most that many bytes has at most that
    // many characters, so most objects pass without a copy of the member.
    if (!f.rules.any() && f.text) {
      const std::string* s = f.text(obj);
      if (!s || s->size() <= static_cast<std::size_t>(*f.type.length)) continue;
    }
    check_value(f, f.get(obj), loc, out);
  }
  // Members holding models: checked in place, loc ["items", 2, "title"].
  for (const auto& n : mi.nested) {
    const json here = at(loc, n.member);
    if (!n.list) {
      check_at(n.model(), n.cref(obj), here, out);
      continue;
    }
    for (std::size_t i = 0, size = n.size(obj); i < size; ++i) {
      json l = here;
      l.push_back(i);
      check_at(n.model(), n.cat(obj, i), l, out);
    }
  }
  if (out.size() == before && !mi.model_validators.empty())
    run_model_validators(mi, obj, loc, to_json(mi, obj), out);
}
}  // namespace

void check_object(const ModelInfo& mi, const void* obj, Errors& out) {
  static const json root = json::array();
  check_at(mi, obj, root, out);
}

}  // namespace detail

void check(const ModelInfo& mi, const void* obj) {
  Errors errors;
  detail::check_object(mi, obj, errors);
  if (!errors.empty()) throw ValidationError(mi.model, std::move(errors));
}

}  // namespace strata::model
