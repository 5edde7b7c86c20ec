// Relationships on a real database (SQLite file and PostgreSQL): selectin and
// joined loading with counted statements (no N+1), session.load(), unloaded
// members, the unit of work's ordering and foreign keys, cascades
// (save-update, delete, delete-orphan), many-to-many link rows, cycles, JSON.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "seed_models.hpp"
#include "strata/model/dump.hpp"
#include "strata/strata.hpp"
#include "support/database.hpp"

namespace rel {

/// A self-referential tree (parent_id -> node.id).
struct Node {
  int id = 0;
  std::string name;
  std::optional<int> parent_id;
  strata::One<Node> parent;
  strata::Many<Node> children;
};
STRATA_TABLE(Node, "node", field<&Node::id>().primary_key().autoincrement(),
             field<&Node::parent_id>().foreign_key<&Node::id>(),
             relationship<&Node::parent>().back_populates("children"),
             relationship<&Node::children>().back_populates("parent").order_by<&Node::id>());

/// A many-to-many through a link table of its own (post_tag).
struct Tag;
struct PostTag;
struct Post {
  int id = 0;
  std::string title;
  strata::Many<Tag> tags;
};
struct Tag {
  int id = 0;
  std::string name;
};
struct PostTag {
  int post_id = 0;
  int tag_id = 0;
};
STRATA_TABLE(Post, "post", field<&Post::id>().primary_key().autoincrement(),
             relationship<&Post::tags>().secondary<PostTag>().order_by<&Tag::id>());
STRATA_TABLE(Tag, "tag", field<&Tag::id>().primary_key().autoincrement());
STRATA_TABLE(PostTag, "post_tag", field<&PostTag::post_id>().primary_key().foreign_key<&Post::id>(),
             field<&PostTag::tag_id>().primary_key().foreign_key<&Tag::id>());

/// A one-to-one whose key is on the other side (Profile.person_id).
struct Profile;
struct Person {
  int id = 0;
  std::string name;
  strata::One<Profile> profile;
};
struct Profile {
  int id = 0;
  int person_id = 0;
  std::string bio;
  strata::One<Person> person;
};
STRATA_TABLE(Person, "person", field<&Person::id>().primary_key().autoincrement(),
             relationship<&Person::profile>().back_populates("person").cascade("all"));
STRATA_TABLE(Profile, "profile", field<&Profile::id>().primary_key().autoincrement(),
             field<&Profile::person_id>().foreign_key<&Person::id>().unique(),
             relationship<&Profile::person>().back_populates("profile"));

}  // namespace rel

namespace {

namespace cat = seeds::catalog;
namespace school = seeds::school;
using strata::col;
using strata::joined;
using strata::select;
using strata::selectin;

class Relationships : public strata::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    engine_ = counting_engine(statements_, &last_sql_);
    strata::create_all(engine_, strata::model::metadata_of<cat::Model, cat::Benchmark, cat::BenchmarkResult,
                                                           cat::Opinion, cat::UseCase>());
    strata::create_all(engine_, strata::model::metadata_of<school::UserType, school::User, school::Course,
                                                           school::Enrollment>());
    strata::create_all(engine_, strata::model::metadata_of<rel::Node, rel::Post, rel::Tag, rel::PostTag,
                                                           rel::Person, rel::Profile>());
  }

  std::int64_t rows(const std::string& table) {
    auto c = engine_.connect();
    return c.execute("SELECT count(*) FROM " + table).scalar().get_if<std::int64_t>()[0];
  }

  /// Three models with two opinions each, a benchmark and one result per model;
  /// every child is attached through its parent's collection (no key set by hand).
  void seed_catalog() {
    strata::Session s{engine_};
    auto mmlu = s.add(cat::Benchmark{{"MMLU", "knowledge", std::nullopt, std::nullopt}, {}, 0, {}});
    for (int i = 0; i < 3; ++i) {
      cat::Model m;
      m.name = "model-" + std::to_string(i);
      m.organization = "org";
      auto pm = s.add(m);
      for (int k = 0; k < 2; ++k) {
        cat::Opinion o;
        o.content = "opinion " + std::to_string(k) + " of " + m.name;
        pm->opinions.push_back(o);
      }
      cat::BenchmarkResult r;
      r.score = 80 + i;
      r.benchmark = mmlu;
      pm->benchmark_results.push_back(r);
      cat::UseCase u;
      u.use_case = "coding";
      pm->use_cases.push_back(u);
    }
    s.commit();
  }

  strata::Engine engine_ = strata::create_engine("sqlite://");
  int statements_ = 0;
  std::string last_sql_;
};

