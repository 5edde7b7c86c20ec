// Acceptance tests of issue 2 on seed 004 (AI model catalogue: models,
// benchmarks, benchmark_results with the composite UNIQUE
// uix_model_benchmark_date and a composite index, opinions with tags,
// use_cases, JSON metadata, created_at / updated_at server defaults), on a real
// SQLite file and a real PostgreSQL database (parametrized): the schema
// create_all builds (read back from the database), the Session's unit of work
// on it, and every constraint of the schema raising its own exception type.
// Issue 6: the seed's backend/tests/test_database.py as Strata tests (one per
// Python test, named after it), with relationships loaded explicitly and the
// models' delete cascades.
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <cmath>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "seed_models.hpp"
#include "seeds_util.hpp"
#include "strata/strata.hpp"
#include "support/database.hpp"

namespace {

using seeds::catalog::Benchmark;
using seeds::catalog::BenchmarkResult;
using seeds::catalog::Model;
using seeds::catalog::Opinion;
using seeds::catalog::UseCase;
using strata::col;
using strata::select;
using strata::selectin;
namespace sl = seed_live;

strata::Date ymd(int y, unsigned m, unsigned d) {
  return strata::Date{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

const char* const kUix = "benchmark_results.model_id, benchmark_results.benchmark_id, benchmark_results.date_tested";

class SeedCatalog : public strata::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    engine_ = counting_engine(statements_);
    strata::create_all(engine_, strata::model::metadata_of<Model, Benchmark, BenchmarkResult, Opinion, UseCase>());
  }

  /// The seed's sample_model fixture (not shown in the seed: test_database.py
  /// builds Model(name="gpt-test", display_name="GPT Test Model",
  /// organization="Test Org"); its Model has no display_name, so the
  /// description holds that text here).
  static Model sample_model() {
    Model m = make_model("gpt-test", "Test Org");
    m.description = "GPT Test Model";
    return m;
  }
  static Opinion test_opinion(int model_id) {
    Opinion o = make_opinion(model_id, "This is a test opinion about the model.");
    o.author = "Test User";
    return o;
  }

  static Model make_model(const std::string& name, const std::string& org) {
    Model m;
    m.name = name;
    m.organization = org;
    return m;
  }
  static Benchmark make_benchmark(const std::string& name, std::optional<std::string> category) {
    Benchmark b;
    b.name = name;
    b.category = std::move(category);
    return b;
  }
  static BenchmarkResult make_result(int model_id, int benchmark_id, double score, std::optional<strata::Date> date) {
    BenchmarkResult r;
    r.model_id = model_id;
    r.benchmark_id = benchmark_id;
    r.score = score;
    r.date_tested = date;
    return r;
  }
  static Opinion make_opinion(int model_id, const std::string& content) {
    Opinion o;
    o.model_id = model_id;
    o.content = content;
    return o;
  }
  static UseCase make_use_case(int model_id, const std::string& use_case) {
    UseCase u;
    u.model_id = model_id;
    u.use_case = use_case;
    return u;
  }
  std::int64_t rows(const std::string& table) { return sl::row_count(engine_, table); }

  struct Fixture {
    std::shared_ptr<Model> gpt, claude;
    std::shared_ptr<Benchmark> mmlu, humaneval;
  };
  /// Two models, two benchmarks, three results, an opinion and a use case each; committed.
  Fixture populate(strata::Session& s) {
    Fixture f;
    f.gpt = s.add(make_model("GPT-4", "OpenAI"));
    f.claude = s.add(make_model("Claude 3 Opus", "Anthropic"));
    f.mmlu = s.add(make_benchmark("MMLU", "Knowledge"));
    f.humaneval = s.add(make_benchmark("HumanEval", "Coding"));
    s.flush();
    s.add(make_result(f.gpt->id, f.mmlu->id, 86.4, ymd(2024, 3, 1)));
    s.add(make_result(f.claude->id, f.mmlu->id, 86.8, ymd(2024, 3, 4)));
    s.add(make_result(f.claude->id, f.humaneval->id, 84.9, ymd(2024, 3, 4)));
    s.add(make_opinion(f.gpt->id, "Strong all-rounder."));
    s.add(make_opinion(f.claude->id, "Great at long documents."));
    s.add(make_use_case(f.gpt->id, "code review"));
    s.add(make_use_case(f.claude->id, "summarization"));
    s.commit();
    return f;
  }

  /// The start of the seed's relationship tests: sample_model added and
  /// committed, then an opinion on it added by foreign key (model_id), each refreshed.
  std::pair<std::shared_ptr<Model>, std::shared_ptr<Opinion>> add_model_with_opinion(strata::Session& s) {
    auto model = s.add(sample_model());
    s.commit();
    s.refresh(model);
    auto opinion = s.add(test_opinion(model->id));
    s.commit();
    s.refresh(opinion);
    return {model, opinion};
  }

  strata::Engine engine_ = strata::create_engine("sqlite://");
  int statements_ = 0;  ///< statements sent through engine_ (EngineOptions::before_execute)
};

TEST_P(SeedCatalog, CreateAllBuildsTheSeedTables) {
  auto c = engine_.connect();
  EXPECT_EQ(sl::table_names(c),
            (std::vector<std::string>{"benchmark_results", "benchmarks", "models", "opinions", "use_cases"}));

  // Base fields, then TimestampMixin's, then the table's own (column "metadata" for metadata_).
  EXPECT_EQ(sl::column_names(c, "models"),
            (std::vector<std::string>{"name", "organization", "release_date", "description", "license", "created_at",
                                      "updated_at", "id", "metadata"}));
  EXPECT_EQ(sl::notnull_columns(c, "models"), (std::set<std::string>{"name", "organization", "id"}));
  EXPECT_EQ(sl::primary_key(c, "models"), (std::vector<std::string>{"id"}));
  EXPECT_TRUE(sl::unique_constraint_on(c, "models", {"name"}).has_value());
  auto ix = sl::index_named(c, "models", "ix_models_name");
  ASSERT_TRUE(ix.has_value());
  EXPECT_EQ(ix->columns, (std::vector<std::string>{"name"}));
  EXPECT_FALSE(ix->unique);
  // server_default(now()) on both timestamps (CURRENT_TIMESTAMP on SQLite, now() on PostgreSQL).
  for (const auto& col : sl::describe(c, "models").columns) {
    if (col.name == "created_at" || col.name == "updated_at") {
      ASSERT_TRUE(col.server_default.has_value()) << col.name;
      EXPECT_EQ(col.server_default->kind, strata::schema::ServerDefault::Kind::Now) << col.name;
    } else {
      EXPECT_EQ(col.server_default, std::nullopt) << col.name;
    }
  }

  EXPECT_EQ(sl::column_names(c, "benchmarks"),
            (std::vector<std::string>{"name", "category", "description", "url", "created_at", "updated_at", "id"}));
  EXPECT_TRUE(sl::unique_constraint_on(c, "benchmarks", {"name"}).has_value());
  EXPECT_TRUE(sl::index_named(c, "benchmarks", "ix_benchmarks_name").has_value());
  auto cat = sl::index_named(c, "benchmarks", "ix_benchmarks_category");
  ASSERT_TRUE(cat.has_value());
  EXPECT_EQ(cat->columns, (std::vector<std::string>{"category"}));

  EXPECT_EQ(sl::column_names(c, "benchmark_results"),
            (std::vector<std::string>{"score", "date_tested", "source", "created_at", "updated_at", "id", "model_id",
                                      "benchmark_id"}));
  EXPECT_EQ(sl::notnull_columns(c, "benchmark_results"),
            (std::set<std::string>{"score", "id", "model_id", "benchmark_id"}));
  // The composite UNIQUE, by its name.
  auto uix = sl::unique_constraint_on(c, "benchmark_results", {"model_id", "benchmark_id", "date_tested"});
  ASSERT_TRUE(uix.has_value());
  EXPECT_TRUE(uix->unique);
  EXPECT_EQ(uix->name, "uix_model_benchmark_date");
  // The composite index, and the single-column indexes of the foreign keys.
  auto composite = sl::index_named(c, "benchmark_results", "ix_benchmark_results_model_benchmark");
  ASSERT_TRUE(composite.has_value());
  EXPECT_FALSE(composite->unique);
  EXPECT_EQ(composite->origin, "c");
  EXPECT_EQ(composite->columns, (std::vector<std::string>{"model_id", "benchmark_id"}));
  EXPECT_TRUE(sl::index_named(c, "benchmark_results", "ix_benchmark_results_model_id").has_value());
  EXPECT_TRUE(sl::index_named(c, "benchmark_results", "ix_benchmark_results_benchmark_id").has_value());
  auto br_fks = sl::foreign_keys(c, "benchmark_results");
  ASSERT_EQ(br_fks.size(), 2u);  // ordered by "from"
  EXPECT_EQ(br_fks[0].from, "benchmark_id");
  EXPECT_EQ(br_fks[0].table, "benchmarks");
  EXPECT_EQ(br_fks[0].to, "id");
  EXPECT_EQ(br_fks[1].from, "model_id");
  EXPECT_EQ(br_fks[1].table, "models");
  EXPECT_EQ(br_fks[1].to, "id");

  EXPECT_EQ(sl::column_names(c, "opinions"),
            (std::vector<std::string>{"content", "sentiment", "source", "author", "date_published", "created_at",
                                      "updated_at", "id", "model_id", "tags"}));
  EXPECT_EQ(sl::notnull_columns(c, "opinions"), (std::set<std::string>{"content", "id", "model_id"}));
  EXPECT_TRUE(sl::index_named(c, "opinions", "ix_opinions_date_published").has_value());
  EXPECT_TRUE(sl::index_named(c, "opinions", "ix_opinions_model_id").has_value());
  auto op_fks = sl::foreign_keys(c, "opinions");
  ASSERT_EQ(op_fks.size(), 1u);
  EXPECT_EQ(op_fks[0].table, "models");
  EXPECT_EQ(op_fks[0].from, "model_id");

  EXPECT_EQ(sl::column_names(c, "use_cases"),
            (std::vector<std::string>{"use_case", "description", "mentioned_by", "created_at", "updated_at", "id",
                                      "model_id"}));
  EXPECT_EQ(sl::notnull_columns(c, "use_cases"), (std::set<std::string>{"use_case", "id", "model_id"}));
  EXPECT_TRUE(sl::index_named(c, "use_cases", "ix_use_cases_model_id").has_value());
  auto uc_fks = sl::foreign_keys(c, "use_cases");
  ASSERT_EQ(uc_fks.size(), 1u);
  EXPECT_EQ(uc_fks[0].table, "models");
}

// --- The seed's backend/tests/test_database.py, one test per Python test ----
// (test_database_connection -> DatabaseConnection, and so on). Each follows the
// seed's steps: add, commit, refresh (the seed's session has expire_on_commit=False,
// as Strata's commit()), then reads; relationships are loaded explicitly.

// test_database_connection: SELECT 1 through the session.
TEST_P(SeedCatalog, DatabaseConnection) {
  strata::Session s{engine_};
  auto row = s.connection().execute("SELECT 1").one();
  ASSERT_EQ(row.size(), 1u);
  EXPECT_EQ(row[0], strata::Value(1));
}

// test_all_tables_exist: inspect(conn).has_table() for each table.
TEST_P(SeedCatalog, AllTablesExist) {
  auto c = engine_.connect();
  for (const char* table : {"models", "benchmarks", "benchmark_results", "opinions", "use_cases"})
    EXPECT_TRUE(strata::engine::has_table(c, table)) << "Table '" << table << "' does not exist in the database";
  EXPECT_FALSE(strata::engine::has_table(c, "model"));
}

// test_models_table_columns: the columns of "models" are the model's fields,
// a trailing '_' dropped (metadata_ -> metadata). Relationship members
// (opinions...) are not fields, as SQLModel's model_fields has no Relationship().
TEST_P(SeedCatalog, ModelsTableColumns) {
  auto c = engine_.connect();
  const auto columns = sl::column_names(c, "models");
  const std::set<std::string> column_names(columns.begin(), columns.end());
  std::set<std::string> model_fields;
  for (const auto& f : strata::model::info<Model>().fields) {
    std::string name = f.member;
    if (!name.empty() && name.back() == '_') name.pop_back();
    model_fields.insert(name);
  }
  EXPECT_EQ(column_names, model_fields);
  EXPECT_EQ(column_names.size(), columns.size());  // no column twice
  EXPECT_TRUE(model_fields.count("metadata"));
  EXPECT_FALSE(model_fields.count("opinions"));
}

// test_can_create_model: id and created_at are set after commit + refresh, and
// the row is in the database.
TEST_P(SeedCatalog, CanCreateModel) {
  strata::Session s{engine_};
  auto model = s.add(sample_model());
  EXPECT_EQ(model->id, 0);
  EXPECT_EQ(model->created_at, std::nullopt);
  s.commit();
  s.refresh(model);
  EXPECT_NE(model->id, 0) << "Model ID should not be None after insert";
  EXPECT_TRUE(model->created_at.has_value()) << "Model should have created_at timestamp";

  auto row = s.exec(select<Model>().where(col(&Model::id) == model->id)).first();
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ((*row)->name, "gpt-test");
  EXPECT_EQ((*row)->description, std::optional<std::string>("GPT Test Model"));
  EXPECT_EQ((*row)->organization, "Test Org");
  EXPECT_EQ(row->get(), model.get());  // the identity map's object

  // Written for others to see too.
  strata::Session other{engine_};
  auto back = other.get<Model>(model->id);
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->name, "gpt-test");
  EXPECT_EQ(back->created_at, model->created_at);
}

