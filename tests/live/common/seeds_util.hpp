// Helpers of the seed acceptance tests (tests/live/common/seeds_*_test.cpp,
// run on SQLite and PostgreSQL): introspection of the live database through
// the dialect's Inspector, and catching one exact exception type so that a
// test can check its fields.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <exception>
#include <optional>
#include <set>
#include <string>
#include <typeinfo>
#include <vector>

#include "strata/strata.hpp"

namespace seed_live {

inline std::string text_of(const strata::Value& v) {
  const auto* s = v.get_if<std::string>();
  return s ? *s : std::string{};
}
inline std::int64_t int_of(const strata::Value& v) {
  const auto* i = v.get_if<std::int64_t>();
  return i ? *i : -1;
}

/// The table as the database describes it (the dialect's Inspector).
inline strata::schema::Table describe(strata::Connection& c, const std::string& table) {
  return c.dialect().inspector(c.driver())->table(table);
}

/// One column as the database describes it.
struct ColumnRow {
  std::string name;
  std::string type;  ///< the dialect's DDL spelling, e.g. "VARCHAR(255)"
  bool notnull = false;
  bool autoincrement = false;
  std::int64_t pk = 0;  ///< 1-based position in the primary key, 0 when not part of it
};

inline std::vector<ColumnRow> table_info(strata::Connection& c, const std::string& table) {
  const auto t = describe(c, table);
  const auto pk = t.primary_key_columns();
  std::vector<ColumnRow> out;
  for (const auto& col : t.columns) {
    ColumnRow row;
    row.name = col.name;
    row.type = c.dialect().type_name(col.type);
    row.notnull = !col.nullable;
    row.autoincrement = col.autoincrement;
    const auto it = std::find(pk.begin(), pk.end(), col.name);
    row.pk = it == pk.end() ? 0 : (it - pk.begin()) + 1;
    out.push_back(std::move(row));
  }
  return out;
}

/// "VARCHAR(255) NOT NULL" / "TEXT": a column's type and nullability as the database has them.
inline std::string column_decl(strata::Connection& c, const std::string& table, const std::string& column) {
  for (const auto& col : table_info(c, table))
    if (col.name == column) return col.type + (col.notnull ? " NOT NULL" : "");
  return "<no column " + table + "." + column + ">";
}

inline std::vector<std::string> column_names(strata::Connection& c, const std::string& table) {
  std::vector<std::string> out;
  for (const auto& col : table_info(c, table)) out.push_back(col.name);
  return out;
}

inline std::set<std::string> notnull_columns(strata::Connection& c, const std::string& table) {
  std::set<std::string> out;
  for (const auto& col : table_info(c, table))
    if (col.notnull) out.insert(col.name);
  return out;
}

inline std::vector<std::string> primary_key(strata::Connection& c, const std::string& table) {
  return describe(c, table).primary_key_columns();
}

/// An index or a constraint that keeps its columns unique.
struct IndexRow {
  std::string name;
  bool unique = false;
  std::string origin;  ///< "c" CREATE INDEX, "u" UNIQUE constraint, "pk" primary key (SQLite's pragma_index_list words)
  std::vector<std::string> columns;
};

inline std::vector<IndexRow> indexes(strata::Connection& c, const std::string& table) {
  const auto t = describe(c, table);
  std::vector<IndexRow> out;
  if (t.primary_key) out.push_back({t.primary_key->name, true, "pk", t.primary_key->columns});
  for (const auto& u : t.unique_constraints) out.push_back({u.name, true, "u", u.columns});
  for (const auto& ix : t.indexes) out.push_back({ix.name, ix.unique, "c", ix.columns});
  std::sort(out.begin(), out.end(), [](const IndexRow& a, const IndexRow& b) { return a.name < b.name; });
  return out;
}

/// The index of `table` named `name`, if any.
inline std::optional<IndexRow> index_named(strata::Connection& c, const std::string& table, const std::string& name) {
  for (auto& ix : indexes(c, table))
    if (ix.name == name) return ix;
  return std::nullopt;
}

/// The UNIQUE constraint of `table` over exactly `columns`, if any.
inline std::optional<IndexRow> unique_constraint_on(strata::Connection& c, const std::string& table,
                                                    const std::vector<std::string>& columns) {
  for (auto& ix : indexes(c, table))
    if (ix.origin == "u" && ix.unique && ix.columns == columns) return ix;
  return std::nullopt;
}

/// One column pair of a foreign key.
struct ForeignKeyRow {
  std::string table;  ///< referred table
  std::string from;
  std::string to;
  std::string on_update;
  std::string on_delete;
  std::string name;
};

inline std::vector<ForeignKeyRow> foreign_keys(strata::Connection& c, const std::string& table) {
  std::vector<ForeignKeyRow> out;
  for (const auto& fk : describe(c, table).foreign_keys)
    for (std::size_t i = 0; i < fk.columns.size(); ++i)
      out.push_back({fk.referred_table, fk.columns[i], fk.referred_columns.at(i), strata::schema::to_sql(fk.on_update),
                     strata::schema::to_sql(fk.on_delete), fk.name});
  std::sort(out.begin(), out.end(), [](const ForeignKeyRow& a, const ForeignKeyRow& b) { return a.from < b.from; });
  return out;
}

/// Names of every constraint and index of `table` as the database keeps them.
inline std::set<std::string> constraint_names(strata::Connection& c, const std::string& table) {
  const auto t = describe(c, table);
  std::set<std::string> out;
  if (t.primary_key) out.insert(t.primary_key->name);
  for (const auto& u : t.unique_constraints) out.insert(u.name);
  for (const auto& fk : t.foreign_keys) out.insert(fk.name);
  for (const auto& ck : t.checks) out.insert(ck.name);
  for (const auto& ix : t.indexes) out.insert(ix.name);
  return out;
}

/// The expression of CHECK constraint `name` with spaces and outer
/// parentheses taken away ("age>0"), so that SQLite's text and PostgreSQL's
/// normalized one compare alike; "" when there is none.
inline std::string check_sql(strata::Connection& c, const std::string& table, const std::string& name) {
  for (const auto& ck : describe(c, table).checks) {
    if (ck.name != name) continue;
    std::string s;
    for (char ch : ck.sqltext)
      if (ch != ' ') s += ch;
    while (s.size() >= 2 && s.front() == '(' && s.back() == ')') s = s.substr(1, s.size() - 2);
    return s;
  }
  return "";
}

inline std::vector<std::string> table_names(strata::Connection& c) {
  return c.dialect().inspector(c.driver())->table_names({});
}

/// Rows of `table`, counted on a connection of its own (what another process would see).
inline std::int64_t row_count(strata::Engine& engine, const std::string& table) {
  auto c = engine.connect();
  return int_of(c.execute("SELECT count(*) FROM \"" + table + "\"").scalar());
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

/// Runs f() and returns the exception of exactly type E (or a subclass) that it
/// threw. Records a test failure naming what happened otherwise (nothing
/// thrown, or another exception type, e.g. a plain IntegrityError).
template <class E, class F>
std::optional<E> catch_as(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected " << typeid(E).name() << ", got " << typeid(e).name() << ": " << e.what();
    return std::nullopt;
  }
  ADD_FAILURE() << "expected " << typeid(E).name() << ", but nothing was thrown";
  return std::nullopt;
}

/// After a failed flush the session refuses work until rollback(); then it is usable.
inline void expect_rollback_required(strata::Session& s) {
  EXPECT_THROW(s.flush(), strata::InvalidRequestError);
  s.rollback();
}

/// Sets each NOT NULL column of `table` (but SQLite's INTEGER PRIMARY KEY,
/// which is the rowid) to NULL with a raw UPDATE on its own connection, and expects a
/// NotNullViolation naming the table and column each time; nothing is changed.
/// Pre: `table` has at least one row.
inline void expect_every_not_null_enforced(strata::Engine& engine, const std::string& table) {
  auto c = engine.connect();
  const auto cols = table_info(c, table);
  int checked = 0;
  for (const auto& col : cols) {
    if (!col.notnull) continue;
    // SQLite's rowid alias: NULL means "choose one".
    if (col.pk > 0 && col.autoincrement && c.dialect().name() == "sqlite") continue;
    const std::string sql = "UPDATE \"" + table + "\" SET \"" + col.name + "\" = NULL";
    auto e = catch_as<strata::NotNullViolation>([&] { c.execute_update(sql); });
    ++checked;
    if (!e) {
      ADD_FAILURE() << "column " << table << "." << col.name;
      continue;
    }
    EXPECT_EQ(e->table(), table);
    EXPECT_EQ(e->constraint(), table + "." + col.name);
    EXPECT_EQ(e->sqlstate(), "23502");
    EXPECT_EQ(e->sql(), sql);
  }
  EXPECT_GT(checked, 0) << table;
  const auto nulls = c.execute("SELECT count(*) FROM \"" + table + "\" WHERE " + [&] {
                        std::string w = "false";
                        for (const auto& col : cols)
                          if (col.notnull) w += " OR \"" + col.name + "\" IS NULL";
                        return w;
                      }())
                         .scalar();
  EXPECT_EQ(int_of(nulls), 0) << table;
}

}  // namespace seed_live
