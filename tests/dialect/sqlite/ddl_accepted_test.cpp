// The golden DDL is also accepted by SQLite itself and behaves as documented
// (rowid alias, enum CHECK, FK actions). Uses the sqlite3 C API directly on an
// in-memory database so this suite does not depend on the Strata driver.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include "strata/dialect/sqlite.hpp"
#include "strata/schema/metadata.hpp"

namespace {

using namespace strata::schema;
using strata::SqlType;

class Db {
 public:
  Db() { sqlite3_open(":memory:", &db_); exec("PRAGMA foreign_keys = ON"); }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  // SQLITE_OK or the error code; the message goes to `err`.
  int exec(const std::string& sql) {
    char* msg = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &msg);
    err = msg ? msg : "";
    sqlite3_free(msg);
    return rc;
  }
  std::string scalar(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr);
    std::string out = "<none>";
    if (sqlite3_step(st) == SQLITE_ROW) {
      const auto* t = sqlite3_column_text(st, 0);
      out = t ? reinterpret_cast<const char*>(t) : "NULL";
    }
    sqlite3_finalize(st);
    return out;
  }
  std::string err;

 private:
  sqlite3* db_ = nullptr;
};

Column col(std::string name, SqlType t, bool nullable = true) {
  Column c;
  c.name = std::move(name);
  c.type = std::move(t);
  c.nullable = nullable;
  return c;
}

MetaData schema() {
  MetaData md;
  Table owner;
  owner.name = "owner";
  owner.columns = {col("id", SqlType::integer(), false), col("name", SqlType::string(20), false)};
  owner.columns[0].autoincrement = true;
  owner.primary_key = PrimaryKeyConstraint{"", {"id"}};
  owner.indexes = {Index{"", {"name"}, true}};
  md.add_table(owner);

  Table item;
  item.name = "item";
  item.columns = {col("id", SqlType::big_integer(), false), col("owner_id", SqlType::integer(), false),
                  col("status", SqlType::enumeration("status", {"draft", "done"}), false),
                  col("created", SqlType::datetime(), false), col("qty", SqlType::integer(), false)};
  item.columns[0].autoincrement = true;
  item.columns[2].server_default = ServerDefault::text("'draft'");
  item.columns[3].server_default = ServerDefault::now();
  item.columns[4].server_default = ServerDefault::text("abs(-3)");
  item.primary_key = PrimaryKeyConstraint{"", {"id"}};
  item.foreign_keys = {ForeignKeyConstraint{"", {"owner_id"}, "owner", {"id"}, FkAction::Cascade, FkAction::NoAction}};
  item.checks = {CheckConstraint{"qty_positive", "qty > 0"}};
  md.add_table(item);
  return md;
}

TEST(SqliteDdlAccepted, CreatesAndEnforces) {
  const auto& d = strata::dialect::sqlite_dialect();
  MetaData md = schema();
  Db db;
  for (const Table* t : md.sorted_tables())
    for (const auto& stmt : d.create_table(*t)) ASSERT_EQ(db.exec(stmt), SQLITE_OK) << stmt << "\n" << db.err;
  // IF NOT EXISTS makes a second run a no-op.
  for (const auto& stmt : d.create_table(md.table("owner"), true)) EXPECT_EQ(db.exec(stmt), SQLITE_OK) << db.err;

  ASSERT_EQ(db.exec("INSERT INTO owner (name) VALUES ('ada')"), SQLITE_OK) << db.err;
  EXPECT_EQ(db.scalar("SELECT id FROM owner"), "1");  // numbered by SQLite
  EXPECT_NE(db.exec("INSERT INTO owner (name) VALUES ('ada')"), SQLITE_OK);  // unique index
  ASSERT_EQ(db.exec("INSERT INTO item (owner_id) VALUES (1)"), SQLITE_OK) << db.err;
  EXPECT_EQ(db.scalar("SELECT status || ',' || qty || ',' || (created IS NOT NULL) || ',' || id FROM item"),
            "draft,3,1,1");
  EXPECT_NE(db.exec("INSERT INTO item (owner_id, status) VALUES (1, 'bogus')"), SQLITE_OK);
  EXPECT_NE(db.err.find("ck_item_status_enum"), std::string::npos) << db.err;
  EXPECT_NE(db.exec("INSERT INTO item (owner_id, qty) VALUES (1, 0)"), SQLITE_OK);
  EXPECT_NE(db.err.find("ck_item_qty_positive"), std::string::npos) << db.err;
  EXPECT_NE(db.exec("INSERT INTO item (owner_id) VALUES (99)"), SQLITE_OK);  // FK
  // The AUTOINCREMENT column is a rowid alias.
  EXPECT_EQ(db.scalar("SELECT count(*) FROM item WHERE rowid = id"), "1");
  ASSERT_EQ(db.exec("DELETE FROM owner"), SQLITE_OK);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM item"), "0");  // ON DELETE CASCADE

  const auto has = d.has_table("item");
  EXPECT_EQ(db.scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'item'"), "item");
  EXPECT_EQ(has.params.size(), 1u);
  auto order = md.sorted_tables();  // drop in reverse create order
  for (auto it = order.rbegin(); it != order.rend(); ++it)
    for (const auto& stmt : d.drop_table(**it, true)) EXPECT_EQ(db.exec(stmt), SQLITE_OK) << db.err;
  // Only AUTOINCREMENT's own sqlite_sequence remains.
  EXPECT_EQ(db.scalar("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"), "0");
}

}  // namespace
