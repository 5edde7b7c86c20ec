// strata/model/convert.cpp - lenient conversions from a driver's plain cell
// forms (null, int64, double, text, bytes) and from semantic Values into the
// C++ member types of models (see type_map.hpp for the table).
//
// Why lenient: the same model reads rows written by SQLAlchemy, by Strata on
// SQLite (bool 0/1, Uuid as 32 hex digits, dates as ISO text) and by
// PostgreSQL's text protocol ("t"/"f", '{a,b}' arrays). Failing loudly on a
// value that cannot be converted keeps that leniency from hiding bad data.
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "strata/core/error.hpp"
#include "strata/model/type_map.hpp"

namespace strata::model {
namespace convert {
namespace {

using strata::detail::trim;

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::optional<double> parse_double(std::string_view s) {
  s = trim(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// Shortest text that reads back as the same double ("86.4", not "86.400000").
std::string double_text(double d) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return ec == std::errc{} ? std::string(buf, p) : std::to_string(d);
}

bool is_numeric_text(std::string_view s) {
  s = trim(s);
  if (s.empty()) return false;
  std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  bool digits = false, dot = false;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') digits = true;
    else if (s[i] == '.' && !dot) dot = true;
    else return false;
  }
  return digits;
}

const std::string* text_of(const Value& v) { return v.get_if<std::string>(); }

}  // namespace

void fail(const Value& v, std::string_view what) {
  throw SchemaError("cannot convert " + v.repr() + " to " + std::string(what));
}

bool to_bool(const Value& v) {
  if (const auto* b = v.get_if<bool>()) return *b;
  if (const auto* i = v.get_if<std::int64_t>()) {
    if (*i == 0 || *i == 1) return *i == 1;
  } else if (const auto* s = text_of(v)) {
    const std::string t = lower(trim(*s));
    if (t == "t" || t == "true" || t == "1" || t == "y" || t == "yes" || t == "on") return true;
    if (t == "f" || t == "false" || t == "0" || t == "n" || t == "no" || t == "off") return false;
  }
  fail(v, "Boolean");
}

std::int64_t to_int(const Value& v, int bits) {
  std::optional<std::int64_t> out;
  if (const auto* i = v.get_if<std::int64_t>()) out = *i;
  else if (const auto* b = v.get_if<bool>()) out = *b ? 1 : 0;
  else if (const auto* d = v.get_if<double>()) {
    if (std::isfinite(*d) && std::trunc(*d) == *d && std::fabs(*d) < 9.2e18)
      out = static_cast<std::int64_t>(*d);
  } else if (const auto* s = text_of(v)) out = parse_int(*s);
  else if (const auto* n = v.get_if<Numeric>()) out = parse_int(n->text);
  const char* kind = bits == 16 ? "SmallInteger" : bits == 32 ? "Integer" : "BigInteger";
  if (!out) fail(v, kind);
  if (bits < 64) {
    const std::int64_t hi = (std::int64_t{1} << (bits - 1)) - 1;
    if (*out > hi || *out < -hi - 1) fail(v, std::string(kind) + " (out of range)");
  }
  return *out;
}

double to_double(const Value& v) {
  if (const auto* d = v.get_if<double>()) return *d;
  if (const auto* i = v.get_if<std::int64_t>()) return static_cast<double>(*i);
  if (const auto* s = text_of(v))
    if (auto d = parse_double(*s)) return *d;
  if (const auto* n = v.get_if<Numeric>())
    if (auto d = parse_double(n->text)) return *d;
  fail(v, "Double");
}

std::string to_string(const Value& v) {
  if (const auto* s = text_of(v)) return *s;
  if (const auto* b = v.get_if<Bytes>())  // SQLite may hand back TEXT stored as BLOB
    return std::string(reinterpret_cast<const char*>(b->data()), b->size());
  fail(v, "String");
}

Bytes to_bytes(const Value& v) {
  if (const auto* b = v.get_if<Bytes>()) return *b;
  if (const auto* s = text_of(v)) {
    // PostgreSQL's text form of bytea is "\x" + hex digits.
    if (s->size() >= 2 && (*s)[0] == '\\' && (*s)[1] == 'x' && s->size() % 2 == 0) {
      Bytes out;
      for (std::size_t i = 2; i < s->size(); i += 2) {
        unsigned x = 0;
        auto [p, ec] = std::from_chars(s->data() + i, s->data() + i + 2, x, 16);
        if (ec != std::errc{} || p != s->data() + i + 2) fail(v, "Bytes");
        out.push_back(static_cast<std::byte>(x));
      }
      return out;
    }
    Bytes out(s->size());
    std::memcpy(out.data(), s->data(), s->size());
    return out;
  }
  fail(v, "Bytes");
}

Uuid to_uuid(const Value& v) {
  if (const auto* u = v.get_if<Uuid>()) return *u;
  if (const auto* s = text_of(v)) {
    const auto t = trim(*s);
    if (t.size() == 32 || t.size() == 36)
      if (auto u = Uuid::try_parse(t)) return *u;
  } else if (const auto* b = v.get_if<Bytes>()) {
    if (b->size() == 16) {
      std::array<std::uint8_t, 16> a{};
      std::memcpy(a.data(), b->data(), 16);
      return Uuid(a);
    }
  }
  fail(v, "Uuid");
}

Date to_date(const Value& v) {
  if (const auto* d = v.get_if<Date>()) return *d;
  if (const auto* s = text_of(v)) {
    if (auto d = parse_date(trim(*s))) return *d;
    if (auto dt = parse_datetime(trim(*s)))  // a timestamp's date part
      return Date{std::chrono::floor<std::chrono::days>(*dt)};
  }
  if (const auto* dt = v.get_if<DateTime>()) return Date{std::chrono::floor<std::chrono::days>(*dt)};
  fail(v, "Date");
}

Time to_time(const Value& v) {
  if (const auto* t = v.get_if<Time>()) return *t;
  if (const auto* s = text_of(v))
    if (auto t = parse_time(trim(*s))) return *t;
  fail(v, "Time");
}

DateTime to_datetime(const Value& v) {
  if (const auto* t = v.get_if<DateTime>()) return *t;
  if (const auto* t = v.get_if<DateTimeTz>()) return DateTime{t->time_since_epoch()};
  if (const auto* d = v.get_if<Date>()) return DateTime{std::chrono::local_days{*d}};
  if (const auto* s = text_of(v)) {
    if (auto t = parse_datetime(trim(*s))) return *t;
    if (auto t = parse_datetime_tz(trim(*s))) return DateTime{t->time_since_epoch()};
    if (auto d = parse_date(trim(*s))) return DateTime{std::chrono::local_days{*d}};
  }
  fail(v, "DateTime");
}

DateTimeTz to_datetime_tz(const Value& v) {
  if (const auto* t = v.get_if<DateTimeTz>()) return *t;
  // A naive timestamp is read as UTC (as parse_datetime_tz does without offset).
  if (const auto* t = v.get_if<DateTime>()) return DateTimeTz{t->time_since_epoch()};
  if (const auto* s = text_of(v))
    if (auto t = parse_datetime_tz(trim(*s))) return *t;
  fail(v, "DateTime(timezone=True)");
}

Numeric to_numeric(const Value& v) {
  if (const auto* n = v.get_if<Numeric>()) return *n;
  if (const auto* i = v.get_if<std::int64_t>()) return Numeric{std::to_string(*i)};
  if (const auto* d = v.get_if<double>())
    if (std::isfinite(*d)) return Numeric{double_text(*d)};
  if (const auto* s = text_of(v))
    if (is_numeric_text(*s)) return Numeric{std::string(trim(*s))};
  fail(v, "Numeric");
}

StringList parse_pg_array(std::string_view text) {
  const Value bad{std::string(text)};
  std::string_view s = trim(text);
  if (s.size() < 2 || s.front() != '{' || s.back() != '}') fail(bad, "StringArray");
  s = s.substr(1, s.size() - 2);
  StringList out;
  if (trim(s).empty()) return out;
  std::size_t i = 0;
  while (true) {
    while (i < s.size() && s[i] == ' ') ++i;
    std::string item;
    if (i < s.size() && s[i] == '"') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        char c = s[i++];
        if (c == '\\' && i < s.size()) item += s[i++];
        else if (c == '"') {
          closed = true;
          break;
        } else item += c;
      }
      if (!closed) fail(bad, "StringArray");
    } else {
      std::size_t start = i;
      while (i < s.size() && s[i] != ',') ++i;
      item = std::string(trim(s.substr(start, i - start)));
      if (item == "NULL") fail(bad, "StringArray (NULL element)");
    }
    out.push_back(std::move(item));
    while (i < s.size() && s[i] == ' ') ++i;
    if (i >= s.size()) break;
    if (s[i] != ',') fail(bad, "StringArray");
    ++i;
  }
  return out;
}

