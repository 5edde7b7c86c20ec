// STRATA_MODEL / STRATA_TABLE on models outside the seeds: every member type,
// enums, wide structs, the global namespace, unregistered descriptions.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "model/value_row.hpp"
#include "strata/model/model.hpp"

namespace shop::v1 {
enum class Status { draft, published, archived };

struct Everything {
  std::int64_t id = 0;
  bool flag = false;
  std::int16_t small = 0;
  int normal = 0;
  long long big = 0;
  float f = 0;
  double d = 0;
  strata::Numeric price;
  std::string text;
  strata::Bytes blob;
  strata::Uuid uuid;
  strata::Date date;
  strata::Time time;
  strata::DateTime naive;
  strata::DateTimeTz aware;
  strata::Json doc;
  std::vector<std::string> tags;
  Status status = Status::draft;
  std::optional<Status> maybe_status;
  std::optional<strata::Uuid> maybe_uuid;
};
STRATA_TABLE(Everything, "everything", field<&Everything::id>().primary_key().autoincrement(),
             field<&Everything::price>().numeric(12, 2), field<&Everything::text>().max_length(20));

// Plain member types, for reading driver-form cells (read_row).
struct Plain {
  std::int64_t id = 0;
  bool flag = false;
  std::string text;
  std::optional<std::string> note;
  double ratio = 0;
  std::optional<std::int32_t> rank;
  Status status = Status::draft;
};
STRATA_TABLE(Plain, "plain", field<&Plain::id>().primary_key());

// A model whose members come partly from a described base (BaseThunk).
struct LabelBase {
  std::string label;
  std::optional<std::int32_t> rank;
};
struct Label : LabelBase {
  std::int64_t id = 0;
};
STRATA_MODEL(LabelBase);
STRATA_TABLE(Label, "label", extends<LabelBase>(), field<&Label::id>().primary_key());
}  // namespace shop::v1

struct GlobalWide {  // 49 members, global namespace
  int id = 0;
  int c01, c02, c03, c04, c05, c06, c07, c08, c09, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, c21,
      c22, c23, c24, c25, c26, c27, c28, c29, c30, c31, c32, c33, c34, c35, c36, c37, c38, c39, c40, c41, c42,
      c43, c44, c45, c46, c47, c48;
};
STRATA_TABLE(GlobalWide, "global_wide", field<&GlobalWide::id>().primary_key());

namespace sm = strata::model;
using strata::SqlType;
using strata::Value;

TEST(model_describe, EveryTypeMapsToItsSqlType) {
  const auto& mi = sm::info<shop::v1::Everything>();
  EXPECT_EQ(mi.model, "Everything");
  std::vector<SqlType> types;
  for (const auto& c : mi.table.columns) types.push_back(c.type);
  std::vector<SqlType> expected = {SqlType::big_integer(), SqlType::boolean(), SqlType::small_integer(),
                                   SqlType::integer(), SqlType::big_integer(), SqlType::float_(),
                                   SqlType::double_(), SqlType::numeric(12, 2), SqlType::string(20),
                                   SqlType::bytes(), SqlType::uuid(), SqlType::date(), SqlType::time(),
                                   SqlType::datetime(false), SqlType::datetime(true), SqlType::json(),
                                   SqlType::string_array(),
                                   SqlType::enumeration("status", {"draft", "published", "archived"}),
                                   SqlType::enumeration("status", {"draft", "published", "archived"}),
                                   SqlType::uuid()};
  EXPECT_EQ(types, expected);
  EXPECT_TRUE(mi.table.column("maybe_status").nullable);
  EXPECT_FALSE(mi.table.column("status").nullable);
  EXPECT_TRUE(mi.table.column("id").autoincrement);
}

TEST(model_describe, EnumMemberRoundTrip) {
  const auto& mi = sm::info<shop::v1::Everything>();
  shop::v1::Everything e;
  const auto* status = mi.find_column("status");
  EXPECT_EQ(status->get(&e), Value("draft"));
  status->set(&e, Value("archived"));
  EXPECT_EQ(e.status, shop::v1::Status::archived);
  try {
    status->set(&e, Value("deleted"));
    FAIL();
  } catch (const strata::SchemaError& err) {
    EXPECT_EQ(std::string(err.what()), "model 'Everything' member 'status': cannot convert 'deleted' to Status");
  }
  mi.find_column("maybe_status")->set(&e, Value());
  EXPECT_EQ(e.maybe_status, std::nullopt);
  mi.find_column("maybe_status")->set(&e, Value("published"));
  EXPECT_EQ(e.maybe_status, shop::v1::Status::published);
}

