// strata/model/build.cpp - turns a description (ModelDecl) into a ModelInfo.
//
// The templates in describe.hpp only enumerate members and record options;
// everything that needs the whole model (column names, option checks, keys,
// constraints, foreign keys) happens here, once per model, so that a model's
// compile cost stays one small function per member (fmt's print -> vprint).
#include <algorithm>
#include <exception>
#include <string>
#include <utility>

#include "strata/core/error.hpp"
#include "strata/model/detail/draft.hpp"
#include "strata/schema/naming.hpp"

namespace strata::model::detail {
namespace {

std::string at(const std::string& model, const std::string& member) {
  return "model '" + model + "' member '" + member + "': ";
}

const char* action_name(schema::FkAction a) {
  switch (a) {
    case schema::FkAction::NoAction: return "NoAction";
    case schema::FkAction::Restrict: return "Restrict";
    case schema::FkAction::Cascade: return "Cascade";
    case schema::FkAction::SetNull: return "SetNull";
    case schema::FkAction::SetDefault: return "SetDefault";
  }
  return "?";
}

struct Builder {
  ModelDraft out;
  const std::string& model;
  // Single-column UNIQUE / INDEX from field options, kept apart so that an
  // identical table-level constraint (SQLAlchemy lets both be written, e.g.
  // unique=True plus UniqueConstraint('email', name=...)) replaces them instead
  // of producing two constraints that the convention would name alike.
  std::vector<schema::UniqueConstraint> column_uniques;
  std::vector<schema::Index> column_indexes;

  explicit Builder(const std::string& m) : model(m) {}

  SchemaError error(const std::string& member, const std::string& what) const {
    return SchemaError(at(model, member) + what, model, member);
  }

  void add_field(FieldDecl& fd) {
    const ColumnOptions& o = fd.options;
    ModelInfo& mi = out.info;
    FieldInfo f;
    f.member = fd.member;
    f.column = o.column_name.empty() ? fd.member : o.column_name;
    f.key = fd.key;
    f.type = fd.type;
    f.nullable = fd.nullable;
    f.get = fd.fns.get;
    f.set = fd.fns.set;
    f.read = fd.fns.read;
    f.equal = fd.fns.equal;
    f.is_unset = fd.fns.is_unset;
    f.text = fd.fns.text;
    f.snap_put = fd.fns.snap_put;
    f.snap_equal = fd.fns.snap_equal;
    f.snap_get = fd.fns.snap_get;
    f.read_image = fd.fns.read_image;
    f.put = fd.fns.put;
    f.snap_offset = mi.snap_size;
    mi.snap_size += fd.fns.snap_size;

    schema::Column c;
    c.name = f.column;
    c.nullable = fd.nullable && !o.primary_key;  // key columns are NOT NULL, as in SQLAlchemy
    if (o.max_length) {
      if (f.type.kind != TypeKind::String)
        throw error(fd.member, "max_length(" + std::to_string(*o.max_length) +
                                   ") applies to string members, this one is " + to_string(f.type.kind));
      if (*o.max_length <= 0)
        throw error(fd.member, "max_length(" + std::to_string(*o.max_length) + ") must be positive");
      f.type.length = *o.max_length;
    }
    if (o.precision) {
      if (f.type.kind != TypeKind::Numeric)
        throw error(fd.member, "numeric(p, s) applies to strata::Numeric members, this one is " +
                                   std::string(to_string(f.type.kind)));
      if (*o.precision <= 0 || !o.scale || *o.scale < 0 || *o.scale > *o.precision)
        throw error(fd.member, "numeric(" + std::to_string(*o.precision) + ", " +
                                   std::to_string(o.scale.value_or(-1)) +
                                   ") needs 0 < precision and 0 <= scale <= precision");
      f.type.precision = o.precision;
      f.type.scale = o.scale;
    }
    c.type = f.type;
    f.primary_key = c.primary_key = o.primary_key;
    if (o.autoincrement) {
      if (!o.primary_key) throw error(fd.member, "autoincrement() needs primary_key() on the same field");
      if (!f.type.is_integer())
        throw error(fd.member, std::string("autoincrement() needs an integer member, this one is ") +
                                   to_string(f.type.kind));
      f.autoincrement = c.autoincrement = true;
    }
    if (o.server_default) {
      c.server_default = o.server_default;
      f.has_server_default = true;
    }
    if (o.onupdate && o.onupdate_sql)
      throw error(fd.member, "onupdate() is given twice (a callable and now())");
    if (o.onupdate) {
      f.onupdate = o.onupdate;
      c.has_onupdate = true;
    }
    if (o.onupdate_sql) {
      f.onupdate_sql = o.onupdate_sql;
      c.has_onupdate = true;
    }
    f.default_factory = o.default_factory;
    c.comment = o.comment;
    add_rules(fd.member, o, f);

    if (o.unique) column_uniques.push_back(schema::UniqueConstraint{{}, {c.name}});
    if (o.index) column_indexes.push_back(schema::Index{{}, {c.name}, false});
    for (const auto& ck : o.checks) mi.table.checks.push_back(ck);

    if (o.foreign_key) {
      const auto on_delete = o.on_delete.value_or(schema::FkAction::NoAction);
      const auto on_update = o.on_update.value_or(schema::FkAction::NoAction);
      for (auto [what, a] : {std::pair{"on_delete", on_delete}, std::pair{"on_update", on_update}})
        if (a == schema::FkAction::SetNull && !fd.nullable)
          throw error(fd.member, std::string(what) + "(SetNull) on a column that is not nullable; make "
                                 "the member std::optional<...> or choose another action");
      out.foreign_keys.push_back(
          PendingForeignKey{fd.member, c.name, *o.foreign_key, on_delete, on_update});
    } else if (o.on_delete || o.on_update) {
      throw error(fd.member, std::string(o.on_delete ? "on_delete(" : "on_update(") +
                                 action_name(o.on_delete ? *o.on_delete : *o.on_update) +
                                 ") without foreign_key<>()");
    }

    f.index = mi.fields.size();
    mi.fields.push_back(std::move(f));
    mi.table.columns.push_back(std::move(c));
  }

