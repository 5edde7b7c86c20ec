// PostgreSQL driver: the only file of Strata that includes <libpq-fe.h>.
//
// Design notes (why, not what):
// - One PgConnection owns one PGconn. The engine's pool hands a connection to
//   one thread at a time, so nothing here locks.
// - The session is pinned at connect time (client_encoding UTF8, DateStyle ISO,
//   TimeZone UTC, bytea_output hex, extra_float_digits 3): the model layer parses
//   cells as text, and these settings make that text one fixed, locale-free form
//   whatever the server's or the role's defaults are.
// - Statements run through the extended protocol with a per-connection cache of
//   named prepared statements keyed by SQL text (what the SQLite driver does with
//   sqlite3_stmt). The compiler emits the same text for the same statement shape,
//   so hot loops parse and plan once. A cache miss sends Parse + Describe (and the
//   DEALLOCATEs of evicted statements) as one pipeline, i.e. one round trip: the
//   Describe gives the parameter count, so a wrong count fails here with
//   ProgrammingError before anything reaches the server, as on SQLite, instead of
//   aborting the caller's transaction with a protocol error.
// - DEALLOCATE is refused inside an aborted transaction, and one that failed
//   inside a healthy transaction would abort it. Evicted names are therefore
//   only deallocated while no transaction is open; until then they wait in
//   doomed_. Prepared statements are not transactional, so this is only a
//   matter of when the server frees them. Names are never reused.
// - A cached plan can go stale (ALTER TABLE changes a SELECT *'s result type:
//   0A000; someone ran DEALLOCATE ALL / DISCARD ALL: 26000). Outside a
//   transaction the failed statement had no effect, so it is re-prepared and run
//   once more; inside one the entry is dropped and the error goes to the caller
//   (PostgreSQL has aborted the transaction, which only the caller may end).
// - A prepared statement's parameter types are fixed at Parse. When one of them
//   is dropped, PostgreSQL cannot re-plan the statement: "cache lookup failed
//   for type N" (XX000), even once a type of the same name exists again. This
//   connection sees it coming in its own commands: after a DROP (TYPE, DOMAIN,
//   EXTENSION, ... CASCADE), and after the ROLLBACK of a transaction that
//   CREATEd something (the type may have been created in it), it forgets the
//   statements with a parameter of a user-defined type (OID >= 16384: an enum,
//   a domain, an extension's type); those with built-in types only are kept.
//   Migrations do both (a downgrade re-creates an enum type; a failed revision
//   rolls its CREATE TYPE back). A type dropped by another connection is
//   caught by the stale-plan rule above (the failure is retried when idle).
// - Parameters go as text with type OID 0, so the server infers each type from
//   the statement, exactly as for a literal; only Bytes go binary, which spares
//   the bytea escaping. Results come back whole, in text: one round trip, and the
//   cursor then needs neither the connection nor the statement (a Result may
//   outlive the pooled connection's next use).
// - execute_many and execute_many_returning use pipeline mode: every row is
//   sent, then one Sync, then the results are read (libpq reads while it
//   writes, so a large batch cannot deadlock). Outside a transaction the rows
//   up to the Sync form one implicit transaction, so a failing row leaves none
//   of the batch behind. Values are checked before the first row is sent so
//   that a client-side failure never leaves half a batch on the server. The
//   pipeline is always drained before throwing, so the connection stays
//   usable. execute_many_returning keeps the results and calls back only
//   once the batch succeeded: a failed batch reports no row, and the callback
//   may use the connection again.
// - Errors are mapped from SQLSTATE (PG_DIAG_SQLSTATE) to the typed tree of
//   core/error.hpp, libpqxx-style; table and constraint come from the error's
//   diagnostic fields, not from parsing the message (which may be localized).
#include "dialect/postgresql/driver.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include "strata/core/datetime.hpp"
#include "strata/core/error.hpp"

