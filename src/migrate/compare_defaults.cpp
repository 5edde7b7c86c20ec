// autogenerate: server defaults compared in a canonical form, so that the
// same default written twice (the model's text vs what the database gives
// back) is not reported as a change.
#include <cctype>
#include <string>
#include <string_view>

#include "migrate/compare_detail.hpp"
#include "strata/sql/text.hpp"

namespace strata::migrate {
namespace {

bool word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; }


// Lower case and no blanks outside quotes, except one blank between two words.
std::string squeeze(std::string_view s) {
  std::string out;
  char quote = 0;
  bool pending_blank = false;
  for (char c : s) {
    if (quote) {
      out += c;
      if (c == quote) quote = 0;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_blank = true;
      continue;
    }
    if (pending_blank && !out.empty() && word(out.back()) && word(c)) out += ' ';
    pending_blank = false;
    if (c == '\'' || c == '"') quote = c;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// Drops each `::type` outside quotes of a squeezed default: 'a'::character
// varying -> 'a', '{}'::text[] -> '{}', '1'::numeric(10,2) -> '1'
// (PostgreSQL gives a literal back with a cast to the column's type).
std::string drop_casts(const std::string& s) {
  static constexpr std::string_view continuation[] = {"varying", "precision", "with", "without", "time", "zone"};
  std::string out;
  char quote = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quote) {
      out += c;
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c != ':' || i + 1 >= s.size() || s[i + 1] != ':') {
      out += c;
      continue;
    }
    std::size_t j = i + 2;
    if (j < s.size() && s[j] == '"') {
      const std::size_t end = s.find('"', j + 1);
      j = end == std::string::npos ? s.size() : end + 1;
    } else {
      while (j < s.size() && word(s[j])) ++j;
    }
    for (bool more = true; more;) {
      more = false;
      for (std::string_view w : continuation)
        if (j < s.size() && s[j] == ' ' && s.compare(j + 1, w.size(), w) == 0 &&
            (j + w.size() + 1 == s.size() || !word(s[j + w.size() + 1]))) {
          j += w.size() + 1;
          more = true;
        }
    }
    if (j < s.size() && s[j] == '(') {
      const std::size_t end = s.find(')', j);
      j = end == std::string::npos ? s.size() : end + 1;
    }
    while (j + 1 < s.size() && s[j] == '[' && s[j + 1] == ']') j += 2;
    i = j - 1;
  }
  return out;
}

// "+01.50" -> "1.5", "2.0" -> "2", "-0" -> "0"; empty when not a plain decimal.
std::string canonical_number(std::string_view s) {
  bool neg = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    neg = s.front() == '-';
    s.remove_prefix(1);
  }
  const std::size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot), frac = dot == std::string_view::npos ? "" : s.substr(dot + 1);
  if (whole.empty() && frac.empty()) return {};
  for (char c : whole)
    if (!std::isdigit(static_cast<unsigned char>(c))) return {};
  for (char c : frac)
    if (!std::isdigit(static_cast<unsigned char>(c))) return {};
  while (!whole.empty() && whole.front() == '0') whole.remove_prefix(1);
  while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
  std::string out = whole.empty() ? "0" : std::string(whole);
  if (!frac.empty()) {
    out += '.';
    out.append(frac);
  }
  if (neg && out != "0") out.insert(out.begin(), '-');
  return out;
}

std::string canonical(const schema::ServerDefault& d) {
  if (d.kind == schema::ServerDefault::Kind::Now) return "current_timestamp";
  std::string s = squeeze(d.sql);
  while (sql::is_parenthesized(s)) s = s.substr(1, s.size() - 2);
  s = drop_casts(s);
  while (sql::is_parenthesized(s)) s = s.substr(1, s.size() - 2);
  if (s == "now()" || s == "current_timestamp()" || s == "datetime('now')" || s == "localtimestamp" ||
      s == "transaction_timestamp()")
    return "current_timestamp";
  if (s == "true") return "1";
  if (s == "false") return "0";
  // '12' and 12: a quoted number is the same default once stored.
  std::string_view body = s;
  if (body.size() >= 2 && body.front() == '\'' && body.back() == '\'') body = body.substr(1, body.size() - 2);
  if (std::string n = canonical_number(body); !n.empty()) return n;
  return s;
}

}  // namespace

bool same_server_default(const std::optional<schema::ServerDefault>& a,
                         const std::optional<schema::ServerDefault>& b) {
  if (!a || !b) return !a && !b;
  if (*a == *b) return true;  // the same text has the same canonical form: none built
  return canonical(*a) == canonical(*b);
}

}  // namespace strata::migrate