  void add_base(const BaseDecl& b) {
    const ModelDraft& bd = b.draft();
    ModelInfo& mi = out.info;
    if (!bd.info.nested.empty())
      throw SchemaError("model '" + model + "': base '" + b.name + "' has a member holding a model ('" +
                            bd.info.nested.front().member +
                            "'); models with such members cannot be given to extends<>()",
                        model);
    if (bd.info.fields.size() != b.thunks.size())
      throw SchemaError("model '" + model + "': base '" + b.name + "' has " +
                            std::to_string(bd.info.fields.size()) + " fields but " +
                            std::to_string(b.thunks.size()) + " were expected (internal error)",
                        model);
    for (std::size_t j = 0; j < b.thunks.size(); ++j) {
      FieldInfo f = bd.info.fields[j];
      f.get = b.thunks[j].get;
      f.set = b.thunks[j].set;
      f.read = b.thunks[j].read;
      f.equal = b.thunks[j].equal;
      f.is_unset = b.thunks[j].is_unset;
      f.text = b.thunks[j].text;
      f.snap_put = b.thunks[j].snap_put;
      f.snap_equal = b.thunks[j].snap_equal;
      f.snap_get = b.thunks[j].snap_get;
      f.read_image = b.thunks[j].read_image;
      // The base's image is one piece of this model's image.
      f.snap_offset = mi.snap_size + bd.info.fields[j].snap_offset;
      f.index = mi.fields.size();
      mi.table.columns.push_back(bd.info.table.columns[j]);
      mi.fields.push_back(std::move(f));
    }
    mi.snap_size += bd.info.snap_size;
    // The base's constraints, still unnamed: the derived table's convention names them.
    for (const auto& u : bd.info.table.unique_constraints) mi.table.unique_constraints.push_back(u);
    for (const auto& ix : bd.info.table.indexes) mi.table.indexes.push_back(ix);
    for (const auto& ck : bd.info.table.checks) mi.table.checks.push_back(ck);
    for (const auto& fk : bd.foreign_keys) out.foreign_keys.push_back(fk);
  }