// test_foreign_key_constraints: an opinion added by foreign key (model_id),
// then Opinion -> Model and Model -> Opinion. The seed reads test_opinion.model
// (a many-to-one that SQLAlchemy finds in the identity map) and refreshes
// sample_model with attribute_names=["opinions"]: session.load() of each.
TEST_P(SeedCatalog, ForeignKeyConstraints) {
  strata::Session s{engine_};
  auto [model, opinion] = add_model_with_opinion(s);

  // Forward relationship (Opinion -> Model): the model is in the identity map, no statement.
  statements_ = 0;
  s.load(opinion, &Opinion::model);
  EXPECT_EQ(statements_, 0);
  ASSERT_TRUE(opinion->model.loaded());
  EXPECT_EQ(opinion->model->id, model->id);
  EXPECT_EQ(opinion->model.get(), model.get());

  // Reverse relationship (Model -> Opinion): one SELECT.
  s.load(model, &Model::opinions);
  EXPECT_EQ(statements_, 1);
  ASSERT_EQ(model->opinions.size(), 1u);
  EXPECT_EQ(model->opinions[0]->id, opinion->id);
  EXPECT_EQ(model->opinions[0], opinion);

  // Both directions from the database, in a new session: one statement per level,
  // and the opinions' model is their parent (back_populates), not another query.
  strata::Session q{engine_};
  statements_ = 0;
  auto models = q.exec(select<Model>().options(selectin(&Model::opinions))).all();
  EXPECT_EQ(statements_, 1 + 2);  // BEGIN, models, opinions
  ASSERT_EQ(models.size(), 1u);
  ASSERT_EQ(models[0]->opinions.size(), 1u);
  const auto& o = models[0]->opinions[0];
  EXPECT_EQ(o->id, opinion->id);
  EXPECT_EQ(o->content, "This is a test opinion about the model.");
  EXPECT_EQ(o->author, std::optional<std::string>("Test User"));
  EXPECT_EQ(o->model.get(), models[0].get());
  EXPECT_EQ(o->model->name, "gpt-test");
  EXPECT_FALSE(models[0]->use_cases.loaded());  // not asked for: not loaded
  EXPECT_EQ(statements_, 3);
}