StringList to_string_list(const Value& v) {
  if (const auto* l = v.get_if<StringList>()) return *l;
  const std::string* text = text_of(v);
  if (const auto* j = v.get_if<JsonText>()) text = &j->text;
  if (text) {
    const auto t = trim(*text);
    if (!t.empty() && t.front() == '{') return parse_pg_array(t);
    if (!t.empty() && t.front() == '[') {
      auto j = nlohmann::json::parse(t, nullptr, false);
      if (!j.is_discarded() && j.is_array()) {
        StringList out;
        bool ok = true;
        for (const auto& e : j) {
          if (!e.is_string()) {
            ok = false;
            break;
          }
          out.push_back(e.get<std::string>());
        }
        if (ok) return out;
      }
    }
  }
  fail(v, "StringArray");
}

std::string snake_case(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool upper = c >= 'A' && c <= 'Z';
    if (upper) {
      bool prev_lower_or_digit = i > 0 && ((name[i - 1] >= 'a' && name[i - 1] <= 'z') ||
                                           (name[i - 1] >= '0' && name[i - 1] <= '9'));
      bool acronym_end = i > 0 && name[i - 1] >= 'A' && name[i - 1] <= 'Z' && i + 1 < name.size() &&
                         name[i + 1] >= 'a' && name[i + 1] <= 'z';
      if (!out.empty() && out.back() != '_' && (prev_lower_or_digit || acronym_end)) out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return out;
}

int find_name(const std::string_view* names, std::size_t count, std::string_view name) noexcept {
  for (std::size_t i = 0; i < count; ++i)
    if (!names[i].empty() && names[i] == name) return static_cast<int>(i);
  return -1;
}

}  // namespace convert

