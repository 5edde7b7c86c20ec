// URL parsing: every accepted form and every error (SQLAlchemy's make_url).
#include <gtest/gtest.h>

#include <string>

#include "strata/core/error.hpp"
#include "strata/engine/url.hpp"

using strata::ArgumentError;
using strata::engine::Url;

namespace {

std::string parse_error(std::string_view text) {
  try {
    Url::parse(text);
  } catch (const ArgumentError& e) {
    return e.what();
  }
  return "<no error>";
}

}  // namespace

TEST(Url, SqliteRelativeFile) {
  auto u = Url::parse("sqlite:///rel/app.db");
  EXPECT_EQ(u.drivername, "sqlite");
  EXPECT_EQ(u.database, "rel/app.db");
  EXPECT_TRUE(u.host.empty());
  EXPECT_FALSE(u.is_memory_database());
  EXPECT_EQ(u.str(), "sqlite:///rel/app.db");
}

TEST(Url, SqliteAbsoluteFile) {
  auto u = Url::parse("sqlite:////abs/path.db");
  EXPECT_EQ(u.database, "/abs/path.db");
  EXPECT_EQ(u.str(), "sqlite:////abs/path.db");
  EXPECT_EQ(Url::parse(u.str()), u);
}

TEST(Url, SqliteMemoryForms) {
  auto a = Url::parse("sqlite://");
  EXPECT_EQ(a.database, "");
  EXPECT_TRUE(a.is_memory_database());
  EXPECT_EQ(a.str(), "sqlite://");
  auto b = Url::parse("sqlite:///:memory:");
  EXPECT_EQ(b.database, ":memory:");
  EXPECT_TRUE(b.is_memory_database());
  EXPECT_TRUE(Url::parse("sqlite:///file:x?mode=memory&cache=shared").is_memory_database());
}

TEST(Url, SqliteQueryOptions) {
  auto u = Url::parse("sqlite:///app.db?mode=ro&immutable=1");
  EXPECT_EQ(u.database, "app.db");
  ASSERT_EQ(u.query.size(), 2u);
  EXPECT_EQ(u.query[0], (std::pair<std::string, std::string>{"mode", "ro"}));
  EXPECT_EQ(u.query_value("immutable"), "1");
  EXPECT_EQ(u.query_value("nope"), std::nullopt);
  EXPECT_EQ(u.str(), "sqlite:///app.db?mode=ro&immutable=1");
}

TEST(Url, PostgresFull) {
  auto u = Url::parse("postgresql://scott:tiger@db.example.com:5432/shop?sslmode=require&application_name=x");
  EXPECT_EQ(u.drivername, "postgresql");
  EXPECT_EQ(u.username, "scott");
  EXPECT_EQ(u.password, "tiger");
  EXPECT_EQ(u.host, "db.example.com");
  EXPECT_EQ(u.port, 5432);
  EXPECT_EQ(u.database, "shop");
  ASSERT_EQ(u.query.size(), 2u);
  EXPECT_EQ(u.query_value("sslmode"), "require");
  EXPECT_EQ(u.str(), "postgresql://scott:***@db.example.com:5432/shop?sslmode=require&application_name=x");
  EXPECT_EQ(u.str(false), "postgresql://scott:tiger@db.example.com:5432/shop?sslmode=require&application_name=x");
}

TEST(Url, PostgresAliasesNormalized) {
  EXPECT_EQ(Url::parse("postgres://h/db").drivername, "postgresql");
  EXPECT_EQ(Url::parse("postgresql+libpq://h/db").drivername, "postgresql");
}

TEST(Url, PercentDecodingAndRoundTrip) {
  auto u = Url::parse("postgresql://us%40er:p%3Ass%40w%2Frd@localhost/db");
  EXPECT_EQ(u.username, "us@er");
  EXPECT_EQ(u.password, "p:ss@w/rd");
  EXPECT_EQ(u.host, "localhost");
  EXPECT_FALSE(u.port.has_value());
  EXPECT_EQ(Url::parse(u.str(false)), u);
}

