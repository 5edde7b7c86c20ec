#include "orm/plan.hpp"

#include "strata/core/error.hpp"
#include "strata/orm/query.hpp"
#include "strata/sql/expr.hpp"

namespace strata::orm {

std::vector<sql::Expr> entity_columns(const model::ModelInfo& mi) {
  std::vector<sql::Expr> cols;
  cols.reserve(mi.fields.size());
  for (const auto& f : mi.fields) cols.push_back(sql::column(mi.table.name, f.column));
  return cols;
}

namespace detail {
namespace {

/// "pk1" = ? AND ...: the bound value is only a stand-in for the placeholder
/// (not NULL, which the compiler would turn into IS NULL).
sql::Expr pk_condition(const model::ModelInfo& mi) {
  sql::Expr where;
  for (std::size_t i : mi.pk)
    where = sql::and_(where, sql::binary(sql::BinaryOp::Eq, sql::column(mi.table.name, mi.fields[i].column),
                                         sql::bind(Value(std::int64_t{0}))));
  return where;
}

void require_pk(const model::ModelInfo& mi) {
  if (mi.pk.empty())
    throw SchemaError("model '" + mi.model + "' (table '" + mi.table.name +
                          "') has no primary key; the Session needs one to identify rows",
                      mi.model);
}

}  // namespace

const InsertPlan& Plan::insert_for(const std::string& mask, const model::ModelInfo& mi,
                                   const dialect::Dialect& d) const {
  if (last_insert && *last_insert_mask == mask) return *last_insert;
  if (auto it = inserts.find(mask); it != inserts.end()) {
    last_insert_mask = &it->first;
    last_insert = &it->second;
    return it->second;
  }
  InsertPlan p;
  sql::Insert ins;
  ins.table = mi.table.name;
  std::vector<Value> row;
  for (const auto& f : mi.fields) {
    if (mask[f.index] == '1') {
      p.returning.push_back(f.index);
      ins.returning.push_back(f.column);
    } else {
      p.columns.push_back(f.index);
      ins.columns.push_back(f.column);
      row.emplace_back();
    }
  }
  if (p.returning.size() == 1 && mi.fields[p.returning[0]].autoincrement && d.capabilities().postfetch_lastrowid) {
    p.lastrowid_field = p.returning[0];
    p.returning.clear();
    ins.returning.clear();
  }
  if (!p.returning.empty() && !d.capabilities().returning)
    throw UnsupportedFeature(std::string(d.name()), "INSERT ... RETURNING (needed for table '" + mi.table.name + "')");
  ins.rows.push_back(std::move(row));
  p.sql = d.compile(sql::Statement{std::move(ins)}).sql;
  auto it = inserts.emplace(mask, std::move(p)).first;
  last_insert_mask = &it->first;
  last_insert = &it->second;
  return it->second;
}

const UpdatePlan& Plan::update_for(const std::string& mask, const model::ModelInfo& mi,
                                   const dialect::Dialect& d) const {
  if (auto it = updates.find(mask); it != updates.end()) return it->second;
  UpdatePlan p;
  sql::Update up;
  up.table = mi.table.name;
  for (const auto& f : mi.fields) {
    if (mask[f.index] == '1') {
      p.columns.push_back(f.index);
      up.values.emplace_back(f.column, sql::bind(Value{}));
    } else if (mask[f.index] == 'S') {
      p.returning.push_back(f.index);
      up.values.emplace_back(f.column, sql::text(d.server_default_sql(*f.onupdate_sql)));
      up.returning.push_back(f.column);
    }
  }
  up.where = pk_condition(mi);
  p.sql = d.compile(sql::Statement{std::move(up)}).sql;
  return updates.emplace(mask, std::move(p)).first->second;
}

const Plan& PlanCache::find_or_compile(const model::ModelInfo& mi, const dialect::Dialect& d) {
  if (auto it = plans_.find(&mi); it != plans_.end()) return it->second;
  require_pk(mi);
  Plan p;
  sql::Select sel;
  sel.columns = entity_columns(mi);
  sel.from = mi.table.name;
  sel.where = pk_condition(mi);
  p.select_by_pk = d.compile(sql::Statement{std::move(sel)}).sql;
  sql::Delete del;
  del.table = mi.table.name;
  del.where = pk_condition(mi);
  p.delete_by_pk = d.compile(sql::Statement{std::move(del)}).sql;
  for (const auto& f : mi.fields)
    if (f.default_factory || f.autoincrement || f.has_server_default) p.insert_defaults.push_back(f.index);
  return plans_.emplace(&mi, std::move(p)).first->second;
}

}  // namespace detail
}  // namespace strata::orm
