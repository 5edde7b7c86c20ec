// The libpq driver on a real server (one fresh database per test): session
// settings, every Value type through text parameters and text cells, SQLSTATE
// mapping, the prepared-statement cache, pipelined batches, COPY, ping and
// unix sockets.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "strata/core/error.hpp"
#include "strata/dialect/dialect.hpp"
#include "strata/engine/engine.hpp"
#include "strata/model/type_map.hpp"
#include "support/database.hpp"
#include "support/param_views.hpp"

using namespace std::chrono_literals;
using strata::Bytes;
using strata::CellKind;
using strata::Value;
using strata::dialect::Cursor;
using strata::dialect::DriverConnection;
using strata::model::TypeMap;
using strata::testing::Backend;
using strata::testing::TestDatabase;

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE "user" (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL,
  age INTEGER,
  CONSTRAINT uq_user_email UNIQUE (email),
  CONSTRAINT ck_user_age_positive CHECK (age > 0)
);
CREATE TABLE item (
  id SERIAL PRIMARY KEY,
  title VARCHAR(40) NOT NULL,
  owner_id INTEGER CONSTRAINT fk_item_owner_id_user REFERENCES "user" (id)
);
CREATE TABLE every (
  id INTEGER PRIMARY KEY,
  i2 SMALLINT, i4 INTEGER, i8 BIGINT, flag BOOLEAN, dbl DOUBLE PRECISION, num NUMERIC(10,2),
  vc VARCHAR(20), txt TEXT, uid UUID, doc JSONB, tags TEXT[], ts TIMESTAMP, tstz TIMESTAMPTZ,
  day DATE, tod TIME, bin BYTEA
);
INSERT INTO "user" (id, email, age) VALUES (1, 'ada@example.com', 36);
)sql";

std::string test_stem() {
  std::string stem = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  for (auto& ch : stem)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return stem;
}

/// Skips (fails under CI=true) when there is no server; true when there is one.
bool have_server() {
  if (strata::testing::postgresql_server_url()) return true;
  if (strata::testing::running_in_ci()) ADD_FAILURE() << "CI=true but no PostgreSQL server (DATABASE_URL)";
  return false;
}

Bytes all_bytes() {
  Bytes b;
  for (int i = 0; i < 256; ++i) b.push_back(static_cast<std::byte>(i));
  b.push_back(std::byte{0x00});
  b.push_back(std::byte{0xff});
  return b;
}

/// A port on 127.0.0.1 that nothing listens on.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

class PgDriver : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_server()) GTEST_SKIP() << "no PostgreSQL server (DATABASE_URL is not set; scripts/test starts one)";
    db_.emplace(Backend::postgresql, test_stem());
    engine_.emplace(strata::create_engine(db_->url()));
    conn_.emplace(engine_->connect());
    conn_->execute_script(kSchema);
  }
  void TearDown() override {
    conn_.reset();
    engine_.reset();
    db_.reset();
  }

  DriverConnection& driver() { return conn_->driver(); }
  strata::Connection& conn() { return *conn_; }
  Value scalar(std::string_view sql, std::vector<Value> params = {}) { return conn_->execute(sql, params).scalar(); }
  std::int64_t count(std::string_view table) {
    const Value v = scalar("SELECT count(*) FROM " + std::string(table));
    return v.get_if<std::int64_t>() ? *v.get_if<std::int64_t>() : -1;
  }
  std::int64_t server_prepared() {
    return *scalar("SELECT count(*) FROM pg_prepared_statements").get_if<std::int64_t>();
  }

  /// Runs `sql` and returns the exception it throws, as type E.
  template <class E>
  E expect_error(std::string_view sql, std::vector<Value> params = {}) {
    try {
      conn_->execute_update(sql, params);
    } catch (const E& e) {
      return e;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "wrong exception type for " << sql << ": " << e.what();
      throw;
    }
    ADD_FAILURE() << "no exception for " << sql;
    throw std::logic_error("no exception");
  }

  std::optional<TestDatabase> db_;
  std::optional<strata::Engine> engine_;
  std::optional<strata::Connection> conn_;
};

constexpr const char* kInsertEvery =
    "INSERT INTO every (id, i2, i4, i8, flag, dbl, num, vc, txt, uid, doc, tags, ts, tstz, day, tod, bin) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";

}  // namespace

TEST_F(PgDriver, SessionIsUtf8IsoUtc) {
  EXPECT_EQ(scalar("SHOW client_encoding"), Value("UTF8"));
  EXPECT_EQ(scalar("SHOW TimeZone"), Value("UTC"));
  EXPECT_TRUE(std::get<std::string>(scalar("SHOW DateStyle").storage()).starts_with("ISO"));
  EXPECT_EQ(scalar("SHOW bytea_output"), Value("hex"));
}