namespace strata::dialect::postgresql {
namespace {

/// Upper bound of the per-connection statement cache (as the SQLite driver's).
constexpr std::size_t kMaxCachedStatements = 256;
/// COPY data is handed to libpq in chunks of about this size.
constexpr std::size_t kCopyChunk = 64 * 1024;

/// The first OID of an object created in a database (FirstNormalObjectId):
/// below it the built-in types, which are never dropped.
constexpr Oid kFirstNormalObjectId = 16384;

// Type OIDs of pg_type that decide a cell's kind (fixed in the catalog).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;

struct ResultDeleter {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

std::string_view trim_right(std::string_view s) noexcept {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// ---------------------------------------------------------------------------
// Error mapping
// ---------------------------------------------------------------------------

std::string diag(const PGresult* r, int code) {
  const char* f = r ? PQresultErrorField(r, code) : nullptr;
  return f ? std::string(f) : std::string();
}

/// The typed exception for a failure of `sql`. `res` is the failed result, or
/// nullptr when libpq gave none (then PQerrorMessage tells). `context` is
/// appended to the message (e.g. which row of a batch failed).
std::exception_ptr error_of(PGconn* conn, const PGresult* res, std::string_view sql,
                            std::string_view context = {}) {
  DatabaseErrorInfo info;
  info.sql = std::string(sql);
  info.sqlstate = diag(res, PG_DIAG_SQLSTATE);
  if (std::string primary = diag(res, PG_DIAG_MESSAGE_PRIMARY); !primary.empty()) {
    info.message = std::move(primary);
    if (std::string detail = diag(res, PG_DIAG_MESSAGE_DETAIL); !detail.empty()) info.message += ". " + detail;
    if (std::string hint = diag(res, PG_DIAG_MESSAGE_HINT); !hint.empty()) info.message += " Hint: " + hint;
  } else {
    // A client-side failure (connection lost, out of memory): libpq's own text.
    const char* m = res ? PQresultErrorMessage(res) : nullptr;
    if ((!m || !*m) && conn) m = PQerrorMessage(conn);
    info.message = std::string(trim_right(m ? m : ""));
    if (info.message.empty()) info.message = "unknown libpq failure";
  }
  info.message += context;
  info.table = diag(res, PG_DIAG_TABLE_NAME);
  info.constraint = diag(res, PG_DIAG_CONSTRAINT_NAME);
  // NOT NULL names a column, not a constraint: report "table.column", the form
  // the SQLite driver gives for the same error.
  if (std::string column = diag(res, PG_DIAG_COLUMN_NAME); info.constraint.empty() && !column.empty())
    info.constraint = info.table.empty() ? column : info.table + "." + column;

  const std::string_view s = info.sqlstate;
  // Whatever the server said last, a dead connection is an operational matter:
  // the pool must replace it.
  if (!conn || PQstatus(conn) == CONNECTION_BAD) {
    if (info.sqlstate.empty()) info.sqlstate = "08006";  // connection_failure
    return std::make_exception_ptr(OperationalError(std::move(info)));
  }
  if (s == "23505") return std::make_exception_ptr(UniqueViolation(std::move(info)));
  if (s == "23503") return std::make_exception_ptr(ForeignKeyViolation(std::move(info)));
  if (s == "23502") return std::make_exception_ptr(NotNullViolation(std::move(info)));
  if (s == "23514") return std::make_exception_ptr(CheckViolation(std::move(info)));
  if (s.starts_with("23")) return std::make_exception_ptr(IntegrityError(std::move(info)));
  if (s == "40001" || s == "40P01")  // serialization_failure, deadlock_detected
    return std::make_exception_ptr(OperationalError(std::move(info), /*retryable=*/true));
  if (s == "55P03" || s == "57014" || s.starts_with("08") || s.starts_with("57P") || s.starts_with("53") ||
      s.starts_with("58"))
    return std::make_exception_ptr(OperationalError(std::move(info)));
  if (s.starts_with("42")) return std::make_exception_ptr(ProgrammingError(std::move(info)));
  return std::make_exception_ptr(DatabaseError(std::move(info)));
}

[[noreturn]] void throw_error(PGconn* conn, const PGresult* res, std::string_view sql,
                              std::string_view context = {}) {
  std::rethrow_exception(error_of(conn, res, sql, context));
}

/// True for COMMIT / END [TRANSACTION | WORK] (any case, surrounding blanks).
bool is_commit(std::string_view sql) {
  while (!sql.empty() && std::isspace(static_cast<unsigned char>(sql.front()))) sql.remove_prefix(1);
  while (!sql.empty() && (std::isspace(static_cast<unsigned char>(sql.back())) || sql.back() == ';')) sql.remove_suffix(1);
  std::string word;
  for (char ch : sql.substr(0, sql.find(' '))) word += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return word == "COMMIT" || word == "END";
}

/// PostgreSQL answers COMMIT of an aborted transaction with the tag ROLLBACK
/// and no error. Silently reporting success would lose every write of the
/// transaction, so that answer is an error here (SQLSTATE 25P02,
/// in_failed_sql_transaction). The transaction is over either way.
void check_commit(const PGresult* r, std::string_view sql) {
  if (std::strcmp(PQcmdStatus(const_cast<PGresult*>(r)), "ROLLBACK") != 0 || !is_commit(sql)) return;
  DatabaseErrorInfo info;
  info.message = "COMMIT rolled the transaction back: a statement in it had failed, so none of its changes were kept";
  info.sql = std::string(sql);
  info.sqlstate = "25P02";
  throw DatabaseError(std::move(info));
}

[[noreturn]] void throw_programming(std::string message, std::string_view sql, std::string sqlstate) {
  DatabaseErrorInfo info;
  info.message = std::move(message);
  info.sql = std::string(sql);
  info.sqlstate = std::move(sqlstate);
  throw ProgrammingError(std::move(info));
}

// ---------------------------------------------------------------------------
// Values in PostgreSQL's text forms
// ---------------------------------------------------------------------------

/// The value's own text when it is held as text (string, Numeric, JsonText):
/// sent as is, without a copy.
const std::string* own_text(const Value& v) noexcept {
  if (const auto* s = v.get_if<std::string>()) return s;
  if (const auto* n = v.get_if<Numeric>()) return &n->text;
  if (const auto* j = v.get_if<JsonText>()) return &j->text;
  return nullptr;
}

void append_double(std::string& out, double d) {
  if (std::isnan(d)) {
    out += "NaN";
  } else if (std::isinf(d)) {
    out += d > 0 ? "Infinity" : "-Infinity";
  } else {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, d);  // shortest text that reads back exactly
    out.append(buf, r.ptr);
  }
}

/// {"a","b \"q\""}: every element quoted, so that empty strings, NULL, blanks
/// and commas need no special case.
void append_array_literal(std::string& out, const StringList& l) {
  out += '{';
  for (std::size_t i = 0; i < l.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : l[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
}

/// Appends the text form of a value that own_text() does not cover and that is
/// neither NULL nor Bytes.
void append_text_form(std::string& out, const Value& v) {
  std::visit(Overloaded{
                 [&](std::monostate) {},
                 [&](bool b) { out += b ? "true" : "false"; },
                 [&](std::int64_t n) {
                   char buf[24];
                   const auto r = std::to_chars(buf, buf + sizeof buf, n);
                   out.append(buf, r.ptr);
                 },
                 [&](double d) { append_double(out, d); },
                 [&](const std::string& s) { out += s; },
                 [&](const Bytes&) {},
                 [&](const Uuid& u) { out += u.str(); },
                 [&](const Date& d) { out += to_iso(d); },
                 [&](const Time& t) { out += to_iso(t); },
                 [&](const DateTime& t) { out += to_iso(t); },
                 [&](const DateTimeTz& t) { out += to_iso(t); },
                 [&](const Numeric& n) { out += n.text; },
                 [&](const JsonText& j) { out += j.text; },
                 [&](const StringList& l) { append_array_literal(out, l); },
             },
             v.storage());
}

/// Why a value cannot be sent, if it cannot. PostgreSQL text cannot hold a
/// NUL byte, and libpq would silently cut a text parameter at the first one;
/// libpq lengths are ints.
enum class Unsendable { no, nul_byte, too_long };

Unsendable unsendable(const Value& v) noexcept {
  auto has_nul = [](const std::string& t) { return t.find('\0') != std::string::npos; };
  if (const std::string* t = own_text(v)) return has_nul(*t) ? Unsendable::nul_byte : Unsendable::no;
  if (const auto* l = v.get_if<StringList>()) {
    for (const auto& e : *l)
      if (has_nul(e)) return Unsendable::nul_byte;
  } else if (const auto* b = v.get_if<Bytes>()) {
    if (b->size() > static_cast<std::size_t>(INT_MAX)) return Unsendable::too_long;
  }
  return Unsendable::no;
}

/// Throws for a value unsendable() refused; `what` names it ("parameter $2").
/// Nothing has been sent yet, so the caller's transaction is untouched.
[[noreturn]] void throw_unsendable(Unsendable why, const std::string& what, std::string_view sql) {
  if (why == Unsendable::too_long) throw ArgumentError(what + ": more than 2 GiB of bytes, libpq's limit");
  DatabaseErrorInfo info;
  info.message = what + " contains a NUL byte (0x00), which PostgreSQL text cannot hold (use Bytes for binary data)";
  info.sql = std::string(sql);
  info.sqlstate = "22021";  // character_not_in_repertoire, what the server would say
  throw DatabaseError(std::move(info));
}

/// The parameter arrays of one PQexecPrepared / PQsendQueryPrepared call.
/// Reused across calls of a connection so that a hot loop does not allocate.
class ParamBuffer {
 public:
  /// Pre: unsendable() is Unsendable::no for every value.
  void build(std::span<const Value> params) {
    const std::size_t n = params.size();
    values_.assign(n, nullptr);
    lengths_.assign(n, 0);
    formats_.assign(n, 0);
    arena_.clear();
    formatted_.clear();
    for (std::size_t i = 0; i < n; ++i) {
      const Value& v = params[i];
      if (v.is_null()) continue;
      if (const std::string* t = own_text(v)) {
        values_[i] = t->c_str();  // text parameters are read up to their NUL
      } else if (const auto* b = v.get_if<Bytes>()) {
        // A null pointer would mean SQL NULL: an empty value needs a real one.
        static constexpr char empty[] = "";
        values_[i] = b->empty() ? empty : reinterpret_cast<const char*>(b->data());
        lengths_[i] = static_cast<int>(b->size());
        formats_[i] = 1;
      } else {
        formatted_.emplace_back(i, arena_.size());
        append_text_form(arena_, v);
        arena_ += '\0';
      }
    }
    // The arena may have moved while growing: take its addresses only now.
    for (const auto& [i, offset] : formatted_) values_[i] = arena_.data() + offset;
  }
  int size() const noexcept { return static_cast<int>(values_.size()); }
  const char* const* values() const noexcept { return values_.data(); }
  const int* lengths() const noexcept { return lengths_.data(); }
  const int* formats() const noexcept { return formats_.data(); }

 private:
  std::vector<const char*> values_;
  std::vector<int> lengths_, formats_;
  std::string arena_;  // the formatted texts, each followed by a NUL
  std::vector<std::pair<std::size_t, std::size_t>> formatted_;  // (parameter, offset in arena_)
};

/// Appends one field of COPY's text format.
void append_copy_field(std::string& out, const Value& v, std::string& scratch) {
  if (v.is_null()) {
    out += "\\N";
    return;
  }
  if (const auto* b = v.get_if<Bytes>()) {
    // bytea's input form \x<hex>, its backslash doubled for COPY.
    static constexpr char digits[] = "0123456789abcdef";
    out += "\\\\x";
    for (std::byte x : *b) {
      const auto u = static_cast<unsigned char>(x);
      out += digits[u >> 4];
      out += digits[u & 0x0f];
    }
    return;
  }
  std::string_view text;
  if (const std::string* t = own_text(v)) {
    text = *t;
  } else {
    scratch.clear();
    append_text_form(scratch, v);
    text = scratch;
  }
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
}

// ---------------------------------------------------------------------------
// Reading results
// ---------------------------------------------------------------------------

std::int64_t affected_rows(const PGresult* r) noexcept {
  const char* t = r ? PQcmdTuples(const_cast<PGresult*>(r)) : nullptr;
  if (!t || !*t) return 0;
  std::int64_t n = 0;
  std::from_chars(t, t + std::strlen(t), n);
  return n;
}

/// An integer in PostgreSQL's text output ("-123"): at most 18 digits, so
/// that it cannot overflow; anything else (longer, a NUMERIC, a float) is
/// nullopt and left to the general parse.
std::optional<std::int64_t> parse_decimal_int(std::string_view t) noexcept {
  std::size_t k = t.size() > 0 && t[0] == '-' ? 1 : 0;
  if (k == t.size() || t.size() - k > 18) return std::nullopt;
  std::int64_t n = 0;
  for (; k < t.size(); ++k) {
    const unsigned d = static_cast<unsigned>(t[k]) - '0';
    if (d > 9) return std::nullopt;
    n = n * 10 + static_cast<std::int64_t>(d);
  }
  return t[0] == '-' ? -n : n;
}

/// A float8 in PostgreSQL's text output. Plain decimals of at most 15
/// significant digits ("-12.5") take Clinger's fast path: both the digits and
/// the power of ten are exact doubles, so one division rounds correctly; all
/// else (exponents, longer digits, NaN / Infinity) goes to std::from_chars.
std::optional<double> parse_double(std::string_view t) noexcept {
  static constexpr double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  {
    std::size_t k = t.size() > 0 && t[0] == '-' ? 1 : 0;
    std::uint64_t m = 0;
    int digits = 0, frac = -1;  // frac: digits after the point (-1: no point yet)
    bool plain = k < t.size();
    for (; plain && k < t.size(); ++k) {
      const char c = t[k];
      if (c == '.' && frac < 0) {
        frac = 0;
        continue;
      }
      const unsigned d = static_cast<unsigned>(c) - '0';
      if (d > 9 || ++digits > 15) plain = false;
      m = m * 10 + d;
      if (frac >= 0) ++frac;
    }
    if (plain && digits > 0) {
      const double v = static_cast<double>(m) / kPow10[frac < 0 ? 0 : frac];
      return t[0] == '-' ? -v : v;
    }
  }
  if (t == "NaN") return std::nan("");
  if (t == "Infinity") return HUGE_VAL;
  if (t == "-Infinity") return -HUGE_VAL;
  double d = 0;
  const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
  if (ec != std::errc() || p != t.data() + t.size()) return std::nullopt;
  return d;
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Reads the results of a pipeline that one PQpipelineSync ended, calling
/// on_result(i, res) for each result of the i-th command (0-based; `res` is a
/// ResultPtr& the callback may move from). Returns
/// false when the connection broke before the Sync came back.
template <class F>
bool read_pipeline(PGconn* conn, F&& on_result) {
  int command = 0;
  bool after_end = false;  // the previous call returned the end-of-command NULL
  for (;;) {
    ResultPtr r(PQgetResult(conn));
    if (!r) {
      // Two NULLs in a row: nothing is pending any more (the Sync was lost).
      if (after_end || PQstatus(conn) == CONNECTION_BAD) return false;
      after_end = true;
      ++command;
      continue;
    }
    after_end = false;
    if (PQresultStatus(r.get()) == PGRES_PIPELINE_SYNC) return true;
    on_result(command, r);
  }
}

/// Pipeline mode for one batch: leaves it on every path, draining what the
/// server still sends, so that an exception never strands the connection in
/// pipeline mode.
class Pipeline {
 public:
  Pipeline(PGconn* conn, std::string_view sql) : conn_(conn) {
    if (PQenterPipelineMode(conn_) != 1) throw_error(conn_, nullptr, sql);
  }
  ~Pipeline() {
    if (done_) return;
    if (!synced_) PQpipelineSync(conn_);
    read_pipeline(conn_, [](int, ResultPtr&) {});
    PQexitPipelineMode(conn_);
  }
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  void sync(std::string_view sql) {
    synced_ = true;  // even when it fails: the connection is then broken anyway
    if (PQpipelineSync(conn_) != 1) throw_error(conn_, nullptr, sql);
  }
  /// After read_pipeline() returned true.
  void finish(std::string_view sql) {
    done_ = true;
    if (PQexitPipelineMode(conn_) != 1) throw_error(conn_, nullptr, sql);
  }

 private:
  PGconn* conn_;
  bool synced_ = false;
  bool done_ = false;
};

// ---------------------------------------------------------------------------
// Cursor
// ---------------------------------------------------------------------------

/// The rows of one statement, fetched whole: needs no connection.
/// next() reads the row's cells once (PQgetvalue / PQgetlength, and
/// PQgetisnull only for an empty cell, since libpq gives a NULL as "" of
/// length 0) into typed views, parsing numbers there; the accessors then
/// read that array, not libpq.
class PgCursor final : public Cursor {
 public:
  explicit PgCursor(ResultPtr res) : res_(std::move(res)) {
    rows_ = PQntuples(res_.get());
    const int cols = PQnfields(res_.get());
    kinds_.resize(static_cast<std::size_t>(cols));
    bool_.assign(static_cast<std::size_t>(cols), 0);
    for (int i = 0; i < cols; ++i) {
      switch (PQftype(res_.get(), i)) {
        case kBoolOid:
          kinds_[static_cast<std::size_t>(i)] = CellKind::Integer;
          bool_[static_cast<std::size_t>(i)] = 1;
          break;
        case kInt2Oid:
        case kInt4Oid:
        case kInt8Oid:
        case kOidOid: kinds_[static_cast<std::size_t>(i)] = CellKind::Integer; break;
        case kFloat4Oid:
        case kFloat8Oid: kinds_[static_cast<std::size_t>(i)] = CellKind::Real; break;
        case kByteaOid: kinds_[static_cast<std::size_t>(i)] = CellKind::Blob; break;
        default: kinds_[static_cast<std::size_t>(i)] = CellKind::Text; break;
      }
    }
    bytes_.resize(kinds_.size());
    views_.assign(kinds_.size(), CellView{CellKind::Null, 0, 0.0, std::string_view()});
    affected_ = affected_rows(res_.get());
  }

  bool next() override {
    if (row_ >= rows_) return false;
    if (++row_ >= rows_) {
      set_row(nullptr, 0);
      return false;
    }
    PGresult* r = res_.get();
    const int n = static_cast<int>(views_.size());
    for (int i = 0; i < n; ++i) {
      const auto k = static_cast<std::size_t>(i);
      CellView& v = views_[k];
      const char* data = PQgetvalue(r, row_, i);
      const int size = PQgetlength(r, row_, i);
      // Every cell keeps its text (do_get_text); numbers are parsed once, here.
      v.text = std::string_view(data, static_cast<std::size_t>(size));
      if (size == 0 && PQgetisnull(r, row_, i)) {
        v.kind = CellKind::Null;
        continue;
      }
      v.kind = kinds_[k];
      if (v.kind == CellKind::Integer) v.integer = bool_[k] ? (data[0] == 't') : parse_int(v.text);
      else if (v.kind == CellKind::Real) v.real = parse_double(v.text).value_or(0.0);
    }
    set_row(views_.data(), n);
    return true;
  }
  int column_count() const override { return static_cast<int>(kinds_.size()); }
  std::string_view column_name(int i) const override {
    const char* n = PQfname(res_.get(), i);
    return n ? std::string_view(n) : std::string_view();
  }
  std::int64_t rows_affected() const override { return affected_; }

  // The base class answers a typed read of a cell's own kind from views_;
  // these answer the rest (another kind asked for, a column out of range).
  bool do_is_null(int i) const override { return view_at(i).kind == CellKind::Null; }
  CellKind do_kind(int i) const override { return view_at(i).kind; }
  std::int64_t do_get_int64(int i) const override {
    const CellView& v = view_at(i);
    return v.kind == CellKind::Integer ? v.integer : bool_at(i) ? (v.text == "t") : parse_int(v.text);
  }
  double do_get_double(int i) const override {
    const CellView& v = view_at(i);
    if (v.kind == CellKind::Real) return v.real;
    if (bool_at(i)) return v.text == "t" ? 1.0 : 0.0;
    return parse_double(v.text).value_or(0.0);
  }
  // A NULL cell reads as "" with length 0, as libpq gives it.
  std::string_view do_get_text(int i) const override { return view_at(i).text; }
  std::span<const std::byte> do_get_bytes(int i) const override {
    const std::string_view t = get_text(i);
    if (kinds_.at(static_cast<std::size_t>(i)) != CellKind::Blob || !t.starts_with("\\x"))
      return {reinterpret_cast<const std::byte*>(t.data()), t.size()};
    // bytea_output is pinned to hex at connect time. Decoded per column, so
    // that the spans of several columns of the row stay valid together.
    Bytes& out = bytes_[static_cast<std::size_t>(i)];
    out.clear();
    out.reserve((t.size() - 2) / 2);
    for (std::size_t k = 2; k + 1 < t.size(); k += 2)
      out.push_back(static_cast<std::byte>(hex_value(t[k]) * 16 + hex_value(t[k + 1])));
    return out;
  }
  Value do_get_value(int i) const override {
    if (is_null(i)) return Value();
    switch (kinds_.at(static_cast<std::size_t>(i))) {
      case CellKind::Integer:
        if (bool_at(i)) return Value(get_text(i) == "t");
        return Value(get_int64(i));
      case CellKind::Real: return Value(get_double(i));
      case CellKind::Blob: {
        const auto b = get_bytes(i);
        return Value(Bytes(b.begin(), b.end()));
      }
      default: return Value(std::string(get_text(i)));
    }
  }

 private:
  /// The current row's cell i (an empty NULL before the first row).
  /// Throws: std::out_of_range for a column past the last.
  const CellView& view_at(int i) const { return views_.at(static_cast<std::size_t>(i)); }
  bool bool_at(int i) const { return bool_.at(static_cast<std::size_t>(i)) != 0; }

  /// An integer column's text: a plain decimal takes parse_decimal_int;
  /// anything else (a NUMERIC, a float) is converted as SQLite converts, lossy.
  static std::int64_t parse_int(std::string_view t) noexcept {
    if (const auto n = parse_decimal_int(t)) return *n;
    std::int64_t n = 0;
    const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (ec == std::errc() && p == t.data() + t.size()) return n;
    if (const auto d = parse_double(t); d && std::isfinite(*d) && std::fabs(*d) < 9.2e18)
      return static_cast<std::int64_t>(*d);
    return 0;
  }

  ResultPtr res_;
  int rows_ = 0;
  int row_ = -1;
  std::int64_t affected_ = 0;
  std::vector<CellKind> kinds_;
  std::vector<char> bool_;  // per column: a boolean (PQftype read once, not per cell)
  std::vector<CellView> views_;  // the current row (next(); CellSource::set_row)
  mutable std::vector<Bytes> bytes_;  // decoded bytea of the current row, per column
};

// ---------------------------------------------------------------------------
// Connection
// ---------------------------------------------------------------------------

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

struct CachedStatement {
  std::string name;             ///< "strata_<n>", never reused on this connection
  int nparams = 0;              ///< from Describe
  std::uint64_t last_used = 0;  ///< tick of the last use, for LRU eviction
  std::vector<Oid> types;       ///< parameter types, from Describe (declared or inferred)
};

class PgConnection final : public DriverConnection {
 public:
  explicit PgConnection(PGconn* conn) noexcept : conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  /// Pins the session settings the cell parsers rely on (see the notes above).
  void configure() {
    static constexpr const char* kSetup =
        "SET client_encoding TO 'UTF8'; SET DateStyle TO 'ISO'; SET TimeZone TO 'UTC'; "
        "SET bytea_output TO 'hex'; SET extra_float_digits TO 3";
    ResultPtr r(PQexec(conn_, kSetup));
    if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) throw_error(conn_, r.get(), kSetup);
  }

  std::unique_ptr<Cursor> execute(std::string_view sql, std::span<const Value> params) override {
    return std::make_unique<PgCursor>(run(sql, params));
  }

  bool query_first(std::string_view sql, std::span<const Value> params, const FirstRowSink& on_row) override {
    PgCursor cursor(run(sql, params));  // on the stack: the result is cleared on return
    if (!cursor.next()) return false;
    on_row(cursor);
    return true;
  }

  std::int64_t execute_update(std::string_view sql, std::span<const Value> params) override {
    return affected_rows(run(sql, params).get());
  }

  void execute_script(std::string_view sql) override {
    const std::string text(sql);
    if (PQsendQuery(conn_, text.c_str()) != 1) throw_error(conn_, nullptr, sql);
    // Read every result (the simple protocol stops at the first error) and keep the first failure.
    ResultPtr failed;
    bool copy = false;
    while (ResultPtr r{PQgetResult(conn_)}) {
      const ExecStatusType s = PQresultStatus(r.get());
      if (s == PGRES_COPY_IN || s == PGRES_COPY_OUT || s == PGRES_COPY_BOTH) {
        copy = true;
        abandon_copy(s);
      } else if (s == PGRES_COMMAND_OK) {
        note_command(r.get());
      } else if (s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY && !failed) {
        failed = std::move(r);
      }
      if (PQstatus(conn_) == CONNECTION_BAD) break;
    }
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) created_in_transaction_ = false;
    if (failed) throw_error(conn_, failed.get(), sql);
    if (copy) throw_programming("COPY ... FROM STDIN / TO STDOUT cannot run in a script; use copy_in()", sql, "0A000");
    if (PQstatus(conn_) == CONNECTION_BAD) throw_error(conn_, nullptr, sql);
  }

  bool closed() const noexcept override { return PQstatus(conn_) == CONNECTION_BAD; }

  bool ping() noexcept override {
    if (PQstatus(conn_) != CONNECTION_OK) return false;
    // An empty query is one round trip that works in every transaction state,
    // even in an aborted transaction.
    PGresult* r = PQexec(conn_, "");
    const bool ok = r && PQresultStatus(r) == PGRES_EMPTY_QUERY && PQstatus(conn_) == CONNECTION_OK;
    PQclear(r);
    return ok;
  }

  std::int64_t execute_many(std::string_view sql, std::span<const Value> params,
                            std::size_t params_per_row) override {
    std::int64_t total = 0;
    run_batch("execute_many", sql, params, params_per_row,
              [&](std::size_t, ResultPtr& res) { total += affected_rows(res.get()); });
    return total;
  }

  void execute_many_returning(std::string_view sql, std::span<const Value> params, std::size_t params_per_row,
                              const RowSink& on_row) override {
    // The rows are handed over once the whole batch succeeded and pipeline
    // mode is left: a failing batch reports no row, and on_row may use the
    // connection.
    std::vector<ResultPtr> results;
    results.reserve(params_per_row ? params.size() / params_per_row : 0);
    run_batch("execute_many_returning", sql, params, params_per_row,
              [&](std::size_t, ResultPtr& res) { results.push_back(std::move(res)); });
    for (std::size_t row = 0; row < results.size(); ++row) {
      PgCursor cursor(std::move(results[row]));
      while (cursor.next()) on_row(row, cursor);
    }
  }

  std::int64_t copy_in(std::string_view quoted_table, std::span<const std::string> quoted_columns,
                       std::span<const Value> rows) override {
    if (quoted_columns.empty()) throw ArgumentError("copy_in into " + std::string(quoted_table) + ": no columns");
    const std::size_t ncols = quoted_columns.size();
    if (rows.size() % ncols != 0)
      throw ArgumentError("copy_in into " + std::string(quoted_table) + ": " + std::to_string(rows.size()) +
                          " values are not rows of " + std::to_string(ncols) + " columns");
    std::string sql = "COPY " + std::string(quoted_table) + " (";
    for (std::size_t i = 0; i < ncols; ++i) sql += (i ? ", " : "") + quoted_columns[i];
    sql += ") FROM STDIN";
    for (std::size_t k = 0; k < rows.size(); ++k) {
      if (const auto why = unsendable(rows[k]); why != Unsendable::no)
        throw_unsendable(why, "row " + std::to_string(k / ncols + 1) + " column " + quoted_columns[k % ncols], sql);
    }
    if (rows.empty()) return 0;

    {
      ResultPtr start(PQexec(conn_, sql.c_str()));
      if (!start || PQresultStatus(start.get()) != PGRES_COPY_IN) {
        if (start && PQresultStatus(start.get()) == PGRES_COPY_OUT) abandon_copy(PGRES_COPY_OUT);
        throw_error(conn_, start.get(), sql);
      }
    }
    // From here the connection is in COPY state: leave it on every path.
    struct CopyGuard {
      PgConnection& c;
      bool active = true;
      ~CopyGuard() {
        if (active) c.abandon_copy(PGRES_COPY_IN);
      }
    } guard{*this};

    std::string buf, scratch;
    buf.reserve(kCopyChunk + 4096);
    auto flush = [&] {
      if (buf.empty()) return;
      if (PQputCopyData(conn_, buf.data(), static_cast<int>(buf.size())) != 1) {
        // The server may have failed the COPY already (its error arrives early).
        guard.active = false;
        ResultPtr err = abandon_copy(PGRES_COPY_IN);
        throw_error(conn_, err.get(), sql);
      }
      buf.clear();
    };
    for (std::size_t k = 0; k < rows.size(); ++k) {
      append_copy_field(buf, rows[k], scratch);
      buf += (k % ncols == ncols - 1) ? '\n' : '\t';
      if (buf.size() >= kCopyChunk) flush();
    }
    flush();
    guard.active = false;
    if (PQputCopyEnd(conn_, nullptr) != 1) {
      ResultPtr err = abandon_copy(PGRES_COPY_IN);
      throw_error(conn_, err.get(), sql);
    }
    ResultPtr end = collect_results();
    if (!end || PQresultStatus(end.get()) != PGRES_COMMAND_OK) throw_error(conn_, end.get(), sql);
    return affected_rows(end.get());
  }

  std::size_t cached_statements() const noexcept override { return cache_.size(); }

 private:
  /// Leaves a COPY the connection is in (`state`), discarding its data, and
  /// reads what remains. Returns the first failed result, if any. Never throws.
  ResultPtr abandon_copy(ExecStatusType state) noexcept {
    if (state == PGRES_COPY_IN || state == PGRES_COPY_BOTH) {
      PQputCopyEnd(conn_, "aborted by the client (strata)");
    } else if (state == PGRES_COPY_OUT) {
      char* row = nullptr;
      while (PQgetCopyData(conn_, &row, 0) > 0) PQfreemem(row);
    }
    return collect_results();
  }

  /// Reads the results up to the end of the current command; returns the first
  /// failed one, or the last one when none failed. Never throws.
  ResultPtr collect_results() noexcept {
    ResultPtr keep;
    bool keep_is_error = false;
    while (ResultPtr r{PQgetResult(conn_)}) {
      const ExecStatusType s = PQresultStatus(r.get());
      if (s == PGRES_COPY_IN || s == PGRES_COPY_BOTH) {
        PQputCopyEnd(conn_, "aborted by the client (strata)");
        continue;
      }
      if (s == PGRES_COPY_OUT) {
        char* row = nullptr;
        while (PQgetCopyData(conn_, &row, 0) > 0) PQfreemem(row);
        continue;
      }
      const bool error = s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY;
      if (!keep_is_error) {
        keep = std::move(r);
        keep_is_error = error;
      }
      if (PQstatus(conn_) == CONNECTION_BAD) break;
    }
    return keep;
  }

  /// Runs `sql` once per row of `params` in pipeline mode (one round trip) and
  /// hands each row's successful result to on_ok(row index, result), in row
  /// order, while reading the pipeline (on_ok must not use the connection).
  /// Throws: ArgumentError for ragged rows; the first failing row's mapped
  /// error, after the pipeline is drained; whatever on_ok throws.
  template <class F>
  void run_batch(const char* api, std::string_view sql, std::span<const Value> params, std::size_t params_per_row,
                 F&& on_ok) {
    if (params_per_row == 0 || params.size() % params_per_row != 0)
      throw ArgumentError(std::string(api) + ": " + std::to_string(params.size()) + " parameters are not rows of " +
                          std::to_string(params_per_row));
    if (params.empty()) return;
    const std::size_t rows = params.size() / params_per_row;
    for (std::size_t k = 0; k < params.size(); ++k) {
      if (const auto why = unsendable(params[k]); why != Unsendable::no)
        throw_unsendable(why,
                         "parameter $" + std::to_string(k % params_per_row + 1) + " of row " +
                             std::to_string(k / params_per_row + 1),
                         sql);
    }
    for (int attempt = 0;; ++attempt) {
      const CachedStatement& st = statement_for(sql, params, params_per_row);
      check_count(st, params_per_row, sql);
      const std::string name = st.name;
      Pipeline pipeline(conn_, sql);
      for (std::size_t r = 0; r < rows; ++r) {
        params_.build(params.subspan(r * params_per_row, params_per_row));
        if (PQsendQueryPrepared(conn_, name.c_str(), params_.size(), params_.values(), params_.lengths(),
                                params_.formats(), 0) != 1)
          throw_error(conn_, nullptr, sql);
      }
      pipeline.sync(sql);
      ResultPtr failed;
      std::size_t failed_row = 0;
      const bool ok = read_pipeline(conn_, [&](int command, ResultPtr& res) {
        const ExecStatusType s = PQresultStatus(res.get());
        if (failed || s == PGRES_PIPELINE_ABORTED) return;
        if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
          on_ok(static_cast<std::size_t>(command), res);
        } else {
          failed = std::move(res);
          failed_row = static_cast<std::size_t>(command) + 1;
        }
      });
      if (!ok) throw_error(conn_, failed.get(), sql);
      pipeline.finish(sql);
      if (!failed) return;
      if (attempt == 0 && stale(failed.get(), name)) {
        forget(std::string(last_sql_), failed.get());  // the key of `st`
        // Outside a transaction the batch left nothing behind; unless rows
        // were already handed to on_ok, it can simply run again.
        if (failed_row == 1 && PQtransactionStatus(conn_) == PQTRANS_IDLE) continue;
      }
      throw_error(conn_, failed.get(), sql,
                  " (" + std::string(api) + ": row " + std::to_string(failed_row) + " of " + std::to_string(rows) +
                      ")");
    }
  }

  /// Runs `sql` through the statement cache and returns its successful result.
  ResultPtr run(std::string_view sql, std::span<const Value> params) {
    for (std::size_t k = 0; k < params.size(); ++k)
      if (const auto why = unsendable(params[k]); why != Unsendable::no)
        throw_unsendable(why, "parameter $" + std::to_string(k + 1), sql);
    for (int attempt = 0;; ++attempt) {
      const CachedStatement& st = statement_for(sql, params, params.size());
      check_count(st, params.size(), sql);
      params_.build(params);
      ResultPtr r(PQexecPrepared(conn_, st.name.c_str(), params_.size(), params_.values(), params_.lengths(),
                                 params_.formats(), 0));
      const ExecStatusType s = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
      if (s == PGRES_COMMAND_OK) {
        note_command(r.get());
        check_commit(r.get(), sql);
      }
      if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK) return r;
      if (s == PGRES_COPY_IN || s == PGRES_COPY_OUT || s == PGRES_COPY_BOTH) {
        ResultPtr err = abandon_copy(s);
        if (PQstatus(conn_) == CONNECTION_BAD) throw_error(conn_, err.get(), sql);
        throw_programming("COPY ... FROM STDIN / TO STDOUT cannot run through execute(); use copy_in()", sql,
                          "0A000");
      }
      if (s == PGRES_EMPTY_QUERY) throw_programming("empty statement", sql, "42601");
      if (attempt == 0 && r && stale(r.get(), st.name)) {
        forget(std::string(last_sql_), r.get());  // the key of `st`
        if (PQtransactionStatus(conn_) == PQTRANS_IDLE) continue;  // it had no effect: run it again
      }
      throw_error(conn_, r.get(), sql);
    }
  }

