// The typed query builder against a real database (a SQLite file and
// PostgreSQL, parametrized) through strata::Session:
// each kind of query returns the right rows, in the right C++ shape.
// (The exact SQL of the same builders is pinned in query_golden_test.cpp.)
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "orm/query_models.hpp"
#include "support/database.hpp"

namespace {

using namespace strata_query_test;
using strata::col;
using strata::count;
using strata::select;

class QueryLive : public strata::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    engine_ = strata::create_engine(url());
    strata::create_all(engine_, strata::model::metadata_of<Person, Post>());
    strata::Session s{engine_};
    add_person(s, "Ada", "ada@x.org", 36, true);
    add_person(s, "Bob", std::nullopt, std::nullopt, true);
    add_person(s, "Cy", "cy@y.com", 17, false);
    add_person(s, "Dee", "dee@x.org", 52, true);
    s.flush();
    uid_[0] = add_post(s, "ada", "Alpha", 1, Status::published, true, 4.5);
    uid_[1] = add_post(s, "ada", "beta", 1, Status::draft, false, 1.0);
    uid_[2] = add_post(s, "bob", "Gamma", 2, Status::archived, false, 2.5);
    uid_[3] = add_post(s, "sys", "delta", std::nullopt, Status::draft, true, 3.0);
    s.commit();
  }

  static void add_person(strata::Session& s, std::string name, std::optional<std::string> email,
                         std::optional<std::int64_t> age, bool active) {
    Person p;
    p.name = std::move(name);
    p.email = std::move(email);
    p.age = age;
    p.active = active;
    s.add(p);
  }
  static strata::Uuid add_post(strata::Session& s, std::string by, std::string title,
                               std::optional<std::int64_t> author, Status status, bool pinned, double score) {
    Post p;
    p.created_by = std::move(by);
    p.uid = strata::Uuid::v4();
    p.title = std::move(title);
    p.author_id = author;
    p.status = status;
    p.pinned = pinned;
    p.score = score;
    return s.add(p)->uid;
  }

  /// Names of the persons matching `where`, by id.
  std::vector<std::string> names(const strata::orm::Predicate& where) {
    strata::Session s{engine_};
    std::vector<std::string> out;
    for (const auto& p : s.exec(select<Person>().where(where).order_by(col(&Person::id))).all())
      out.push_back(p->name);
    return out;
  }
  /// Titles of the posts matching `where`, by id.
  std::vector<std::string> titles(const strata::orm::Predicate& where) {
    strata::Session s{engine_};
    std::vector<std::string> out;
    for (const auto& [t] : s.exec(select(col(&Post::title)).where(where).order_by(col(&Post::id))).all())
      out.push_back(t);
    return out;
  }

  strata::Engine engine_ = strata::create_engine("sqlite://");
  strata::Uuid uid_[4];
};

using Names = std::vector<std::string>;

TEST_P(QueryLive, ComparisonOperators) {
  EXPECT_EQ(names(col(&Person::id) == 2), Names({"Bob"}));
  EXPECT_EQ(names(col(&Person::id) != 2), Names({"Ada", "Cy", "Dee"}));
  EXPECT_EQ(names(col(&Person::id) < 2), Names({"Ada"}));
  EXPECT_EQ(names(col(&Person::id) <= 2), Names({"Ada", "Bob"}));
  EXPECT_EQ(names(col(&Person::id) > 3), Names({"Dee"}));
  EXPECT_EQ(names(col(&Person::id) >= 3), Names({"Cy", "Dee"}));
  EXPECT_EQ(names(col(&Person::id) < 1.5), Names({"Ada"}));  // not truncated to < 1
  const char* who = "Cy";
  EXPECT_EQ(names(col(&Person::name) == who), Names({"Cy"}));
  EXPECT_EQ(names(col(&Person::name) > std::string("Bob")), Names({"Cy", "Dee"}));
}

TEST_P(QueryLive, UuidEnumAndDoubleColumns) {
  EXPECT_EQ(titles(col(&Post::uid) == uid_[2]), Names({"Gamma"}));
  EXPECT_EQ(titles(col(&Post::status) == Status::draft), Names({"beta", "delta"}));
  EXPECT_EQ(titles(col(&Post::status) != Status::draft), Names({"Alpha", "Gamma"}));
  EXPECT_EQ(titles(col(&Post::score) > 2), Names({"Alpha", "Gamma", "delta"}));
}