// test_unique_constraint: a second model with the same name (a valid model in
// the same flush is not written either).
TEST_P(SeedCatalog, UniqueConstraint) {
  strata::Session s{engine_};
  s.add(sample_model());
  s.commit();

  Model duplicate = make_model("gpt-test", "Another Org");
  duplicate.description = "Another Model";
  s.add(make_model("Llama 3", "Meta"));
  s.add(duplicate);
  auto e = sl::catch_as<strata::UniqueViolation>([&] { s.commit(); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->table(), "models");
  EXPECT_EQ(e->constraint(), pick("models.name", "uq_models_name"));
  EXPECT_EQ(e->sqlstate(), "23505");
  EXPECT_TRUE(sl::contains(e->sql(), "INSERT INTO \"models\"")) << e->sql();
  std::string what = e->what();
  for (auto& ch : what) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_TRUE(sl::contains(what, "unique constraint")) << e->what();
  sl::expect_rollback_required(s);
  EXPECT_EQ(rows("models"), 1);
}

// test_jsonb_column: the seed's metadata document, stored and read back by
// refresh() (which discards a change made in memory meanwhile).
TEST_P(SeedCatalog, JsonbColumn) {
  const strata::Json metadata = {
      {"pricing", "free"},
      {"context_window", 2048},
      {"capabilities", {"text-generation", "code-completion"}},
  };
  strata::Session s{engine_};
  Model m = sample_model();
  m.metadata_ = metadata;
  auto model = s.add(m);
  s.commit();
  (*model->metadata_)["pricing"] = "changed in memory only";
  s.refresh(model);
  ASSERT_TRUE(model->metadata_.has_value());
  EXPECT_EQ(*model->metadata_, metadata);
  EXPECT_FALSE(s.is_modified(model));

  strata::Session other{engine_};
  auto back = other.get<Model>(model->id);
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->metadata_, std::optional<strata::Json>(metadata));
  auto c = engine_.connect();
  EXPECT_EQ(c.execute(sql(pick("SELECT json_type(metadata) FROM models WHERE id = ?",
                               "SELECT jsonb_typeof(metadata) FROM models WHERE id = ?")),
                      {model->id})
                .scalar(),
            strata::Value("object"));
}