  void check_count(const CachedStatement& st, std::size_t supplied, std::string_view sql) const {
    if (static_cast<std::size_t>(st.nparams) == supplied) return;
    throw_programming("incorrect number of bindings supplied: the statement uses " + std::to_string(st.nparams) +
                          ", and " + std::to_string(supplied) + " were supplied",
                      sql, "07001");
  }

  /// True when `res` failed because the cached statement `name` went stale.
  static bool stale(const PGresult* res, const std::string& name) {
    const std::string state = diag(res, PG_DIAG_SQLSTATE);
    // "cached plan must not change result type", told apart from any other
    // feature_not_supported by where the server raised it (never translated).
    if (state == "0A000") return diag(res, PG_DIAG_SOURCE_FILE) == "plancache.c";
    // "prepared statement "strata_7" does not exist" (the name survives translation)
    if (state == "26000") return diag(res, PG_DIAG_MESSAGE_PRIMARY).find('"' + name + '"') != std::string::npos;
    // A parameter's type was dropped by another connection (see the notes
    // above). An internal error (elog), whose text is never translated.
    return state == "XX000" && diag(res, PG_DIAG_MESSAGE_PRIMARY).starts_with("cache lookup failed for type ");
  }

  /// After a successful command: forgets the cached statements whose
  /// parameter types the command may have removed (see the notes above).
  void note_command(const PGresult* res) {
    const std::string_view tag = PQcmdStatus(const_cast<PGresult*>(res));
    if (tag.starts_with("CREATE ")) created_in_transaction_ = true;
    if (tag.starts_with("DROP ") || (tag == "ROLLBACK" && created_in_transaction_)) forget_user_typed();
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) created_in_transaction_ = false;
  }

