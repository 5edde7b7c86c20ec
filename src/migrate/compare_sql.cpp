// autogenerate: SQL expressions (CHECK conditions, server defaults) in a
// canonical form, so that the model's text and what a database gives back
// (PostgreSQL stores the parsed expression and prints its own spelling:
// `(age > 0)`, `length((code)::text) > 2`, `= ANY (ARRAY[...])`) compare
// alike. A token scanner with operator precedence, not a SQL parser: what it
// does not know stays as written.
#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "migrate/compare_detail.hpp"

namespace strata::migrate::detail {
namespace {

enum class Tok { Word, String, Ident, Op, Open, Close, OpenBracket, CloseBracket, Comma, Cast };

struct Token {
  Tok kind;
  std::string text;
};

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '$'; }
bool op_char(char c) { return std::string_view("+-*/<>=~!@#%^&|`?").find(c) != std::string_view::npos; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '\'' || ((c == 'E' || c == 'e') && i + 1 < n && s[i + 1] == '\'')) {
      const bool escapes = c != '\'';
      std::size_t j = i + (escapes ? 2 : 1);
      while (j < n) {
        if (escapes && s[j] == '\\') j += 2;
        else if (s[j] == '\'' && j + 1 < n && s[j + 1] == '\'') j += 2;
        else if (s[j] == '\'') break;
        else ++j;
      }
      j = std::min(j + 1, n);
      out.push_back({Tok::String, std::string(s.substr(i, j - i))});
      i = j;
    } else if (c == '"') {
      std::size_t j = i + 1;
      std::string name;
      while (j < n) {
        if (s[j] == '"' && j + 1 < n && s[j + 1] == '"') {
          name += '"';
          j += 2;
        } else if (s[j] == '"') {
          break;
        } else {
          name += s[j++];
        }
      }
      // A quoted name that folding would not change is the bare name.
      const bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](char ch) {
        return std::islower(static_cast<unsigned char>(ch)) || std::isdigit(static_cast<unsigned char>(ch)) ||
               ch == '_';
      });
      out.push_back(plain ? Token{Tok::Word, name} : Token{Tok::Ident, "\"" + name + "\""});
      i = std::min(j + 1, n);
    } else if (word_char(c)) {
      std::size_t j = i;
      while (j < n && word_char(s[j])) ++j;
      out.push_back({Tok::Word, lower(s.substr(i, j - i))});
      i = j;
    } else if (c == ':' && i + 1 < n && s[i + 1] == ':') {
      out.push_back({Tok::Cast, "::"});
      i += 2;
    } else if (c == '(') {
      out.push_back({Tok::Open, "("}), ++i;
    } else if (c == ')') {
      out.push_back({Tok::Close, ")"}), ++i;
    } else if (c == '[') {
      out.push_back({Tok::OpenBracket, "["}), ++i;
    } else if (c == ']') {
      out.push_back({Tok::CloseBracket, "]"}), ++i;
    } else if (c == ',') {
      out.push_back({Tok::Comma, ","}), ++i;
    } else if (op_char(c)) {
      std::size_t j = i;
      while (j < n && op_char(s[j])) ++j;
      std::string op(s.substr(i, j - i));
      if (op == "!=") op = "<>";
      out.push_back({Tok::Op, std::move(op)});
      i = j;
    } else {
      out.push_back({Tok::Op, std::string(1, c)}), ++i;
    }
  }
  return out;
}

bool plain_number(std::string_view t) {
  if (!t.empty() && t.front() == '-') t.remove_prefix(1);
  return !t.empty() && std::all_of(t.begin(), t.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
  });
}