SqlType TypeMap<nlohmann::json>::sql() { return SqlType::json(); }

Value TypeMap<nlohmann::json>::to_value(const nlohmann::json& j) { return Value(JsonText{j.dump()}); }

nlohmann::json TypeMap<nlohmann::json>::from_value(const Value& v) {
  const std::string* text = v.get_if<std::string>();
  if (const auto* j = v.get_if<JsonText>()) text = &j->text;
  if (text) {
    auto j = nlohmann::json::parse(*text, nullptr, false);
    if (!j.is_discarded()) return j;
    convert::fail(v, "Json");
  }
  if (const auto* l = v.get_if<StringList>()) return nlohmann::json(*l);
  if (const auto* i = v.get_if<std::int64_t>()) return nlohmann::json(*i);
  if (const auto* d = v.get_if<double>()) return nlohmann::json(*d);
  if (const auto* b = v.get_if<bool>()) return nlohmann::json(*b);
  if (const auto* b = v.get_if<Bytes>()) {
    auto j = nlohmann::json::parse(reinterpret_cast<const char*>(b->data()),
                                   reinterpret_cast<const char*>(b->data()) + b->size(), nullptr, false);
    if (!j.is_discarded()) return j;
  }
  convert::fail(v, "Json");
}

nlohmann::json TypeMap<nlohmann::json>::from_cell(const CellSource& row, int col) {
  return from_value(row.get_value(col));
}

}  // namespace strata::model