  /// Forgets (deallocates later) every cached statement with a parameter of a
  /// user-defined type.
  void forget_user_typed() {
    for (auto it = cache_.begin(); it != cache_.end();) {
      const std::vector<Oid>& types = it->second.types;
      if (std::none_of(types.begin(), types.end(), [](Oid t) { return t >= kFirstNormalObjectId; })) {
        ++it;
        continue;
      }
      if (last_ == &it->second) {
        last_ = nullptr;
        last_sql_ = {};
      }
      doomed_.push_back(std::move(it->second.name));
      it = cache_.erase(it);
    }
  }

  /// Drops the cache entry of `sql` after `failure`; deallocates it later
  /// unless the server no longer has it.
  void forget(std::string_view sql, const PGresult* failure) {
    const auto it = cache_.find(sql);
    if (it == cache_.end()) return;
    if (diag(failure, PG_DIAG_SQLSTATE) != "26000") doomed_.push_back(it->second.name);
    if (last_ == &it->second) {
      last_ = nullptr;
      last_sql_ = {};
    }
    cache_.erase(it);
  }

  /// The parameter types to declare for `params` on statement `st` (prepared
  /// untyped): empty, unless a double is bound where the server inferred an
  /// integer type (int2/int4/int8), which would refuse "1.5" (`int_col <
  /// $1`). Those positions are then declared float8 ('d'; the others stay
  /// inferred, '-') and the statement is prepared again as its own cache
  /// entry. Declaring float8 only there keeps a double bound to a NUMERIC
  /// column exact (a float8 -> numeric cast keeps 15 digits) and keeps
  /// indexes usable. SQLAlchemy binds with the column's type; we have the
  /// value's and the server's inference. In a batch a column is 'd' when any
  /// row holds a double there.
  static std::string param_types(const CachedStatement& st, std::span<const Value> params, std::size_t per_row) {
    std::string sig;
    for (std::size_t k = 0; k < params.size(); ++k) {
      if (!params[k].holds<double>()) continue;
      const std::size_t i = k % per_row;
      if (i >= st.types.size()) continue;
      const Oid t = st.types[i];
      if (t != Oid{20} && t != Oid{21} && t != Oid{23}) continue;  // int8, int2, int4
      if (sig.empty()) sig.assign(per_row, '-');
      sig[i] = 'd';
    }
    return sig;
  }

