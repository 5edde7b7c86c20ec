// sql::bind_markers: the '?' and "$n" markers of a SQL text, never inside
// quotes, dollar quotes or comments.
#include <gtest/gtest.h>

#include "strata/sql/text.hpp"

namespace {

using strata::sql::bind_markers;

TEST(BindMarkers, QuestionMarksAreNumberedInOrder) {
  const auto m = bind_markers("UPDATE t SET a = ?, b = ? WHERE c = ?");
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].pos, 17u);
  EXPECT_EQ(m[2].index, 2u);
  EXPECT_FALSE(m[1].numbered);
  EXPECT_EQ(m[1].length, 1u);
}

TEST(BindMarkers, DollarNumbersStandForTheirParameter) {
  const auto m = bind_markers("SELECT $2, $1, $10");
  ASSERT_EQ(m.size(), 3u);
  EXPECT_TRUE(m[0].numbered);
  EXPECT_EQ(m[0].index, 1u);
  EXPECT_EQ(m[1].index, 0u);
  EXPECT_EQ(m[2].index, 9u);
  EXPECT_EQ(m[2].length, 3u);
}

TEST(BindMarkers, NothingInsideQuotesOrComments) {
  EXPECT_TRUE(bind_markers("SELECT '?', \"a?\", E'\\'?', $$ ? $1 $$, $t$ ? $t$ -- ?\n /* ? /* ? */ ? */").empty());
  EXPECT_EQ(bind_markers("SELECT 'it''s' || ? -- trailing ?").size(), 1u);
  EXPECT_TRUE(bind_markers("SELECT a$1 FROM t").empty());  // part of an identifier
}

}  // namespace
