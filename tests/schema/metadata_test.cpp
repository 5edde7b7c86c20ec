#include "strata/schema/metadata.hpp"

#include <gtest/gtest.h>

#include "strata/core/error.hpp"

namespace {

using namespace strata::schema;
using strata::SqlType;

Table table(std::string name, std::vector<std::pair<std::string, std::string>> fks = {}) {
  Table t;
  t.name = std::move(name);
  Column id;
  id.name = "id";
  id.type = SqlType::integer();
  id.primary_key = true;
  t.columns.push_back(id);
  t.primary_key = PrimaryKeyConstraint{"", {"id"}};
  for (auto& [col, ref] : fks) {
    Column c;
    c.name = col;
    c.type = SqlType::integer();
    t.columns.push_back(c);
    t.foreign_keys.push_back(ForeignKeyConstraint{"", {col}, ref, {"id"}, FkAction::NoAction, FkAction::NoAction});
  }
  return t;
}

std::vector<std::string> names(const std::vector<const Table*>& ts) {
  std::vector<std::string> out;
  for (auto* t : ts) out.push_back(t->name);
  return out;
}

std::string error_of(auto&& f) {
  try {
    f();
  } catch (const strata::SchemaError& e) {
    return e.what();
  }
  return "<no SchemaError>";
}

TEST(MetaData, AddAppliesNamingAndFinds) {
  MetaData md;
  Table& t = md.add_table(table("item", {{"owner_id", "user"}}));
  EXPECT_EQ(t.primary_key->name, "pk_item");
  EXPECT_EQ(t.foreign_keys[0].name, "fk_item_owner_id_user");
  EXPECT_EQ(md.find_table("item"), &t);
  EXPECT_EQ(md.find_table("nope"), nullptr);
  EXPECT_EQ(&md.table("item"), &t);
  EXPECT_EQ(error_of([&] { (void)md.table("nope"); }), "unknown table 'nope'");
}

TEST(MetaData, ReferencesStayValid) {
  MetaData md;
  Table& first = md.add_table(table("a"));
  for (int i = 0; i < 100; ++i) md.add_table(table("t" + std::to_string(i)));
  EXPECT_EQ(first.name, "a");
  EXPECT_EQ(md.find_table("a"), &first);
}

TEST(MetaData, DuplicateTableThrows) {
  MetaData md;
  md.add_table(table("user"));
  EXPECT_EQ(error_of([&] { md.add_table(table("user")); }), "table 'user' is already defined in this MetaData");
}

TEST(MetaData, SortedTablesPutsReferencedFirstAndIsStable) {
  MetaData md;
  md.add_table(table("item", {{"owner_id", "user"}, {"tag_id", "tag"}}));
  md.add_table(table("audit"));
  md.add_table(table("user", {{"org_id", "org"}}));
  md.add_table(table("tag"));
  md.add_table(table("org"));
  md.add_table(table("node", {{"parent_id", "node"}}));  // self-reference is ignored
  // Each step takes the earliest-inserted table whose references are all placed.
  EXPECT_EQ(names(md.sorted_tables()), (std::vector<std::string>{"audit", "tag", "org", "user", "item", "node"}));
}

TEST(MetaData, SortedTablesIndependentKeepInsertionOrder) {
  MetaData md;
  for (auto n : {"c", "a", "b"}) md.add_table(table(n));
  EXPECT_EQ(names(md.sorted_tables()), (std::vector<std::string>{"c", "a", "b"}));
}

TEST(MetaData, SortedTablesCycleNamesTheCycleOnly) {
  MetaData md;
  md.add_table(table("standalone"));
  md.add_table(table("dependent", {{"a_id", "a"}}));
  md.add_table(table("a", {{"b_id", "b"}}));
  md.add_table(table("b", {{"c_id", "c"}}));
  md.add_table(table("c", {{"a_id", "a"}}));
  EXPECT_EQ(error_of([&] { (void)md.sorted_tables(); }),
            "foreign-key cycle between tables 'a' -> 'b' -> 'c' -> 'a': cannot order them for CREATE TABLE");
}

TEST(MetaData, ValidateAcceptsGoodSchema) {
  MetaData md;
  md.add_table(table("user"));
  md.add_table(table("item", {{"owner_id", "user"}}));
  EXPECT_NO_THROW(md.validate());
}

TEST(MetaData, ValidateUnknownTable) {
  MetaData md;
  md.add_table(table("user"));
  md.add_table(table("item", {{"owner_id", "users"}}));
  EXPECT_EQ(error_of([&] { md.validate(); }), "table 'item' column 'owner_id' references unknown table 'users'");
}

TEST(MetaData, ValidateUnknownReferredColumn) {
  MetaData md;
  md.add_table(table("user"));
  Table item = table("item", {{"owner_id", "user"}});
  item.foreign_keys[0].referred_columns = {"uid"};
  md.add_table(item);
  EXPECT_EQ(error_of([&] { md.validate(); }), "table 'item' column 'owner_id' references unknown column 'user.uid'");
}

TEST(MetaData, ValidateUnknownLocalColumn) {
  MetaData md;
  md.add_table(table("user"));
  Table item = table("item", {{"owner_id", "user"}});
  item.foreign_keys[0].columns = {"ownr_id"};
  md.add_table(item);
  EXPECT_EQ(error_of([&] { md.validate(); }),
            "table 'item' foreign key 'fk_item_ownr_id_user' names unknown column 'ownr_id'");
}

TEST(MetaData, ValidateIndexColumns) {
  MetaData md;
  Table t = table("user");
  t.indexes.push_back(Index{"", {"email"}, true});
  md.add_table(t);
  EXPECT_EQ(error_of([&] { md.validate(); }), "table 'user' index 'ix_user_email' names unknown column 'email'");
}

}  // namespace