  /// The statement to run `params` with: the untyped one, or its float8 variant (see param_types).
  const CachedStatement& statement_for(std::string_view sql, std::span<const Value> params, std::size_t per_row) {
    const CachedStatement& plain = statement(sql, {});
    if (per_row == 0) return plain;
    const std::string sig = param_types(plain, params, per_row);
    return sig.empty() ? plain : statement(sql, sig);
  }

  /// The cached statement of `sql` with declared parameter types `types`
  /// (see param_types; "" = all inferred), prepared on a miss; last_sql_
  /// holds its cache key after.
  /// A statement with declared types is cached apart from the untyped one.
  /// Throws: the mapped error when the server cannot prepare it.
  const CachedStatement& statement(std::string_view sql, const std::string& types) {
    // The key is the SQL text itself for an untyped statement (the hot path:
    // no copy), the text + '\0' + the declared types otherwise.
    std::string typed_key;
    if (!types.empty()) typed_key.append(sql).append(1, '\0').append(types);
    const std::string_view key = types.empty() ? sql : std::string_view(typed_key);
    if (last_ && last_sql_ == key) {  // a loop: one compare, no hash
      last_->last_used = ++tick_;
      return *last_;
    }
    if (auto it = cache_.find(key); it != cache_.end()) {
      it->second.last_used = ++tick_;
      last_ = &it->second;
      last_sql_ = it->first;
      return it->second;
    }
    if (cache_.size() >= kMaxCachedStatements) evict_one();
    CachedStatement st{"strata_" + std::to_string(++counter_), 0, ++tick_, {}};
    st.nparams = prepare(st.name, sql, types, st.types);
    auto [it, inserted] = cache_.emplace(std::string(key), std::move(st));
    (void)inserted;
    last_ = &it->second;
    last_sql_ = it->first;
    return it->second;
  }