TEST_F(PgDriver, NoticesAreDiscarded) {
  ::testing::internal::CaptureStderr();
  conn().execute_script("DO $$ BEGIN RAISE NOTICE 'noisy notice'; RAISE WARNING 'noisy warning'; END $$");
  conn().execute_update("ROLLBACK");  // "there is no transaction in progress" is a warning too
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

TEST_F(PgDriver, RoundTripsEveryValueType) {
  using namespace std::chrono;
  const auto uid = strata::Uuid::v4();
  const strata::Date day = 2024y / February / 29d;
  const strata::Time tod{13h + 45min + 1us};
  const strata::DateTime ts = local_days{day} + 13h + 45min + 250000us;
  const strata::DateTimeTz tstz = sys_days{2024y / March / 1d} + 23h + 59min + 59s + 999999us;
  const strata::StringList tags{"a", "b \"q\"", "c\\d", "", "NULL", "x,y", " sp ", "{}", "é"};
  const strata::JsonText doc{R"({"a": [1, 2], "b": "x\"y"})"};
  const Bytes bin = all_bytes();
  const std::vector<Value> row{1,
                               std::int16_t{-32768},
                               std::int32_t{2147483647},
                               std::numeric_limits<std::int64_t>::min(),
                               true,
                               0.1,
                               strata::Numeric{"86.40"},
                               "héllo wörld",
                               "tab\there\nnewline\\ 'quote' \"dq\"",
                               uid,
                               doc,
                               tags,
                               ts,
                               tstz,
                               day,
                               tod,
                               bin};
  EXPECT_EQ(conn().execute_update(kInsertEvery, row), 1);

  auto result = conn().execute("SELECT * FROM every WHERE id = $1", {1});
  ASSERT_TRUE(result.next());
  const Cursor& c = result.row();
  ASSERT_EQ(c.column_count(), 17);
  EXPECT_EQ(c.column_name(10), "doc");
  // The cells' kinds, by column type.
  const CellKind kinds[] = {CellKind::Integer, CellKind::Integer, CellKind::Integer, CellKind::Integer,
                            CellKind::Integer, CellKind::Real,    CellKind::Text,    CellKind::Text,
                            CellKind::Text,    CellKind::Text,    CellKind::Text,    CellKind::Text,
                            CellKind::Text,    CellKind::Text,    CellKind::Text,    CellKind::Text,
                            CellKind::Blob};
  for (int i = 0; i < 17; ++i) EXPECT_EQ(c.kind(i), kinds[i]) << c.column_name(i);
  // The plain values.
  EXPECT_EQ(c.get_value(0), Value(1));
  EXPECT_EQ(c.get_value(1), Value(-32768));
  EXPECT_EQ(c.get_value(3), Value(std::numeric_limits<std::int64_t>::min()));
  EXPECT_EQ(c.get_value(4), Value(true));
  EXPECT_EQ(c.get_int64(4), 1);
  EXPECT_EQ(c.get_value(5), Value(0.1));
  EXPECT_EQ(c.get_text(6), "86.40");
  EXPECT_EQ(c.get_value(9), Value(uid.str()));
  EXPECT_EQ(c.get_value(10), Value(doc.text));
  EXPECT_EQ(c.get_value(16), Value(bin));
  // Both bytea spans stay valid together with other columns' reads.
  const auto bytes = c.get_bytes(16);
  EXPECT_EQ(Bytes(bytes.begin(), bytes.end()), bin);
  // What the model layer reads from these cells.
  EXPECT_EQ(TypeMap<std::int16_t>::from_cell(c, 1), -32768);
  EXPECT_EQ(TypeMap<std::int32_t>::from_cell(c, 2), 2147483647);
  EXPECT_EQ(TypeMap<std::int64_t>::from_cell(c, 3), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(TypeMap<bool>::from_cell(c, 4), true);
  EXPECT_EQ(TypeMap<double>::from_cell(c, 5), 0.1);
  EXPECT_EQ(TypeMap<strata::Numeric>::from_cell(c, 6), strata::Numeric{"86.40"});
  EXPECT_EQ(TypeMap<std::string>::from_cell(c, 7), "héllo wörld");
  EXPECT_EQ(TypeMap<std::string>::from_cell(c, 8), "tab\there\nnewline\\ 'quote' \"dq\"");
  EXPECT_EQ(TypeMap<strata::Uuid>::from_cell(c, 9), uid);
  EXPECT_EQ(TypeMap<strata::StringList>::from_cell(c, 11), tags);
  EXPECT_EQ(TypeMap<strata::DateTime>::from_cell(c, 12), ts);
  EXPECT_EQ(TypeMap<strata::DateTimeTz>::from_cell(c, 13), tstz);
  EXPECT_EQ(TypeMap<strata::Date>::from_cell(c, 14), day);
  EXPECT_EQ(TypeMap<strata::Time>::from_cell(c, 15), tod);
  EXPECT_EQ(TypeMap<Bytes>::from_cell(c, 16), bin);
  EXPECT_FALSE(result.next());
}

TEST_F(PgDriver, NullsAndEmptyValues) {
  std::vector<Value> nulls(17);
  nulls[0] = 2;
  conn().execute_update(kInsertEvery, nulls);
  std::vector<Value> empties(17);
  empties[0] = 3;
  empties[8] = "";
  empties[11] = strata::StringList{};
  empties[16] = Bytes{};
  conn().execute_update(kInsertEvery, empties);

  auto r = conn().execute("SELECT * FROM every ORDER BY id");
  ASSERT_TRUE(r.next());
  for (int i = 1; i < 17; ++i) {
    EXPECT_TRUE(r.row().is_null(i)) << i;
    EXPECT_EQ(r.row().kind(i), CellKind::Null) << i;
    EXPECT_EQ(r.row().get_value(i), Value()) << i;
  }
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.row().get_value(8), Value(""));  // empty text is not NULL
  EXPECT_FALSE(r.row().is_null(8));
  EXPECT_EQ(TypeMap<strata::StringList>::from_cell(r.row(), 11), strata::StringList{});
  EXPECT_EQ(r.row().kind(16), CellKind::Blob);
  EXPECT_EQ(r.row().get_value(16), Value(Bytes{}));
}

