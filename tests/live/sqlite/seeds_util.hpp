// Helpers of the seed acceptance tests (tests/live/sqlite/seeds_*_test.cpp):
// introspection of a real SQLite database through strata::Connection (the
// pragma_* table-valued functions and sqlite_master), and catching one exact
// exception type so that a test can check its fields.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
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

/// One row of PRAGMA table_info.
struct ColumnRow {
  std::string name;
  std::string type;
  bool notnull = false;
  std::optional<std::string> dflt;
  std::int64_t pk = 0;  ///< 1-based position in the primary key, 0 when not part of it
};

inline std::vector<ColumnRow> table_info(strata::Connection& c, const std::string& table) {
  std::vector<ColumnRow> out;
  for (const auto& r :
       c.execute("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid", {table})
           .all()) {
    ColumnRow row;
    row.name = text_of(r[0]);
    row.type = text_of(r[1]);
    row.notnull = int_of(r[2]) != 0;
    if (!r[3].is_null()) row.dflt = text_of(r[3]);
    row.pk = int_of(r[4]);
    out.push_back(std::move(row));
  }
  return out;
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
  auto cols = table_info(c, table);
  std::vector<std::string> out;
  std::sort(cols.begin(), cols.end(), [](const ColumnRow& a, const ColumnRow& b) { return a.pk < b.pk; });
  for (const auto& col : cols)
    if (col.pk > 0) out.push_back(col.name);
  return out;
}

/// One row of PRAGMA index_list, with the indexed columns (PRAGMA index_info).
struct IndexRow {
  std::string name;
  bool unique = false;
  std::string origin;  ///< "c" CREATE INDEX, "u" UNIQUE constraint, "pk" primary key
  std::vector<std::string> columns;
};

inline std::vector<IndexRow> indexes(strata::Connection& c, const std::string& table) {
  std::vector<IndexRow> out;
  for (const auto& r : c.execute("SELECT name, \"unique\", origin FROM pragma_index_list(?) ORDER BY name", {table})
                           .all()) {
    IndexRow ix;
    ix.name = text_of(r[0]);
    ix.unique = int_of(r[1]) != 0;
    ix.origin = text_of(r[2]);
    for (const auto& cr : c.execute("SELECT name FROM pragma_index_info(?) ORDER BY seqno", {ix.name}).all())
      ix.columns.push_back(text_of(cr[0]));
    out.push_back(std::move(ix));
  }
  return out;
}

/// The index of `table` named `name`, if any.
inline std::optional<IndexRow> index_named(strata::Connection& c, const std::string& table, const std::string& name) {
  for (auto& ix : indexes(c, table))
    if (ix.name == name) return ix;
  return std::nullopt;
}

/// The unique-constraint index (origin "u") of `table` over exactly `columns`, if any.
inline std::optional<IndexRow> unique_constraint_on(strata::Connection& c, const std::string& table,
                                                    const std::vector<std::string>& columns) {
  for (auto& ix : indexes(c, table))
    if (ix.origin == "u" && ix.unique && ix.columns == columns) return ix;
  return std::nullopt;
}

/// One column pair of PRAGMA foreign_key_list.
struct ForeignKeyRow {
  std::string table;  ///< referred table
  std::string from;
  std::string to;
  std::string on_update;
  std::string on_delete;
};

inline std::vector<ForeignKeyRow> foreign_keys(strata::Connection& c, const std::string& table) {
  std::vector<ForeignKeyRow> out;
  for (const auto& r : c.execute("SELECT \"table\", \"from\", \"to\", on_update, on_delete "
                                 "FROM pragma_foreign_key_list(?) ORDER BY \"from\"",
                                 {table})
                           .all())
    out.push_back({text_of(r[0]), text_of(r[1]), text_of(r[2]), text_of(r[3]), text_of(r[4])});
  return out;
}

/// The CREATE statement of a table or index, as stored in sqlite_master ("" when absent).
inline std::string schema_sql(strata::Connection& c, const std::string& type, const std::string& name) {
  auto v = c.execute("SELECT sql FROM sqlite_master WHERE type = ? AND name = ?", {type, name}).scalar();
  return text_of(v);
}

inline std::vector<std::string> table_names(strata::Connection& c) {
  std::vector<std::string> out;
  for (const auto& v :
       c.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
           .scalars())
    out.push_back(text_of(v));
  return out;
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

/// Sets each NOT NULL column of `table` (but an INTEGER PRIMARY KEY, which is
/// the rowid) to NULL with a raw UPDATE on its own connection, and expects a
/// NotNullViolation naming the table and column each time; nothing is changed.
/// Pre: `table` has at least one row.
inline void expect_every_not_null_enforced(strata::Engine& engine, const std::string& table) {
  auto c = engine.connect();
  const auto cols = table_info(c, table);
  int checked = 0;
  for (const auto& col : cols) {
    if (!col.notnull) continue;
    if (col.pk > 0 && col.type == "INTEGER") continue;  // rowid alias: NULL means "choose one"
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
                        std::string w = "0";
                        for (const auto& col : cols)
                          if (col.notnull) w += " OR \"" + col.name + "\" IS NULL";
                        return w;
                      }())
                         .scalar();
  EXPECT_EQ(int_of(nulls), 0) << table;
}

}  // namespace seed_live