// Spellings PostgreSQL rewrites when it stores an expression, brought to its
// form on both sides: LIKE / ILIKE (and NOT ...) -> ~~ / ~~* / !~~ / !~~*;
// a quoted number cast to a type ('-1'::integer, how it keeps a negative
// literal) -> the bare number; a unary minus before a number -> one token.
// BETWEEN (stored as >= AND <=) is not rewritten.
std::vector<Token> normalize_spellings(const std::vector<Token>& in) {
  std::vector<Token> out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const Token& t = in[i];
    if (t.kind == Tok::Word && (t.text == "like" || t.text == "ilike")) {
      const bool negated = !out.empty() && out.back().kind == Tok::Word && out.back().text == "not";
      if (negated) out.pop_back();
      out.push_back({Tok::Op, std::string(negated ? "!" : "") + "~~" + (t.text == "ilike" ? "*" : "")});
      continue;
    }
    if (t.kind == Tok::String && i + 1 < in.size() && in[i + 1].kind == Tok::Cast && t.text.size() >= 2 &&
        plain_number(std::string_view(t.text).substr(1, t.text.size() - 2))) {
      out.push_back({Tok::Word, t.text.substr(1, t.text.size() - 2)});
      continue;
    }
    const bool unary_position =
        out.empty() || out.back().kind == Tok::Op || out.back().kind == Tok::Open || out.back().kind == Tok::Comma ||
        (out.back().kind == Tok::Word &&
         (out.back().text == "and" || out.back().text == "or" || out.back().text == "not"));
    if (t.kind == Tok::Op && t.text == "-" && unary_position && i + 1 < in.size() && in[i + 1].kind == Tok::Word &&
        plain_number(in[i + 1].text)) {
      out.push_back({Tok::Word, "-" + in[i + 1].text});
      ++i;
      continue;
    }
    out.push_back(t);
  }
  return out;
}

// Drops every `::type`: a name of one or more words (character varying,
// timestamp without time zone, double precision), optional (n[, m]) and [].
std::vector<Token> drop_casts(const std::vector<Token>& in) {
  static constexpr std::array<std::string_view, 6> continuation{"varying", "precision", "with",
                                                                "without", "time",      "zone"};
  std::vector<Token> out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i].kind != Tok::Cast) {
      out.push_back(in[i]);
      continue;
    }
    std::size_t j = i + 1;
    if (j < in.size() && (in[j].kind == Tok::Word || in[j].kind == Tok::Ident)) ++j;
    while (j < in.size() && in[j].kind == Tok::Word &&
           std::find(continuation.begin(), continuation.end(), in[j].text) != continuation.end())
      ++j;
    if (j < in.size() && in[j].kind == Tok::Open) {
      int depth = 0;
      for (; j < in.size(); ++j) {
        if (in[j].kind == Tok::Open) ++depth;
        if (in[j].kind == Tok::Close && --depth == 0) {
          ++j;
          break;
        }
      }
    }
    while (j + 1 < in.size() && in[j].kind == Tok::OpenBracket && in[j + 1].kind == Tok::CloseBracket) j += 2;
    i = j - 1;
  }
  return out;
}

// x IN (a, b) -> x = ANY (ARRAY[a, b]); x NOT IN (...) -> x <> ALL (ARRAY[...]),
// as PostgreSQL stores them. A subquery (IN (SELECT ...)) stays.
std::vector<Token> rewrite_in_lists(const std::vector<Token>& in) {
  std::vector<Token> out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const bool is_in = in[i].kind == Tok::Word && in[i].text == "in" && i + 1 < in.size() &&
                       in[i + 1].kind == Tok::Open && !(i + 2 < in.size() && in[i + 2].text == "select");
    if (!is_in) {
      out.push_back(in[i]);
      continue;
    }
    const bool negated = !out.empty() && out.back().kind == Tok::Word && out.back().text == "not";
    if (negated) out.pop_back();
    out.push_back({Tok::Op, negated ? "<>" : "="});
    out.push_back({Tok::Word, negated ? "all" : "any"});
    out.push_back({Tok::Open, "("});
    out.push_back({Tok::Word, "array"});
    out.push_back({Tok::OpenBracket, "["});
    int depth = 0;
    std::size_t j = i + 1;
    for (; j < in.size(); ++j) {
      if (in[j].kind == Tok::Open && depth++ == 0) continue;
      if (in[j].kind == Tok::Close && --depth == 0) break;
      out.push_back(in[j]);
    }
    out.push_back({Tok::CloseBracket, "]"});
    out.push_back({Tok::Close, ")"});
    i = j;
  }
  return out;
}

// A token, or a parenthesized group of items.
struct Item {
  Token token;
  std::vector<Item> group;
  bool is_group = false;
};