// test_cascade_delete: deleting the model deletes its opinion (Model.opinions
// has cascade "all, delete-orphan"). The opinion was added by foreign key, and
// the model's opinions were never loaded: the delete finds it.
TEST_P(SeedCatalog, CascadeDelete) {
  strata::Session s{engine_};
  auto [model, opinion] = add_model_with_opinion(s);
  const int opinion_id = opinion->id;

  auto row = s.exec(select<Opinion>().where(col(&Opinion::id) == opinion_id)).first();
  ASSERT_TRUE(row.has_value());
  row.reset();

  s.delete_(model);
  s.commit();

  row = s.exec(select<Opinion>().where(col(&Opinion::id) == opinion_id)).first();
  EXPECT_FALSE(row.has_value());
  EXPECT_FALSE(s.contains(opinion));
  EXPECT_FALSE(s.contains(model));
  EXPECT_EQ(rows("models"), 0);
  EXPECT_EQ(rows("opinions"), 0);
}

TEST_P(SeedCatalog, JsonMetadataAndTagsRoundTripExactly) {
  const strata::Json metadata = {
      {"pricing", {{"input", 0.03}, {"output", 0.06}, {"currency", "USD"}}},
      {"context_window", 128000},
      {"capabilities", {"vision", "tools", "json-mode"}},
      {"open_weights", false},
      {"notes", nullptr},
      {"big", 9007199254740993LL},  // not representable as a double
      {"tiny", -1.5e-7},
      {"text", "naïve — 東京 \"quoted\" \\ back\nslash"},
      {"empty", strata::Json::object()},
  };
  const std::vector<std::string> tags = {"coding", "creative-writing", "with,comma", "with \"quotes\"", "", "ünï"};
  int model_id = 0, tagged = 0, empty_tags = 0, no_tags = 0;
  {
    strata::Session s{engine_};
    Model m = make_model("GPT-4", "OpenAI");
    m.metadata_ = metadata;
    auto model = s.add(m);
    auto plain = s.add(make_model("No metadata", "Nobody"));
    s.flush();
    Opinion a = make_opinion(model->id, "tagged");
    a.tags = tags;
    Opinion b = make_opinion(model->id, "empty tags");
    b.tags = std::vector<std::string>{};
    auto oa = s.add(a);
    auto ob = s.add(b);
    auto oc = s.add(make_opinion(model->id, "no tags"));
    s.commit();
    model_id = model->id;
    tagged = oa->id;
    empty_tags = ob->id;
    no_tags = oc->id;
    (void)plain;
  }
  {
    // Stored as JSON that SQLite itself can read (JSONB and TEXT[] that
    // PostgreSQL's own operators read); a missing document is SQL NULL.
    auto c = engine_.connect();
    const strata::Value yes = pick(strata::Value(1), strata::Value(true));
    EXPECT_EQ(c.execute(sql(pick("SELECT json_extract(metadata, '$.pricing.currency') FROM models WHERE id = ?",
                                 "SELECT metadata->'pricing'->>'currency' FROM models WHERE id = ?")),
                        {model_id})
                  .scalar(),
              strata::Value("USD"));
    EXPECT_EQ(c.execute(sql(pick("SELECT json_extract(metadata, '$.context_window') FROM models WHERE id = ?",
                                 "SELECT (metadata->>'context_window')::bigint FROM models WHERE id = ?")),
                        {model_id})
                  .scalar(),
              strata::Value(128000));
    EXPECT_EQ(c.execute("SELECT metadata IS NULL FROM models WHERE name = 'No metadata'").scalar(), yes);
    EXPECT_EQ(c.execute(sql(pick("SELECT json_array_length(tags) FROM opinions WHERE id = ?",
                                 "SELECT cardinality(tags)::bigint FROM opinions WHERE id = ?")),
                        {tagged})
                  .scalar(),
              strata::Value(static_cast<std::int64_t>(tags.size())));
    EXPECT_EQ(c.execute(sql(pick("SELECT json_extract(tags, '$[2]') FROM opinions WHERE id = ?",
                                 "SELECT tags[3] FROM opinions WHERE id = ?")),
                        {tagged})
                  .scalar(),
              strata::Value("with,comma"));
    EXPECT_EQ(c.execute(sql("SELECT tags IS NULL FROM opinions WHERE id = ?"), {no_tags}).scalar(), yes);
  }
  strata::Session s{engine_};
  auto model = s.get<Model>(model_id);
  ASSERT_NE(model, nullptr);
  ASSERT_TRUE(model->metadata_.has_value());
  EXPECT_EQ(*model->metadata_, metadata);
  EXPECT_EQ(model->metadata_->dump(), metadata.dump());  // same types and order of keys
  EXPECT_EQ((*model->metadata_)["big"].get<long long>(), 9007199254740993LL);
  auto plain = s.exec(select<Model>().where(col<Model>(&Model::name) == "No metadata")).one();
  EXPECT_EQ(plain->metadata_, std::nullopt);

  auto oa = s.get<Opinion>(tagged);
  ASSERT_NE(oa, nullptr);
  EXPECT_EQ(oa->tags, std::optional<std::vector<std::string>>(tags));
  auto ob = s.get<Opinion>(empty_tags);
  ASSERT_NE(ob, nullptr);
  EXPECT_EQ(ob->tags, std::optional<std::vector<std::string>>(std::vector<std::string>{}));  // not NULL
  auto oc = s.get<Opinion>(no_tags);
  ASSERT_NE(oc, nullptr);
  EXPECT_EQ(oc->tags, std::nullopt);

  // Changing a document or a list in place is seen by dirty tracking.
  (*model->metadata_)["context_window"] = 200000;
  oa->tags->push_back("long-context");
  EXPECT_TRUE(s.is_modified(model));
  EXPECT_TRUE(s.is_modified(oa));
  s.commit();
  strata::Session fresh{engine_};
  auto m2 = fresh.get<Model>(model_id);
  ASSERT_NE(m2, nullptr);
  EXPECT_EQ((*m2->metadata_)["context_window"], 200000);
  EXPECT_EQ((*m2->metadata_)["pricing"], metadata["pricing"]);
  auto o2 = fresh.get<Opinion>(tagged);
  ASSERT_NE(o2, nullptr);
  ASSERT_TRUE(o2->tags.has_value());
  EXPECT_EQ(o2->tags->size(), tags.size() + 1);
  EXPECT_EQ(o2->tags->back(), "long-context");
}