TEST_P(Relationships, NewParentsAndChildrenAreInsertedParentFirstWithTheirKeysFilled) {
  seed_catalog();
  EXPECT_EQ(rows("models"), 3);
  EXPECT_EQ(rows("opinions"), 6);
  EXPECT_EQ(rows("benchmark_results"), 3);
  auto c = engine_.connect();
  // every opinion refers to an existing model, and each model has two
  EXPECT_EQ(c.execute("SELECT count(*) FROM opinions o JOIN models m ON m.id = o.model_id").scalar().get_if<std::int64_t>()[0], 6);
  EXPECT_EQ(c.execute("SELECT count(DISTINCT model_id) FROM opinions").scalar().get_if<std::int64_t>()[0], 3);
  EXPECT_EQ(c.execute("SELECT count(*) FROM benchmark_results r JOIN benchmarks b ON b.id = r.benchmark_id")
                .scalar().get_if<std::int64_t>()[0], 3);
}

TEST_P(Relationships, SelectinLoadsCollectionsAndBackReferencesInOneStatementPerLevel) {
  seed_catalog();
  strata::Session s{engine_};
  statements_ = 0;
  auto models = s.exec(select<cat::Model>().options(selectin(&cat::Model::opinions))).all();
  EXPECT_EQ(statements_, 2 + 1);  // BEGIN, models, opinions
  ASSERT_EQ(models.size(), 3u);
  for (const auto& m : models) {
    ASSERT_TRUE(m->opinions.loaded());
    ASSERT_EQ(m->opinions.size(), 2u);
    for (const auto& o : m->opinions) {
      EXPECT_EQ(o->model_id, m->id);
      EXPECT_EQ(o->model.get(), m.get());  // back_populates: the same object, no query
    }
    EXPECT_FALSE(m->use_cases.loaded());
    EXPECT_THROW((void)m->use_cases.size(), strata::NotLoadedError);
  }
  EXPECT_EQ(statements_, 3);
}

TEST_P(Relationships, ReadingAnUnloadedMemberIsANamedErrorAndLoadLoadsIt) {
  seed_catalog();
  strata::Session s{engine_};
  auto o = s.exec(select<cat::Opinion>().limit(1)).one();
  try {
    (void)o->model->name;
    FAIL() << "expected NotLoadedError";
  } catch (const strata::NotLoadedError& e) {
    EXPECT_NE(std::string(e.what()).find("Opinion.model"), std::string::npos) << e.what();
  }
  statements_ = 0;
  s.load(o, &cat::Opinion::model);
  EXPECT_EQ(statements_, 1);
  EXPECT_EQ(o->model->id, o->model_id);
  // model.opinions (the other direction), as the seed's refresh(attribute_names=["opinions"])
  std::shared_ptr<cat::Model> m = o->model.shared();
  s.load(m, &cat::Model::opinions);
  EXPECT_EQ(statements_, 2);
  ASSERT_EQ(m->opinions.size(), 2u);
  EXPECT_TRUE(m->opinions[0] == o || m->opinions[1] == o);
}

TEST_P(Relationships, JoinedLoadsInTheSameStatement) {
  seed_catalog();
  strata::Session s{engine_};
  statements_ = 0;
  auto ops = s.exec(select<cat::Opinion>().options(joined(&cat::Opinion::model))).all();
  EXPECT_EQ(statements_, 2);  // BEGIN + one SELECT
  EXPECT_NE(last_sql_.find("LEFT OUTER JOIN"), std::string::npos) << last_sql_;
  ASSERT_EQ(ops.size(), 6u);
  for (const auto& o : ops) EXPECT_EQ(o->model->id, o->model_id);

  statements_ = 0;
  auto models = s.exec(select<cat::Model>().options(joined(&cat::Model::opinions))).all();
  EXPECT_EQ(statements_, 1);
  ASSERT_EQ(models.size(), 3u);  // one object per parent, not per joined row
  for (const auto& m : models) EXPECT_EQ(m->opinions.size(), 2u);

  EXPECT_THROW(s.exec(select<cat::Model>().options(joined(&cat::Model::opinions)).limit(1)), strata::ArgumentError);
  EXPECT_THROW(s.exec(select<rel::Node>().options(joined(&rel::Node::parent))), strata::ArgumentError);
}

