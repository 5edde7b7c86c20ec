// strata/schema/naming.cpp - fills unnamed constraints and indexes from a
// NamingConvention (SQLAlchemy's %(token)s templates).
#include "strata/schema/naming.hpp"

#include <map>

#include "strata/core/error.hpp"
#include "strata/schema/table.hpp"

namespace strata::schema {
namespace {

using Tokens = std::map<std::string, std::string, std::less<>>;

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

// Tokens that depend on the constrained columns; column_0_* are only defined
// when there is at least one column (SQLAlchemy raises otherwise, and so do we
// when a template uses them).
Tokens column_tokens(const Table& t, const std::vector<std::string>& cols) {
  Tokens tk{{"table_name", t.name}};
  if (!cols.empty()) {
    tk["column_0_name"] = cols.front();
    tk["column_0_label"] = t.name + "_" + cols.front();
    tk["column_0_N_name"] = join(cols, "_");
    // Strata spells the multi-column label table_a_b (not SQLAlchemy's
    // table_a_table_b): shorter names, same uniqueness within one table.
    tk["column_0_N_label"] = t.name + "_" + join(cols, "_");
  }
  return tk;
}

// Replaces every %(token)s of `tmpl`. Throws SchemaError naming the table for
// an unknown token, so a typo in a convention is caught at add_table().
std::string render(std::string_view tmpl, const Tokens& tk, const Table& t) {
  std::string out;
  std::size_t i = 0;
  while (i < tmpl.size()) {
    const std::size_t open = tmpl.find("%(", i);
    if (open == std::string_view::npos) {
      out += tmpl.substr(i);
      break;
    }
    const std::size_t close = tmpl.find(")s", open);
    if (close == std::string_view::npos) {
      out += tmpl.substr(i);
      break;
    }
    out += tmpl.substr(i, open - i);
    const std::string_view key = tmpl.substr(open + 2, close - open - 2);
    auto it = tk.find(key);
    if (it == tk.end())
      throw SchemaError("table '" + t.name + "': naming convention '" + std::string(tmpl) +
                        "' uses token '" + std::string(key) + "', which is unknown or has no value here");
    out += it->second;
    i = close + 2;
  }
  return out;
}

}  // namespace

void apply_naming_convention(Table& table, const NamingConvention& conv) {
  const Table& t = table;
  if (table.primary_key && table.primary_key->name.empty() && !conv.pk.empty())
    table.primary_key->name = render(conv.pk, column_tokens(t, table.primary_key->columns), t);

  for (auto& uq : table.unique_constraints)
    if (uq.name.empty() && !conv.uq.empty()) uq.name = render(conv.uq, column_tokens(t, uq.columns), t);

  for (auto& fk : table.foreign_keys) {
    if (!fk.name.empty() || conv.fk.empty()) continue;
    Tokens tk = column_tokens(t, fk.columns);
    tk["referred_table_name"] = fk.referred_table;
    fk.name = render(conv.fk, tk, t);
  }

  for (auto& ix : table.indexes)
    if (ix.name.empty() && !conv.ix.empty()) ix.name = render(conv.ix, column_tokens(t, ix.columns), t);

  // A check's given name is the short %(constraint_name)s. To stay idempotent
  // (the model layer applies the convention, then MetaData::add_table applies
  // it again) a name that already has the convention's prefix and suffix is
  // taken as converted: "ck_item_title_len" stays, "title_len" becomes it.
  std::string prefix, suffix;
  if (!conv.ck.empty()) {
    Tokens tk{{"table_name", t.name}, {"constraint_name", "\x01"}};
    const std::string probe = render(conv.ck, tk, t);
    const std::size_t at = probe.find('\x01');
    prefix = probe.substr(0, at);
    suffix = at == std::string::npos ? std::string{} : probe.substr(at + 1);
  }
  int unnamed = 0;
  for (auto& ck : table.checks) {
    if (ck.name.empty()) {
      ++unnamed;
      if (conv.ck.empty())
        throw SchemaError("table '" + t.name + "' has a check constraint (" + ck.sqltext +
                          ") with no name and the naming convention has no 'ck' template");
      // SQLAlchemy raises here; Strata numbers the anonymous checks instead.
      ck.name = "ck_" + t.name + "_" + std::to_string(unnamed);
      continue;
    }
    if (conv.ck.empty()) continue;
    const bool converted = ck.name.size() > prefix.size() + suffix.size() &&
                           ck.name.compare(0, prefix.size(), prefix) == 0 &&
                           ck.name.compare(ck.name.size() - suffix.size(), suffix.size(), suffix) == 0;
    if (converted) continue;
    ck.name = render(conv.ck, Tokens{{"table_name", t.name}, {"constraint_name", ck.name}}, t);
  }
}

}  // namespace strata::schema