TEST_P(QueryLive, OptionalColumnsAndNull) {
  // NULL age is neither >= 18 nor < 18.
  EXPECT_EQ(names(col(&Person::age) >= 18), Names({"Ada", "Dee"}));
  EXPECT_EQ(names(col(&Person::age) < 18), Names({"Cy"}));
  EXPECT_EQ(names(col(&Person::email) == std::nullopt), Names({"Bob"}));
  EXPECT_EQ(names(col(&Person::email) == std::optional<std::string>("dee@x.org")), Names({"Dee"}));
  EXPECT_EQ(names(col(&Person::email).is_null()), Names({"Bob"}));
  EXPECT_EQ(names(col(&Person::email).is_not_null()), Names({"Ada", "Cy", "Dee"}));
  EXPECT_EQ(titles(col(&Post::author_id).is_null()), Names({"delta"}));
}

TEST_P(QueryLive, BooleanConnectivesAndBoolColumns) {
  EXPECT_EQ(names(!col(&Person::active)), Names({"Cy"}));
  EXPECT_EQ(names(col(&Person::active)), Names({"Ada", "Bob", "Dee"}));
  EXPECT_EQ(names(col(&Person::active) && col(&Person::age) > 40), Names({"Dee"}));
  EXPECT_EQ(names(col(&Person::name) == "Ada" || col(&Person::name) == "Cy"), Names({"Ada", "Cy"}));
  // SQL's three-valued logic: for Bob, age < 18 is NULL, so NOT (false OR NULL) is NULL.
  EXPECT_EQ(names(!(col(&Person::name) == "Ada" || col(&Person::age) < 18)), Names({"Dee"}));
}

TEST_P(QueryLive, InNotInAndEmptyLists) {
  EXPECT_EQ(names(col(&Person::id).in_({1, 3})), Names({"Ada", "Cy"}));
  EXPECT_EQ(names(col(&Person::name).not_in({"Ada", "Cy"})), Names({"Bob", "Dee"}));
  EXPECT_EQ(titles(col(&Post::status).in_({Status::published, Status::archived})), Names({"Alpha", "Gamma"}));
  EXPECT_EQ(names(col(&Person::id).in_(std::vector<std::int64_t>{})), Names{});
  EXPECT_EQ(names(col(&Person::id).not_in(std::vector<std::int64_t>{})), Names({"Ada", "Bob", "Cy", "Dee"}));
}

TEST_P(QueryLive, LikeIlikeBetween) {
  EXPECT_EQ(titles(col(&Post::title).like("%amm%")), Names({"Gamma"}));
  EXPECT_EQ(titles(col(&Post::title).like("_eta")), Names({"beta"}));
  EXPECT_EQ(titles(col(&Post::title).ilike("ALPHA")), Names({"Alpha"}));
  EXPECT_EQ(names(col(&Person::email).like("%@x.org")), Names({"Ada", "Dee"}));
  EXPECT_EQ(titles(col(&Post::score).between(2, 4)), Names({"Gamma", "delta"}));
  EXPECT_EQ(names(col(&Person::age).between(17, 36)), Names({"Ada", "Cy"}));  // inclusive
}

TEST_P(QueryLive, OrderByLimitOffsetPaginates) {
  strata::Session s{engine_};
  auto page = [&](std::int64_t n) {
    Names out;
    for (const auto& p : s.exec(select<Person>().order_by(col(&Person::name).desc()).limit(2).offset(2 * n)).all())
      out.push_back(p->name);
    return out;
  };
  EXPECT_EQ(page(0), Names({"Dee", "Cy"}));
  EXPECT_EQ(page(1), Names({"Bob", "Ada"}));
  EXPECT_EQ(page(2), Names{});
  // offset alone
  auto rest = s.exec(select(col(&Person::name)).order_by(col(&Person::id)).offset(3)).all();
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(std::get<0>(rest[0]), "Dee");
  // several terms: created_by ASC, then score DESC
  Names got;
  for (const auto& p : s.exec(select<Post>().order_by(col(&Audit::created_by), col(&Post::score).desc())).all())
    got.push_back(p->title);
  EXPECT_EQ(got, Names({"Alpha", "beta", "Gamma", "delta"}));
}

TEST_P(QueryLive, CountAndScalar) {
  strata::Session s{engine_};
  EXPECT_EQ(s.count(select<Person>()), 4);
  EXPECT_EQ(s.count(select<Person>().where(col(&Person::active))), 3);
  EXPECT_EQ(s.count(select<Person>().limit(2)), 2);
  EXPECT_EQ(s.exec(select(count()).select_from<Person>()).scalar(), std::optional<std::int64_t>(4));
  EXPECT_EQ(s.exec(select(count(col(&Post::author_id)))).scalar(), std::optional<std::int64_t>(3));
  EXPECT_EQ(s.exec(select(count(col(&Post::author_id), true))).scalar(), std::optional<std::int64_t>(2));
  auto [mx, mn] = s.exec(select(strata::orm::max(col(&Post::score)), strata::orm::min(col(&Post::score)))).one();
  EXPECT_EQ(mx, std::optional<double>(4.5));
  EXPECT_EQ(mn, std::optional<double>(1.0));
  // no row: scalar() is empty; an aggregate over no row is NULL
  EXPECT_EQ(s.exec(select(col(&Person::name)).where(col(&Person::id) == 99)).scalar(), std::nullopt);
  auto none = s.exec(select(strata::orm::max(col(&Person::age))).where(col(&Person::id) == 99)).scalar();
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(*none, std::nullopt);
}