TEST_P(Relationships, NestedLoadingHasNoNPlusOne) {
  seed_catalog();
  strata::Session s{engine_};
  statements_ = 0;
  auto models = s.exec(select<cat::Model>().options(
                            selectin(&cat::Model::benchmark_results).then(&cat::BenchmarkResult::benchmark),
                            selectin(&cat::Model::use_cases)))
                    .all();
  EXPECT_EQ(statements_, 1 + 4);  // BEGIN, models, results, benchmarks, use cases
  for (const auto& m : models) {
    ASSERT_EQ(m->benchmark_results.size(), 1u);
    EXPECT_EQ(m->benchmark_results[0]->benchmark->name, "MMLU");
    EXPECT_EQ(m->use_cases.size(), 1u);
  }

  strata::Session s2{engine_};
  statements_ = 0;
  auto again = s2.exec(select<cat::Model>().options(
                           selectin(&cat::Model::benchmark_results).joined(&cat::BenchmarkResult::benchmark)))
                   .all();
  EXPECT_EQ(statements_, 1 + 2);  // the benchmarks come with the results
  for (const auto& m : again) EXPECT_EQ(m->benchmark_results[0]->benchmark->category, "knowledge");
}

TEST_P(Relationships, DeletingAParentDeletesItsChildrenPerCascade) {
  seed_catalog();
  strata::Session s{engine_};
  auto m = s.exec(select<cat::Model>().where(col(&cat::Model::name) == "model-0")).one();
  s.delete_(m);  // opinions, results and use cases are not loaded: delete loads them
  s.commit();
  EXPECT_EQ(rows("models"), 2);
  EXPECT_EQ(rows("opinions"), 4);
  EXPECT_EQ(rows("benchmark_results"), 2);
  EXPECT_EQ(rows("use_cases"), 2);
  EXPECT_EQ(rows("benchmarks"), 1);  // a many-to-one is not cascaded
}

TEST_P(Relationships, RemovingAChildFromItsCollectionDeletesItWithDeleteOrphan) {
  seed_catalog();
  strata::Session s{engine_};
  auto m = s.exec(select<cat::Model>().where(col(&cat::Model::name) == "model-1").options(selectin(&cat::Model::opinions)))
               .one();
  auto gone = m->opinions[0];
  ASSERT_TRUE(m->opinions.remove(gone));
  s.commit();
  EXPECT_EQ(rows("opinions"), 5);
  auto c = engine_.connect();
  EXPECT_EQ(c.execute(sql("SELECT count(*) FROM opinions WHERE id = ?"), {strata::Value(std::int64_t{gone->id})})
                .scalar().get_if<std::int64_t>()[0], 0);
}