namespace {
/// An Everything with a non-default value in most members (maybe_status
/// stays std::nullopt).
shop::v1::Everything filled_everything() {
  shop::v1::Everything a;
  a.id = 9;
  a.flag = true;
  a.small = -3;
  a.normal = 70000;
  a.big = std::int64_t{1} << 50;
  a.f = 1.5f;
  a.d = -0.25;
  a.price = {"12.30"};
  a.text = "hello";
  a.blob = {std::byte{1}, std::byte{2}};
  a.uuid = strata::Uuid::v4();
  a.doc = strata::Json{{"k", {1, 2}}};
  a.tags = {"x", "y"};
  a.status = shop::v1::Status::published;
  a.maybe_uuid = strata::Uuid::v4();
  return a;
}
}  // namespace

TEST(model_describe, EveryMemberGetSetRoundTrip) {
  const auto& mi = sm::info<shop::v1::Everything>();
  const shop::v1::Everything a = filled_everything();
  shop::v1::Everything b;
  for (const auto& f : mi.fields) f.set(&b, f.get(&a));
  for (const auto& f : mi.fields) EXPECT_TRUE(f.equal(&a, &b)) << f.member;
}

// put() (the INSERT's parameters, bound in place) agrees with get() for
// every member type, and gives the plain kinds without a Value.
TEST(model_describe, PutGivesEachMemberAsTheParameterGetWouldGive) {
  using Kind = strata::ParamView::Kind;
  const auto& mi = sm::info<shop::v1::Everything>();
  const shop::v1::Everything a = filled_everything();
  for (const auto& f : mi.fields) {
    strata::ParamView p;
    p.kind = Kind::Boxed;  // overwritten by put
    f.put(&a, p);
    EXPECT_EQ(p.to_value(), f.get(&a)) << f.member;
  }
  auto put = [&](const char* column) {
    strata::ParamView p;
    mi.find_column(column)->put(&a, p);
    return p;
  };
  EXPECT_EQ(put("flag").kind, Kind::Bool);
  EXPECT_EQ(put("flag").integer, 1);
  EXPECT_EQ(put("small").kind, Kind::Integer);
  EXPECT_EQ(put("small").integer, -3);
  EXPECT_EQ(put("big").integer, std::int64_t{1} << 50);
  EXPECT_EQ(put("f").kind, Kind::Real);
  EXPECT_EQ(put("d").real, -0.25);
  const strata::ParamView text = put("text");
  EXPECT_EQ(text.kind, Kind::Text);
  EXPECT_EQ(text.text.data(), a.text.data());  // a view of the member, not a copy
  EXPECT_EQ(put("maybe_status").kind, Kind::Null);
  EXPECT_EQ(put("maybe_uuid").kind, Kind::Boxed);
  EXPECT_EQ(put("status").kind, Kind::Boxed);
  EXPECT_EQ(put("status").boxed, Value("published"));

  // Members of a base, reached through it; an engaged and an empty optional.
  const auto& li = sm::info<shop::v1::Label>();
  shop::v1::Label l;
  l.id = 4;
  l.label = "a label longer than the small-string buffer";
  strata::ParamView p;
  li.find_column("label")->put(&l, p);
  EXPECT_EQ(p.kind, Kind::Text);
  EXPECT_EQ(p.text.data(), l.label.data());
  li.find_column("rank")->put(&l, p);
  EXPECT_EQ(p.kind, Kind::Null);
  l.rank = -7;
  li.find_column("rank")->put(&l, p);
  EXPECT_EQ(p.kind, Kind::Integer);
  EXPECT_EQ(p.integer, -7);
}