TEST_P(QueryLive, GroupByHaving) {
  strata::Session s{engine_};
  auto rows = s.exec(select(col(&Post::author_id), count())
                         .group_by(col(&Post::author_id))
                         .having(count() >= 1)
                         .order_by(strata::orm::desc(count()), col(&Post::author_id)))
                  .all();
  using R = std::tuple<std::optional<std::int64_t>, std::int64_t>;
  // SQLite sorts NULL first in ascending order, PostgreSQL last.
  EXPECT_EQ(rows, pick(std::vector<R>{{1, 2}, {std::nullopt, 1}, {2, 1}}, std::vector<R>{{1, 2}, {2, 1}, {std::nullopt, 1}}));
  auto big = s.exec(select(col(&Post::author_id), count()).group_by(col(&Post::author_id)).having(count() > 1)).all();
  EXPECT_EQ(big, (std::vector<R>{{1, 2}}));
}

TEST_P(QueryLive, InnerJoinReturnsTuplesOfSharedObjects) {
  strata::Session s{engine_};
  auto rows = s.exec(select<Person, Post>()
                         .join<Post>(col(&Post::author_id) == col(&Person::id))
                         .order_by(col(&Post::id)))
                  .all();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(std::get<0>(rows[0])->name, "Ada");
  EXPECT_EQ(std::get<1>(rows[0])->title, "Alpha");
  EXPECT_EQ(std::get<1>(rows[0])->status, Status::published);
  EXPECT_EQ(std::get<1>(rows[0])->uid, uid_[0]);
  EXPECT_EQ(std::get<1>(rows[0])->created_by, "ada");
  EXPECT_EQ(std::get<1>(rows[1])->title, "beta");
  EXPECT_EQ(std::get<0>(rows[0]).get(), std::get<0>(rows[1]).get());  // identity map: one Ada
  EXPECT_EQ(std::get<0>(rows[2])->name, "Bob");
  EXPECT_EQ(std::get<1>(rows[2])->title, "Gamma");
}

TEST_P(QueryLive, OuterJoinGivesNullptrForTheMissingSide) {
  strata::Session s{engine_};
  auto rows = s.exec(select<Person, Post>()
                         .outerjoin<Post>(col(&Post::author_id) == col(&Person::id))
                         .order_by(col(&Person::id), col(&Post::id)))
                  .all();
  ASSERT_EQ(rows.size(), 5u);
  Names got;
  for (const auto& [p, post] : rows) got.push_back(p->name + ":" + (post ? post->title : "-"));
  EXPECT_EQ(got, Names({"Ada:Alpha", "Ada:beta", "Bob:Gamma", "Cy:-", "Dee:-"}));
  EXPECT_EQ(std::get<1>(rows[3]), nullptr);
  // The same join with a condition on the outer side in ON keeps every person.
  auto pinned = s.exec(select<Person, Post>()
                           .outerjoin<Post>(col(&Post::author_id) == col(&Person::id) && col(&Post::pinned))
                           .order_by(col(&Person::id)))
                    .all();
  ASSERT_EQ(pinned.size(), 4u);
  EXPECT_EQ(std::get<1>(pinned[0])->title, "Alpha");
  EXPECT_EQ(std::get<1>(pinned[1]), nullptr);
}

TEST_P(QueryLive, ChosenColumnsGiveTuplesWithOptionalForNullable) {
  strata::Session s{engine_};
  auto rows = s.exec(select(col(&Person::name), col(&Person::age), col(&Person::email)).order_by(col(&Person::id)))
                  .all();
  using R = std::tuple<std::string, std::optional<std::int64_t>, std::optional<std::string>>;
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], R("Ada", 36, "ada@x.org"));
  EXPECT_EQ(rows[1], R("Bob", std::nullopt, std::nullopt));
  auto joined = s.exec(select(col(&Person::name), col(&Post::title), col(&Post::status))
                           .join<Post>(col(&Post::author_id) == col(&Person::id))
                           .where(col(&Post::pinned) == false)
                           .order_by(col(&Post::title)))
                    .all();
  using J = std::tuple<std::string, std::string, Status>;
  EXPECT_EQ(joined, (std::vector<J>{{"Bob", "Gamma", Status::archived}, {"Ada", "beta", Status::draft}}));
}