TEST_P(SeedCatalog, ServerDefaultsAreReadBackAndOnupdateNowChangesUpdatedAt) {
  strata::Session s{engine_};
  auto m = s.add(make_model("GPT-4", "OpenAI"));
  EXPECT_EQ(m->created_at, std::nullopt);
  s.commit();
  // DEFAULT CURRENT_TIMESTAMP filled both, and RETURNING read them back.
  ASSERT_TRUE(m->created_at.has_value());
  ASSERT_TRUE(m->updated_at.has_value());
  const auto now = std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  EXPECT_LE(std::chrono::abs(now - *m->created_at), std::chrono::minutes(1));
  {
    auto c = engine_.connect();
    auto row = c.execute(sql("SELECT created_at, updated_at FROM models WHERE id = ?"), {m->id}).one();
    EXPECT_EQ(strata::parse_datetime_tz(sl::text_of(row[0])), m->created_at);
    EXPECT_EQ(strata::parse_datetime_tz(sl::text_of(row[1])), m->updated_at);
    c.execute_update("UPDATE models SET updated_at = '2000-01-01 00:00:00', created_at = '2000-01-01 00:00:00'");
  }
  s.refresh(m);
  const auto old = strata::parse_datetime_tz("2000-01-01 00:00:00");
  ASSERT_TRUE(old.has_value());
  ASSERT_EQ(m->updated_at, old);

  m->license = "Proprietary";
  s.commit();
  ASSERT_TRUE(m->updated_at.has_value());
  EXPECT_GT(*m->updated_at, *old);   // UPDATE ... SET updated_at = CURRENT_TIMESTAMP, read back
  EXPECT_EQ(m->created_at, old);     // untouched
  auto c = engine_.connect();
  auto row = c.execute(sql("SELECT updated_at, license FROM models WHERE id = ?"), {m->id}).one();
  EXPECT_EQ(strata::parse_datetime_tz(sl::text_of(row[0])), m->updated_at);
  EXPECT_EQ(row[1], strata::Value("Proprietary"));

  // Server defaults of the other tables too.
  auto b = s.add(make_benchmark("MMLU", std::nullopt));
  s.flush();
  auto r = s.add(make_result(m->id, b->id, 1.0, std::nullopt));
  auto o = s.add(make_opinion(m->id, "ok"));
  auto u = s.add(make_use_case(m->id, "chat"));
  s.commit();
  EXPECT_TRUE(b->created_at.has_value());
  EXPECT_TRUE(r->created_at.has_value());
  EXPECT_TRUE(o->updated_at.has_value());
  EXPECT_TRUE(u->created_at.has_value());
}

