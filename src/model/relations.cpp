// strata/model/relations.cpp - resolves relationship members (One<X> /
// Many<X>) against the foreign keys of both models, as SQLAlchemy's
// relationship() finds its join condition: the direction follows from which
// model holds the foreign key.
//
// Only drafts are read (never another model's info), so models that refer to
// each other (Model.opinions <-> Opinion.model) resolve without recursion.
#include <algorithm>
#include <string>
#include <vector>

#include "core/text.hpp"
#include "strata/core/error.hpp"
#include "strata/model/detail/draft.hpp"

namespace strata::model::detail {
namespace {

/// The foreign-key columns of `from` whose target is table model `to`.
std::vector<const PendingForeignKey*> keys_to(const ModelDraft& from, const ModelDraft& to) {
  std::vector<const PendingForeignKey*> out;
  for (const auto& p : from.foreign_keys)
    if (p.target.model && p.target.model().info.type == to.info.type) out.push_back(&p);
  return out;
}

struct Resolver {
  const ModelInfo& mi;
  const RelationDecl& d;

  SchemaError error(const std::string& what) const {
    return SchemaError("model '" + mi.model + "' relationship '" + d.member + "': " + what, mi.model, d.member);
  }

  std::string names(const std::vector<const PendingForeignKey*>& ks) const {
    std::string s;
    for (const auto* k : ks) s += (s.empty() ? "" : ", ") + k->member;
    return s;
  }

  /// Keeps the keys chosen by foreign_keys<>() (matched by column of `holder`).
  std::vector<const PendingForeignKey*> chosen(std::vector<const PendingForeignKey*> ks,
                                               const ModelInfo& holder) const {
    if (d.options.foreign_keys.empty()) return ks;
    std::vector<const PendingForeignKey*> out;
    for (const auto* k : ks)
      for (const auto& key : d.options.foreign_keys)
        if (const FieldInfo* f = holder.find(key); f && f->column == k->column) out.push_back(k);
    return out;
  }

