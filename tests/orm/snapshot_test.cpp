// Dirty tracking through the session's snapshot images (strata/model/snapshot_arena.hpp),
// per slot kind: trivially copyable members (int, double, enum, Uuid, DateTime),
// strings (growing, shrinking, becoming std::nullopt, engaged again) and heap copies
// (JSON, string lists). Each change is flushed and the next flush reuses the image
// rewritten in place; the UPDATEs must name only the changed columns, and the values
// read back from the database must be the ones set.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "strata/strata.hpp"
#include "support/database.hpp"

namespace {

enum class Mood { calm, cheerful, angry };

struct Rec {
  strata::Uuid id = strata::Uuid::v4();
  std::string name;
  std::optional<std::string> note;
  std::int64_t count{};
  double score{};
  Mood mood = Mood::calm;
  strata::StringList tags;
  strata::Json meta = strata::Json::object();
  strata::DateTime at{};
  std::optional<std::int64_t> rank;
};
STRATA_TABLE(Rec, "rec", field<&Rec::id>().primary_key());

// A string primary key: its image gives the WHERE of the UPDATE.
struct Code {
  std::string code;
  std::string label;
  std::int64_t uses{};
};
STRATA_TABLE(Code, "code", field<&Code::code>().primary_key());

// Fields of a base: their slots are the base's image inside the model's image.
struct NoteBase {
  std::string title;
  std::optional<std::string> body;
};
struct Note : NoteBase {
  std::int64_t id{};
  std::int64_t version{};
};
STRATA_MODEL(NoteBase);
STRATA_TABLE(Note, "note", extends<NoteBase>(), field<&Note::id>().primary_key().autoincrement(),
             field<&Note::version>());

using strata::col;
using strata::select;

/// The quoted column names of the SET clause of an UPDATE.
std::vector<std::string> set_columns(const std::string& update) {
  const auto from = update.find(" SET ");
  const auto to = update.find(" WHERE ");
  std::vector<std::string> out;
  if (from == std::string::npos || to == std::string::npos) return out;
  const std::string set = update.substr(from + 5, to - from - 5);
  for (std::size_t i = set.find('"'); i != std::string::npos; i = set.find('"', i)) {
    const auto end = set.find('"', i + 1);
    out.push_back(set.substr(i + 1, end - i - 1));
    i = end + 1;
  }
  return out;
}

const strata::DateTime kAt =
    std::chrono::local_days{std::chrono::year{2024} / 5 / 17} + std::chrono::hours{9} + std::chrono::microseconds{250};

class SnapshotTest : public strata::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    engine_ = counting_engine(count_, nullptr, &log_);
    strata::create_all(engine_, strata::model::metadata_of<Rec, Code, Note>());
  }

  /// Flushes `s`; returns the SET columns of each UPDATE the flush sent.
  std::vector<std::vector<std::string>> flush_updates(strata::Session& s) {
    log_.clear();
    s.flush();
    std::vector<std::vector<std::string>> out;
    for (const auto& q : log_)
      if (q.rfind("UPDATE", 0) == 0) out.push_back(set_columns(q));
    return out;
  }

  using Cols = std::vector<std::vector<std::string>>;

  Rec seed() {
    Rec r;
    r.name = "ab";
    r.note = "a note";
    r.count = 7;
    r.score = 1.5;
    r.mood = Mood::cheerful;
    r.tags = {"x", "y"};
    r.meta = {{"a", 1}};
    r.at = kAt;
    strata::Session s{engine_};
    s.add(r);
    s.commit();
    return r;
  }

  int count_ = 0;
  std::vector<std::string> log_;
  strata::Engine engine_ = strata::create_engine("sqlite://");
};