TEST(Url, PasswordWithAtSignUsesLastAt) {
  auto u = Url::parse("postgresql://user:p@ss@host/db");
  EXPECT_EQ(u.username, "user");
  EXPECT_EQ(u.password, "p@ss");
  EXPECT_EQ(u.host, "host");
}

TEST(Url, PostgresMinimalForms) {
  auto a = Url::parse("postgresql://");
  EXPECT_TRUE(a.host.empty());
  EXPECT_TRUE(a.database.empty());
  auto b = Url::parse("postgresql://user@/db");
  EXPECT_EQ(b.username, "user");
  EXPECT_TRUE(b.password.empty());
  EXPECT_TRUE(b.host.empty());
  EXPECT_EQ(b.database, "db");
  auto c = Url::parse("postgresql://[::1]:5433/db");
  EXPECT_EQ(c.host, "::1");
  EXPECT_EQ(c.port, 5433);
  EXPECT_EQ(c.str(), "postgresql://[::1]:5433/db");
}

TEST(Url, ErrorEmpty) { EXPECT_NE(parse_error("").find("empty"), std::string::npos); }

TEST(Url, ErrorNoScheme) {
  auto m = parse_error("app.db");
  EXPECT_NE(m.find("'app.db'"), std::string::npos) << m;
  EXPECT_NE(m.find("<driver>://"), std::string::npos) << m;
  EXPECT_NE(parse_error("://x").find("<driver>://"), std::string::npos);
}

TEST(Url, ErrorUnknownDriverMasksPassword) {
  auto m = parse_error("mysql://u:secret@h/db");
  EXPECT_NE(m.find("unknown database driver 'mysql' in URL 'mysql://u:***@h/db'"), std::string::npos) << m;
  EXPECT_EQ(m.find("secret"), std::string::npos) << m;
}

TEST(Url, ErrorSqliteWithHost) {
  auto m = parse_error("sqlite://relative.db");
  EXPECT_NE(m.find("no host"), std::string::npos) << m;
}

TEST(Url, ErrorBadPort) {
  auto m = parse_error("postgresql://u:secret@h:abc/db");
  EXPECT_NE(m.find("invalid port 'abc'"), std::string::npos) << m;
  EXPECT_NE(m.find("postgresql://u:***@h:abc/db"), std::string::npos) << m;
  EXPECT_EQ(m.find("secret"), std::string::npos) << m;
  EXPECT_NE(parse_error("postgresql://h:0/db").find("invalid port '0'"), std::string::npos);
  EXPECT_NE(parse_error("postgresql://h:65536/db").find("invalid port '65536'"), std::string::npos);
  EXPECT_NE(parse_error("postgresql://h:/db").find("empty port"), std::string::npos);
  EXPECT_NE(parse_error("postgresql://[::1]:/db").find("empty port"), std::string::npos);
}

TEST(Url, ErrorBadPercentEscape) {
  EXPECT_NE(parse_error("postgresql://u:p%zz@h/db").find("bad percent escape in the password"), std::string::npos);
  EXPECT_NE(parse_error("postgresql://u%4@h/db").find("bad percent escape in the user name"), std::string::npos);
  EXPECT_NE(parse_error("postgresql://h/db?x=%G1").find("bad percent escape in the query"), std::string::npos);
}

TEST(Url, ErrorIpv6) {
  EXPECT_NE(parse_error("postgresql://[::1/db").find("unterminated '['"), std::string::npos);
  EXPECT_NE(parse_error("postgresql://[::1]x/db").find("after the IPv6 host"), std::string::npos);
}

TEST(Url, ErrorEmptyQueryKeyAndFragment) {
  EXPECT_NE(parse_error("sqlite:///a.db?=1").find("empty query option name"), std::string::npos);
  EXPECT_NE(parse_error("sqlite:///a.db#frag").find("fragment"), std::string::npos);
}