  void evict_one() {
    auto victim = cache_.begin();
    for (auto it = cache_.begin(); it != cache_.end(); ++it)
      if (it->second.last_used < victim->second.last_used) victim = it;
    if (victim == cache_.end()) return;
    if (last_ == &victim->second) {
      last_ = nullptr;
      last_sql_ = {};
    }
    doomed_.push_back(std::move(victim->second.name));
    cache_.erase(victim);
  }

  /// Parse + Describe of `sql` as `name` in one round trip, plus the
  /// DEALLOCATE of the doomed statements when no transaction is open. Returns
  /// the statement's parameter count. `types`: see param_types (declaring
  /// them also declares their count, so a statement with fewer placeholders
  /// than declared types is not caught by check_count).
  int prepare(const std::string& name, std::string_view sql, const std::string& types, std::vector<Oid>& described) {
    std::vector<Oid> oids;
    for (char t : types) oids.push_back(t == 'd' ? Oid{701} : Oid{0});  // 701: float8
    const std::string text(sql);
    std::vector<std::string> dropping;
    // Names are ours and exist unless someone ran DEALLOCATE ALL / DISCARD
    // ALL, so a DEALLOCATE inside a healthy transaction does not fail; the
    // ORM runs everything inside one, and waiting for an idle miss would let
    // evicted statements pile up on the server.
    if (const auto ts = PQtransactionStatus(conn_); ts == PQTRANS_IDLE || ts == PQTRANS_INTRANS)
      dropping.swap(doomed_);
    ResultPtr failed;
    int nparams = -1;
    try {
      Pipeline pipeline(conn_, sql);
      if (PQsendPrepare(conn_, name.c_str(), text.c_str(), static_cast<int>(oids.size()),
                        oids.empty() ? nullptr : oids.data()) != 1 ||
          PQsendDescribePrepared(conn_, name.c_str()) != 1)
        throw_error(conn_, nullptr, sql);
      for (const auto& n : dropping) {
        const std::string dealloc = "DEALLOCATE " + n;
        if (PQsendQueryParams(conn_, dealloc.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) != 1)
          throw_error(conn_, nullptr, sql);
      }
      pipeline.sync(sql);
      const bool ok = read_pipeline(conn_, [&](int command, ResultPtr& res) {
        const ExecStatusType s = PQresultStatus(res.get());
        if (command == 0 && s != PGRES_COMMAND_OK && !failed) {
          failed = std::move(res);
        } else if (command == 1 && s == PGRES_COMMAND_OK) {
          nparams = PQnparams(res.get());
          described.clear();
          for (int i = 0; i < nparams; ++i) described.push_back(PQparamtype(res.get(), i));
        }
        // The DEALLOCATEs (commands 2...) run outside a transaction: one that
        // fails found the statement gone already.
      });
      if (!ok) throw_error(conn_, failed.get(), sql);
      pipeline.finish(sql);
    } catch (...) {
      doomed_.insert(doomed_.end(), dropping.begin(), dropping.end());
      throw;
    }
    if (failed) {
      // The DEALLOCATEs were skipped with the rest of the pipeline.
      doomed_.insert(doomed_.end(), dropping.begin(), dropping.end());
      throw_error(conn_, failed.get(), sql);
    }
    if (nparams < 0) throw_error(conn_, nullptr, sql);
    return nparams;
  }

