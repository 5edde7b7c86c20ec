// The unit of work's relationship side: cascades before a flush, foreign keys
// filled from related objects during it, many-to-many link rows, and delete
// cascades (strata/model/relationship.hpp, SQLAlchemy's unit of work).
#include <algorithm>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "orm/session_core.hpp"
#include "strata/core/error.hpp"
#include "strata/model/validate.hpp"
#include "strata/orm/query.hpp"
#include "strata/sql/compiler.hpp"

namespace strata::orm::detail {
namespace {

using model::ModelInfo;
using model::RelationInfo;
using model::RelationKind;

/// Copies `from`'s fields `src` into `to`'s fields `dst` (a key into a foreign key).
void copy_fields(const ModelInfo& from_mi, const void* from, const std::vector<std::size_t>& src,
                 const ModelInfo& to_mi, void* to, const std::vector<std::size_t>& dst) {
  for (std::size_t j = 0; j < src.size(); ++j) {
    Value v = from_mi.fields[src[j]].get(from);
    const model::FieldInfo& f = to_mi.fields[dst[j]];
    if (!(f.get(to) == v)) f.set(to, v);
  }
}

std::string key_text(const ModelInfo& mi, const void* obj, const std::vector<std::size_t>& fields) {
  std::string s;
  for (std::size_t i : fields) s += (s.empty() ? "" : ", ") + mi.fields[i].get(obj).repr();
  return s;
}

}  // namespace

void SessionCore::cascade_before_flush() {
  links.clear();
  link_ops.clear();
  if (gone.size() > 4096) std::erase_if(gone, [](const auto& kv) { return kv.second.expired(); });
  std::vector<InstanceState*> work;
  store.for_each([&](InstanceState& st) {
    if ((st.status == Status::Pending || st.status == Status::Persistent) && !st.info->relations.empty())
      work.push_back(&st);
  });
  std::unordered_set<const void*> visited;
  auto was_member = [&](const void* parent, std::size_t rel, const void* child) {
    auto it = tracked.find(parent);
    if (it == tracked.end() || rel >= it->second.size() || !it->second[rel]) return false;
    const auto& v = *it->second[rel];
    return std::find(v.begin(), v.end(), child) != v.end();
  };
  // Deleted by an earlier flush (and still held by some member): never added again.
  auto is_gone = [&](const void* o) {
    auto it = gone.find(o);
    return it != gone.end() && !it->second.expired();
  };
  auto add_related = [&](const model::RelationInfo& r, const std::shared_ptr<void>& o) {
    if (!r.save_update || !o) return;
    if (store.find(o.get()) || is_gone(o.get())) return;
    const ModelInfo& tmi = r.target();
    if (tmi.has_rules && opts.validate) model::check(tmi, o.get());
    add(tmi, o);
    InstanceState* st = store.find(o.get());
    if (st && !tmi.relations.empty()) work.push_back(st);
  };
  // Children that left a collection: decided after the pass, once every
  // collection has been seen (a child moved to another parent is not an orphan).
  struct Removed {
    InstanceState* parent;
    const RelationInfo* rel;
    const void* child;
  };
  std::vector<Removed> removed;
  std::unordered_set<const void*> held;  // children some loaded one-to-many collection holds
  while (!work.empty()) {
    InstanceState* st = work.back();
    work.pop_back();
    if (st->status != Status::Pending && st->status != Status::Persistent) continue;  // deleted or forgotten meanwhile
    void* obj = st->obj;
    if (!visited.insert(obj).second) continue;
    const ModelInfo& mi = *st->info;
    for (std::size_t ri = 0; ri < mi.relations.size(); ++ri) {
      const RelationInfo& r = mi.relations[ri];
      if (r.viewonly || !r.loaded(obj)) continue;
      if (!r.list) {
        std::shared_ptr<void> t = r.peek(obj);
        if (!t) continue;
        if (is_gone(t.get())) {  // its row was deleted: the member lets go
          r.set_one(obj, nullptr, false, r.name.c_str());
          continue;
        }
        InstanceState* tst = store.find(t.get());
        if (tst && tst->status == Status::MarkedDeleted) continue;
        add_related(r, t);
        if (r.kind == RelationKind::OneToMany) {  // one-to-one, the key on the other side
          links.push_back(Link{st, &r, t.get()});
          held.insert(t.get());
          if (r.back) {
            const RelationInfo& back = r.target().relations[*r.back];
            std::shared_ptr<void> cur = back.loaded(t.get()) ? back.peek(t.get()) : nullptr;
            if (cur.get() != obj || back.is_strong(t.get())) back.set_one(t.get(), st->shared(), true, back.name.c_str());
          }
          continue;
        }
        if (r.back) {  // keep the other side in step (SQLAlchemy's backref events)
          const RelationInfo& back = r.target().relations[*r.back];
          if (back.list && back.loaded(t.get())) {
            const bool present = holds(back, t.get(), obj);
            if (!present && was_member(t.get(), *r.back, obj)) {
              // Removed from the parent's collection since it was loaded: this
              // side follows (the collection's removal is handled with the parent).
              r.set_one(obj, nullptr, false, r.name.c_str());
              continue;
            }
            if (!present) back.append(t.get(), st->shared());
            if (r.is_strong(obj)) r.set_one(obj, t, true, r.name.c_str());  // the collection now holds obj
          }
        }
        continue;
      }
      // A loaded collection, against its members as last loaded / flushed.
      std::vector<const void*> before;
      if (auto it = tracked.find(obj); it != tracked.end() && ri < it->second.size() && it->second[ri])
        before = *it->second[ri];
      const std::unordered_set<const void*> was(before.begin(), before.end());
      std::unordered_set<const void*> current;
      std::vector<std::shared_ptr<void>> keep;  // the members that stay
      const std::size_t n = r.size(obj);
      for (std::size_t i = 0; i < n; ++i) {
        std::shared_ptr<void> c = r.shared_at(obj, i);
        if (is_gone(c.get())) continue;  // its row was deleted: it leaves the collection
        InstanceState* cst = store.find(c.get());
        const bool deleting = cst && cst->status == Status::MarkedDeleted;
        const RelationInfo* back =
            r.kind == RelationKind::OneToMany && r.back ? &r.target().relations[*r.back] : nullptr;
        std::shared_ptr<void> cur = back && back->loaded(c.get()) ? back->peek(c.get()) : nullptr;
        // The child's own side changed since this collection was read
        // (child->owner = other, or nullptr): that change wins, it leaves.
        if (!deleting && back && cur.get() != obj && back->loaded(c.get()) && was.count(c.get())) continue;
        current.insert(c.get());
        keep.push_back(c);
        if (deleting) continue;
        if (back && (cur.get() != obj || back->is_strong(c.get()))) back->set_one(c.get(), st->shared(), true, back->name.c_str());
        add_related(r, c);
        if (r.kind == RelationKind::OneToMany) {
          links.push_back(Link{st, &r, c.get()});
          held.insert(c.get());
        }
      }
      if (keep.size() != n) {
        r.reset(obj, r.name.c_str());
        for (const auto& k : keep) r.append(obj, k);
      }
      if (r.kind == RelationKind::ManyToMany) {
        for (const auto& k : keep)
          if (!was.count(k.get())) link_ops.push_back(LinkOp{st, &r, k, true});
        for (const void* b : before)
          if (!current.count(b))
            if (InstanceState* bst = store.find(b)) link_ops.push_back(LinkOp{st, &r, bst->shared(), false});
        continue;
      }
      for (const void* b : before)
        if (!current.count(b)) removed.push_back(Removed{st, &r, b});
    }
  }
  // Orphans: removed from a collection and held by no other one.
  for (const Removed& x : removed) {
    if (held.count(x.child)) continue;  // moved to another parent
    InstanceState* cst = store.find(x.child);
    if (!cst || cst->status == Status::MarkedDeleted || x.parent->status == Status::Free) continue;
    const RelationInfo& r = *x.rel;
    const ModelInfo& mi = *x.parent->info;
    const ModelInfo& cmi = *cst->info;
    void* child = cst->obj;
    const void* obj = x.parent->obj;
    if (r.back) {  // the child's own side names another parent: it moved
      const RelationInfo& back = cmi.relations[*r.back];
      std::shared_ptr<void> cur = back.loaded(child) ? back.peek(child) : nullptr;
      if (cur && cur.get() != obj) continue;
    }
    if (r.delete_orphan) {
      delete_object(cmi, child);
      continue;
    }
    // Detach: the child no longer refers to this parent.
    for (std::size_t j : r.remote)
      if (!cmi.fields[j].nullable)
        throw InvalidRequestError("'" + r.name + "': an object of model '" + cmi.model +
                                  "' was removed from the collection, but its foreign key member '" +
                                  cmi.fields[j].member +
                                  "' is not nullable; add cascade \"delete-orphan\" to delete such children, "
                                  "or delete it yourself");
    (void)mi;
    for (std::size_t j : r.remote) cmi.fields[j].set(child, Value{});
    if (r.back) {
      const RelationInfo& back = cmi.relations[*r.back];
      if (back.loaded(child) && back.peek(child).get() == obj) back.set_one(child, nullptr, false, back.name.c_str());
    }
  }
}

void SessionCore::sync_foreign_keys(InstanceState& st, const std::unordered_set<const void*>& unwritten) {
  const ModelInfo& mi = *st.info;
  void* obj = st.obj;
  auto check_parent = [&](const ModelInfo& pmi, const void* parent, const RelationInfo& r) {
    if (!unwritten.count(parent)) return;
    throw CircularDependencyError(
        "cannot order the INSERTs: the new '" + mi.model + "' (table '" + mi.table.name + "') refers through '" +
        r.name + "' to a new '" + pmi.model + "' (table '" + pmi.table.name +
        "') that is inserted after it (the two tables refer to each other, or the objects form a cycle); "
        "flush the parent first, or break the cycle");
  };
  for (const RelationInfo& r : mi.relations) {
    if (r.viewonly || r.kind != RelationKind::ManyToOne || !r.loaded(obj)) continue;
    std::shared_ptr<void> t = r.peek(obj);
    if (!t) continue;
    if (InstanceState* tst = store.find(t.get()); tst && tst->status == Status::MarkedDeleted) continue;
    const ModelInfo& tmi = r.target();
    check_parent(tmi, t.get(), r);
    copy_fields(tmi, t.get(), r.remote, mi, obj, r.local);
  }
  auto range = child_links.equal_range(obj);
  for (auto it = range.first; it != range.second; ++it) {
    const Link& l = links[it->second];
    if (l.parent->status != Status::Pending && l.parent->status != Status::Persistent) continue;
    const ModelInfo& pmi = *l.parent->info;
    check_parent(pmi, l.parent->obj, *l.rel);
    copy_fields(pmi, l.parent->obj, l.rel->local, mi, obj, l.rel->remote);
  }
}

bool SessionCore::order_group(std::vector<InstanceState*>& group) {
  // Objects of one model that refer to each other (a self-referential
  // relationship): parents first; a cycle is named.
  if (group.size() < 2 || group.front()->info->relations.empty()) return false;
  std::unordered_map<const void*, std::size_t> pos;
  for (std::size_t i = 0; i < group.size(); ++i) pos[group[i]->obj] = i;
  std::vector<std::vector<std::size_t>> deps(group.size());
  bool any = false;
  for (std::size_t i = 0; i < group.size(); ++i) {
    const ModelInfo& mi = *group[i]->info;
    void* obj = group[i]->obj;
    for (const RelationInfo& r : mi.relations) {
      if (r.viewonly || r.kind != RelationKind::ManyToOne || !r.loaded(obj)) continue;
      if (std::shared_ptr<void> t = r.peek(obj))
        if (auto p = pos.find(t.get()); p != pos.end() && p->second != i) {
          deps[i].push_back(p->second);
          any = true;
        }
    }
    auto range = child_links.equal_range(obj);
    for (auto it = range.first; it != range.second; ++it)
      if (auto p = pos.find(links[it->second].parent->obj);
          links[it->second].parent->status != Status::Free && p != pos.end() && p->second != i) {
        deps[i].push_back(p->second);
        any = true;
      }
  }
  if (!any) return false;
  std::vector<int> state(group.size(), 0);  // 0 new, 1 visiting, 2 done
  std::vector<InstanceState*> out;
  std::function<void(std::size_t)> visit = [&](std::size_t i) {
    if (state[i] == 2) return;
    if (state[i] == 1) {
      const ModelInfo& mi = *group[i]->info;
      throw CircularDependencyError("cannot order the INSERTs of table '" + mi.table.name + "': the new '" + mi.model +
                                    "' objects refer to each other in a cycle (one of them has key (" +
                                    key_text(mi, group[i]->obj, mi.pk) + "))");
    }
    state[i] = 1;
    for (std::size_t d : deps[i]) visit(d);
    state[i] = 2;
    out.push_back(group[i]);
  };
  for (std::size_t i = 0; i < group.size(); ++i) visit(i);
  group = std::move(out);
  return true;
}

void SessionCore::write_link_rows(engine::Connection& c) {
  std::unordered_set<std::string> done;
  for (const LinkOp& op : link_ops) {
    if (op.parent->status != Status::Pending && op.parent->status != Status::Persistent) continue;
    const RelationInfo& r = *op.rel;
    const ModelInfo& mi = *op.parent->info;
    const ModelInfo& tmi = r.target();
    const ModelInfo& link = r.secondary();
    std::shared_ptr<void> row = link.make_shared();
    copy_fields(mi, op.parent->obj, r.local, link, row.get(), r.secondary_local);
    copy_fields(tmi, op.target.get(), r.remote, link, row.get(), r.secondary_remote);
    // The pair by the link row's own columns (in field order), so that the
    // same row changed from both sides is written once.
    std::vector<std::size_t> cols(r.secondary_local);
    cols.insert(cols.end(), r.secondary_remote.begin(), r.secondary_remote.end());
    std::sort(cols.begin(), cols.end());
    std::string id = link.table.name + (op.add ? "+" : "-") + key_text(link, row.get(), cols);
    if (!done.insert(std::move(id)).second) continue;  // both sides of a pair were changed
    if (op.add) {
      InstanceState tmp;
      tmp.info = &link;
      tmp.obj = row.get();
      tmp.own = row;
      insert(link, plan(link), tmp, c);
    } else {
      sql::Delete d;
      d.table = link.table.name;
      for (std::size_t j : r.secondary_local)
        d.where = sql::and_(d.where, sql::binary(sql::BinaryOp::Eq, sql::column({}, link.fields[j].column),
                                                 sql::bind(link.fields[j].get(row.get()))));
      for (std::size_t j : r.secondary_remote)
        d.where = sql::and_(d.where, sql::binary(sql::BinaryOp::Eq, sql::column({}, link.fields[j].column),
                                                 sql::bind(link.fields[j].get(row.get()))));
      {
        sql::Compiled q = c.dialect().compile(sql::Statement{std::move(d)});
        c.execute_update(q.sql, q.params);  // run now (a SQLite cursor runs on its first step)
      }
    }
  }
}

void SessionCore::delete_link_rows(InstanceState& st, engine::Connection& c) {
  const ModelInfo& mi = *st.info;
  for (const RelationInfo& r : mi.relations) {
    if (r.viewonly || r.kind != RelationKind::ManyToMany) continue;
    const ModelInfo& link = r.secondary();
    sql::Delete d;
    d.table = link.table.name;
    for (std::size_t j = 0; j < r.local.size(); ++j)
      d.where = sql::and_(d.where, sql::binary(sql::BinaryOp::Eq, sql::column({}, link.fields[r.secondary_local[j]].column),
                                               sql::bind(mi.fields[r.local[j]].get(st.obj))));
    {
        sql::Compiled q = c.dialect().compile(sql::Statement{std::move(d)});
        c.execute_update(q.sql, q.params);  // run now (a SQLite cursor runs on its first step)
      }
  }
}

void SessionCore::delete_object(const ModelInfo& mi, const void* obj) {
  InstanceState* st = store.find(obj);
  if (!st || st->status == Status::MarkedDeleted) return;
  void* o = st->obj;
  std::shared_ptr<void> keep = st->shared();
  const bool persistent = st->status == Status::Persistent;
  if (st->status == Status::Pending) {
    store.remove(*st);  // never written: simply forget it
  } else {
    st->status = Status::MarkedDeleted;
    marked_deleted.push_back(o);
  }
  for (std::size_t ri = 0; ri < mi.relations.size(); ++ri) {
    const RelationInfo& r = mi.relations[ri];
    if (r.viewonly || r.kind == RelationKind::ManyToMany) continue;  // link rows: at flush
    if (r.delete_) {
      // The children to delete: those the member holds, and those in the
      // database (as SQLAlchemy, deleting the parent loads the children it must
      // delete). A loaded collection of a persistent parent is read again too:
      // Strata never expires it, so it may miss rows. A new parent's collection
      // starts loaded and empty and stays so when children are added by foreign
      // key (Opinion{.model_id = m->id}) or by another session; trusting it
      // left those children, and the parent's DELETE failed on their foreign key.
      const bool loaded = r.loaded(o);
      std::vector<std::shared_ptr<void>> kids;
      if (loaded) {
        if (r.list)
          for (std::size_t i = 0, n = r.size(o); i < n; ++i) kids.push_back(r.shared_at(o, i));
        else if (std::shared_ptr<void> t = r.peek(o))
          kids.push_back(std::move(t));
      }
      if (!r.passive_deletes && (!loaded || (r.list && persistent))) {
        LoaderOption opt;
        opt.key = r.key;
        std::vector<std::shared_ptr<void>> found = selectin_level(mi, {keep}, opt);
        const ModelInfo& tmi0 = r.target();
        for (auto& f : found) {
          // A child given to another parent in memory (not flushed yet) stays.
          if (r.back) {
            const RelationInfo& back = tmi0.relations[*r.back];
            std::shared_ptr<void> cur = back.loaded(f.get()) ? back.peek(f.get()) : nullptr;
            if (cur && cur.get() != o) continue;
          }
          kids.push_back(std::move(f));
        }
      } else if (!loaded) {
        continue;  // passive_deletes: left to the database's ON DELETE CASCADE
      }
      const ModelInfo& tmi = r.target();
      for (const auto& k : kids) delete_object(tmi, k.get());  // one already marked deleted is skipped
    } else if (r.kind == RelationKind::OneToMany && r.loaded(o)) {
      // Children stay; they no longer refer to the deleted parent (SQLAlchemy
      // sets their foreign key to NULL). A non-nullable one is left to the
      // database's ON DELETE rule.
      const ModelInfo& tmi = r.target();
      const bool nullable = std::all_of(r.remote.begin(), r.remote.end(),
                                        [&](std::size_t j) { return tmi.fields[j].nullable; });
      if (!nullable) continue;
      std::vector<void*> kids;
      if (r.list)
        for (std::size_t i = 0, n = r.size(o); i < n; ++i) kids.push_back(r.at(o, i));
      else if (auto t = r.peek(o))
        kids.push_back(t.get());
      for (void* k : kids) {
        for (std::size_t j : r.remote) tmi.fields[j].set(k, Value{});
        if (r.back) {  // else the flush would copy the deleted parent's key back
          const RelationInfo& back = tmi.relations[*r.back];
          if (back.loaded(k) && back.peek(k).get() == o) back.set_one(k, nullptr, false, back.name.c_str());
        }
      }
    }
  }
}

}  // namespace strata::orm::detail