// onupdate(now()) is documented as "on every UPDATE of the row"; SQLAlchemy
// applies a column's onupdate to Core update() statements as well.
TEST_P(SeedCatalog, OnupdateNowAppliesToBulkUpdateStatements) {
  strata::Session s{engine_};
  auto m = s.add(make_model("GPT-4", "OpenAI"));
  s.commit();
  {
    auto c = engine_.connect();
    c.execute_update("UPDATE models SET updated_at = '2000-01-01 00:00:00'");
  }
  EXPECT_EQ(s.exec(strata::update<Model>().set(&Model::license, std::string("MIT"))), 1);
  s.commit();
  auto c = engine_.connect();
  EXPECT_EQ(sl::int_of(c.execute("SELECT count(*) FROM models WHERE updated_at > '2000-01-02'").scalar()), 1);
}

TEST_P(SeedCatalog, ScoresDatesAndQueries) {
  strata::Session s{engine_};
  auto f = populate(s);
  // Scores that are not exact in decimal round trip bit for bit.
  const double odd = 0.1 + 0.2;
  auto r = s.add(make_result(f.gpt->id, f.humaneval->id, odd, ymd(2024, 5, 13)));
  auto tiny = s.add(make_result(f.gpt->id, f.humaneval->id, 1e-300, ymd(2024, 5, 14)));
  f.gpt->release_date = ymd(2023, 3, 14);
  s.commit();
  const int rid = r->id, tid = tiny->id;

  strata::Session q{engine_};
  auto back = q.get<BenchmarkResult>(rid);
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->score, odd);
  EXPECT_EQ(back->date_tested, std::optional<strata::Date>(ymd(2024, 5, 13)));
  EXPECT_EQ(q.get<BenchmarkResult>(tid)->score, 1e-300);
  EXPECT_EQ(q.get<Model>(f.gpt->id)->release_date, std::optional<strata::Date>(ymd(2023, 3, 14)));

  // Results with model and benchmark names, best first, for one category.
  auto coding = q.exec(select(col<Model>(&Model::name), col<Benchmark>(&Benchmark::name),
                              col<BenchmarkResult>(&BenchmarkResult::score))
                           .join<BenchmarkResult>(col(&BenchmarkResult::model_id) == col(&Model::id))
                           .join<Benchmark>(col(&Benchmark::id) == col(&BenchmarkResult::benchmark_id))
                           .where(col<Benchmark>(&Benchmark::category) == "Coding")
                           .order_by(col<BenchmarkResult>(&BenchmarkResult::score).desc()))
                    .all();
  ASSERT_EQ(coding.size(), 3u);
  EXPECT_EQ(coding[0], std::make_tuple(std::string("Claude 3 Opus"), std::string("HumanEval"), 84.9));
  EXPECT_EQ(std::get<2>(coding[1]), odd);
  EXPECT_EQ(std::get<2>(coding[2]), 1e-300);

  // Average MMLU-and-HumanEval score per model.
  auto avg = q.exec(select(col<Model>(&Model::name), strata::orm::avg(col<BenchmarkResult>(&BenchmarkResult::score)))
                        .join<BenchmarkResult>(col(&BenchmarkResult::model_id) == col(&Model::id))
                        .group_by(col<Model>(&Model::name))
                        .order_by(col<Model>(&Model::name)))
                 .all();
  ASSERT_EQ(avg.size(), 2u);
  EXPECT_EQ(std::get<0>(avg[0]), "Claude 3 Opus");
  ASSERT_TRUE(std::get<1>(avg[0]).has_value());
  EXPECT_NEAR(*std::get<1>(avg[0]), (86.8 + 84.9) / 2, 1e-12);

  // Dates compare as dates; entities of a join come back as the session's objects.
  auto march = q.exec(select<BenchmarkResult, Benchmark>()
                          .join<Benchmark>(col(&Benchmark::id) == col(&BenchmarkResult::benchmark_id))
                          .where(col<BenchmarkResult>(&BenchmarkResult::date_tested)
                                     .between(ymd(2024, 3, 2), ymd(2024, 3, 31)))
                          .order_by(col<Benchmark>(&Benchmark::name)))
                   .all();
  ASSERT_EQ(march.size(), 2u);
  EXPECT_EQ(std::get<1>(march[0])->name, "HumanEval");
  EXPECT_EQ(std::get<1>(march[1])->name, "MMLU");
  EXPECT_EQ(std::get<0>(march[0])->model_id, f.claude->id);
  EXPECT_EQ(std::get<1>(march[1]).get(), q.get<Benchmark>(f.mmlu->id).get());
}