TEST_P(SnapshotTest, EachSlotKindUpdatesOnlyItsColumnFlushAfterFlush) {
  const Rec seeded = seed();
  strata::Session s{engine_};
  auto r = s.get<Rec>(seeded.id);
  ASSERT_NE(r, nullptr);
  EXPECT_FALSE(s.is_modified(r));
  EXPECT_EQ(flush_updates(s), Cols{});

  auto step = [&](auto change, const std::string& column) {
    change(*r);
    EXPECT_TRUE(s.is_modified(r)) << column;
    EXPECT_EQ(flush_updates(s), (Cols{{column}})) << column;
    EXPECT_FALSE(s.is_modified(r)) << column;
    EXPECT_EQ(flush_updates(s), Cols{}) << column << ": a second flush has nothing to write";
  };
  step([](Rec& x) { x.name = "a much longer name than before"; }, "name");  // grows: new bytes
  step([](Rec& x) { x.name = "short"; }, "name");                           // shrinks: same bytes
  step([](Rec& x) { x.name = ""; }, "name");                                // empty
  step([](Rec& x) { x.name = "longer again, past the first"; }, "name");
  step([](Rec& x) { x.note.reset(); }, "note");                       // becomes std::nullopt
  step([](Rec& x) { x.note = ""; }, "note");                          // engaged, empty
  step([](Rec& x) { x.note = "engaged again"; }, "note");
  step([](Rec& x) { x.count = -3; }, "count");
  step([](Rec& x) { x.score = 2.25; }, "score");
  step([](Rec& x) { x.mood = Mood::angry; }, "mood");
  step([](Rec& x) { x.tags.push_back("z"); }, "tags");
  step([](Rec& x) { x.tags.clear(); }, "tags");
  step([](Rec& x) { x.meta["b"] = "two"; }, "meta");
  step([](Rec& x) { x.at += std::chrono::minutes{90}; }, "at");
  step([](Rec& x) { x.rank = 4; }, "rank");
  step([](Rec& x) { x.rank.reset(); }, "rank");

  // Two members at once, then a change undone before the flush.
  r->count = 100;
  r->note = "both";
  EXPECT_EQ(flush_updates(s), (Cols{{"note", "count"}}));
  r->name = "temporary";
  r->name = "longer again, past the first";
  EXPECT_FALSE(s.is_modified(r));
  EXPECT_EQ(flush_updates(s), Cols{});
  s.commit();

  strata::Session fresh{engine_};
  auto back = fresh.get<Rec>(seeded.id);
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->name, "longer again, past the first");
  EXPECT_EQ(back->note, std::optional<std::string>("both"));
  EXPECT_EQ(back->count, 100);
  EXPECT_EQ(back->score, 2.25);
  EXPECT_EQ(back->mood, Mood::angry);
  EXPECT_TRUE(back->tags.empty());
  EXPECT_EQ(back->meta, (strata::Json{{"a", 1}, {"b", "two"}}));
  EXPECT_EQ(back->at, kAt + std::chrono::minutes{90});
  EXPECT_EQ(back->rank, std::nullopt);
}

TEST_P(SnapshotTest, OnlyTheChangedObjectOfManyIsUpdated) {
  {
    strata::Session s{engine_};
    for (int i = 0; i < 40; ++i) {
      Rec r;
      r.name = "row " + std::to_string(i);
      r.count = i;
      s.add(r);
    }
    s.commit();
  }
  strata::Session s{engine_};
  auto all = s.exec(select<Rec>().order_by(col(&Rec::count))).all();
  ASSERT_EQ(all.size(), 40u);
  for (const auto& r : all) EXPECT_FALSE(s.is_modified(r));
  all[17]->name = "row seventeen, renamed";
  all[33]->tags = {"t"};
  EXPECT_TRUE(s.is_modified(all[17]));
  EXPECT_FALSE(s.is_modified(all[18]));
  EXPECT_EQ(flush_updates(s), (Cols{{"name"}, {"tags"}}));
  s.commit();

  auto c = engine_.connect();
  EXPECT_EQ(c.execute(sql("SELECT count FROM rec WHERE name = ?"), {strata::Value("row seventeen, renamed")}).scalar(),
            strata::Value(std::int64_t{17}));
  EXPECT_EQ(c.execute("SELECT count(*) FROM rec WHERE name LIKE 'row %'").scalar(), strata::Value(std::int64_t{40}));
}

