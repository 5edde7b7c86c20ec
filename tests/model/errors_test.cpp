// SchemaError messages for invalid descriptions and bad values. The invalid
// table models here define strata_describe by hand (what STRATA_TABLE does,
// without registering them), so metadata() stays valid.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>

#include "seed_models.hpp"
#include "strata/model/model.hpp"

namespace errs {

struct Parent {
  int id = 0;
};
STRATA_TABLE(Parent, "parents", field<&Parent::id>().primary_key().autoincrement());

#define ERRS_TABLE(Type, name, ...)                                                \
  inline auto strata_describe(::strata::model::tag_t<Type>) {                      \
    using namespace ::strata::model::dsl;                                          \
    return ::strata::model::describe_table<Type>(name __VA_OPT__(, ) __VA_ARGS__); \
  }                                                                                \
  static_assert(true, "")

struct SetNullOnRequired {
  int id = 0;
  int parent_id = 0;
};
ERRS_TABLE(SetNullOnRequired, "a", field<&SetNullOnRequired::id>().primary_key(),
           field<&SetNullOnRequired::parent_id>().foreign_key<&Parent::id>().on_delete(SetNull));

struct SetNullOk {
  int id = 0;
  std::optional<int> parent_id;
};
ERRS_TABLE(SetNullOk, "b", field<&SetNullOk::id>().primary_key(),
           field<&SetNullOk::parent_id>().foreign_key<&Parent::id>().on_delete(SetNull));

struct FkToNonTable {
  int id = 0;
  std::string email;
};
ERRS_TABLE(FkToNonTable, "c", field<&FkToNonTable::id>().primary_key(),
           field<&FkToNonTable::email>().foreign_key<&seeds::fullstack::UserBase::email>());

struct FkViaTableModel {
  int id = 0;
  std::string email;
};
ERRS_TABLE(FkViaTableModel, "d", field<&FkViaTableModel::id>().primary_key(),
           field<&FkViaTableModel::email>().foreign_key<&seeds::fullstack::User::email, seeds::fullstack::User>());

struct NotAColumnTarget {  // described, but the FK names a member of another struct
  int id = 0;
  int ref = 0;
};
struct Other {
  int id = 0;
  int extra = 0;
};
STRATA_MODEL(Other);
ERRS_TABLE(NotAColumnTarget, "e", field<&NotAColumnTarget::id>().primary_key(),
           field<&NotAColumnTarget::ref>().foreign_key<&Other::extra>());

struct MaxLenOnInt {
  int id = 0;
};
ERRS_TABLE(MaxLenOnInt, "f", field<&MaxLenOnInt::id>().primary_key().max_length(3));

struct AutoincOnUuid {
  strata::Uuid id;
};
ERRS_TABLE(AutoincOnUuid, "g", field<&AutoincOnUuid::id>().primary_key().autoincrement());

struct AutoincComposite {
  int a = 0;
  int b = 0;
};
ERRS_TABLE(AutoincComposite, "h", field<&AutoincComposite::a>().primary_key().autoincrement(),
           field<&AutoincComposite::b>().primary_key());

struct NoKey {
  int a = 0;
};
ERRS_TABLE(NoKey, "i");

struct SelfRef {
  int id = 0;
  std::optional<int> manager_id;
};
ERRS_TABLE(SelfRef, "employees", field<&SelfRef::id>().primary_key(),
           field<&SelfRef::manager_id>().foreign_key<&SelfRef::id>().on_delete(SetNull));

struct Options {
  int id = 0;
  strata::Numeric price;
  std::string title;
  std::string note;
};
ERRS_TABLE(Options, "options", field<&Options::id>().primary_key(),
           field<&Options::price>().numeric(10, 2).server_default("0").comment("in euros"),
           field<&Options::title>().name("label").check("length(label) > 0", "label_len"),
           field<&Options::note>().default_factory([] { return std::string("n/a"); }),
           check("price >= 0"), index<&Options::title, &Options::price>("", true));

// Relationships resolved against the foreign keys (src/model/relations.cpp).
struct RelChild;
struct RelParent {
  int id = 0;
  strata::Many<RelChild> kids;
};
struct RelChild {
  int id = 0;
  int a_id = 0;
  int b_id = 0;
  strata::One<RelParent> parent;
};
ERRS_TABLE(RelParent, "rel_parent", field<&RelParent::id>().primary_key(),
           relationship<&RelParent::kids>().back_populates("nope"));
ERRS_TABLE(RelChild, "rel_child", field<&RelChild::id>().primary_key(),
           field<&RelChild::a_id>().foreign_key<&RelParent::id>(),
           field<&RelChild::b_id>().foreign_key<&RelParent::id>());

struct RelLonely {
  int id = 0;
  strata::One<Parent> parent;
};
ERRS_TABLE(RelLonely, "rel_lonely", field<&RelLonely::id>().primary_key());

struct RelBadCascade {
  int id = 0;
  int parent_id = 0;
  strata::One<Parent> parent;
};
ERRS_TABLE(RelBadCascade, "rel_bad_cascade", field<&RelBadCascade::id>().primary_key(),
           field<&RelBadCascade::parent_id>().foreign_key<&Parent::id>(),
           relationship<&RelBadCascade::parent>().cascade("save-update, delete-orphans"));

struct RelChosen {
  int id = 0;
  int a_id = 0;
  int b_id = 0;
  strata::One<Parent> first;
  strata::One<Parent> second;
};
ERRS_TABLE(RelChosen, "rel_chosen", field<&RelChosen::id>().primary_key(),
           field<&RelChosen::a_id>().foreign_key<&Parent::id>(),
           field<&RelChosen::b_id>().foreign_key<&Parent::id>(),
           relationship<&RelChosen::first>().foreign_keys<&RelChosen::a_id>(),
           relationship<&RelChosen::second>().foreign_keys<&RelChosen::b_id>());

}  // namespace errs