TEST_F(PgDriver, DoublesCompareWithIntegerColumnsAndStayExactInNumericOnes) {
  conn().execute_script("CREATE TABLE dn (id INT, amount NUMERIC(20, 10))");
  conn().execute_update("INSERT INTO dn VALUES ($1, $2)", std::vector<Value>{1, 1234567.123456789});
  conn().execute_update("INSERT INTO dn VALUES ($1, $2)", std::vector<Value>{2, 0.5});
  // The server infers int4 for $1; a double there is declared float8 instead
  // of being refused as "1.5" (SQLite compares numerically too).
  EXPECT_EQ(scalar("SELECT count(*) FROM dn WHERE id < $1", {1.5}), Value(1));
  EXPECT_EQ(scalar("SELECT count(*) FROM dn WHERE id < $1", {3}), Value(2));  // the untyped statement still serves ints
  // Into NUMERIC the double's shortest text is parsed exactly (a float8
  // parameter would have been cut to 15 digits by the float8 -> numeric cast).
  EXPECT_EQ(scalar("SELECT amount::text FROM dn WHERE id = 1"), Value("1234567.1234567890"));
}

TEST_F(PgDriver, CommitOfAnAbortedTransactionIsAnError) {
  conn().execute_script("CREATE TABLE ca (a INT)");
  conn().begin();
  conn().execute_update("INSERT INTO ca VALUES (1)");
  expect_error<strata::ProgrammingError>("SELEC 1");
  // PostgreSQL answers COMMIT with ROLLBACK here; reporting success would lose the INSERT silently.
  auto e = expect_error<strata::DatabaseError>("COMMIT");
  EXPECT_EQ(e.sqlstate(), "25P02");
  EXPECT_NE(std::string(e.what()).find("rolled the transaction back"), std::string::npos) << e.what();
  EXPECT_EQ(scalar("SELECT count(*) FROM ca"), Value(0));
}

TEST_F(PgDriver, DoublesRoundTripExactly) {
  const double values[] = {0.1, 1.0 / 3, 1e-300, std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::denorm_min(), -0.5, 123456789.123456789};
  for (double d : values) {
    EXPECT_EQ(scalar("SELECT $1::float8", {d}), Value(d)) << d;
  }
  const Value nan = scalar("SELECT $1::float8", {std::nan("")});
  ASSERT_TRUE(nan.holds<double>());
  EXPECT_TRUE(std::isnan(*nan.get_if<double>()));
  EXPECT_EQ(scalar("SELECT $1::float8", {HUGE_VAL}), Value(HUGE_VAL));
  EXPECT_EQ(scalar("SELECT $1::float8", {-HUGE_VAL}), Value(-HUGE_VAL));
  EXPECT_EQ(scalar("SELECT $1::float4", {0.5f}), Value(0.5));
  // Integers and booleans are inferred from the statement.
  EXPECT_EQ(scalar("SELECT $1::int8 + 1", {41}), Value(42));
  EXPECT_EQ(scalar("SELECT NOT $1::bool", {false}), Value(true));
  EXPECT_EQ(scalar("SELECT $1::numeric * 2", {strata::Numeric{"1.25"}}), Value("2.50"));
}

// The cursor parses integers and plain decimals itself (digits only, Clinger's
// fast path for at most 15 significant digits); every value must equal what
// std::from_chars makes of the same text, the server's own output of it.
TEST_F(PgDriver, NumbersReadFromTextEqualTheStandardParse) {
  auto parsed = [](const Value& text) {
    const std::string& t = *text.get_if<std::string>();
    double d = 0;
    const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
    EXPECT_TRUE(ec == std::errc() && p == t.data() + t.size()) << t;
    return d;
  };
  // Random magnitudes from 1e-20 to 1e20, fixed seed; then hand-picked texts
  // around the fast path's limits (15 and 16 digits, exponents, -0, subnormals).
  scalar("SELECT setseed(0.25)");
  auto rows = conn()
                  .execute("SELECT v, v::text FROM (SELECT ((random() - 0.5) * 10 ^ (floor(random() * 40) - 20))::float8 "
                           "AS v FROM generate_series(1, 3000)) s "
                           "UNION ALL SELECT v::float8, v::float8::text FROM unnest(ARRAY['0', '-0', '0.1', '12.5', "
                           "'-0.001', '999999999999999', '1234567890123456', '0.000001234', '123.456', '1e22', '1e23', "
                           "'5e-324', '2.2250738585072014e-308', '9007199254740993', '0.30000000000000004', "
                           "'-123456789.123456789', '1.7976931348623157e308']) v",
                           {})
                  .all();
  ASSERT_EQ(rows.size(), 3017u);
  for (const auto& r : rows) {
    ASSERT_TRUE(r[0].holds<double>()) << r[1].repr();
    const double want = parsed(r[1]);
    EXPECT_EQ(std::memcmp(r[0].get_if<double>(), &want, sizeof want), 0) << *r[1].get_if<std::string>();
  }
  auto ints = conn()
                  .execute("SELECT v, v::text FROM unnest(ARRAY[0, -1, 7, 123456789012345678, 1234567890123456789, "
                           "-1234567890123456789, 9223372036854775807, -9223372036854775808]::int8[]) v",
                           {})
                  .all();
  ASSERT_EQ(ints.size(), 8u);
  for (const auto& r : ints) {
    const std::string& t = *r[1].get_if<std::string>();
    std::int64_t want = 0;
    std::from_chars(t.data(), t.data() + t.size(), want);
    EXPECT_EQ(r[0], Value(want)) << t;
  }
}

TEST_F(PgDriver, TextWithNulIsRefusedBeforeSending) {
  conn().begin();
  const auto e = expect_error<strata::DatabaseError>("SELECT $1::text", {std::string("a\0b", 3)});
  EXPECT_EQ(e.sqlstate(), "22021");
  EXPECT_NE(std::string(e.what()).find("parameter $1"), std::string::npos) << e.what();
  // Nothing reached the server: the transaction is intact.
  EXPECT_EQ(scalar("SELECT 1"), Value(1));
  conn().rollback();
}

// --- errors ------------------------------------------------------------------