  /// Validation options: kind checks, the pattern compiled, required-ness
  /// (before looking at the member initializer, see finish_draft).
  void add_rules(const std::string& member, const ColumnOptions& o, FieldInfo& f) const {
    f.rules = o.rules;
    const auto kind = f.type.kind;
    const bool is_string = kind == TypeKind::String;
    const bool is_number = f.type.is_integer() || kind == TypeKind::Float || kind == TypeKind::Double ||
                           kind == TypeKind::Numeric;
    auto need = [&](bool ok, const char* option, const char* what) {
      if (!ok)
        throw error(member, std::string(option) + " applies to " + what + " members, this one is " +
                                to_string(kind));
    };
    const auto& r = f.rules;
    if (r.min_length) need(is_string, "min_length()", "string");
    if (!r.pattern.empty()) need(is_string, "pattern()", "string");
    if (r.email) need(is_string, "email()", "string");
    if (r.gt) need(is_number, "gt()", "numeric");
    if (r.ge) need(is_number, "ge()", "numeric");
    if (r.lt) need(is_number, "lt()", "numeric");
    if (r.le) need(is_number, "le()", "numeric");
    if (r.multiple_of) {
      need(is_number, "multiple_of()", "numeric");
      if (!(r.multiple_of->value > 0)) throw error(member, "multiple_of(" + r.multiple_of->text() + ") must be positive");
    }
    if (!r.pattern.empty()) {
      try {
        f.rules.regex = compile_pattern(r.pattern);
      } catch (const std::exception& e) {
        throw error(member, "pattern(\"" + r.pattern + "\") is not a valid ECMAScript regex: " + e.what());
      }
    }
    f.required = !(f.nullable || o.has_default || o.default_factory || o.server_default || f.autoincrement);
  }

  std::vector<std::string> columns_of(const std::vector<MemberKey>& keys,
                                      const std::vector<std::string>& members, const std::string& what) {
    std::vector<std::string> cols;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const FieldInfo* f = out.info.find(keys[i]);
      const std::string m = i < members.size() ? members[i] : "?";
      if (!f)
        throw SchemaError("model '" + model + "': " + what + " names member '" + m +
                              "', which is not a column of the model",
                          model, m);
      cols.push_back(f->column);
    }
    return cols;
  }
};

}  // namespace