std::vector<Item> parse(const std::vector<Token>& toks, std::size_t& i) {
  std::vector<Item> out;
  while (i < toks.size()) {
    if (toks[i].kind == Tok::Close) return out;
    if (toks[i].kind == Tok::Open) {
      ++i;
      Item g;
      g.is_group = true;
      g.group = parse(toks, i);
      out.push_back(std::move(g));
      if (i < toks.size()) ++i;  // the ')'
      continue;
    }
    out.push_back({toks[i++], {}, false});
  }
  return out;
}

constexpr int kNone = std::numeric_limits<int>::min();  // no operator there
constexpr int kAtom = std::numeric_limits<int>::max();  // nothing binds looser

// Binding strength of a binary (or prefix) operator; kNone for an operand.
int precedence(const Item& it) {
  if (it.is_group) return kNone;
  const Token& t = it.token;
  if (t.kind == Tok::Word) {
    if (t.text == "or") return 1;
    if (t.text == "and") return 2;
    if (t.text == "not") return 3;
    if (t.text == "is" || t.text == "like" || t.text == "ilike" || t.text == "similar" || t.text == "between" ||
        t.text == "in")
      return 4;
    return kNone;
  }
  if (t.kind != Tok::Op) return kNone;
  if (t.text == "=" || t.text == "<>" || t.text == "<" || t.text == ">" || t.text == "<=" || t.text == ">=") return 4;
  if (t.text == "+" || t.text == "-") return 6;
  if (t.text == "*" || t.text == "/" || t.text == "%") return 7;
  if (t.text == "^") return 8;
  return 5;  // ||, ~, @>, ...: PostgreSQL's "any other operator"
}

// Words after which a group is an argument list, not a grouping.
bool is_call(const std::vector<Item>& items, std::size_t k) {
  if (k == 0 || items[k - 1].is_group) return false;
  const Token& t = items[k - 1].token;
  return (t.kind == Tok::Word || t.kind == Tok::Ident) && precedence(items[k - 1]) == kNone;
}

// The loosest operator at the top level of a group (not inside [...]).
int lowest_inside(const std::vector<Item>& items) {
  int low = kAtom;
  int brackets = 0;
  for (const auto& it : items) {
    if (!it.is_group && it.token.kind == Tok::OpenBracket) ++brackets;
    if (!it.is_group && it.token.kind == Tok::CloseBracket) --brackets;
    if (brackets > 0) continue;
    if (!it.is_group && it.token.kind == Tok::Comma) return kNone;  // a list: keep its parentheses
    const int p = precedence(it);
    if (p != kNone) low = std::min(low, p);
  }
  return low;
}

// Writes `items`, dropping the parentheses precedence does not need. `left` /
// `right`: the operators just outside the sequence (kNone: none).
void write(const std::vector<Item>& items, int left, int right, std::string& out) {
  for (std::size_t k = 0; k < items.size(); ++k) {
    const Item& it = items[k];
    if (!it.is_group) {
      if (!out.empty()) out += ' ';
      out += it.token.text;
      continue;
    }
    const int before = k == 0 ? left : precedence(items[k - 1]);
    const int after = k + 1 == items.size() ? right : precedence(items[k + 1]);
    const int inside = lowest_inside(it.group);
    const bool keep = is_call(items, k) || it.group.empty() || inside == kNone || inside <= before ||
                      inside <= after;
    if (keep) {
      out += out.empty() ? "(" : " (";
      std::string inner;
      write(it.group, kNone, kNone, inner);
      out += inner + ")";
    } else {
      write(it.group, before, after, out);
    }
  }
}

}  // namespace

std::string canonical_sql(std::string_view sql) {
  const std::vector<Token> toks = rewrite_in_lists(drop_casts(normalize_spellings(tokenize(sql))));
  std::size_t i = 0;
  std::vector<Item> items;
  // A stray ')' ends parse(): keep going so that nothing is lost.
  while (i < toks.size()) {
    auto part = parse(toks, i);
    items.insert(items.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
    if (i < toks.size()) items.push_back({toks[i++], {}, false});
  }
  std::string out;
  write(items, kNone, kNone, out);
  return out;
}

}  // namespace strata::migrate::detail