TEST_F(PgDriver, UniqueViolation) {
  auto e = expect_error<strata::UniqueViolation>("INSERT INTO \"user\" (id, email) VALUES ($1, $2)",
                                                  {2, "ada@example.com"});
  EXPECT_EQ(e.sqlstate(), "23505");
  EXPECT_EQ(e.constraint(), "uq_user_email");
  EXPECT_EQ(e.table(), "user");
  EXPECT_EQ(e.sql(), "INSERT INTO \"user\" (id, email) VALUES ($1, $2)");
  EXPECT_NE(std::string(e.what()).find("ada@example.com"), std::string::npos) << e.what();  // the DETAIL
  auto pk = expect_error<strata::UniqueViolation>("INSERT INTO \"user\" (id, email) VALUES (1, 'x@y')");
  EXPECT_EQ(pk.constraint(), "user_pkey");
}

TEST_F(PgDriver, ForeignKeyViolation) {
  auto e = expect_error<strata::ForeignKeyViolation>("INSERT INTO item (title, owner_id) VALUES ('t', 99)");
  EXPECT_EQ(e.sqlstate(), "23503");
  EXPECT_EQ(e.constraint(), "fk_item_owner_id_user");
  EXPECT_EQ(e.table(), "item");
}

TEST_F(PgDriver, NotNullViolationNamesTableAndColumn) {
  auto e = expect_error<strata::NotNullViolation>("INSERT INTO item (title) VALUES ($1)", {Value()});
  EXPECT_EQ(e.sqlstate(), "23502");
  EXPECT_EQ(e.table(), "item");
  EXPECT_EQ(e.constraint(), "item.title");  // the form the SQLite driver gives
}

TEST_F(PgDriver, CheckViolation) {
  auto e = expect_error<strata::CheckViolation>("UPDATE \"user\" SET age = -1");
  EXPECT_EQ(e.sqlstate(), "23514");
  EXPECT_EQ(e.constraint(), "ck_user_age_positive");
  EXPECT_EQ(e.table(), "user");
}

TEST_F(PgDriver, OtherIntegrityErrorIsTheBaseClass) {
  conn().execute_script("CREATE TABLE booking (span circle, EXCLUDE USING gist (span WITH &&))");
  conn().execute_update("INSERT INTO booking VALUES ('<(0,0),1>')");
  try {
    conn().execute_update("INSERT INTO booking VALUES ('<(0,0),2>')");
    FAIL() << "no exception";
  } catch (const strata::UniqueViolation&) {
    FAIL() << "too specific";
  } catch (const strata::IntegrityError& e) {
    EXPECT_EQ(e.sqlstate(), "23P01");
    EXPECT_EQ(e.constraint(), "booking_span_excl");
  }
}

TEST_F(PgDriver, SyntaxErrorAndUndefinedTableAreProgrammingErrors) {
  auto e = expect_error<strata::ProgrammingError>("SELEC 1");
  EXPECT_EQ(e.sqlstate(), "42601");
  EXPECT_EQ(e.sql(), "SELEC 1");
  auto t = expect_error<strata::ProgrammingError>("SELECT * FROM no_such_table");
  EXPECT_EQ(t.sqlstate(), "42P01");
  EXPECT_NE(std::string(t.what()).find("no_such_table"), std::string::npos);
  auto several = expect_error<strata::ProgrammingError>("SELECT 1; SELECT 2");
  EXPECT_EQ(several.sqlstate(), "42601");
  EXPECT_EQ(expect_error<strata::ProgrammingError>("").sqlstate(), "42601");
}

// The default DriverConnection::execute_update_views: each view as its Value.
TEST_F(PgDriver, ExecuteUpdateViewsConvertsEachKindToItsValue) {
  conn().execute_update("CREATE TEMP TABLE kinds (n int, b boolean, i bigint, r double precision, t text, x uuid)");
  const std::string text = "as a value";
  const std::vector<strata::ParamView> p = strata::testing::sample_views(text);
  EXPECT_EQ(conn().execute_update_views("INSERT INTO kinds VALUES ($1, $2, $3, $4, $5, $6)", p), 1);
  EXPECT_EQ(scalar("SELECT n IS NULL AND b AND i = -42 AND r = 2.5 AND t = 'as a value' AND x = '" +
                   std::string(strata::testing::kSampleUuid) + "' FROM kinds"),
            Value(true));
}

TEST_F(PgDriver, WrongParameterCountIsAProgrammingErrorThatKeepsTheTransaction) {
  conn().begin();
  auto e = expect_error<strata::ProgrammingError>("SELECT $1::int + $2::int", {1});
  EXPECT_EQ(e.sqlstate(), "07001");
  EXPECT_EQ(scalar("SELECT $1::int + $2::int", {1, 2}), Value(3));  // the transaction is not aborted
  conn().rollback();
}