TEST_P(SeedCatalog, DeletingChildrenThenTheModel) {
  strata::Session s{engine_};
  auto f = populate(s);
  for (auto& r : s.exec(select<BenchmarkResult>().where(col(&BenchmarkResult::model_id) == f.gpt->id)).all())
    s.delete_(r);
  for (auto& o : s.exec(select<Opinion>().where(col(&Opinion::model_id) == f.gpt->id)).all()) s.delete_(o);
  EXPECT_EQ(s.exec(strata::delete_from<UseCase>().where(col(&UseCase::model_id) == f.gpt->id)), 1);
  s.delete_(f.gpt);
  s.commit();
  EXPECT_EQ(rows("models"), 1);
  EXPECT_EQ(rows("benchmark_results"), 2);
  EXPECT_EQ(rows("opinions"), 1);
  EXPECT_EQ(rows("use_cases"), 1);
  EXPECT_EQ(s.get<Model>(f.gpt->id), nullptr);
  EXPECT_NE(s.get<Model>(f.claude->id), nullptr);
}

// The seed's test_cascade_delete: Model.benchmark_results / opinions / use_cases
// and Benchmark.results have cascade="all, delete-orphan", so deleting a model
// (or a benchmark) deletes its children.
// The seed's cascade is the ORM relationship cascade ("all, delete-orphan"), not
// ON DELETE CASCADE in the schema (its migration has none). The children were
// added by foreign key (populate), never through the collections.
TEST_P(SeedCatalog, DeletingAModelDeletesItsResultsOpinionsAndUseCases) {
  strata::Session s{engine_};
  auto f = populate(s);
  s.delete_(f.gpt);
  s.commit();
  EXPECT_EQ(rows("models"), 1);
  EXPECT_EQ(rows("benchmark_results"), 2);
  EXPECT_EQ(rows("opinions"), 1);
  EXPECT_EQ(rows("use_cases"), 1);
  auto c = engine_.connect();
  for (const char* t : {"benchmark_results", "opinions", "use_cases"})
    EXPECT_EQ(sl::int_of(c.execute(sql(std::string("SELECT count(*) FROM ") + t + " WHERE model_id = ?"), {f.gpt->id})
                             .scalar()),
              0)
        << t;
  c.close();
  s.delete_(s.get<Benchmark>(f.mmlu->id));
  s.commit();
  EXPECT_EQ(rows("benchmark_results"), 1);  // claude's HumanEval result
}