TEST_P(Relationships, RemovingAChildWithANonNullableKeyAndNoDeleteOrphanIsRefused) {
  strata::Session s{engine_};
  auto t = s.add(school::UserType{0, {}, {}, "student", {}});
  school::User u;
  u.first_name = "Ada";
  u.last_name = "L";
  u.email = "ada@example.com";
  auto pu = t->users.push_back(u);
  s.commit();
  EXPECT_EQ(pu->user_type_id, t->user_type_id);
  t->users.remove(pu);
  try {
    s.flush();
    FAIL() << "expected InvalidRequestError";
  } catch (const strata::InvalidRequestError& e) {
    EXPECT_NE(std::string(e.what()).find("UserType.users"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("user_type_id"), std::string::npos) << e.what();
  }
}

TEST_P(Relationships, EnrollmentsWithTheirCoursesOneStatementPerLevel) {
  {
    strata::Session s{engine_};
    auto t = s.add(school::UserType{0, {}, {}, "student", {}});
    std::vector<std::shared_ptr<school::Course>> courses;
    for (const char* name : {"Algebra", "Biology", "Chemistry"}) {
      school::Course c;
      c.name = name;
      c.start_date = strata::Date{std::chrono::year{2024}, std::chrono::month{9}, std::chrono::day{1}};
      c.end_date = strata::Date{std::chrono::year{2025}, std::chrono::month{6}, std::chrono::day{30}};
      courses.push_back(s.add(c));
    }
    for (int i = 0; i < 4; ++i) {
      school::User u;
      u.first_name = "student" + std::to_string(i);
      u.last_name = "x";
      u.email = "s" + std::to_string(i) + "@example.com";
      u.user_type = t;
      auto pu = s.add(u);
      for (int k = 0; k <= i % 3; ++k) {
        school::Enrollment e;
        e.course = courses[static_cast<std::size_t>(k)];
        pu->enrollments.push_back(e);
      }
    }
    s.commit();
  }
  EXPECT_EQ(rows("enrollments"), 1 + 2 + 3 + 1);
  strata::Session s{engine_};
  statements_ = 0;
  auto users = s.exec(select<school::User>()
                          .order_by(col(&school::User::user_id))
                          .options(selectin(&school::User::enrollments).then(&school::Enrollment::course)))
                   .all();
  EXPECT_EQ(statements_, 1 + 3);  // BEGIN, users, enrollments, courses
  ASSERT_EQ(users.size(), 4u);
  EXPECT_EQ(users[2]->enrollments.size(), 3u);
  std::set<std::string> names;
  for (const auto& e : users[2]->enrollments) names.insert(e->course->name);
  EXPECT_EQ(names, (std::set<std::string>{"Algebra", "Biology", "Chemistry"}));

  // The same through the many-to-many User.courses (enrollments as the link table).
  statements_ = 0;
  s.load(users, &school::User::courses);
  EXPECT_EQ(statements_, 1);
  ASSERT_EQ(users[1]->courses.size(), 2u);
  EXPECT_EQ(users[1]->courses[0]->name, "Algebra");  // order_by course_id
  // User.courses is viewonly (the enrollments belong to User.enrollments):
  // changing it writes nothing.
  users[0]->courses.push_back(users[2]->courses[2]);
  s.commit();
  EXPECT_EQ(rows("enrollments"), 7);
}

TEST_P(Relationships, ManyToManyLinkRowsFollowTheCollection) {
  {
    strata::Session s{engine_};
    auto p = s.add(rel::Post{0, "hello", {}});
    p->tags.push_back(rel::Tag{0, "c++"});
    p->tags.push_back(rel::Tag{0, "orm"});
    s.commit();  // the post, the tags, then two link rows
  }
  EXPECT_EQ(rows("post_tag"), 2);
  strata::Session s{engine_};
  statements_ = 0;
  auto posts = s.exec(select<rel::Post>().options(selectin(&rel::Post::tags))).all();
  EXPECT_EQ(statements_, 1 + 2);
  ASSERT_EQ(posts.size(), 1u);
  ASSERT_EQ(posts[0]->tags.size(), 2u);
  EXPECT_EQ(posts[0]->tags[0]->name, "c++");
  auto orm = posts[0]->tags[1];
  posts[0]->tags.remove(orm);
  auto second = s.add(rel::Post{0, "second", {}});
  second->tags.push_back(orm);
  s.commit();
  auto c = engine_.connect();
  EXPECT_EQ(rows("post_tag"), 2);
  EXPECT_EQ(rows("tag"), 2);  // removing from a many-to-many deletes the link, not the tag
  EXPECT_EQ(c.execute(sql("SELECT count(*) FROM post_tag WHERE post_id = ? AND tag_id = ?"),
                      {strata::Value(std::int64_t{second->id}), strata::Value(std::int64_t{orm->id})})
                .scalar().get_if<std::int64_t>()[0], 1);
  strata::Session s2{engine_};
  auto p = s2.get<rel::Post>(posts[0]->id);
  s2.delete_(p);  // its link rows go first
  s2.commit();
  EXPECT_EQ(rows("post_tag"), 1);
}

TEST_P(Relationships, OneToOneWithTheKeyOnTheOtherSide) {
  {
    strata::Session s{engine_};
    auto ada = s.add(rel::Person{0, "Ada", {}});
    ada->profile = std::make_shared<rel::Profile>(rel::Profile{0, 0, "mathematician", {}});
    s.commit();  // the person, then the profile with person_id filled
  }
  strata::Session s{engine_};
  statements_ = 0;
  auto people = s.exec(select<rel::Person>().options(selectin(&rel::Person::profile))).all();
  EXPECT_EQ(statements_, 1 + 2);
  ASSERT_EQ(people.size(), 1u);
  ASSERT_TRUE(people[0]->profile);
  EXPECT_EQ(people[0]->profile->bio, "mathematician");
  EXPECT_EQ(people[0]->profile->person_id, people[0]->id);
  auto joined_people = s.exec(select<rel::Person>().options(joined(&rel::Person::profile))).all();
  EXPECT_EQ(joined_people[0]->profile->bio, "mathematician");
  s.delete_(people[0]);  // cascade "all": the profile goes first
  s.commit();
  EXPECT_EQ(rows("profile"), 0);
  EXPECT_EQ(rows("person"), 0);
}

TEST_P(Relationships, SelfReferentialParentsAreInsertedFirstAndCyclesAreNamed) {
  {
    strata::Session s{engine_};
    rel::Node root{0, "root", std::nullopt, {}, {}};
    auto pr = std::make_shared<rel::Node>(root);
    rel::Node leaf{0, "leaf", std::nullopt, {}, {}};
    leaf.parent = pr;
    s.add(leaf);  // the child first: the flush still inserts the root first
    s.commit();
    EXPECT_EQ(rows("node"), 2);
    auto c = engine_.connect();
    EXPECT_EQ(c.execute("SELECT count(*) FROM node n JOIN node p ON p.id = n.parent_id WHERE p.name = 'root'")
                  .scalar().get_if<std::int64_t>()[0], 1);
  }
  strata::Session s{engine_};
  auto a = std::make_shared<rel::Node>(rel::Node{0, "a", std::nullopt, {}, {}});
  auto b = std::make_shared<rel::Node>(rel::Node{0, "b", std::nullopt, {}, {}});
  a->parent = b;
  b->parent = a;
  s.add(a);
  EXPECT_THROW(s.flush(), strata::CircularDependencyError);
  s.rollback();
  // Break the cycle (each is now in the other's children, held strongly): new
  // objects linked in a cycle by hand keep each other alive otherwise.
  a->children.clear();
  b->children.clear();
  a->parent = nullptr;
  b->parent = nullptr;
}

// Loaded objects of models with relationships are each their own
// std::shared_ptr in the session's ObjectPool: a tree whose nodes hold their
// children (and are held by their parents) outlives the session through the
// one node kept, and every node and pool chunk is freed with the last holder.
TEST_P(Relationships, LoadedTreeOutlivesTheSessionAndIsFreedWithItsLastHolder) {
  constexpr int kNodes = 1500;  // more than one pool chunk
  {
    strata::Session s{engine_};
    auto root = s.add(rel::Node{0, "root", std::nullopt, {}, {}});
    for (int i = 1; i < kNodes; ++i) root->children.push_back(rel::Node{0, "node " + std::to_string(i), std::nullopt, {}, {}});
    s.commit();
  }
  const std::size_t chunks_before = strata::model::ObjectPool::live_chunks();
  std::weak_ptr<rel::Node> watch_leaf;
  std::shared_ptr<rel::Node> root;
  {
    strata::Session s{engine_};
    auto nodes = s.exec(select<rel::Node>().order_by(col(&rel::Node::id)).options(selectin(&rel::Node::children))).all();
    ASSERT_EQ(nodes.size(), static_cast<std::size_t>(kNodes));
    EXPECT_GT(strata::model::ObjectPool::live_chunks(), chunks_before + 1);
    root = nodes[0];
    watch_leaf = nodes[kNodes - 1];
    ASSERT_EQ(root->children.size(), static_cast<std::size_t>(kNodes - 1));
    EXPECT_EQ(root->children[kNodes - 2].get(), nodes[kNodes - 1].get());
    EXPECT_EQ(nodes[5]->parent.get(), root.get());  // back-reference, weak
  }  // the session and the result are gone: root holds its children
  ASSERT_FALSE(watch_leaf.expired());
  EXPECT_EQ(watch_leaf.lock()->name, "node " + std::to_string(kNodes - 1));
  EXPECT_EQ(root->children[0]->name, "node 1");
  root.reset();
  EXPECT_TRUE(watch_leaf.expired());
  watch_leaf.reset();  // a std::weak_ptr keeps its object's memory (as with std::make_shared)
  EXPECT_EQ(strata::model::ObjectPool::live_chunks(), chunks_before);
}

TEST_P(Relationships, JsonIncludesLoadedRelationshipsOnly) {
  seed_catalog();
  strata::Session s{engine_};
  auto m = s.exec(select<cat::Model>().where(col(&cat::Model::name) == "model-2").options(selectin(&cat::Model::opinions)))
               .one();
  nlohmann::json j = strata::model::to_json(*m);
  ASSERT_TRUE(j.contains("opinions"));
  ASSERT_EQ(j["opinions"].size(), 2u);
  EXPECT_EQ(j["opinions"][0]["model_id"], m->id);
  EXPECT_FALSE(j["opinions"][0].contains("model"));  // the back-reference to the object being dumped
  EXPECT_FALSE(j.contains("use_cases"));              // not loaded: left out
  EXPECT_FALSE(j.contains("benchmark_results"));
}

TEST_P(Relationships, ADeletedChildStillInALoadedCollectionIsNotInsertedAgain) {
  seed_catalog();
  strata::Session s{engine_};
  auto m = s.exec(select<cat::Model>().where(col(&cat::Model::name) == "model-0").options(selectin(&cat::Model::opinions)))
               .one();
  auto o = m->opinions[0];
  s.delete_(o);
  s.commit();
  EXPECT_EQ(rows("opinions"), 5);
  s.commit();  // the next flush must not bring the row back
  EXPECT_EQ(rows("opinions"), 5);
  EXPECT_EQ(m->opinions.size(), 1u);  // the collection let go of it
}

TEST_P(Relationships, MovingAChildToAnotherParentUpdatesItInsteadOfDeletingIt) {
  seed_catalog();
  strata::Session s{engine_};
  auto models = s.exec(select<cat::Model>().order_by(col(&cat::Model::id)).options(selectin(&cat::Model::opinions))).all();
  auto o = models[0]->opinions[0];
  models[0]->opinions.remove(o);  // delete-orphan, but it is not an orphan:
  models[1]->opinions.push_back(o);
  s.commit();
  EXPECT_EQ(rows("opinions"), 6);
  EXPECT_EQ(o->model_id, models[1]->id);
  EXPECT_EQ(o->model.get(), models[1].get());
  // through the child's own side
  auto p = models[1]->opinions[0];
  p->model = models[2];
  s.commit();
  EXPECT_EQ(rows("opinions"), 6);
  EXPECT_EQ(p->model_id, models[2]->id);
  EXPECT_EQ(models[2]->opinions.size(), 3u);
  EXPECT_EQ(models[1]->opinions.size(), 2u);
  auto c = engine_.connect();
  EXPECT_EQ(c.execute(sql("SELECT count(*) FROM opinions WHERE model_id = ?"), {strata::Value(std::int64_t{models[2]->id})})
                .scalar().get_if<std::int64_t>()[0], 3);
}

TEST_P(Relationships, DeletingAParentWithoutCascadeNullsItsLoadedChildrensKeys) {
  {
    strata::Session s{engine_};
    auto root = s.add(rel::Node{0, "root", std::nullopt, {}, {}});
    root->children.push_back(rel::Node{0, "a", std::nullopt, {}, {}});
    root->children.push_back(rel::Node{0, "b", std::nullopt, {}, {}});
    s.commit();
  }
  strata::Session s{engine_};
  auto root = s.exec(select<rel::Node>().where(col(&rel::Node::name) == "root").options(selectin(&rel::Node::children))).one();
  ASSERT_EQ(root->children.size(), 2u);
  s.delete_(root);
  s.commit();
  EXPECT_EQ(rows("node"), 2);
  auto c = engine_.connect();
  EXPECT_EQ(c.execute("SELECT count(*) FROM node WHERE parent_id IS NULL").scalar().get_if<std::int64_t>()[0], 2);
}

STRATA_INSTANTIATE_BACKENDS(Relationships);

}  // namespace