TEST_P(SnapshotTest, StringPrimaryKeyFromTheImageInTheWhere) {
  {
    strata::Session s{engine_};
    s.add(Code{"a-rather-long-primary-key-value-0001", "first", 0});
    s.add(Code{"b", "second", 0});
    s.commit();
  }
  strata::Session s{engine_};
  auto a = s.get<Code>(std::string("a-rather-long-primary-key-value-0001"));
  auto b = s.get<Code>(std::string("b"));
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  a->label = "first, relabelled";
  b->uses = 2;
  EXPECT_EQ(flush_updates(s), (Cols{{"label"}, {"uses"}}));
  a->uses = 5;
  EXPECT_EQ(flush_updates(s), (Cols{{"uses"}}));
  // Changing the key of a persistent object is refused, as before.
  b->code = "c";
  EXPECT_THROW(s.flush(), strata::InvalidRequestError);
  s.rollback();

  auto c = engine_.connect();
  auto row = c.execute(sql("SELECT label, uses FROM code WHERE code = ?"),
                       {strata::Value("a-rather-long-primary-key-value-0001")})
                 .one();
  EXPECT_EQ(row[0], strata::Value("first"));  // rolled back with the failed flush
  strata::Session ok{engine_};
  auto a2 = ok.get<Code>(std::string("a-rather-long-primary-key-value-0001"));
  ASSERT_NE(a2, nullptr);
  a2->label = "relabelled";
  a2->uses = 9;
  ok.commit();
  row = c.execute(sql("SELECT label, uses FROM code WHERE code = ?"),
                  {strata::Value("a-rather-long-primary-key-value-0001")})
            .one();
  EXPECT_EQ(row[0], strata::Value("relabelled"));
  EXPECT_EQ(row[1], strata::Value(std::int64_t{9}));
  EXPECT_EQ(c.execute("SELECT uses FROM code WHERE code = 'b'").scalar(), strata::Value(std::int64_t{0}));
}

TEST_P(SnapshotTest, InsertedObjectsGetAnImageAtFlush) {
  strata::Session s{engine_};
  Note n;
  n.title = "draft";
  auto p = s.add(n);
  EXPECT_FALSE(s.is_modified(p));  // pending: never modified
  s.flush();
  EXPECT_GT(p->id, 0);
  EXPECT_FALSE(s.is_modified(p));
  p->title = "final title, longer";
  EXPECT_TRUE(s.is_modified(p));
  EXPECT_EQ(flush_updates(s), (Cols{{"title"}}));
  p->body = "text";
  p->version = 2;
  EXPECT_EQ(flush_updates(s), (Cols{{"body", "version"}}));
  EXPECT_EQ(flush_updates(s), Cols{});
  s.commit();

  strata::Session fresh{engine_};
  auto back = fresh.get<Note>(p->id);
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->title, "final title, longer");
  EXPECT_EQ(back->body, std::optional<std::string>("text"));
  EXPECT_EQ(back->version, 2);
  // Base members of a loaded object are tracked too.
  back->body.reset();
  EXPECT_TRUE(fresh.is_modified(back));
  EXPECT_EQ(flush_updates(fresh), (Cols{{"body"}}));
  fresh.commit();
  auto c = engine_.connect();
  EXPECT_TRUE(c.execute(sql("SELECT body FROM note WHERE id = ?"), {strata::Value(p->id)}).scalar().is_null());
}

TEST_P(SnapshotTest, ImagesAfterExpungeAllRefreshAndRollback) {
  const Rec seeded = seed();
  strata::Session s{engine_};
  auto r = s.get<Rec>(seeded.id);
  ASSERT_NE(r, nullptr);
  r->name = "changed, then expunged";
  s.expunge_all();  // the images are gone with the objects
  EXPECT_EQ(flush_updates(s), Cols{});
  auto again = s.get<Rec>(seeded.id);
  ASSERT_NE(again, nullptr);
  EXPECT_NE(again, r);
  EXPECT_EQ(again->name, "ab");
  again->tags.push_back("after expunge_all");
  EXPECT_EQ(flush_updates(s), (Cols{{"tags"}}));

  s.commit();

  // refresh() rewrites the image from the row.
  {
    auto c = engine_.connect();
    c.execute(sql("UPDATE rec SET count = 99 WHERE name = ?"), {strata::Value("ab")}).rows_affected();
  }
  s.refresh(again);
  EXPECT_EQ(again->count, 99);
  EXPECT_FALSE(s.is_modified(again));
  again->count = 98;
  EXPECT_EQ(flush_updates(s), (Cols{{"count"}}));
  s.rollback();  // forgets every object (and image)
  auto third = s.get<Rec>(seeded.id);
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(third->count, 99);
  EXPECT_EQ(third->tags, (strata::StringList{"x", "y", "after expunge_all"}));
  EXPECT_FALSE(s.is_modified(third));
}

STRATA_INSTANTIATE_BACKENDS(SnapshotTest);

}  // namespace