  /// One join: several columns are one composite key only when they refer to
  /// distinct columns; two keys to the same column are a choice to make.
  void check_single(const std::vector<const PendingForeignKey*>& ks, const std::string& holder) const {
    for (std::size_t i = 0; i < ks.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (ks[i]->target.key == ks[j]->target.key)
          throw error("model '" + holder + "' has several foreign keys to '" + d.target_name + "' (" + names(ks) +
                      "); choose with foreign_keys<&" + holder + "::m>()");
  }

  /// Field indexes: `fk` columns in `holder`, and the referenced members in `referenced`.
  static void pairs(const std::vector<const PendingForeignKey*>& ks, const ModelInfo& holder,
                    const ModelInfo& referenced, std::vector<std::size_t>& fk_fields,
                    std::vector<std::size_t>& ref_fields, const Resolver& self) {
    for (const auto* k : ks) {
      const FieldInfo* f = holder.find_column(k->column);
      const FieldInfo* r = referenced.find(k->target.key);
      if (!f || !r)
        throw self.error("foreign key '" + k->member + "' to '" + k->target.model_name + "." +
                         k->target.member_name + "' does not name columns of both models");
      fk_fields.push_back(f->index);
      ref_fields.push_back(r->index);
    }
  }
};

void apply_cascade(RelationInfo& r, const Resolver& res) {
  const std::string& spec = *res.d.options.cascade;
  r.save_update = false;
  std::size_t pos = 0;
  while (pos <= spec.size()) {
    std::size_t comma = spec.find(',', pos);
    if (comma == std::string::npos) comma = spec.size();
    std::string word(strata::detail::trim(std::string_view(spec).substr(pos, comma - pos)));
    pos = comma + 1;
    if (word.empty()) continue;
    if (word == "all") {
      r.save_update = r.delete_ = true;
    } else if (word == "save-update") {
      r.save_update = true;
    } else if (word == "delete") {
      r.delete_ = true;
    } else if (word == "delete-orphan") {
      r.delete_orphan = true;
    } else if (word == "merge" || word == "refresh-expunge" || word == "expunge") {
      // SQLAlchemy operations Strata's Session does not have: accepted, no effect
    } else {
      throw res.error("unknown cascade '" + word +
                      "' (expected all, save-update, delete, delete-orphan, merge, refresh-expunge, expunge)");
    }
  }
}

}  // namespace

void throw_not_loaded(const char* name, const char* kind) {
  std::string what = name ? "relationship '" + std::string(name) + "'" : std::string("a ") + kind + " relationship";
  throw NotLoadedError(what +
                       " is not loaded: the object was read without it, and Strata never queries on member "
                       "access; load it with the selectin() or joined() query option, or Session::load()");
}

void throw_released(const char* name) {
  std::string what = name ? "relationship '" + std::string(name) + "'" : std::string("a One<> relationship");
  throw InvalidRequestError(what +
                            ": the parent object was released (a back-reference does not keep its parent "
                            "alive); keep the parent, or load this side with its own loader");
}

void throw_empty(const char* name) {
  std::string what = name ? "relationship '" + std::string(name) + "'" : std::string("a One<> relationship");
  throw InvalidRequestError(what + " is empty (no related object): test it with get() or operator bool first");
}

void resolve_relations(const ModelDraft& draft, ModelInfo& mi) {
  for (const RelationDecl& d : draft.relations) {
    Resolver res{mi, d};
    RelationInfo r = d.fns;
    r.member = d.member;
    r.name = mi.model + "." + d.member;
    r.key = d.key;
    r.list = d.list;
    r.target = d.target;
    r.secondary = d.options.secondary;
    r.back_populates = d.options.back_populates;
    r.passive_deletes = d.options.passive_deletes;
    if (!mi.is_table) throw res.error("relationships are allowed only in table models");
    const ModelDraft& target = d.target_draft();
    if (!target.info.is_table)
      throw res.error("'" + d.target_name + "' is not a table model (describe it with STRATA_TABLE)");
    const ModelInfo& tmi = target.info;
    // `draft` rather than `mi`: self-references compare with the target draft.
    const ModelDraft& self = draft;

    if (d.options.secondary_draft) {
      const ModelDraft& link = d.options.secondary_draft();
      if (!link.info.is_table)
        throw res.error("secondary<" + d.options.secondary_name + ">() is not a table model");
      auto to_here = res.chosen(keys_to(link, self), link.info);
      auto to_there = res.chosen(keys_to(link, target), link.info);
      if (self.info.type == target.info.type)
        throw res.error("a self-referential many-to-many is not supported yet");
      if (to_here.empty() || to_there.empty())
        throw res.error("link model '" + d.options.secondary_name + "' needs foreign keys to both '" + mi.model +
                        "' and '" + d.target_name + "'");
      res.check_single(to_here, d.options.secondary_name);
      res.check_single(to_there, d.options.secondary_name);
      r.kind = RelationKind::ManyToMany;
      Resolver::pairs(to_here, link.info, mi, r.secondary_local, r.local, res);
      Resolver::pairs(to_there, link.info, tmi, r.secondary_remote, r.remote, res);
    } else {
      auto here = res.chosen(keys_to(self, target), mi);      // this model -> X
      auto there = res.chosen(keys_to(target, self), tmi);    // X -> this model
      const bool self_ref = self.info.type == target.info.type;
      bool many_to_one;
      if (self_ref) many_to_one = !d.list;
      else if (!d.list) many_to_one = !here.empty();
      else many_to_one = false;
      if (many_to_one) {
        if (here.empty())
          throw res.error("model '" + mi.model + "' has no foreign key to '" + d.target_name +
                          "' (declare one with field<&" + mi.model + "::m>().foreign_key<&" + d.target_name +
                          "::id>())");
        res.check_single(here, mi.model);
        r.kind = RelationKind::ManyToOne;
        Resolver::pairs(here, mi, tmi, r.local, r.remote, res);
      } else {
        if (there.empty())
          throw res.error("model '" + d.target_name + "' has no foreign key to '" + mi.model +
                          "' (or give secondary<Link>() for a many-to-many)");
        res.check_single(there, d.target_name);
        r.kind = RelationKind::OneToMany;
        Resolver::pairs(there, tmi, mi, r.remote, r.local, res);
      }
    }

    if (d.options.cascade) apply_cascade(r, res);
    r.viewonly = d.options.viewonly;
    if (r.viewonly) {
      if (d.options.cascade && (r.delete_ || r.delete_orphan))
        throw res.error("viewonly() cannot have a delete or delete-orphan cascade");
      r.save_update = false;
    }
    if (r.delete_orphan && r.kind == RelationKind::ManyToOne)
      throw res.error("delete-orphan is for the one-to-many side (a parent's collection), not a many-to-one");

    if (!r.back_populates.empty()) {
      auto it = std::find_if(target.relations.begin(), target.relations.end(),
                             [&](const RelationDecl& x) { return x.member == r.back_populates; });
      if (it == target.relations.end())
        throw res.error("back_populates(\"" + r.back_populates + "\"): model '" + d.target_name +
                        "' has no relationship member '" + r.back_populates + "'");
      if (it->target_draft().info.type != self.info.type)
        throw res.error("back_populates(\"" + r.back_populates + "\"): '" + d.target_name + "." +
                        r.back_populates + "' refers to '" + it->target_name + "', not '" + mi.model + "'");
      // The other side must be of the matching kind: a collection's back is a
      // One<>, a many-to-many's back a Many<>.
      const bool want_list = r.kind == RelationKind::ManyToMany;
      if (r.kind != RelationKind::ManyToOne && it->list != want_list)
        throw res.error("back_populates(\"" + r.back_populates + "\"): '" + d.target_name + "." + r.back_populates +
                        "' is a " + (it->list ? "Many<>" : "One<>") + ", the other side of this relationship needs a " +
                        (want_list ? "Many<>" : "One<>"));
      r.back = static_cast<std::size_t>(it - target.relations.begin());
    }
    if (d.options.order_by) {
      const FieldInfo* f = tmi.find(*d.options.order_by);
      if (!f) throw res.error("order_by<&" + d.target_name + "::" + d.options.order_by_name + ">() is not a column of '" +
                              d.target_name + "'");
      r.order_by = f->index;
      r.order_desc = d.options.order_desc;
    }
    mi.relations.push_back(std::move(r));
  }
}

}  // namespace strata::model::detail
