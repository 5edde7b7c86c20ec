// The AI model catalogue's models (seed 004, SQLModel on PostgreSQL): models,
// benchmarks, benchmark_results, opinions and use_cases, with JSONB metadata and
// TEXT[] tags. The demo (scripts/demo) migrates, loads and queries them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "strata/core/datetime.hpp"
#include "strata/core/uuid.hpp"
#include "strata/model/model.hpp"

namespace catalog {

struct TimestampMixin {
  std::optional<strata::DateTimeTz> created_at;
  std::optional<strata::DateTimeTz> updated_at;
};
STRATA_MODEL(TimestampMixin, field<&TimestampMixin::created_at>().server_default(now()),
             field<&TimestampMixin::updated_at>().server_default(now()).onupdate(now()));

struct ModelBase {
  std::string name;
  std::string organization;
  std::optional<strata::Date> release_date;
  std::optional<std::string> description;  // Text
  std::optional<std::string> license;
};
struct BenchmarkResult;
struct Opinion;
struct UseCase;
struct Model : ModelBase, TimestampMixin {
  int id = 0;
  std::optional<strata::Json> metadata_;  // column "metadata" (JSONB)
  // Relationships (cascade "all, delete-orphan", as the seed's sa_relationship_kwargs)
  strata::Many<BenchmarkResult> benchmark_results;
  strata::Many<Opinion> opinions;
  strata::Many<UseCase> use_cases;
};
STRATA_MODEL(ModelBase, field<&ModelBase::name>().max_length(255).index().unique(),
             field<&ModelBase::organization>().max_length(255),
             field<&ModelBase::license>().max_length(255));
STRATA_TABLE(Model, "models", extends<ModelBase, TimestampMixin>(),
             field<&Model::id>().primary_key().autoincrement(),
             field<&Model::metadata_>().name("metadata"),
             relationship<&Model::benchmark_results>().back_populates("model").cascade("all, delete-orphan"),
             relationship<&Model::opinions>().back_populates("model").cascade("all, delete-orphan"),
             relationship<&Model::use_cases>().back_populates("model").cascade("all, delete-orphan"));

struct BenchmarkBase {
  std::string name;
  std::optional<std::string> category;
  std::optional<std::string> description;  // Text
  std::optional<std::string> url;
};
struct Benchmark : BenchmarkBase, TimestampMixin {
  int id = 0;
  strata::Many<BenchmarkResult> results;
};
STRATA_MODEL(BenchmarkBase, field<&BenchmarkBase::name>().max_length(255).index().unique(),
             field<&BenchmarkBase::category>().max_length(100).index(),
             field<&BenchmarkBase::url>().max_length(500));
STRATA_TABLE(Benchmark, "benchmarks", extends<BenchmarkBase, TimestampMixin>(),
             field<&Benchmark::id>().primary_key().autoincrement(),
             relationship<&Benchmark::results>().back_populates("benchmark").cascade("all, delete-orphan"));

struct BenchmarkResultBase {
  double score = 0;
  std::optional<strata::Date> date_tested;
  std::optional<std::string> source;
};
struct BenchmarkResult : BenchmarkResultBase, TimestampMixin {
  int id = 0;
  int model_id = 0;
  int benchmark_id = 0;
  strata::One<Model> model;
  strata::One<Benchmark> benchmark;
};
STRATA_MODEL(BenchmarkResultBase, field<&BenchmarkResultBase::source>().max_length(255));
STRATA_TABLE(BenchmarkResult, "benchmark_results", extends<BenchmarkResultBase, TimestampMixin>(),
             field<&BenchmarkResult::id>().primary_key().autoincrement(),
             field<&BenchmarkResult::model_id>().foreign_key<&Model::id>().index(),
             field<&BenchmarkResult::benchmark_id>().foreign_key<&Benchmark::id>().index(),
             relationship<&BenchmarkResult::model>().back_populates("benchmark_results"),
             relationship<&BenchmarkResult::benchmark>().back_populates("results"),
             unique_constraint<&BenchmarkResult::model_id, &BenchmarkResult::benchmark_id,
                               &BenchmarkResult::date_tested>("uix_model_benchmark_date"),
             index<&BenchmarkResult::model_id, &BenchmarkResult::benchmark_id>(
                 "ix_benchmark_results_model_benchmark"));

struct OpinionBase {
  std::string content;  // Text, NOT NULL
  std::optional<std::string> sentiment;
  std::optional<std::string> source;
  std::optional<std::string> author;
  std::optional<strata::Date> date_published;
};
struct Opinion : OpinionBase, TimestampMixin {
  int id = 0;
  int model_id = 0;
  std::optional<std::vector<std::string>> tags;  // ARRAY(String)
  strata::One<Model> model;
};
STRATA_MODEL(OpinionBase, field<&OpinionBase::sentiment>().max_length(50),
             field<&OpinionBase::source>().max_length(255),
             field<&OpinionBase::author>().max_length(255),
             field<&OpinionBase::date_published>().index());
STRATA_TABLE(Opinion, "opinions", extends<OpinionBase, TimestampMixin>(),
             field<&Opinion::id>().primary_key().autoincrement(),
             field<&Opinion::model_id>().foreign_key<&Model::id>().index(),
             field<&Opinion::tags>(),
             relationship<&Opinion::model>().back_populates("opinions"));

struct UseCaseBase {
  std::string use_case;
  std::optional<std::string> description;  // Text
  std::optional<std::string> mentioned_by;
};
struct UseCase : UseCaseBase, TimestampMixin {
  int id = 0;
  int model_id = 0;
  strata::One<Model> model;
};
STRATA_MODEL(UseCaseBase, field<&UseCaseBase::use_case>().max_length(255),
             field<&UseCaseBase::mentioned_by>().max_length(255));
STRATA_TABLE(UseCase, "use_cases", extends<UseCaseBase, TimestampMixin>(),
             field<&UseCase::id>().primary_key().autoincrement(),
             field<&UseCase::model_id>().foreign_key<&Model::id>().index(),
             relationship<&UseCase::model>().back_populates("use_cases"));

}  // namespace catalog