TEST_P(SeedCatalog, UniqueNamesCompositeKeyAndPrimaryKeysRaiseUniqueViolation) {
  strata::Session s{engine_};
  auto f = populate(s);

  // models.name: UniqueConstraint (the seed's test_unique_constraint).
  // benchmarks.name
  s.add(make_benchmark("MMLU", "dup"));
  auto e = sl::catch_as<strata::UniqueViolation>([&] { s.commit(); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->table(), "benchmarks");
  EXPECT_EQ(e->constraint(), pick("benchmarks.name", "uq_benchmarks_name"));
  sl::expect_rollback_required(s);

  // uix_model_benchmark_date: same model, benchmark and date. SQLite names the columns.
  s.add(make_result(f.gpt->id, f.mmlu->id, 90.0, ymd(2024, 3, 1)));
  e = sl::catch_as<strata::UniqueViolation>([&] { s.commit(); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->table(), "benchmark_results");
  EXPECT_EQ(e->constraint(), pick(kUix, "uix_model_benchmark_date"));
  EXPECT_TRUE(sl::contains(e->sql(), "INSERT INTO \"benchmark_results\"")) << e->sql();
  sl::expect_rollback_required(s);
  EXPECT_EQ(rows("benchmark_results"), 3);

  // Another date, or no date (NULLs are distinct in a UNIQUE), is allowed.
  s.add(make_result(f.gpt->id, f.mmlu->id, 88.0, ymd(2024, 6, 1)));
  s.add(make_result(f.gpt->id, f.mmlu->id, 87.0, std::nullopt));
  s.add(make_result(f.gpt->id, f.mmlu->id, 87.5, std::nullopt));
  s.commit();
  EXPECT_EQ(rows("benchmark_results"), 6);

  // Moving a result onto an existing (model, benchmark, date) by dirty tracking.
  auto later = s.exec(select<BenchmarkResult>().where(col<BenchmarkResult>(&BenchmarkResult::date_tested) ==
                                                      ymd(2024, 6, 1)))
                   .one();
  later->date_tested = ymd(2024, 3, 1);
  e = sl::catch_as<strata::UniqueViolation>([&] { s.commit(); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->constraint(), pick(kUix, "uix_model_benchmark_date"));
  EXPECT_TRUE(sl::contains(e->sql(), "UPDATE \"benchmark_results\"")) << e->sql();
  sl::expect_rollback_required(s);
  {
    auto c = engine_.connect();
    EXPECT_EQ(sl::int_of(c.execute("SELECT count(*) FROM benchmark_results WHERE date_tested = '2024-06-01'").scalar()),
              1);
  }

  // Primary keys of the five tables, in fresh sessions (nothing loaded).
  auto expect_pk = [&](auto obj, const std::string& table) {
    strata::Session fresh{engine_};
    fresh.add(obj);
    auto pe = sl::catch_as<strata::UniqueViolation>([&] { fresh.commit(); });
    ASSERT_TRUE(pe.has_value()) << table;
    EXPECT_EQ(pe->table(), table);
    EXPECT_EQ(pe->constraint(), is_postgresql() ? "pk_" + table : table + ".id");
    sl::expect_rollback_required(fresh);
  };
  auto first_id = [&](const std::string& table) {
    auto c = engine_.connect();
    return static_cast<int>(sl::int_of(c.execute("SELECT min(id) FROM " + table).scalar()));
  };
  Model m = make_model("Gemini", "Google");
  m.id = f.gpt->id;
  expect_pk(m, "models");
  Benchmark b = make_benchmark("GSM8K", "Math");
  b.id = f.mmlu->id;
  expect_pk(b, "benchmarks");
  BenchmarkResult r = make_result(f.claude->id, f.mmlu->id, 1.0, ymd(2020, 1, 1));
  r.id = first_id("benchmark_results");
  expect_pk(r, "benchmark_results");
  Opinion o = make_opinion(f.claude->id, "dup");
  o.id = first_id("opinions");
  expect_pk(o, "opinions");
  UseCase u = make_use_case(f.claude->id, "dup");
  u.id = first_id("use_cases");
  expect_pk(u, "use_cases");

  EXPECT_EQ(rows("models"), 2);
  EXPECT_EQ(rows("benchmarks"), 2);
  EXPECT_EQ(rows("benchmark_results"), 6);
  EXPECT_EQ(rows("opinions"), 2);
  EXPECT_EQ(rows("use_cases"), 2);
  s.add(make_model("Llama 3", "Meta"));
  s.commit();
  EXPECT_EQ(rows("models"), 3);
}

TEST_P(SeedCatalog, DanglingModelOrBenchmarkRaisesForeignKeyViolation) {
  strata::Session s{engine_};
  auto f = populate(s);

  auto expect_fk = [&](auto obj, const std::string& table) {
    s.add(obj);
    auto e = sl::catch_as<strata::ForeignKeyViolation>([&] { s.commit(); });
    ASSERT_TRUE(e.has_value()) << table;
    EXPECT_EQ(e->sqlstate(), "23503");
    EXPECT_TRUE(sl::contains(e->sql(), "INSERT INTO \"" + table + "\"")) << e->sql();
    sl::expect_rollback_required(s);
  };
  expect_fk(make_result(999, f.mmlu->id, 1.0, ymd(2024, 1, 1)), "benchmark_results");      // model_id
  expect_fk(make_result(f.gpt->id, 999, 1.0, ymd(2024, 1, 1)), "benchmark_results");       // benchmark_id
  expect_fk(make_opinion(999, "about nothing"), "opinions");                                // model_id
  expect_fk(make_use_case(999, "nothing"), "use_cases");                                    // model_id

  // Re-pointing a result at no benchmark (dirty tracking).
  auto r = s.exec(select<BenchmarkResult>().where(col(&BenchmarkResult::model_id) == f.gpt->id)).one();
  r->benchmark_id = 999;
  auto e = sl::catch_as<strata::ForeignKeyViolation>([&] { s.commit(); });
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(sl::contains(e->sql(), "UPDATE \"benchmark_results\"")) << e->sql();
  sl::expect_rollback_required(s);

  EXPECT_EQ(rows("benchmark_results"), 3);
  EXPECT_EQ(rows("opinions"), 2);
  EXPECT_EQ(rows("use_cases"), 2);
  auto c = engine_.connect();
  EXPECT_EQ(sl::int_of(c.execute("SELECT count(*) FROM benchmark_results WHERE benchmark_id = 999").scalar()), 0);
  c.close();
  s.add(make_opinion(f.gpt->id, "fine"));
  s.commit();
  EXPECT_EQ(rows("opinions"), 3);
}

TEST_P(SeedCatalog, NullInNotNullColumnsRaisesNotNullViolation) {
  strata::Session s{engine_};
  populate(s);

  auto e = sl::catch_as<strata::NotNullViolation>(
      [&] { s.exec(strata::update<Opinion>().set(&Opinion::content, std::nullopt)); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->table(), "opinions");
  EXPECT_EQ(e->constraint(), "opinions.content");
  EXPECT_EQ(e->sqlstate(), "23502");
  EXPECT_TRUE(sl::contains(e->sql(), "UPDATE \"opinions\"")) << e->sql();
  s.rollback();

  e = sl::catch_as<strata::NotNullViolation>(
      [&] { s.exec(strata::update<Model>().set(&Model::organization, std::nullopt)); });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->constraint(), "models.organization");
  s.rollback();

  // A raw INSERT without a score.
  e = sl::catch_as<strata::NotNullViolation>([&] {
    s.connection().execute_update("INSERT INTO benchmark_results (model_id, benchmark_id) VALUES (1, 1)");
  });
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->table(), "benchmark_results");
  EXPECT_EQ(e->constraint(), "benchmark_results.score");
  s.rollback();

  for (const char* t : {"models", "benchmarks", "benchmark_results", "opinions", "use_cases"})
    sl::expect_every_not_null_enforced(engine_, t);

  EXPECT_EQ(rows("benchmark_results"), 3);
  auto all = s.exec(select<Opinion>().order_by(col(&Opinion::id))).all();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]->content, "Strong all-rounder.");
}

STRATA_INSTANTIATE_BACKENDS(SeedCatalog);

}  // namespace
