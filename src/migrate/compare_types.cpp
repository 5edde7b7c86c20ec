// autogenerate: type equality, spelling and narrowing.
#include <algorithm>

#include "migrate/compare_detail.hpp"

namespace strata::migrate::detail {
namespace {

int integer_rank(TypeKind k) {
  switch (k) {
    case TypeKind::SmallInteger: return 1;
    case TypeKind::Integer: return 2;
    case TypeKind::BigInteger: return 3;
    default: return 0;
  }
}

std::string quoted_values(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", '" : "'") + values[i] + "'";
  return out;
}

}  // namespace

std::string join(const std::vector<std::string>& names, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += sep;
    out += names[i];
  }
  return out;
}

bool same_type(const SqlType& a, const SqlType& b, const CompareOptions& opt) {
  // Equal types spell alike in any dialect: no type_name() strings to build.
  if (a == b || !opt.dialect) return a == b;
  if (a.kind == TypeKind::Enum || b.kind == TypeKind::Enum) {
    if (a.kind != b.kind || a.enum_values != b.enum_values) return false;
    // Without a native enum type the database keeps no type name.
    return !opt.dialect->capabilities().native_enum || a.enum_name == b.enum_name;
  }
  return opt.dialect->type_name(a) == opt.dialect->type_name(b);
}

std::string type_spelling(const SqlType& t, const CompareOptions& opt) {
  // Appended piece by piece: "literal" + std::string trips GCC 12's -Wrestrict
  // false positive (GCC bug 105651) at -O3.
  if (t.kind == TypeKind::Enum) {
    std::string e = "Enum(";
    e += quoted_values(t.enum_values);
    e += ')';
    return e;
  }
  if (opt.dialect) return opt.dialect->type_name(t);
  std::string s = to_string(t.kind);
  if (t.kind == TypeKind::String && t.length) {
    s += '(';
    s += std::to_string(*t.length);
    s += ')';
  }
  if (t.kind == TypeKind::Numeric && t.precision) {
    s += '(';
    s += std::to_string(*t.precision);
    if (t.scale) {
      s += ", ";
      s += std::to_string(*t.scale);
    }
    s += ')';
  }
  if (t.kind == TypeKind::DateTime && t.timezone) s += "(timezone=true)";
  return s;
}

bool narrows(const SqlType& from, const SqlType& to) {
  if (from.kind == to.kind) {
    switch (from.kind) {
      case TypeKind::String:
        if (!to.length) return false;
        return !from.length || *to.length < *from.length;
      case TypeKind::Numeric:
        if (!to.precision) return false;
        if (!from.precision) return true;
        return *to.precision < *from.precision || to.scale.value_or(0) < from.scale.value_or(0);
      case TypeKind::Enum:
        return std::any_of(from.enum_values.begin(), from.enum_values.end(), [&](const std::string& v) {
          return std::find(to.enum_values.begin(), to.enum_values.end(), v) == to.enum_values.end();
        });
      case TypeKind::DateTime:
        return from.timezone && !to.timezone;
      default:
        return false;
    }
  }
  if (integer_rank(from.kind) && integer_rank(to.kind)) return integer_rank(to.kind) < integer_rank(from.kind);
  if (from.kind == TypeKind::Float && to.kind == TypeKind::Double) return false;
  if (from.kind == TypeKind::Json && to.kind == TypeKind::StringArray) return true;
  if (to.kind == TypeKind::String) {
    if (!to.length) return false;  // TEXT holds the text of any value
    if (from.kind == TypeKind::Enum) {
      std::size_t longest = 0;
      for (const auto& v : from.enum_values) longest = std::max(longest, v.size());
      return static_cast<std::size_t>(*to.length) < longest;
    }
  }
  return true;
}

}  // namespace strata::migrate::detail
