// Shared by the relationship benchmarks (bench/relations: main.cpp on SQLite,
// postgresql.cpp on PostgreSQL): the two models, the rows, the hand-written
// structs the raw side fills, Strata's side (the same code on both databases)
// and the report.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/core.h>

#include "strata/strata.hpp"

namespace relbench {

struct Item;
struct User {
  int id = 0;
  std::string email;
  strata::Many<Item> items;
};
struct Item {
  int id = 0;
  std::string title;
  int owner_id = 0;
  strata::One<User> owner;
};
STRATA_TABLE(User, "rel_user", field<&User::id>().primary_key().autoincrement(),
             field<&User::email>().max_length(255),
             relationship<&User::items>().back_populates("owner"));
STRATA_TABLE(Item, "rel_item", field<&Item::id>().primary_key().autoincrement(),
             field<&Item::title>().max_length(255),
             field<&Item::owner_id>().foreign_key<&User::id>(),
             relationship<&Item::owner>().back_populates("items"));

/// The raw side's plain structs: each user with its items by value.
struct RawItem {
  int id = 0;
  std::string title;
  int owner_id = 0;
};
struct RawUser {
  int id = 0;
  std::string email;
  std::vector<RawItem> items;
};

/// Row contents (both sides read the same file / table, seeded once).
inline std::string email_of(std::int64_t u) { return "user" + std::to_string(u) + "@example.com"; }
inline std::string title_of(std::int64_t u, std::int64_t k) {
  return "item " + std::to_string(k) + " of user " + std::to_string(u);
}

/// What each side computes from what it loaded, so that nothing is elided and
/// both sides are checked to have read the same data: users, items, and a sum
/// of every id and string length.
struct Digest {
  std::size_t users = 0, items = 0;
  std::int64_t sum = 0;
  bool operator==(const Digest&) const = default;
};

inline Digest digest(const std::vector<std::shared_ptr<User>>& users) {
  Digest d;
  d.users = users.size();
  for (const auto& u : users) {
    d.sum += u->id + static_cast<std::int64_t>(u->email.size());
    for (const auto& it : u->items) {
      d.sum += it->id + static_cast<std::int64_t>(it->title.size()) + it->owner_id;
      ++d.items;
    }
  }
  return d;
}
inline Digest digest(const std::vector<RawUser>& users) {
  Digest d;
  d.users = users.size();
  for (const auto& u : users) {
    d.sum += u.id + static_cast<std::int64_t>(u.email.size());
    for (const auto& it : u.items) {
      d.sum += it.id + static_cast<std::int64_t>(it.title.size()) + it.owner_id;
      ++d.items;
    }
  }
  return d;
}

/// Strata's side: an engine whose before_execute counts the statements, and
/// one load per call, timed by phase.
struct StrataSide {
  int statements = 0, selects = 0;  // of the last load(), from before_execute
  double exec_s = 0, walk_s = 0, close_s = 0;  // phases of the last load()
  strata::Engine engine;

  explicit StrataSide(const std::string& url) : engine(make(url, this)) {}
  StrataSide(const StrataSide&) = delete;
  StrataSide& operator=(const StrataSide&) = delete;

  /// A new Session, select<User>() with selectin(&User::items), every user
  /// and item read, then the session closed (its objects freed).
  Digest load() {
    using clock = std::chrono::steady_clock;
    statements = selects = 0;
    const auto t0 = clock::now();
    auto s = std::make_unique<strata::Session>(engine);
    auto users = s->exec(strata::select<User>().options(strata::selectin(&User::items))).all();
    const auto t1 = clock::now();
    const Digest d = digest(users);
    const auto t2 = clock::now();
    users.clear();
    s.reset();
    const auto t3 = clock::now();
    exec_s = std::chrono::duration<double>(t1 - t0).count();
    walk_s = std::chrono::duration<double>(t2 - t1).count();
    close_s = std::chrono::duration<double>(t3 - t2).count();
    return d;
  }

 private:
  static strata::Engine make(const std::string& url, StrataSide* self) {
    strata::engine::EngineOptions o;
    o.before_execute = [self](std::string_view sql) {
      ++self->statements;
      if (sql.rfind("SELECT", 0) == 0) ++self->selects;
    };
    return strata::create_engine(strata::engine::Url::parse(url), o);
  }
};

/// Best (lowest) times of the repeats.
struct Best {
  double strata = 1e9, raw = 1e9, exec = 1e9, walk = 1e9, close = 1e9;
  void add_strata(double total, const StrataSide& s) {
    strata = std::min(strata, total);
    exec = std::min(exec, s.exec_s);
    walk = std::min(walk, s.walk_s);
    close = std::min(close, s.close_s);
  }
};

/// Prints the comment lines and "<name> strata/raw = <ratio> (...)".
inline void report(const std::string& name, const Best& b, const StrataSide& s, int raw_statements,
                   int raw_selects) {
  fmt::print("#   {:<19} {:.4f} / {:.4f}\n", name, b.strata, b.raw);
  fmt::print("#   strata phases (best of each): exec + selectin {:.4f}, walk {:.4f}, session close {:.4f}\n", b.exec,
             b.walk, b.close);
  fmt::print("{} strata/raw = {:.2f} (strata {:.3f} s, raw {:.3f} s, statements: strata {} ({} SELECT), raw {} ({} SELECT))\n",
             name, b.strata / b.raw, b.strata, b.raw, s.statements, s.selects, raw_statements, raw_selects);
}

}  // namespace relbench