TEST_F(PgDriver, EachSqlstateMapsToItsClass) {
  struct Case {
    const char* sqlstate;
    std::function<bool(const strata::DatabaseError&)> is_expected;
  };
  auto operational = [](bool retryable) {
    return [retryable](const strata::DatabaseError& e) {
      const auto* op = dynamic_cast<const strata::OperationalError*>(&e);
      return op && op->retryable() == retryable;
    };
  };
  auto exactly_database_error = [](const strata::DatabaseError& e) {
    return !dynamic_cast<const strata::IntegrityError*>(&e) && !dynamic_cast<const strata::OperationalError*>(&e) &&
           !dynamic_cast<const strata::ProgrammingError*>(&e);
  };
  const Case cases[] = {
      {"40001", operational(true)},  // serialization_failure
      {"40P01", operational(true)},  // deadlock_detected
      {"55P03", operational(false)},  // lock_not_available
      {"57014", operational(false)},  // query_canceled
      {"08006", operational(false)},  // connection_failure (raised on a live connection)
      {"42501", [](const auto& e) { return dynamic_cast<const strata::ProgrammingError*>(&e) != nullptr; }},
      {"23000", [](const auto& e) {
         return dynamic_cast<const strata::IntegrityError*>(&e) && !dynamic_cast<const strata::UniqueViolation*>(&e);
       }},
      {"22012", exactly_database_error},  // division_by_zero
      {"XX000", exactly_database_error},
      {"P0001", exactly_database_error},
  };
  for (const auto& c : cases) {
    const std::string sql = std::string("DO $$ BEGIN RAISE EXCEPTION 'raised %', '") + c.sqlstate +
                            "' USING ERRCODE = '" + c.sqlstate + "', TABLE = 'tbl', CONSTRAINT = 'cons'; END $$";
    try {
      conn().execute_update(sql);
      ADD_FAILURE() << "no exception for " << c.sqlstate;
    } catch (const strata::DatabaseError& e) {
      EXPECT_EQ(e.sqlstate(), c.sqlstate);
      EXPECT_TRUE(c.is_expected(e)) << c.sqlstate << ": " << typeid(e).name();
      EXPECT_EQ(e.table(), "tbl");
      EXPECT_EQ(e.constraint(), "cons");
    }
  }
  EXPECT_TRUE(driver().ping());  // a raised 08006 does not break the connection
}

TEST_F(PgDriver, LockNotAvailableAndStatementTimeoutAreOperational) {
  auto other = engine_->connect();
  other.begin();
  other.execute("SELECT * FROM \"user\" WHERE id = 1 FOR UPDATE").rows_affected();
  auto e = expect_error<strata::OperationalError>("SELECT * FROM \"user\" WHERE id = 1 FOR UPDATE NOWAIT");
  EXPECT_EQ(e.sqlstate(), "55P03");
  EXPECT_FALSE(e.retryable());
  other.rollback();

  conn().execute_update("SET statement_timeout = 50");
  auto t = expect_error<strata::OperationalError>("SELECT pg_sleep(2)");
  EXPECT_EQ(t.sqlstate(), "57014");
  conn().execute_update("SET statement_timeout = 0");
}

TEST_F(PgDriver, DivisionByZeroIsADatabaseError) {
  try {
    conn().execute_update("SELECT 1 / $1::int", std::vector<Value>{0});
    FAIL() << "no exception";
  } catch (const strata::DatabaseError& e) {
    EXPECT_EQ(e.sqlstate(), "22012");
    EXPECT_EQ(dynamic_cast<const strata::ProgrammingError*>(&e), nullptr);
    EXPECT_EQ(dynamic_cast<const strata::OperationalError*>(&e), nullptr);
  }
}

TEST_F(PgDriver, AFailedStatementLeavesTheTransactionAborted) {
  conn().begin();
  expect_error<strata::UniqueViolation>("INSERT INTO \"user\" (id, email) VALUES (1, 'dup')");
  auto e = expect_error<strata::DatabaseError>("SELECT 1");
  EXPECT_EQ(e.sqlstate(), "25P02");  // in_failed_sql_transaction: for the caller to roll back
  conn().rollback();
  EXPECT_EQ(scalar("SELECT 1"), Value(1));
}

// --- connecting --------------------------------------------------------------

TEST_F(PgDriver, UnknownUrlOptionIsAnArgumentError) {
  auto engine = strata::create_engine(db_->url() + "?bogus_option=1");
  try {
    engine.connect();
    FAIL() << "no exception";
  } catch (const strata::ArgumentError& e) {
    EXPECT_NE(std::string(e.what()).find("'bogus_option'"), std::string::npos) << e.what();
  }
}

TEST_F(PgDriver, UrlOptionsAreLibpqKeywords) {
  auto engine = strata::create_engine(db_->url() +
                                      "?application_name=strata_driver_test&connect_timeout=5&sslmode=disable"
                                      "&options=-c%20search_path%3Dpg_catalog");
  auto c = engine.connect();
  EXPECT_EQ(c.execute("SELECT current_setting('application_name')").scalar(), Value("strata_driver_test"));
  EXPECT_EQ(c.execute("SHOW search_path").scalar(), Value("pg_catalog"));
  EXPECT_EQ(c.execute("SHOW TimeZone").scalar(), Value("UTC"));
}

TEST_F(PgDriver, BadPortIsAnOperationalErrorNamingHostPortAndDatabase) {
  const int port = free_port();
  auto engine = strata::create_engine("postgresql://postgres:s3cr3t-pw@127.0.0.1:" + std::to_string(port) +
                                      "/some_db?connect_timeout=5");
  try {
    engine.connect();
    FAIL() << "no exception";
  } catch (const strata::OperationalError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("port " + std::to_string(port)), std::string::npos) << m;
    EXPECT_NE(m.find("'127.0.0.1'"), std::string::npos) << m;
    EXPECT_NE(m.find("'some_db'"), std::string::npos) << m;
    EXPECT_EQ(m.find("s3cr3t-pw"), std::string::npos) << m;
    EXPECT_EQ(e.sqlstate(), "08001");
  }
}