// read_row (one call per loaded row) does what the per-field loop does:
// every non-key field read from its column, every field imaged.
TEST(model_describe, ReadRowReadsAndImagesEveryFieldAsTheFieldLoop) {
  const auto& mi = sm::info<shop::v1::Plain>();
  ASSERT_NE(mi.read_row, nullptr);
  // Cells in a driver's plain forms; the entity starts at column 1.
  const strata_test::ValueRow row({Value("ignored"), Value(std::int64_t{12}), Value(std::int64_t{1}),
                                   Value("a text longer than the small-string buffer"), Value(),
                                   Value(0.125), Value(std::int64_t{-7}), Value("published")});
  sm::SnapshotArena arena;
  shop::v1::Plain b;
  b.id = 12;  // key fields are read before read_row, which only images them
  b.note = "stale";
  std::byte* image = arena.allocate(mi.snap_size);
  mi.read_row(&b, row, 1, image, arena, mi.fields.data());
  EXPECT_EQ(b.id, 12);
  EXPECT_TRUE(b.flag);
  EXPECT_EQ(b.text, "a text longer than the small-string buffer");
  EXPECT_EQ(b.note, std::nullopt);
  EXPECT_EQ(b.ratio, 0.125);
  EXPECT_EQ(b.rank, -7);
  EXPECT_EQ(b.status, shop::v1::Status::published);
  // The image is what the per-field loop would have written.
  sm::SnapshotArena arena2;
  std::byte* image2 = arena2.allocate(mi.snap_size);
  for (const auto& f : mi.fields) f.snap_put(&b, image2 + f.snap_offset, arena2, false);
  for (const auto& f : mi.fields) {
    EXPECT_TRUE(f.snap_equal(&b, image + f.snap_offset)) << f.member;
    EXPECT_EQ(f.snap_get(image + f.snap_offset), f.snap_get(image2 + f.snap_offset)) << f.member;
  }
  // A model with bases has none: the Session reads it field by field.
  EXPECT_EQ(sm::info<shop::v1::Label>().read_row, nullptr);
}

TEST(model_describe, IntegerCellsReadIntoEachIntegerWidth) {
  const auto& mi = sm::info<shop::v1::Everything>();
  const sm::FieldInfo& small = *mi.find_column("small");  // std::int16_t
  const sm::FieldInfo& normal = *mi.find_column("normal");  // int
  const sm::FieldInfo& big = *mi.find_column("big");  // long long
  shop::v1::Everything e;
  const strata_test::ValueRow row({Value(std::int64_t{-32768}), Value(std::int64_t{2147483647}),
                      Value(std::int64_t{-9223372036854775807 - 1}), Value(std::int64_t{32768}),
                      Value(std::int64_t{2147483648}), Value("41")});
  small.read(&e, row, 0);
  normal.read(&e, row, 1);
  big.read(&e, row, 2);
  EXPECT_EQ(e.small, -32768);
  EXPECT_EQ(e.normal, 2147483647);
  EXPECT_EQ(e.big, std::numeric_limits<long long>::min());
  // One past the member's range: a SchemaError naming the model and member, the member unchanged.
  try {
    small.read(&e, row, 3);
    ADD_FAILURE() << "32768 was read into an int16_t";
  } catch (const strata::SchemaError& err) {
    EXPECT_NE(std::string(err.what()).find("small"), std::string::npos) << err.what();
  }
  EXPECT_EQ(e.small, -32768);
  EXPECT_THROW(normal.read(&e, row, 4), strata::SchemaError);
  EXPECT_EQ(e.normal, 2147483647);
  normal.read(&e, row, 5);  // integer text: the lenient conversion
  EXPECT_EQ(e.normal, 41);
}

TEST(model_describe, WideModelInGlobalNamespace) {
  const auto& mi = sm::info<GlobalWide>();
  ASSERT_EQ(mi.fields.size(), 49u);
  EXPECT_EQ(mi.fields[48].member, "c48");
  EXPECT_EQ(mi.fields[48].key, sm::member_key(&GlobalWide::c48));
  GlobalWide w{};
  mi.fields[30].set(&w, Value(30));
  EXPECT_EQ(w.c30, 30);
  EXPECT_EQ(mi.table.primary_key->name, "pk_global_wide");
}

TEST(model_describe, RegisteredOnceAndMetaData) {
  const auto& all = sm::registered_tables();
  int n = 0;
  for (const auto* m : all) n += m->table.name == "everything";
  EXPECT_EQ(n, 1);
  auto md = sm::metadata();  // every registered table, foreign keys validated
  EXPECT_NE(md.find_table("everything"), nullptr);
  EXPECT_NE(md.find_table("global_wide"), nullptr);
}