namespace sm = strata::model;

namespace {
template <class T>
std::string build_error() {
  try {
    (void)sm::info<T>();
  } catch (const strata::SchemaError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST(model_errors, Relationships) {
  EXPECT_EQ(build_error<errs::RelChild>(),
            "model 'RelChild' relationship 'parent': model 'RelChild' has several foreign keys to 'RelParent' "
            "(a_id, b_id); choose with foreign_keys<&RelChild::m>()");
  EXPECT_EQ(build_error<errs::RelLonely>(),
            "model 'RelLonely' relationship 'parent': model 'Parent' has no foreign key to 'RelLonely' (or give "
            "secondary<Link>() for a many-to-many)");
  EXPECT_EQ(build_error<errs::RelBadCascade>(),
            "model 'RelBadCascade' relationship 'parent': unknown cascade 'delete-orphans' (expected all, "
            "save-update, delete, delete-orphan, merge, refresh-expunge, expunge)");
  const auto& chosen = sm::info<errs::RelChosen>();
  ASSERT_EQ(chosen.relations.size(), 2u);
  EXPECT_EQ(chosen.fields[chosen.relations[0].local.at(0)].member, "a_id");
  EXPECT_EQ(chosen.fields[chosen.relations[1].local.at(0)].member, "b_id");
  EXPECT_EQ(chosen.relations[1].kind, strata::model::RelationKind::ManyToOne);
}

TEST(model_errors, SetNullOnNonNullable) {
  EXPECT_EQ(build_error<errs::SetNullOnRequired>(),
            "model 'SetNullOnRequired' member 'parent_id': on_delete(SetNull) on a column that is not nullable; "
            "make the member std::optional<...> or choose another action");
  EXPECT_EQ(sm::info<errs::SetNullOk>().table.foreign_keys.at(0).on_delete, strata::schema::FkAction::SetNull);
}

TEST(model_errors, ForeignKeyTargets) {
  EXPECT_EQ(build_error<errs::FkToNonTable>(),
            "model 'FkToNonTable' member 'email': foreign_key<&UserBase::email>() references model 'UserBase', "
            "which is not a table model (describe it with STRATA_TABLE, or give the table model: "
            "foreign_key<&M::m, Table>())");
  const auto& fk = sm::info<errs::FkViaTableModel>().table.foreign_keys.at(0);
  EXPECT_EQ(fk.referred_table, "user");
  EXPECT_EQ(fk.referred_columns, std::vector<std::string>{"email"});
  EXPECT_EQ(build_error<errs::NotAColumnTarget>(),
            "model 'NotAColumnTarget' member 'ref': foreign_key<&Other::extra>() references model 'Other', which "
            "is not a table model (describe it with STRATA_TABLE, or give the table model: "
            "foreign_key<&M::m, Table>())");
  try {
    (void)sm::info<errs::SetNullOnRequired>();
  } catch (const strata::SchemaError& e) {
    EXPECT_EQ(e.model(), "SetNullOnRequired");
    EXPECT_EQ(e.member(), "parent_id");
  }
}

TEST(model_errors, OptionsOnWrongTypes) {
  EXPECT_EQ(build_error<errs::MaxLenOnInt>(),
            "model 'MaxLenOnInt' member 'id': max_length(3) applies to string members, this one is Integer");
  EXPECT_EQ(build_error<errs::AutoincOnUuid>(),
            "model 'AutoincOnUuid' member 'id': autoincrement() needs an integer member, this one is Uuid");
  EXPECT_EQ(build_error<errs::AutoincComposite>(),
            "model 'AutoincComposite' member 'a': autoincrement() needs a single-column primary key, the key has "
            "2 columns");
  EXPECT_EQ(build_error<errs::NoKey>(),
            "model 'NoKey' (table 'i') has no primary key: mark a member with field<&T::m>().primary_key()");
}

TEST(model_errors, SelfReferenceResolves) {
  const auto& t = sm::info<errs::SelfRef>().table;
  EXPECT_EQ(t.foreign_keys.at(0),
            (strata::schema::ForeignKeyConstraint{"fk_employees_manager_id_employees", {"manager_id"}, "employees",
                                                  {"id"}, strata::schema::FkAction::SetNull,
                                                  strata::schema::FkAction::NoAction}));
}

TEST(model_errors, MoreOptions) {
  const auto& mi = sm::info<errs::Options>();
  const auto& t = mi.table;
  EXPECT_EQ(t.column("price").type, strata::SqlType::numeric(10, 2));
  EXPECT_EQ(t.column("price").server_default, strata::schema::ServerDefault::text("0"));
  EXPECT_EQ(t.column("price").comment, "in euros");
  EXPECT_EQ(mi.fields[2].member, "title");
  EXPECT_EQ(mi.fields[2].column, "label");
  EXPECT_EQ(t.checks, (std::vector<strata::schema::CheckConstraint>{{"ck_options_label_len", "length(label) > 0"},
                                                                     {"ck_options_1", "price >= 0"}}));
  EXPECT_EQ(t.indexes, (std::vector<strata::schema::Index>{{"ix_options_label_price", {"label", "price"}, true}}));
  EXPECT_EQ(mi.fields[3].default_factory(), strata::Value("n/a"));
  EXPECT_FALSE(mi.fields[3].onupdate);
}

TEST(model_errors, ConversionNamesModelMemberAndValue) {
  const auto& mi = sm::info<seeds::school::User>();
  seeds::school::User u;
  try {
    mi.find_column("age")->set(&u, strata::Value("abc"));
    FAIL();
  } catch (const strata::SchemaError& e) {
    EXPECT_EQ(std::string(e.what()), "model 'User' member 'age': cannot convert 'abc' to Integer");
    EXPECT_EQ(e.model(), "User");
    EXPECT_EQ(e.member(), "age");
  }
  EXPECT_THROW(mi.find_column("email")->set(&u, strata::Value()), strata::SchemaError);
  try {
    (void)mi.field(sm::MemberKey{typeid(seeds::school::User), 999});
    FAIL();
  } catch (const strata::SchemaError& e) {
    EXPECT_EQ(std::string(e.what()), "model 'User' has no mapped member at offset 999");
  }
}
