// Revision graph tests: every graph is built in memory, as Alembic's
// tests/test_revision.py does. No files, no database.
#include "strata/migrate/revision.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

namespace {

using strata::migrate::AmbiguousRevision;
using strata::migrate::CycleDetected;
using strata::migrate::DuplicateBranchLabel;
using strata::migrate::DuplicateRevision;
using strata::migrate::MultipleHeads;
using strata::migrate::RangeNotAncestor;
using strata::migrate::Revision;
using strata::migrate::RevisionError;
using strata::migrate::RevisionMap;
using strata::migrate::UnknownRevision;
using Ids = std::vector<std::string>;

Revision rev(std::string id, Ids down = {}, Ids labels = {}, Ids depends_on = {}) {
  return Revision{.id = std::move(id),
                  .down_revisions = std::move(down),
                  .branch_labels = std::move(labels),
                  .depends_on = std::move(depends_on),
                  .message = {},
                  .create_date = {}};
}

Ids ids(const std::vector<const Revision*>& revs) {
  Ids out;
  for (const Revision* r : revs) out.push_back(r->id);
  return out;
}

// Runs `f`, expects it to throw E, and returns the exception for field checks.
template <class E, class F>
E thrown(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "threw another exception: " << e.what();
    throw;
  }
  ADD_FAILURE() << "did not throw";
  throw std::logic_error("did not throw");
}

// a <- b <- c <- d <- e
RevisionMap linear() {
  return RevisionMap({rev("a"), rev("b", {"a"}), rev("c", {"b"}), rev("d", {"c"}), rev("e", {"d"})});
}

// a <- b <- c1
//        \<- d1       (b is a branch point; heads c1 and d1)
RevisionMap branched() {
  return RevisionMap({rev("a"), rev("b", {"a"}), rev("c1", {"b"}), rev("d1", {"b"})});
}

// a <- b1 <--- m <- n   (m merges b1 and c1); deliberately given out of order.
//  \<- c1 <-/
RevisionMap merged() {
  return RevisionMap({rev("m", {"b1", "c1"}), rev("n", {"m"}), rev("c1", {"a"}), rev("a"),
                      rev("b1", {"a"})});
}

// ---------------------------------------------------------------- plain data

TEST(RevisionData, PlainAggregateWithEquality) {
  Revision r = rev("a1b2", {"c3d4", "e5f6"});
  EXPECT_EQ(r, rev("a1b2", {"c3d4", "e5f6"}));
  EXPECT_NE(r, rev("a1b2", {"c3d4"}));
  EXPECT_TRUE(r.is_merge_point());
  EXPECT_FALSE(r.is_base());
  EXPECT_TRUE(rev("x").is_base());
}

TEST(RevisionData, NewRevisionIdIsTwelveLowercaseHexDigits) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = strata::migrate::new_revision_id();
    ASSERT_EQ(id.size(), 12u);
    for (char c : id) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

// ---------------------------------------------------------------- linear chains

TEST(RevisionMap, EmptyMapIsAtBase) {
  RevisionMap map;
  EXPECT_TRUE(map.empty());
  EXPECT_TRUE(map.heads().empty());
  EXPECT_TRUE(map.bases().empty());
  EXPECT_EQ(map.get_current_head(), nullptr);
  EXPECT_EQ(map.get("head"), nullptr);
  EXPECT_EQ(map.get("base"), nullptr);
  EXPECT_TRUE(map.resolve("heads").empty());
  EXPECT_TRUE(map.upgrade_path({}, "heads").empty());
  EXPECT_TRUE(map.downgrade_path({}, "base").empty());
}

