// ScriptDirectory and STRATA_REVISION: registry of compiled revisions.
#include <gtest/gtest.h>

#include "strata/migrate/script.hpp"

namespace {

void global_up(strata::migrate::Operations& op) { op.execute("SELECT 1"); }
void global_down(strata::migrate::Operations& op) { op.execute("SELECT 2"); }

}  // namespace

// As in a revision file (the id is unlikely to clash with anything else in this binary).
STRATA_REVISION(rev_5c1f00d5cafe, {.id = "5c1f00d5cafe", .message = "registered by macro",
                                   .create_date = "2026-11-21 10:00:00"},
                global_up, global_down)

namespace strata::migrate {
namespace {

Script make(std::string id, std::vector<std::string> down = {}) {
  Revision r{.id = id, .down_revisions = std::move(down), .message = "msg " + id};
  return Script{std::move(r), [id](Operations& op) { op.execute("UP " + id); },
                [id](Operations& op) { op.execute("DOWN " + id); }};
}

TEST(ScriptDirectory, MacroRegistersInGlobal) {
  const Script& s = ScriptDirectory::global().get("5c1f00d5cafe");
  EXPECT_EQ(s.revision.message, "registered by macro");
  EXPECT_EQ(s.revision.create_date, "2026-11-21 10:00:00");
  auto up = ScriptDirectory::global().upgrade_ops("5c1f00d5cafe");
  ASSERT_EQ(up.size(), 1u);
  EXPECT_EQ(std::get<ops::Execute>(up[0]).sql, "SELECT 1");
  auto down = ScriptDirectory::global().downgrade_ops("5c1f00d5cafe");
  EXPECT_EQ(std::get<ops::Execute>(down[0]).sql, "SELECT 2");
}

TEST(ScriptDirectory, AddGetAndTopologicalOrder) {
  ScriptDirectory dir;
  dir.add(make("c3", {"b2"}));
  dir.add(make("a1"));
  dir.add(make("b2", {"a1"}));
  EXPECT_EQ(dir.size(), 3u);
  std::vector<std::string> ids;
  for (const Script* s : dir.scripts()) ids.push_back(s->revision.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"a1", "b2", "c3"}));
  EXPECT_EQ(dir.map().get_current_head()->id, "c3");
  EXPECT_EQ(std::get<ops::Execute>(dir.upgrade_ops("b2").at(0)).sql, "UP b2");
  EXPECT_EQ(std::get<ops::Execute>(dir.downgrade_ops("b2").at(0)).sql, "DOWN b2");
}

TEST(ScriptDirectory, DuplicateAndUnknown) {
  ScriptDirectory dir;
  dir.add(make("a1"));
  try {
    dir.add(make("a1"));
    FAIL() << "expected DuplicateRevision";
  } catch (const DuplicateRevision& e) {
    EXPECT_EQ(e.revision(), "a1");
  }
  EXPECT_THROW(dir.get("a"), UnknownRevision);  // full ids only
  EXPECT_THROW(dir.upgrade_ops("zz"), UnknownRevision);
}

TEST(ScriptDirectory, MapErrorsAndRebuildAfterAdd) {
  ScriptDirectory dir;
  dir.add(make("b2", {"a1"}));
  EXPECT_THROW(dir.map(), UnknownRevision);  // a1 is not compiled in
  dir.add(make("a1"));
  EXPECT_EQ(dir.map().size(), 2u);
  ScriptDirectory copy = dir;
  EXPECT_EQ(copy.map().get_current_head()->id, "b2");
}

TEST(ScriptDirectory, EmptyFunctionsRecordNothing) {
  ScriptDirectory dir;
  dir.add(Script{Revision{.id = "a1"}, {}, {}});
  EXPECT_TRUE(dir.upgrade_ops("a1").empty());
  EXPECT_TRUE(dir.downgrade_ops("a1").empty());
}

}  // namespace
}  // namespace strata::migrate