TEST_F(PgDriver, UnixSocketHost) {
  std::string dir = std::get<std::string>(scalar("SHOW unix_socket_directories").storage());
  dir = dir.substr(0, dir.find(','));
  if (dir.empty() || dir.front() != '/') GTEST_SKIP() << "the server has no unix socket";
  const auto url = strata::engine::Url::parse(db_->url());
  const std::string port = std::get<std::string>(scalar("SHOW port").storage());

  // As a ConnectParams host, through the dialect.
  strata::dialect::ConnectParams p;
  p.host = dir;
  p.port = std::stoi(port);
  p.user = url.username;
  p.password = url.password;
  p.database = url.database;
  auto raw = engine_->dialect().connect(p);
  auto cur = raw->execute("SELECT inet_server_addr() IS NULL, current_database()", {});
  ASSERT_TRUE(cur->next());
  EXPECT_EQ(cur->get_value(0), Value(true));  // no TCP address: a unix socket
  EXPECT_EQ(cur->get_value(1), Value(db_->name()));

  // As a URL query option (libpq's own spelling), which overrides the URL's host.
  auto engine = strata::create_engine("postgresql://" + url.username + "@/" + url.database + "?host=" + dir +
                                      "&port=" + port);
  EXPECT_EQ(engine.connect().execute("SELECT inet_server_addr() IS NULL").scalar(), Value(true));
}

TEST_F(PgDriver, PingAndADeadConnection) {
  EXPECT_TRUE(driver().ping());
  conn().begin();
  expect_error<strata::ProgrammingError>("SELEC 1");
  EXPECT_TRUE(driver().ping());  // an aborted transaction still answers
  conn().rollback();

  auto victim = engine_->dialect().connect([&] {
    const auto u = strata::engine::Url::parse(db_->url());
    strata::dialect::ConnectParams p;
    p.host = u.host;
    p.port = u.port.value_or(0);
    p.user = u.username;
    p.password = u.password;
    p.database = u.database;
    return p;
  }());
  auto pid = victim->execute("SELECT pg_backend_pid()", {});
  ASSERT_TRUE(pid->next());
  const Value victim_pid = pid->get_value(0);
  EXPECT_EQ(scalar("SELECT pg_terminate_backend($1::int)", {victim_pid}), Value(true));
  auto alive = [&] { return scalar("SELECT count(*) FROM pg_stat_activity WHERE pid = $1::int", {victim_pid}); };
  for (int i = 0; i < 100 && alive() != Value(0); ++i) ::usleep(10000);
  try {
    victim->execute_update("SELECT 1", {});
    FAIL() << "no exception";
  } catch (const strata::OperationalError& e) {
    EXPECT_FALSE(e.sqlstate().empty());
  }
  EXPECT_FALSE(victim->ping());
}

// --- statement cache ---------------------------------------------------------

TEST_F(PgDriver, StatementCacheReusesByText) {
  const auto before = driver().cached_statements();
  for (int i = 0; i < 10; ++i) EXPECT_EQ(scalar("SELECT $1::int * 2", {i}), Value(i * 2));
  EXPECT_EQ(driver().cached_statements(), before + 1);
  EXPECT_EQ(scalar("SELECT count(*) FROM pg_prepared_statements WHERE statement = 'SELECT $1::int * 2'"), Value(1));
}

TEST_F(PgDriver, QueryFirstPassesTheFirstRowOnly) {
  const std::string sql = "SELECT g, 'row ' || g FROM generate_series($1::int, $2::int) AS g";
  std::vector<std::string> seen;
  auto read = [&](const strata::CellSource& row) { seen.emplace_back(row.get_text(1)); };
  EXPECT_TRUE(conn().query_first(sql, std::vector<Value>{Value(3), Value(5)}, read));
  EXPECT_EQ(seen, std::vector<std::string>{"row 3"});
  EXPECT_FALSE(conn().query_first(sql, std::vector<Value>{Value(5), Value(3)}, read));
  EXPECT_EQ(seen.size(), 1u);
  EXPECT_EQ(scalar("SELECT 1"), Value(1));  // the connection is free for the next statement
}

TEST_F(PgDriver, StatementCacheEvictsTheLeastRecentlyUsedAndDeallocatesIt) {
  for (int i = 0; i < 300; ++i) {
    EXPECT_EQ(scalar("SELECT " + std::to_string(i) + " + $1::int", {1}), Value(i + 1));
    if (i % 50 == 0) scalar("SELECT 'hot'");  // used often: never the least recently used
  }
  EXPECT_EQ(driver().cached_statements(), 256u);
  EXPECT_EQ(server_prepared(), 256);  // evicted statements are gone from the server too
  EXPECT_EQ(scalar("SELECT count(*) FROM pg_prepared_statements WHERE statement = 'SELECT ''hot'''"), Value(1));
  EXPECT_EQ(scalar("SELECT 0 + $1::int", {5}), Value(5));  // evicted, prepared again
}

TEST_F(PgDriver, EvictionInsideAnAbortedTransactionIsDeferred) {
  for (int i = 0; i < 260; ++i) scalar("SELECT " + std::to_string(i));
  ASSERT_EQ(driver().cached_statements(), 256u);
  conn().begin();
  conn().savepoint("sp1");
  // Inside a healthy transaction (where the ORM runs everything) evicted
  // statements are deallocated at the next prepare: they never pile up.
  for (int i = 0; i < 10; ++i) scalar("SELECT 'in tx " + std::to_string(i) + "'");
  EXPECT_LE(server_prepared(), 257);
  expect_error<strata::ProgrammingError>("SELEC 'abort'");
  // A new statement in the aborted transaction, with a full cache: preparing
  // it must not run into a refused DEALLOCATE.
  conn().rollback_to_savepoint("sp1");
  EXPECT_EQ(scalar("SELECT 'alive'"), Value("alive"));
  conn().commit();
  EXPECT_EQ(scalar("SELECT 'after'"), Value("after"));  // deallocates what was evicted meanwhile
  EXPECT_EQ(driver().cached_statements(), 256u);
  EXPECT_EQ(server_prepared(), 256);
}