TEST(RevisionMap, LinearChainStructure) {
  RevisionMap map = linear();
  EXPECT_EQ(map.size(), 5u);
  EXPECT_EQ(ids(map.heads()), (Ids{"e"}));
  EXPECT_EQ(ids(map.bases()), (Ids{"a"}));
  EXPECT_EQ(map.get_current_head()->id, "e");
  EXPECT_EQ(ids(map.topological_order()), (Ids{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(map.history_order(), (Ids{"e", "d", "c", "b", "a"}));
  EXPECT_TRUE(map.branch_points().empty());
  EXPECT_TRUE(map.merge_points().empty());
  EXPECT_EQ(ids(map.ancestors("c")), (Ids{"a", "b"}));
  EXPECT_EQ(ids(map.descendants("c")), (Ids{"d", "e"}));
  EXPECT_EQ(ids(map.children("c")), (Ids{"d"}));
  EXPECT_TRUE(map.is_ancestor("a", "e"));
  EXPECT_FALSE(map.is_ancestor("e", "a"));
  EXPECT_FALSE(map.is_ancestor("c", "c"));
  EXPECT_EQ(map.find("c")->id, "c");
  EXPECT_EQ(map.find("zz"), nullptr);
}

TEST(RevisionMap, LinearUpgradePaths) {
  RevisionMap map = linear();
  EXPECT_EQ(ids(map.upgrade_path({}, "head")), (Ids{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(ids(map.upgrade_path({"b"}, "head")), (Ids{"c", "d", "e"}));
  EXPECT_EQ(ids(map.upgrade_path({"b"}, "d")), (Ids{"c", "d"}));
  EXPECT_EQ(ids(map.upgrade_path({"b"}, "heads")), (Ids{"c", "d", "e"}));
  EXPECT_TRUE(map.upgrade_path({"e"}, "head").empty());
  EXPECT_TRUE(map.upgrade_path({"c"}, "c").empty());
}

TEST(RevisionMap, LinearDowngradePaths) {
  RevisionMap map = linear();
  EXPECT_EQ(ids(map.downgrade_path({"e"}, "b")), (Ids{"e", "d", "c"}));
  EXPECT_EQ(ids(map.downgrade_path({"e"}, "base")), (Ids{"e", "d", "c", "b", "a"}));
  EXPECT_EQ(ids(map.downgrade_path({"c"}, "base")), (Ids{"c", "b", "a"}));
  EXPECT_TRUE(map.downgrade_path({"c"}, "c").empty());
  EXPECT_TRUE(map.downgrade_path({}, "base").empty());
}

TEST(RevisionMap, UpgradeToOlderOrDowngradeToNewerIsRangeNotAncestor) {
  RevisionMap map = linear();
  auto up = thrown<RangeNotAncestor>([&] { map.upgrade_path({"d"}, "b"); });
  EXPECT_EQ(up.lower(), "d");
  EXPECT_EQ(up.upper(), "b");
  EXPECT_STREQ(up.what(), "Revision 'd' is not an ancestor of revision 'b'");

  auto to_base = thrown<RangeNotAncestor>([&] { map.upgrade_path({"b"}, "base"); });
  EXPECT_STREQ(to_base.what(), "Revision 'b' is not an ancestor of revision base");
  EXPECT_THROW(map.upgrade_path({"b"}, "-1"), RangeNotAncestor);

  auto down = thrown<RangeNotAncestor>([&] { map.downgrade_path({"b"}, "d"); });
  EXPECT_EQ(down.lower(), "d");
  EXPECT_EQ(down.upper(), "b");
  auto from_base = thrown<RangeNotAncestor>([&] { map.downgrade_path({}, "a"); });
  EXPECT_STREQ(from_base.what(), "Revision 'a' is not an ancestor of revision base");
}

// ---------------------------------------------------------------- branches

TEST(RevisionMap, TwoHeadsMultipleHeadsForHeadButNotHeads) {
  RevisionMap map = branched();
  EXPECT_EQ(ids(map.heads()), (Ids{"c1", "d1"}));
  EXPECT_EQ(ids(map.branch_points()), (Ids{"b"}));
  EXPECT_EQ(ids(map.children("b")), (Ids{"c1", "d1"}));

  auto e = thrown<MultipleHeads>([&] { map.get_current_head(); });
  EXPECT_EQ(e.heads(), (Ids{"c1", "d1"}));
  EXPECT_STREQ(e.what(), "Multiple heads are present: c1, d1; specify a head or use 'heads'");

  auto up = thrown<MultipleHeads>([&] { map.upgrade_path({}, "head"); });
  EXPECT_EQ(up.heads(), (Ids{"c1", "d1"}));
  EXPECT_EQ(up.argument(), "head");
  EXPECT_STREQ(up.what(),
               "Multiple heads are present for 'head': c1, d1; specify a head or use 'heads'");
  EXPECT_THROW(map.get("head"), MultipleHeads);
  EXPECT_THROW(map.get("heads"), MultipleHeads);

  EXPECT_EQ(ids(map.upgrade_path({}, "heads")), (Ids{"a", "b", "c1", "d1"}));
  EXPECT_EQ(ids(map.upgrade_path({"c1"}, "heads")), (Ids{"d1"}));
  EXPECT_EQ(ids(map.upgrade_path({"c1"}, "d1")), (Ids{"d1"}));  // opens the second head
  EXPECT_EQ(ids(map.upgrade_path({"a"}, "c1")), (Ids{"b", "c1"}));
  EXPECT_EQ(ids(map.topological_order()), (Ids{"a", "b", "c1", "d1"}));
  EXPECT_EQ(map.history_order(), (Ids{"d1", "c1", "b", "a"}));
}

TEST(RevisionMap, BranchDowngradeKeepsOtherHeadsWhenPossible) {
  RevisionMap map = branched();
  EXPECT_EQ(ids(map.downgrade_path({"c1", "d1"}, "b")), (Ids{"d1", "c1"}));
  EXPECT_EQ(ids(map.downgrade_path({"c1", "d1"}, "base")), (Ids{"d1", "c1", "b", "a"}));
  EXPECT_TRUE(map.downgrade_path({"c1", "d1"}, "c1").empty());
  EXPECT_THROW(map.downgrade_path({"c1", "d1"}, "-1"), MultipleHeads);
  EXPECT_EQ(ids(map.downgrade_path({"c1", "d1"}, "c1-1")), (Ids{"d1", "c1"}));
  auto e = thrown<RangeNotAncestor>([&] { map.downgrade_path({"c1"}, "d1"); });
  EXPECT_EQ(e.lower(), "d1");
  EXPECT_EQ(e.upper(), "c1");

  // Two independent roots: downgrading one line leaves the other alone.
  RevisionMap roots({rev("x1"), rev("x2", {"x1"}), rev("y1"), rev("y2", {"y1"})});
  EXPECT_EQ(ids(roots.bases()), (Ids{"x1", "y1"}));
  EXPECT_EQ(ids(roots.downgrade_path({"x2", "y2"}, "x1")), (Ids{"x2"}));
}

// ---------------------------------------------------------------- merges

TEST(RevisionMap, MergePointComesAfterAllItsParents) {
  RevisionMap map = merged();
  EXPECT_EQ(ids(map.merge_points()), (Ids{"m"}));
  EXPECT_EQ(ids(map.branch_points()), (Ids{"a"}));
  EXPECT_EQ(ids(map.heads()), (Ids{"n"}));
  EXPECT_EQ(map.get_current_head()->id, "n");
  // Input order puts c1 before b1, so that branch is placed first; m waits for both.
  EXPECT_EQ(ids(map.topological_order()), (Ids{"a", "c1", "b1", "m", "n"}));
  EXPECT_EQ(map.history_order(), (Ids{"n", "m", "b1", "c1", "a"}));
  EXPECT_EQ(ids(map.upgrade_path({}, "head")), (Ids{"a", "c1", "b1", "m", "n"}));
  EXPECT_EQ(ids(map.upgrade_path({"b1"}, "head")), (Ids{"c1", "m", "n"}));
  EXPECT_EQ(ids(map.upgrade_path({"b1", "c1"}, "m")), (Ids{"m"}));
  EXPECT_EQ(ids(map.ancestors("m")), (Ids{"a", "c1", "b1"}));
}

TEST(RevisionMap, MergeDowngrades) {
  RevisionMap map = merged();
  EXPECT_EQ(ids(map.downgrade_path({"n"}, "-1")), (Ids{"n"}));
  EXPECT_EQ(ids(map.downgrade_path({"n"}, "b1")), (Ids{"n", "m"}));  // c1 stays applied
  EXPECT_EQ(ids(map.downgrade_path({"n"}, "a")), (Ids{"n", "m", "b1", "c1"}));
  EXPECT_EQ(ids(map.downgrade_path({"n"}, "base")), (Ids{"n", "m", "b1", "c1", "a"}));
  auto e = thrown<RevisionError>([&] { map.downgrade_path({"n"}, "-2"); });
  EXPECT_NE(std::string(e.what()).find("'m' is a merge point of b1, c1"), std::string::npos)
      << e.what();
}

// ---------------------------------------------------------------- labels

// a <- b [feature] <- c
//  \<- x [other] <- y        z depends on the "feature" label
RevisionMap labelled() {
  return RevisionMap({rev("a"), rev("b", {"a"}, {"feature"}), rev("c", {"b"}), rev("x", {"a"}, {"other"}),
                      rev("y", {"x"}), rev("z", {"y"}, {}, {"feature"})});
}

TEST(RevisionLabels, LabelsResolve) {
  RevisionMap map = labelled();
  EXPECT_EQ(map.get("feature")->id, "b");
  EXPECT_EQ(map.get("feature@head")->id, "c");
  EXPECT_EQ(ids(map.resolve("other@head")), (Ids{"z"}));
  EXPECT_EQ(ids(map.resolve("feature@heads")), (Ids{"c"}));
  EXPECT_EQ(map.get_current_head("feature")->id, "c");
  EXPECT_EQ(map.get("feature@c")->id, "c");
  EXPECT_EQ(map.get("feature@a")->id, "a");  // history below the label belongs to the branch
  EXPECT_EQ(map.get("feature@head-1")->id, "b");
  EXPECT_THROW(map.get("feature@y"), RevisionError);
  EXPECT_THROW(map.get("nolabel@head"), UnknownRevision);
  EXPECT_THROW(map.get("feature@base"), RevisionError);
  EXPECT_THROW(map.get_current_head(), MultipleHeads);
}

TEST(RevisionLabels, LabelTargetsAndDependencies) {
  RevisionMap map = labelled();
  EXPECT_EQ(ids(map.heads()), (Ids{"c", "z"}));  // depends_on does not merge
  EXPECT_EQ(ids(map.upgrade_path({}, "feature@head")), (Ids{"a", "b", "c"}));
  // z needs b (through the label) but not c.
  EXPECT_EQ(ids(map.upgrade_path({}, "other@head")), (Ids{"a", "b", "x", "y", "z"}));
  EXPECT_EQ(ids(map.upgrade_path({"c"}, "other@head")), (Ids{"x", "y", "z"}));
  EXPECT_TRUE(map.is_ancestor("b", "z"));
  EXPECT_FALSE(map.is_ancestor("c", "z"));
  // Downgrading below b unapplies z, which depends on it.
  EXPECT_EQ(ids(map.downgrade_path({"c", "z"}, "a")), (Ids{"z", "y", "x", "c", "b"}));
  // Relative within a branch: from the current head on that branch.
  EXPECT_EQ(map.resolve("feature@+1", {"b", "y"}).front()->id, "c");
  EXPECT_EQ(map.resolve("other@-1", {"c", "y"}).front()->id, "x");
  // From the branch point a, the label picks which child to step to.
  EXPECT_EQ(map.resolve("other@+1", {"a"}).front()->id, "x");
  EXPECT_THROW(map.resolve("+1", {"a"}), RevisionError);
}

TEST(RevisionLabels, DuplicateLabelsAreRejected) {
  auto twice = thrown<DuplicateBranchLabel>(
      [] { RevisionMap({rev("a", {}, {"feat"}), rev("b", {"a"}, {"feat"})}); });
  EXPECT_EQ(twice.label(), "feat");
  EXPECT_EQ(twice.revisions(), (Ids{"a", "b"}));
  EXPECT_STREQ(twice.what(), "Branch label 'feat' is used by revisions 'a' and 'b'");

  auto id = thrown<DuplicateBranchLabel>([] { RevisionMap({rev("a"), rev("b", {"a"}, {"a"})}); });
  EXPECT_EQ(id.revisions(), (Ids{"b", "a"}));
  EXPECT_THROW(RevisionMap({rev("a", {}, {"x@y"})}), RevisionError);
}

// ---------------------------------------------------------------- partial ids

TEST(RevisionPartialIds, UniquePrefixResolves) {
  RevisionMap map({rev("3f2a9c1d0b7e"), rev("3f2b00000000", {"3f2a9c1d0b7e"}),
                   rev("9a1b2c3d4e5f", {"3f2b00000000"}), rev("abcd", {"9a1b2c3d4e5f"}),
                   rev("abcdef", {"abcd"})});
  EXPECT_EQ(map.get("9a")->id, "9a1b2c3d4e5f");
  EXPECT_EQ(map.get("3f2a")->id, "3f2a9c1d0b7e");
  EXPECT_EQ(map.get("3f2a9c1d0b7e")->id, "3f2a9c1d0b7e");
  EXPECT_EQ(map.get("abcd")->id, "abcd");  // an exact id wins over longer ids it prefixes
  EXPECT_EQ(map.get("abcde")->id, "abcdef");
  EXPECT_EQ(ids(map.upgrade_path({"3f2a"}, "9a1b")), (Ids{"3f2b00000000", "9a1b2c3d4e5f"}));
  EXPECT_EQ(map.get("9a1b+1")->id, "abcd");
  EXPECT_TRUE(map.is_ancestor("3f2a", "9a"));
}

TEST(RevisionPartialIds, AmbiguousAndUnknown) {
  RevisionMap map({rev("3f2a9c1d0b7e"), rev("3f2b00000000", {"3f2a9c1d0b7e"})});
  auto e = thrown<AmbiguousRevision>([&] { map.get("3f2"); });
  EXPECT_EQ(e.prefix(), "3f2");
  EXPECT_EQ(e.candidates(), (Ids{"3f2a9c1d0b7e", "3f2b00000000"}));
  EXPECT_STREQ(e.what(), "Multiple revisions start with '3f2': 3f2a9c1d0b7e, 3f2b00000000");
  EXPECT_THROW(map.upgrade_path({}, "3f"), AmbiguousRevision);
  EXPECT_THROW(map.upgrade_path({"3f"}, "head"), AmbiguousRevision);

  auto u = thrown<UnknownRevision>([&] { map.get("ffff"); });
  EXPECT_EQ(u.revision(), "ffff");
  EXPECT_EQ(u.referenced_by(), "");
  EXPECT_STREQ(u.what(), "No such revision or branch 'ffff'");
  EXPECT_THROW(map.get(""), UnknownRevision);
  // A version table naming a revision the scripts do not have.
  EXPECT_THROW(map.upgrade_path({"deadbeef0000"}, "head"), UnknownRevision);
}

// ---------------------------------------------------------------- relative targets

TEST(RevisionRelative, FromCurrentAndFromSymbols) {
  RevisionMap map = linear();
  EXPECT_EQ(ids(map.resolve("+1", {"b"})), (Ids{"c"}));
  EXPECT_EQ(ids(map.resolve("-1", {"c"})), (Ids{"b"}));
  EXPECT_EQ(ids(map.resolve("+2", {})), (Ids{"b"}));
  EXPECT_TRUE(map.resolve("-1", {"a"}).empty());  // down to base
  EXPECT_EQ(ids(map.resolve("head-1")), (Ids{"d"}));
  EXPECT_EQ(ids(map.resolve("heads-2")), (Ids{"c"}));
  EXPECT_EQ(ids(map.resolve("base+1")), (Ids{"a"}));
  EXPECT_EQ(ids(map.resolve("base+2")), (Ids{"b"}));
  EXPECT_EQ(ids(map.resolve("b+2")), (Ids{"d"}));
  EXPECT_EQ(ids(map.resolve("c-1")), (Ids{"b"}));
  EXPECT_EQ(ids(map.resolve("c+0")), (Ids{"c"}));
  EXPECT_EQ(map.get("head-4"), map.topological_order().front());
}

TEST(RevisionRelative, PathsWithRelativeTargets) {
  RevisionMap map = linear();
  EXPECT_EQ(ids(map.upgrade_path({"b"}, "+2")), (Ids{"c", "d"}));
  EXPECT_EQ(ids(map.upgrade_path({}, "+1")), (Ids{"a"}));
  EXPECT_EQ(ids(map.downgrade_path({"e"}, "-2")), (Ids{"e", "d"}));
  EXPECT_EQ(ids(map.downgrade_path({"e"}, "head-1")), (Ids{"e"}));
  EXPECT_EQ(ids(map.downgrade_path({"b"}, "-2")), (Ids{"b", "a"}));
  EXPECT_EQ(ids(map.upgrade_path({}, "base+2")), (Ids{"a", "b"}));
}

TEST(RevisionRelative, OverwalkAndAmbiguousWalks) {
  RevisionMap map = linear();
  auto past_base = thrown<RevisionError>([&] { map.resolve("-3", {"b"}); });
  EXPECT_STREQ(past_base.what(), "Relative revision '-3' goes past base");
  auto past_head = thrown<RevisionError>([&] { map.resolve("+1", {"e"}); });
  EXPECT_STREQ(past_head.what(), "Relative revision '+1' goes past head 'e'");
  EXPECT_THROW(map.resolve("head+1"), RevisionError);
  EXPECT_THROW(map.resolve("c-x"), UnknownRevision);
  EXPECT_THROW(map.resolve("c+"), UnknownRevision);

  RevisionMap br = branched();
  auto amb = thrown<RevisionError>([&] { br.resolve("+1", {"b"}); });
  EXPECT_STREQ(amb.what(),
               "Ambiguous walk for '+1': 'b' is followed by c1, d1; name a revision or a branch label");
  auto heads = thrown<MultipleHeads>([&] { br.resolve("+1", {"c1", "d1"}); });
  EXPECT_EQ(heads.heads(), (Ids{"c1", "d1"}));
  EXPECT_EQ(heads.argument(), "+1");
  EXPECT_THROW(br.resolve("head-1"), MultipleHeads);
  EXPECT_EQ(ids(br.resolve("d1-1")), (Ids{"b"}));
}

// ---------------------------------------------------------------- validation

TEST(RevisionValidation, CycleNamesExactlyTheRevisionsOnIt) {
  // d is fine, e only descends from the cycle a -> c -> b -> a.
  auto e = thrown<CycleDetected>([] {
    RevisionMap({rev("d"), rev("a", {"c"}), rev("b", {"a"}), rev("c", {"b"}), rev("e", {"a"})});
  });
  EXPECT_EQ(e.revisions(), (Ids{"a", "c", "b"}));
  EXPECT_STREQ(e.what(), "Cycle is detected in revisions: a, c, b");

  auto self = thrown<CycleDetected>([] { RevisionMap({rev("a", {"a"})}); });
  EXPECT_EQ(self.revisions(), (Ids{"a"}));

  auto through_dependency =
      thrown<CycleDetected>([] { RevisionMap({rev("a", {}, {}, {"b"}), rev("b", {"a"})}); });
  EXPECT_EQ(through_dependency.revisions(), (Ids{"a", "b"}));
}

TEST(RevisionValidation, UnknownReferences) {
  auto down = thrown<UnknownRevision>([] { RevisionMap({rev("a"), rev("b", {"zz"})}); });
  EXPECT_EQ(down.revision(), "zz");
  EXPECT_EQ(down.referenced_by(), "b");
  EXPECT_STREQ(down.what(), "Revision 'b' has unknown down_revision 'zz'");

  auto dep = thrown<UnknownRevision>([] { RevisionMap({rev("a"), rev("b", {"a"}, {}, {"qq"})}); });
  EXPECT_STREQ(dep.what(), "Revision 'b' has unknown depends_on 'qq'");
}

TEST(RevisionValidation, DuplicateAndMalformedIds) {
  auto dup = thrown<DuplicateRevision>([] { RevisionMap({rev("a"), rev("b", {"a"}), rev("a")}); });
  EXPECT_EQ(dup.revision(), "a");
  EXPECT_STREQ(dup.what(), "Revision 'a' is present more than once");
  EXPECT_THROW(RevisionMap({rev("")}), RevisionError);
  EXPECT_THROW(RevisionMap({rev("a-b")}), RevisionError);
  EXPECT_THROW(RevisionMap({rev("a+b")}), RevisionError);
  EXPECT_THROW(RevisionMap({rev("head")}), RevisionError);
  EXPECT_THROW(RevisionMap({rev("base")}), RevisionError);
}

TEST(RevisionValidation, ErrorsFormOneTree) {
  RevisionMap map = branched();
  try {
    map.get_current_head();
    FAIL() << "no throw";
  } catch (const strata::Error& e) {
    EXPECT_NE(dynamic_cast<const RevisionError*>(&e), nullptr);
    EXPECT_NE(std::string(e.where().file).find("revision.cpp"), std::string::npos);
  }
}

// ---------------------------------------------------------------- size

std::string nth(int i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "r%05d", i);
  return buf;
}

std::vector<Revision> chain(int n) {
  std::vector<Revision> revs;
  revs.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) revs.push_back(i == 0 ? rev(nth(0)) : rev(nth(i), {nth(i - 1)}));
  return revs;
}

TEST(RevisionSize, TwoHundredRevisionChain) {
  RevisionMap map(chain(200));
  EXPECT_EQ(map.get_current_head()->id, nth(199));
  auto up = map.upgrade_path({nth(49)}, "head");
  ASSERT_EQ(up.size(), 150u);
  EXPECT_EQ(up.front()->id, nth(50));
  EXPECT_EQ(up.back()->id, nth(199));
  auto down = map.downgrade_path({nth(199)}, "-3");
  EXPECT_EQ(ids(down), (Ids{nth(199), nth(198), nth(197)}));
  EXPECT_EQ(map.get("head-199")->id, nth(0));
  EXPECT_EQ(map.history_order().front(), nth(199));
}

TEST(RevisionSize, FiveThousandRevisionsAreFast) {
  const auto start = std::chrono::steady_clock::now();
  // A chain with a side branch every 10 revisions, merged back 3 later.
  std::vector<Revision> revs = chain(5000);
  for (int i = 10; i + 3 < 5000; i += 10) {
    const std::string side = "s" + nth(i);
    revs.push_back(rev(side, {nth(i)}));
    revs[static_cast<std::size_t>(i + 3)].down_revisions.push_back(side);
  }
  RevisionMap map(std::move(revs));
  EXPECT_EQ(map.size(), 5000u + 499u);
  EXPECT_EQ(map.get_current_head()->id, nth(4999));
  EXPECT_EQ(map.upgrade_path({}, "head").size(), map.size());
  EXPECT_EQ(map.downgrade_path({nth(4999)}, "base").size(), map.size());
  EXPECT_EQ(map.upgrade_path({nth(2500)}, "heads").size(), 2499u + 250u);
  EXPECT_EQ(map.get("sr0042")->id, "sr00420");
  EXPECT_THROW(map.get("r0421"), AmbiguousRevision);
  EXPECT_EQ(map.merge_points().size(), 499u);
  EXPECT_EQ(map.history_order().size(), map.size());
  EXPECT_EQ(map.get("r04999-3")->id, nth(4996));
  RevisionMap plain(chain(5000));
  EXPECT_EQ(plain.get("head-4999")->id, nth(0));
  EXPECT_EQ(plain.downgrade_path({nth(4999)}, "-4000").size(), 4000u);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(1));
}

}  // namespace