ModelDraft finish_draft(ModelDecl&& d) {
  Builder b(d.model);
  ModelInfo& mi = b.out.info;
  mi.model = d.model;
  mi.type = d.type;
  mi.is_table = d.is_table;
  mi.table.name = d.table;
  mi.make_shared = d.make_shared;
  mi.clone = d.clone;
  mi.make_block = d.make_block;
  mi.block_at = d.block_at;
  mi.make_pooled = d.make_pooled;
  mi.read_row = d.bases.empty() ? d.read_row : nullptr;
  mi.assign = d.assign;

  for (const auto& base : d.bases) b.add_base(base);

  // A model without bases: its field<>() entries give options to enumerated members.
  std::vector<bool> merged(d.fields.size(), false);
  for (auto& l : d.listed) {
    auto it = std::find_if(d.fields.begin(), d.fields.end(), [&](const FieldDecl& f) { return f.key == l.key; });
    if (it == d.fields.end()) {
      // A member holding a model: only has_default() applies.
      auto n = std::find_if(d.nested.begin(), d.nested.end(), [&](const NestedInfo& x) { return x.key == l.key; });
      if (n != d.nested.end()) {
        n->required = !l.options.has_default;
        continue;
      }
    }
    if (it == d.fields.end())
      throw b.error(l.member, "field<>() names a member that is not a column of the model");
    const auto i = static_cast<std::size_t>(it - d.fields.begin());
    if (merged[i]) throw b.error(l.member, "listed twice with field<>()");
    merged[i] = true;
    it->options = std::move(l.options);
  }
  for (auto& f : d.fields) b.add_field(f);
  mi.nested = std::move(d.nested);
  // relationship<>() entries of a model without bases give options to enumerated members.
  for (auto& l : d.listed_relations) {
    auto it = std::find_if(d.relations.begin(), d.relations.end(),
                           [&](const RelationDecl& r) { return r.key == l.key; });
    if (it == d.relations.end())
      throw b.error(l.member, "relationship<>() names a member that is not a relationship of the model");
    it->options = std::move(l.options);
  }
  b.out.relations = std::move(d.relations);
  mi.model_validators = std::move(d.model_validators);
  mi.extra_forbid = d.extra_forbid;

  // A member whose initializer differs from its value-initialized state
  // (`bool is_active = true`, `Uuid id = Uuid::v4()`) has a default.
  if (mi.make_shared) {
    const auto probe = mi.make_shared();
    for (auto& f : mi.fields)
      if (f.required && f.is_unset && !f.is_unset(probe.get())) f.required = false;
  }
  for (const auto& f : mi.fields)
    if (f.rules.any() || (f.type.kind == TypeKind::String && f.type.length)) mi.rule_fields.push_back(f.index);
  mi.has_rules = !mi.model_validators.empty() || !mi.rule_fields.empty();

  // Column names are unique.
  for (std::size_t i = 0; i < mi.fields.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (mi.fields[i].column == mi.fields[j].column)
        throw b.error(mi.fields[i].member, "column '" + mi.fields[i].column +
                                               "' is also the column of member '" + mi.fields[j].member + "'");

  // Primary key.
  std::vector<std::string> pk_cols;
  for (const auto& f : mi.fields)
    if (f.primary_key) {
      mi.pk.push_back(f.index);
      pk_cols.push_back(f.column);
    }
  if (!pk_cols.empty()) mi.table.primary_key = schema::PrimaryKeyConstraint{{}, pk_cols};
  if (d.is_table && pk_cols.empty())
    throw SchemaError("model '" + d.model + "' (table '" + d.table +
                          "') has no primary key: mark a member with field<&T::m>().primary_key()",
                      d.model);
  for (const auto& f : mi.fields)
    if (f.autoincrement && mi.pk.size() != 1)
      throw b.error(f.member, "autoincrement() needs a single-column primary key, the key has " +
                                  std::to_string(mi.pk.size()) + " columns");

  // Table-level constraints.
  std::vector<schema::UniqueConstraint> table_uniques;
  for (const auto& u : d.uniques)
    table_uniques.push_back(
        schema::UniqueConstraint{u.name, b.columns_of(u.keys, u.members, "unique_constraint '" + u.name + "'")});
  std::vector<schema::Index> table_indexes;
  for (const auto& ix : d.indexes)
    table_indexes.push_back(
        schema::Index{ix.name, b.columns_of(ix.keys, ix.members, "index '" + ix.name + "'"), ix.unique});
  for (const auto& ck : d.checks) mi.table.checks.push_back(schema::CheckConstraint{ck.name, ck.sql});

  for (auto& u : b.column_uniques) {
    bool covered = std::any_of(table_uniques.begin(), table_uniques.end(),
                               [&](const auto& t) { return t.columns == u.columns; });
    if (!covered) mi.table.unique_constraints.push_back(std::move(u));
  }
  for (auto& u : table_uniques) mi.table.unique_constraints.push_back(std::move(u));
  for (auto& ix : b.column_indexes) {
    bool covered = std::any_of(table_indexes.begin(), table_indexes.end(),
                               [&](const auto& t) { return t.columns == ix.columns; });
    if (!covered) mi.table.indexes.push_back(std::move(ix));
  }
  for (auto& ix : table_indexes) mi.table.indexes.push_back(std::move(ix));
  return std::move(b.out);
}

ModelInfo resolve_model(const ModelDraft& draft) {
  ModelInfo mi = draft.info;
  for (const auto& p : draft.foreign_keys) {
    const std::string ref = "foreign_key<&" + p.target.model_name + "::" + p.target.member_name + ">()";
    if (!p.target.model)
      throw SchemaError(at(mi.model, p.member) + ref + " references '" + p.target.model_name +
                            "', which is not a described model",
                        mi.model, p.member);
    const ModelDraft& target = p.target.model();
    if (!target.info.is_table)
      throw SchemaError(at(mi.model, p.member) + ref + " references model '" + target.info.model +
                            "', which is not a table model (describe it with STRATA_TABLE, or give "
                            "the table model: foreign_key<&M::m, Table>())",
                        mi.model, p.member);
    const FieldInfo* col = target.info.find(p.target.key);
    if (!col)
      throw SchemaError(at(mi.model, p.member) + ref + " references member '" + p.target.member_name +
                            "', which is not a column of table model '" + target.info.model + "'",
                        mi.model, p.member);
    mi.table.foreign_keys.push_back(schema::ForeignKeyConstraint{
        {}, {p.column}, target.info.table.name, {col->column}, p.on_delete, p.on_update});
  }
  if (mi.is_table) schema::apply_naming_convention(mi.table, schema::NamingConvention{});
  if (!draft.relations.empty()) resolve_relations(draft, mi);
  return mi;
}

void rethrow_conversion(const SchemaError& e, std::string_view model, std::string_view member) {
  if (!e.model().empty()) throw e;
  throw SchemaError("model '" + std::string(model) + "' member '" + std::string(member) + "': " + e.what(),
                    std::string(model), std::string(member));
}

}  // namespace strata::model::detail