TEST_F(PgDriver, StalePlansAreRepreparedOutsideATransaction) {
  conn().execute_script("CREATE TABLE s (a INT); INSERT INTO s VALUES (1)");
  EXPECT_EQ(conn().execute("SELECT * FROM s").one().size(), 1u);
  conn().execute_script("ALTER TABLE s ADD COLUMN b INT DEFAULT 2");
  auto row = conn().execute("SELECT * FROM s").one();  // "cached plan must not change result type", retried
  EXPECT_EQ(row, (std::vector<Value>{1, 2}));

  conn().execute_script("ALTER TABLE s ADD COLUMN c INT DEFAULT 3");
  conn().begin();
  auto e = expect_error<strata::DatabaseError>("SELECT * FROM s");
  EXPECT_EQ(e.sqlstate(), "0A000");  // inside a transaction: for the caller
  conn().rollback();
  EXPECT_EQ(conn().execute("SELECT * FROM s").one().size(), 3u);

  conn().execute_script("DEALLOCATE ALL");  // someone dropped every prepared statement
  EXPECT_EQ(conn().execute("SELECT * FROM s").one().size(), 3u);

  // Any other feature_not_supported is not retried (a sequence is not rolled back: it counts the runs).
  conn().execute_script("CREATE SEQUENCE runs");
  EXPECT_THROW(conn().execute_update("DO $$ BEGIN PERFORM nextval('runs'); "
                                     "RAISE EXCEPTION 'nope' USING ERRCODE = '0A000'; END $$"),
               strata::DatabaseError);
  EXPECT_EQ(scalar("SELECT last_value FROM runs"), Value(1));
}

// --- batches -----------------------------------------------------------------

TEST_F(PgDriver, ExecuteManyPipelinesAThousandRows) {
  std::vector<Value> params;
  for (int i = 0; i < 1000; ++i) {
    params.emplace_back(i + 10);
    params.emplace_back("user" + std::to_string(i) + "@example.com");
  }
  EXPECT_EQ(driver().execute_many("INSERT INTO \"user\" (id, email) VALUES ($1, $2)", params, 2), 1000);
  EXPECT_EQ(count("\"user\""), 1001);
  EXPECT_EQ(driver().execute_many("UPDATE \"user\" SET age = $1 WHERE id >= $2", std::vector<Value>{7, 10}, 2), 1000);
  EXPECT_EQ(driver().execute_many("DELETE FROM \"user\" WHERE id = $1", std::vector<Value>{}, 1), 0);
  EXPECT_THROW(driver().execute_many("DELETE FROM \"user\" WHERE id = $1", std::vector<Value>{1, 2, 3}, 2),
               strata::ArgumentError);
  EXPECT_THROW(driver().execute_many("DELETE FROM \"user\" WHERE id = $1", std::vector<Value>{1, 2}, 2),
               strata::ProgrammingError);  // two per row, the statement takes one
}

TEST_F(PgDriver, ExecuteManyFailingRowInTheMiddle) {
  std::vector<Value> params;
  for (int i = 0; i < 1000; ++i) {
    params.emplace_back(i + 10);
    params.emplace_back(i == 499 ? std::string("ada@example.com") : "u" + std::to_string(i) + "@example.com");
  }
  try {
    driver().execute_many("INSERT INTO \"user\" (id, email) VALUES ($1, $2)", params, 2);
    FAIL() << "no exception";
  } catch (const strata::UniqueViolation& e) {
    EXPECT_EQ(e.constraint(), "uq_user_email");
    EXPECT_NE(std::string(e.what()).find("row 500 of 1000"), std::string::npos) << e.what();
  }
  // The connection is usable, and outside a transaction the batch was atomic.
  EXPECT_TRUE(driver().ping());
  EXPECT_EQ(count("\"user\""), 1);

  // Inside a transaction the transaction is aborted, for the caller to roll back.
  conn().begin();
  EXPECT_THROW(driver().execute_many("INSERT INTO \"user\" (id, email) VALUES ($1, $2)", params, 2),
               strata::UniqueViolation);
  EXPECT_THROW(scalar("SELECT 1"), strata::DatabaseError);
  conn().rollback();
  EXPECT_EQ(scalar("SELECT 1"), Value(1));
}

TEST_F(PgDriver, ExecuteManyReturningHandsRowsInOrder) {
  std::vector<Value> params;
  for (int i = 0; i < 100; ++i) params.emplace_back("title " + std::to_string(i));
  std::vector<std::pair<std::size_t, std::string>> seen;
  driver().execute_many_returning("INSERT INTO item (title) VALUES ($1) RETURNING id, title", params, 1,
                                  [&](std::size_t row, const strata::CellSource& cells) {
                                    EXPECT_EQ(cells.kind(0), CellKind::Integer);
                                    seen.emplace_back(row, std::string(cells.get_text(1)));
                                  });
  ASSERT_EQ(seen.size(), 100u);
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].first, i);
    EXPECT_EQ(seen[i].second, "title " + std::to_string(i));
  }
  // A failing batch reports no row at all.
  std::vector<Value> with_null = params;
  with_null[50] = Value();
  std::size_t reported = 0;
  EXPECT_THROW(driver().execute_many_returning("INSERT INTO item (title) VALUES ($1) RETURNING id", with_null, 1,
                                               [&](std::size_t, const strata::CellSource&) { ++reported; }),
               strata::NotNullViolation);
  EXPECT_EQ(reported, 0u);
  // The callback may use the connection; one that throws stops the batch.
  driver().execute_many_returning("SELECT $1::int * 2", std::vector<Value>{1, 2}, 1,
                                  [&](std::size_t row, const strata::CellSource& cells) {
                                    EXPECT_EQ(cells.get_int64(0), static_cast<std::int64_t>(row + 1) * 2);
                                    EXPECT_EQ(scalar("SELECT $1::int", {static_cast<int>(row)}), Value(row));
                                  });
  EXPECT_THROW(driver().execute_many_returning("INSERT INTO item (title) VALUES ($1) RETURNING id", params, 1,
                                               [](std::size_t, const strata::CellSource&) {
                                                 throw std::runtime_error("stop");
                                               }),
               std::runtime_error);
  EXPECT_EQ(scalar("SELECT 1"), Value(1));
}

