// strata/core/types.cpp - names of SQL type kinds, for messages.
#include "strata/core/types.hpp"

namespace strata {

const char* to_string(TypeKind kind) noexcept {
  switch (kind) {
    case TypeKind::Boolean: return "Boolean";
    case TypeKind::SmallInteger: return "SmallInteger";
    case TypeKind::Integer: return "Integer";
    case TypeKind::BigInteger: return "BigInteger";
    case TypeKind::Float: return "Float";
    case TypeKind::Double: return "Double";
    case TypeKind::Numeric: return "Numeric";
    case TypeKind::String: return "String";
    case TypeKind::Bytes: return "Bytes";
    case TypeKind::Uuid: return "Uuid";
    case TypeKind::Date: return "Date";
    case TypeKind::Time: return "Time";
    case TypeKind::DateTime: return "DateTime";
    case TypeKind::Json: return "Json";
    case TypeKind::StringArray: return "StringArray";
    case TypeKind::Enum: return "Enum";
  }
  return "Unknown";  // unreachable for valid enumerators; keeps -Wreturn-type quiet
}

}  // namespace strata