TEST_P(QueryLive, SharedBaseMember) {
  EXPECT_EQ(titles(strata::orm::col<Post>(&Audit::created_by) == "ada"), Names({"Alpha", "beta"}));
  EXPECT_EQ(titles(col(&Audit::created_by) == "sys"), Names({"delta"}));
  strata::Session s{engine_};
  auto by = s.exec(select(col(&Audit::created_by)).select_from<Post>().distinct().order_by(col(&Audit::created_by)))
                .all();
  EXPECT_EQ(by, (std::vector<std::tuple<std::string>>{{"ada"}, {"bob"}, {"sys"}}));
}

TEST_P(QueryLive, OneFirstOneOrNone) {
  strata::Session s{engine_};
  auto ada = s.exec(select<Person>().where(col(&Person::name) == "Ada")).one();
  EXPECT_EQ(ada->age, std::optional<std::int64_t>(36));
  EXPECT_THROW(s.exec(select<Person>().where(col(&Person::name) == "Zed")).one(), strata::NoResultFound);
  EXPECT_THROW(s.exec(select<Person>().where(col(&Person::active))).one(), strata::MultipleResultsFound);
  EXPECT_THROW(s.exec(select<Person>()).one_or_none(), strata::MultipleResultsFound);
  EXPECT_EQ(s.exec(select<Person>().where(col(&Person::id) == 99)).one_or_none(), std::nullopt);
  EXPECT_EQ(s.exec(select<Person>().where(col(&Person::id) == 99)).first(), std::nullopt);
  auto first = s.exec(select<Person>().order_by(col(&Person::name).desc())).first();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ((*first)->name, "Dee");
  auto one_col = s.exec(select(col(&Person::email)).where(col(&Person::name) == "Bob")).one();
  EXPECT_EQ(std::get<0>(one_col), std::nullopt);
}

TEST_P(QueryLive, UpdateReturnsRowsMatched) {
  strata::Session s{engine_};
  EXPECT_EQ(s.exec(strata::update<Person>().set(&Person::active, false).where(col(&Person::age) >= 18)), 2);
  EXPECT_EQ(s.count(select<Person>().where(!col(&Person::active))), 3);  // same transaction
  s.commit();
  EXPECT_EQ(names(!col(&Person::active)), Names({"Ada", "Cy", "Dee"}));
  // rows matched, not rows changed: Ada is already inactive
  EXPECT_EQ(s.exec(strata::update<Person>().set(&Person::active, false).where(col(&Person::name) == "Ada")), 1);
  EXPECT_EQ(s.exec(strata::update<Person>().set(&Person::age, 1).where(col(&Person::id) == 99)), 0);
  EXPECT_EQ(s.exec(strata::update<Post>()
                       .set(&Post::status, Status::archived)
                       .set(&Audit::created_by, "mod")
                       .set(&Post::author_id, std::nullopt)
                       .where(col(&Post::status) == Status::draft)),
            2);
  s.commit();
  EXPECT_EQ(titles(col(&Post::status) == Status::archived && col(&Audit::created_by) == "mod" &&
                   col(&Post::author_id).is_null()),
            Names({"beta", "delta"}));
  EXPECT_EQ(s.exec(strata::update<Person>().set(&Person::email, std::optional<std::string>("b@z.org")).where(
                col(&Person::email).is_null())),
            1);
  s.commit();
  EXPECT_EQ(names(col(&Person::email) == "b@z.org"), Names({"Bob"}));
}

TEST_P(QueryLive, UpdateDoesNotChangeLoadedObjectsUntilRefresh) {
  strata::Session s{engine_};
  auto ada = s.exec(select<Person>().where(col(&Person::name) == "Ada")).one();
  EXPECT_EQ(s.exec(strata::update<Person>().set(&Person::age, 37).where(col(&Person::id) == ada->id)), 1);
  EXPECT_EQ(ada->age, std::optional<std::int64_t>(36));  // synchronize_session=False, as documented
  s.refresh(ada);
  EXPECT_EQ(ada->age, std::optional<std::int64_t>(37));
}

TEST_P(QueryLive, DeleteReturnsRowsMatched) {
  strata::Session s{engine_};
  EXPECT_EQ(s.exec(strata::delete_from<Post>().where(col(&Post::pinned))), 2);
  EXPECT_EQ(s.exec(strata::delete_from<Post>().where(col(&Post::pinned))), 0);
  s.commit();
  EXPECT_EQ(titles(col(&Post::id) > 0), Names({"beta", "Gamma"}));
  EXPECT_EQ(s.exec(strata::delete_from<Post>()), 2);
  s.commit();
  EXPECT_EQ(s.count(select<Post>()), 0);
}

STRATA_INSTANTIATE_BACKENDS(QueryLive);

}  // namespace
