// strata/engine/url.hpp - database URLs, as SQLAlchemy's `make_url`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace strata::engine {

/// A parsed database URL: `driver://[user[:password]@]host[:port]/database[?k=v&...]`.
///
/// Accepted forms:
///   sqlite://                          in-memory database (database "")
///   sqlite:///:memory:                 in-memory database (database ":memory:")
///   sqlite:///rel/app.db               file relative to the working directory ("rel/app.db")
///   sqlite:////abs/app.db              absolute file ("/abs/app.db")
///   sqlite:///app.db?mode=ro           query options become SQLite URI parameters
///   postgresql://user:p%40ss@host:5432/db?sslmode=require
///   postgres://...  postgresql+libpq://...   (both normalized to "postgresql")
///
/// User name, password, database (PostgreSQL only; a SQLite path is taken
/// literally) and query keys / values are percent-decoded. A host may be an
/// IPv6 literal in brackets ("[::1]").
///
/// Example:
///   auto u = strata::engine::Url::parse("postgresql://scott:tiger@localhost/test");
///   u.str();       // "postgresql://scott:***@localhost/test"
///   u.str(false);  // "postgresql://scott:tiger@localhost/test"
struct Url {
  std::string drivername;  ///< "sqlite" or "postgresql" (normalized)
  std::string username, password, host;
  std::optional<int> port;  ///< 1..65535 when given
  std::string database;     ///< SQLite: file path, "" or ":memory:"; PostgreSQL: database name
  std::vector<std::pair<std::string, std::string>> query;  ///< in URL order

  /// Parses a URL.
  /// Throws: ArgumentError naming the URL (password masked as "***") and what
  /// is wrong: empty text, no "://", unknown driver ("unknown database driver
  /// 'mysql' in URL 'mysql://u:***@h/db'"), a SQLite URL with a host, a bad
  /// port, a bad percent escape, an empty query key.
  static Url parse(std::string_view text);

  /// The URL as text; with `hide_password` the password is rendered "***".
  /// User name and password are percent-encoded where needed, so
  /// `Url::parse(u.str(false)) == u`.
  std::string str(bool hide_password = true) const;

  /// True for a SQLite database that lives in memory: "sqlite://",
  /// "sqlite:///:memory:", or a "file:...?mode=memory" URI. Such a database
  /// exists once per connection, which decides the engine's pool (see Engine).
  bool is_memory_database() const;

  /// Value of query option `key`, or std::nullopt.
  std::optional<std::string> query_value(std::string_view key) const;

  friend bool operator==(const Url&, const Url&) = default;
};

}  // namespace strata::engine