  PGconn* conn_;
  std::unordered_map<std::string, CachedStatement, StringHash, std::equal_to<>> cache_;
  CachedStatement* last_ = nullptr;  // node pointers of unordered_map are stable
  std::string_view last_sql_;        // views the key of *last_
  std::uint64_t tick_ = 0;
  std::uint64_t counter_ = 0;         // for statement names
  std::vector<std::string> doomed_;  // evicted names not yet deallocated
  bool created_in_transaction_ = false;  // a CREATE ran in the open transaction (see note_command)
  ParamBuffer params_;
};

void discard_notice(void*, const char*) {}

/// libpq's connection keywords (host, sslmode, application_name, ...).
const std::unordered_set<std::string>& libpq_keywords() {
  static const std::unordered_set<std::string> keys = [] {
    std::unordered_set<std::string> out;
    PQconninfoOption* opts = PQconndefaults();
    if (!opts) throw std::bad_alloc();
    for (const PQconninfoOption* o = opts; o->keyword; ++o) out.insert(o->keyword);
    PQconninfoFree(opts);
    return out;
  }();
  return keys;
}

}  // namespace

std::unique_ptr<DriverConnection> open_connection(const ConnectParams& p) {
  const auto& known = libpq_keywords();
  for (const auto& [key, value] : p.query) {
    if (!known.contains(key)) {
      throw ArgumentError("unknown PostgreSQL connection option '" + key +
                          "' in the URL query (libpq connection keywords are accepted, e.g. sslmode, "
                          "application_name, connect_timeout, options, host, port)");
    }
  }

  // URL fields first, then the query options, which override them (e.g.
  // postgresql:///db?host=/run/postgresql names a unix socket directory).
  std::vector<std::pair<std::string, std::string>> settings;
  auto add = [&](const char* key, std::string value) {
    if (!value.empty()) settings.emplace_back(key, std::move(value));
  };
  add("host", p.host);
  add("port", p.port > 0 ? std::to_string(p.port) : std::string());
  add("user", p.user);
  add("password", p.password);
  add("dbname", p.database);
  for (const auto& kv : p.query) {
    std::erase_if(settings, [&](const auto& s) { return s.first == kv.first; });
    settings.push_back(kv);
  }
  std::vector<const char*> keywords, values;
  for (const auto& [k, v] : settings) {
    keywords.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  keywords.push_back(nullptr);
  values.push_back(nullptr);

  // expand_dbname = 0: a database name is a name, never a connection string.
  PGconn* raw = PQconnectdbParams(keywords.data(), values.data(), 0);
  if (!raw) throw std::bad_alloc();
  auto setting = [&](std::string_view key, const char* actual) {
    for (const auto& [k, v] : settings)
      if (k == key) return v;
    return std::string(actual && *actual ? actual : "(default)");
  };
  const std::string where = "PostgreSQL database '" + setting("dbname", PQdb(raw)) + "' at host '" +
                            setting("host", PQhost(raw)) + "' port " + setting("port", PQport(raw));
  if (PQstatus(raw) != CONNECTION_OK) {
    DatabaseErrorInfo info;
    info.message = "cannot connect to " + where + ": " + std::string(trim_right(PQerrorMessage(raw)));
    info.sqlstate = "08001";  // sqlclient_unable_to_establish_sqlconnection
    PQfinish(raw);
    throw OperationalError(std::move(info));
  }
  PQsetNoticeProcessor(raw, discard_notice, nullptr);
  auto conn = std::make_unique<PgConnection>(raw);  // owns raw from here on
  try {
    conn->configure();
  } catch (const DatabaseError& e) {
    DatabaseErrorInfo info = e.info();
    info.message = "cannot configure the session of " + where + ": " + info.message;
    throw OperationalError(std::move(info));
  }
  return conn;
}

}  // namespace strata::dialect::postgresql
