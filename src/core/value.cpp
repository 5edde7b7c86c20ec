// strata/core/value.cpp - Value::repr, the SQL-literal-like text used in
// messages and in offline (--sql) output.
#include "strata/core/value.hpp"

#include <fmt/core.h>

namespace strata {
namespace {

// 'text' with embedded quotes doubled, as an SQL string literal.
std::string quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('\'');
  for (char c : s) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

// A JSON string literal (a StringList is shown as the JSON array SQLite stores).
std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        else out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

std::string Value::repr() const {
  return std::visit(
      Overloaded{
          [](std::monostate) -> std::string { return "NULL"; },
          [](bool b) -> std::string { return b ? "true" : "false"; },
          [](std::int64_t i) -> std::string { return fmt::format("{}", i); },
          // fmt's shortest round-trip form; keep a ".0" so it reads as a float.
          [](double d) -> std::string {
            std::string s = fmt::format("{}", d);
            if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
            return s;
          },
          [](const std::string& s) { return quoted(s); },
          [](const Bytes& b) -> std::string {
            std::string out = "X'";
            for (std::byte x : b) out += fmt::format("{:02X}", static_cast<unsigned>(x));
            return out + "'";
          },
          [](const Uuid& u) { return quoted(u.str()); },
          [](const Date& d) { return quoted(to_iso(d)); },
          [](const Time& t) { return quoted(to_iso(t)); },
          [](const DateTime& t) { return quoted(to_iso(t)); },
          [](const DateTimeTz& t) { return quoted(to_iso(t)); },
          [](const Numeric& n) { return n.text; },
          [](const JsonText& j) { return quoted(j.text); },
          [](const StringList& l) {
            std::string arr = "[";
            for (std::size_t i = 0; i < l.size(); ++i) {
              if (i) arr += ", ";
              arr += json_string(l[i]);
            }
            return quoted(arr + "]");
          },
      },
      v_);
}

}  // namespace strata
