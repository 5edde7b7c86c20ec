// URL parsing, after SQLAlchemy's make_url (sqlalchemy/engine/url.py), written
// as a small hand parser: the grammar is short and the errors must say which
// part is wrong.
#include "strata/engine/url.hpp"

#include <charconv>
#include <string>

#include "strata/core/error.hpp"

namespace strata::engine {
namespace {

/// The URL text with the password replaced by "***", for messages. Works on
/// malformed text too: it only looks for "scheme://user:password@".
std::string masked(std::string_view text) {
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return std::string(text);
  const auto auth_begin = scheme_end + 3;
  const auto path_begin = text.find_first_of("/?", auth_begin);
  const auto authority = text.substr(auth_begin, path_begin == std::string_view::npos ? std::string_view::npos
                                                                                        : path_begin - auth_begin);
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(text);
  const auto colon = authority.substr(0, at).find(':');
  if (colon == std::string_view::npos) return std::string(text);
  std::string out(text.substr(0, auth_begin + colon + 1));
  out += "***";
  out += text.substr(auth_begin + at);
  return out;
}

[[noreturn]] void fail(std::string_view text, std::string_view what) {
  throw ArgumentError("invalid database URL '" + masked(text) + "': " + std::string(what));
}

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode(std::string_view part, std::string_view text, std::string_view what) {
  std::string out;
  out.reserve(part.size());
  for (std::size_t i = 0; i < part.size(); ++i) {
    if (part[i] != '%') {
      out += part[i];
      continue;
    }
    const int hi = i + 2 < part.size() ? hex_digit(part[i + 1]) : -1;
    const int lo = hi >= 0 ? hex_digit(part[i + 2]) : -1;
    if (lo < 0) fail(text, "bad percent escape in the " + std::string(what));
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

/// Percent-encodes the characters that would end or split a URL part.
std::string encode(std::string_view part) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : part) {
    const auto u = static_cast<unsigned char>(c);
    if (c == ':' || c == '@' || c == '/' || c == '%' || c == '?' || c == '#' || c == '&' || c == '=' ||
        c == '[' || c == ']' || u <= 0x20 || u >= 0x7f) {
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 0x0f];
    } else {
      out += c;
    }
  }
  return out;
}

void parse_query(std::string_view q, std::string_view text, Url& url) {
  while (!q.empty()) {
    const auto amp = q.find('&');
    const auto item = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    if (item.empty()) continue;  // "a=1&&b=2"
    const auto eq = item.find('=');
    std::string key = decode(item.substr(0, eq), text, "query");
    if (key.empty()) fail(text, "empty query option name");
    std::string value = eq == std::string_view::npos ? std::string() : decode(item.substr(eq + 1), text, "query");
    url.query.emplace_back(std::move(key), std::move(value));
  }
}

}  // namespace

Url Url::parse(std::string_view text) {
  if (text.empty()) throw ArgumentError("invalid database URL '': the URL is empty");
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0)
    fail(text, "expected '<driver>://...', e.g. 'sqlite:///app.db' or 'postgresql://user@host/db'");
  Url url;
  const std::string_view scheme = text.substr(0, scheme_end);
  if (scheme == "sqlite") {
    url.drivername = "sqlite";
  } else if (scheme == "postgresql" || scheme == "postgres" || scheme == "postgresql+libpq") {
    url.drivername = "postgresql";
  } else {
    throw ArgumentError("unknown database driver '" + std::string(scheme) + "' in URL '" + masked(text) +
                        "' (known: sqlite, postgresql)");
  }

  std::string_view rest = text.substr(scheme_end + 3);
  if (const auto frag = rest.find('#'); frag != std::string_view::npos) fail(text, "a URL fragment ('#') is not allowed");
  if (const auto qm = rest.find('?'); qm != std::string_view::npos) {
    parse_query(rest.substr(qm + 1), text, url);
    rest = rest.substr(0, qm);
  }

  if (url.drivername == "sqlite") {
    // sqlite://  |  sqlite:///<path>  (one slash separates the empty host from the path)
    if (rest.empty()) return url;
    if (rest.front() != '/')
      fail(text, "a SQLite URL has no host: use 'sqlite:///relative.db' or 'sqlite:////absolute/path.db'");
    url.database = std::string(rest.substr(1));
    return url;
  }

  // [user[:password]@]host[:port][/database]
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) url.database = decode(rest.substr(slash + 1), text, "database name");
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const auto colon = userinfo.find(':');
    url.username = decode(userinfo.substr(0, colon), text, "user name");
    if (colon != std::string_view::npos) url.password = decode(userinfo.substr(colon + 1), text, "password");
  }
  std::string_view port;
  if (authority.starts_with('[')) {  // [IPv6]
    const auto close = authority.find(']');
    if (close == std::string_view::npos) fail(text, "unterminated '[' in the host");
    url.host = std::string(authority.substr(1, close - 1));
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') fail(text, "unexpected text after the IPv6 host");
      port = after.substr(1);
      if (port.empty()) fail(text, "empty port");
    }
  } else {
    const auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      if (port.empty()) fail(text, "empty port");
    }
  }
  if (!port.empty()) {
    int value = 0;
    const auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || ptr != port.data() + port.size() || value < 1 || value > 65535)
      fail(text, "invalid port '" + std::string(port) + "' (expected 1-65535)");
    url.port = value;
  }
  return url;
}

std::string Url::str(bool hide_password) const {
  std::string out = drivername + "://";
  if (drivername == "sqlite") {
    if (!database.empty()) out += "/" + database;
  } else {
    if (!username.empty() || !password.empty()) {
      out += encode(username);
      if (!password.empty()) out += ":" + (hide_password ? std::string("***") : encode(password));
      out += "@";
    }
    out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
    if (port) out += ":" + std::to_string(*port);
    if (!database.empty()) out += "/" + encode(database);
  }
  for (std::size_t i = 0; i < query.size(); ++i) {
    out += i == 0 ? "?" : "&";
    out += encode(query[i].first) + "=" + encode(query[i].second);
  }
  return out;
}

bool Url::is_memory_database() const {
  if (drivername != "sqlite") return false;
  if (database.empty() || database == ":memory:") return true;
  if (database.starts_with("file:")) {
    if (database.find("mode=memory") != std::string::npos || database.starts_with("file::memory:")) return true;
  }
  return query_value("mode") == "memory";
}

std::optional<std::string> Url::query_value(std::string_view key) const {
  for (const auto& [k, v] : query)
    if (k == key) return v;
  return std::nullopt;
}

}  // namespace strata::engine