// --- COPY --------------------------------------------------------------------

TEST_F(PgDriver, CopyInTenThousandRows) {
  using namespace std::chrono;
  const std::vector<std::string> cols{"id", "txt", "vc", "bin", "uid", "tags", "tstz", "flag", "dbl", "doc"};
  const auto uid = strata::Uuid::v4();
  const strata::DateTimeTz tstz = sys_days{2024y / March / 1d} + 1h + 1us;
  const std::string nasty = "tab\tnew\nline\rcr back\\slash \\N \\. end";
  const strata::StringList tags{"a\tb", "c\\d", "\"q\"", ""};
  std::vector<Value> rows;
  for (int i = 0; i < 10000; ++i) {
    rows.emplace_back(i);
    rows.emplace_back(i % 3 == 0 ? Value() : Value(nasty + std::to_string(i)));
    rows.emplace_back(i % 5 == 0 ? Value() : Value("v" + std::to_string(i)));
    rows.emplace_back(i % 7 == 0 ? Value() : Value(all_bytes()));
    rows.emplace_back(uid);
    rows.emplace_back(tags);
    rows.emplace_back(tstz);
    rows.emplace_back(i % 2 == 0);
    rows.emplace_back(i + 0.25);
    rows.emplace_back(strata::JsonText{R"({"k": "v\\t"})"});
  }
  EXPECT_EQ(driver().copy_in("every", cols, rows), 10000);
  EXPECT_EQ(count("every"), 10000);
  EXPECT_EQ(scalar("SELECT count(*) FROM every WHERE txt IS NULL"), Value(3334));
  EXPECT_EQ(scalar("SELECT count(*) FROM every WHERE bin IS NULL"), Value(1429));

  auto r = conn().execute(
      "SELECT id, txt, vc, bin, uid, tags, tstz, flag, dbl, doc FROM every WHERE id IN (1, 14) ORDER BY id");
  ASSERT_TRUE(r.next());
  const Cursor& c = r.row();
  EXPECT_EQ(c.get_value(1), Value(nasty + "1"));
  EXPECT_EQ(c.get_value(2), Value("v1"));
  EXPECT_EQ(c.get_value(3), Value(all_bytes()));
  EXPECT_EQ(TypeMap<strata::Uuid>::from_cell(c, 4), uid);
  EXPECT_EQ(TypeMap<strata::StringList>::from_cell(c, 5), tags);
  EXPECT_EQ(TypeMap<strata::DateTimeTz>::from_cell(c, 6), tstz);
  EXPECT_EQ(c.get_value(7), Value(false));
  EXPECT_EQ(c.get_value(8), Value(1.25));
  EXPECT_EQ(c.get_value(9), Value(R"({"k": "v\\t"})"));
  ASSERT_TRUE(r.next());
  EXPECT_TRUE(r.row().is_null(3));  // 14 % 7 == 0

  EXPECT_THROW(driver().copy_in("every", cols, std::vector<Value>{1, 2}), strata::ArgumentError);
}

TEST_F(PgDriver, CopyInErrorsLeaveTheConnectionUsable) {
  const std::vector<std::string> cols{"id", "email"};
  std::vector<Value> rows;
  for (int i = 0; i < 20000; ++i) {
    rows.emplace_back(i + 10);
    rows.emplace_back(i == 100 ? std::string("ada@example.com") : "c" + std::to_string(i) + "@example.com");
  }
  auto e = [&] {
    try {
      driver().copy_in("\"user\"", cols, rows);
    } catch (const strata::UniqueViolation& e) {
      return std::optional<strata::UniqueViolation>(e);
    }
    return std::optional<strata::UniqueViolation>();
  }();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->constraint(), "uq_user_email");
  EXPECT_EQ(count("\"user\""), 1);
  EXPECT_THROW(driver().copy_in("no_such_table", cols, rows), strata::ProgrammingError);
  EXPECT_EQ(scalar("SELECT 1"), Value(1));
  // COPY through execute() is refused, and leaves the connection usable too.
  EXPECT_THROW(conn().execute_update("COPY \"user\" (id) FROM STDIN"), strata::ProgrammingError);
  EXPECT_THROW(conn().execute("COPY \"user\" TO STDOUT").all(), strata::ProgrammingError);
  EXPECT_EQ(scalar("SELECT 1"), Value(1));
}

// --- scripts -----------------------------------------------------------------

TEST_F(PgDriver, ScriptsRunSeveralStatementsAndStopAtTheFirstError) {
  conn().execute_script("CREATE TABLE a (x INT); INSERT INTO a VALUES (1); INSERT INTO a VALUES (2);");
  EXPECT_EQ(count("a"), 2);
  try {
    conn().execute_script("INSERT INTO a VALUES (3); INSERT INTO \"user\" (id, email) VALUES (1, 'z'); "
                          "INSERT INTO a VALUES (4)");
    FAIL() << "no exception";
  } catch (const strata::UniqueViolation& e) {
    EXPECT_EQ(e.constraint(), "user_pkey");
  }
  EXPECT_EQ(count("a"), 2);  // one implicit transaction
  conn().execute_script("");
  EXPECT_THROW(conn().execute_script("COPY a FROM STDIN"), strata::ProgrammingError);
  EXPECT_EQ(scalar("SELECT 1"), Value(1));
}
