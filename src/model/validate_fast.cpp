// strata/model/validate_fast.cpp - validate_json's fast path: the plainly
// valid input of a plain model, parsed with simdjson (DOM, one reused parser
// per thread) and written straight into the object, without an
// nlohmann::json tree.
//
// It only ever answers "done, *obj is the result" or "not mine": at the first
// thing that is not plainly valid or not handled here it returns false, and
// validate_json<T> starts over on a fresh T with the nlohmann::json path
// (validate.cpp), which gives the value or the exact error list. So no error
// is produced here, and the checks and conversions it does apply are
// validate.cpp's own (validate_internal.hpp): the result is the slow path's.
//
// Falls back (returns false) on: input over 64 KiB; invalid JSON by simdjson
// (simdjson accepts no text that nlohmann::json rejects, and reads the same
// numbers and strings: both round doubles correctly, "-0" is the integer 0 in
// both); a non-object; a model with nested model members or model validators;
// an unknown key under extra_forbid(); a key given twice (nlohmann::json keeps
// the last one: let it); a missing required field; a field with custom
// validators (they would run twice when a later field falls back); a value
// whose JSON type is not the member's plain one (lax input such as "123" or
// 1.0 for an int, true for a float, is the slow path's); an integer out of the
// member's range; Numeric, Bytes, Json and string-list members; any
// constraint error; any std::exception while setting a member (a conversion
// error); a nested call on the same thread (a member conversion calling
// validate_json).
//
// Handled: null for nullable members; bool; integers (JSON integers within the
// member's range); float / double (any JSON number); strings (copied once into
// the member, in place or through FieldInfo::read from a TEXT cell, no Value);
// enums (a known enumerator name); Uuid, Date, Time, DateTime (strings that
// parse).
#include <simdjson.h>

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/validate_internal.hpp"
#include "strata/core/cell.hpp"
#include "strata/core/error.hpp"
#include "strata/model/validate.hpp"

namespace strata::model::detail {

namespace {

using Errors = std::vector<ErrorDetail>;
using simdjson::dom::element_type;

/// Larger input is left to the slow path, so that no thread keeps a parser
/// sized for a huge document (simdjson keeps its buffers between parses).
constexpr std::size_t kMaxFastBytes = std::size_t{64} * 1024;
/// Models with more fields than this are left to the slow path.
constexpr std::size_t kMaxFastFields = 256;

/// One JSON string as a TEXT cell, for FieldInfo::read: TypeMap<std::string>::
/// from_cell copies it once into the member; other maps get the Value the slow
/// path would have built (get_value). A map asking for a number or bytes of
/// it is not plain: that throws, and the caller falls back.
class TextCell final : public CellSource {
 public:
  explicit TextCell(std::string_view s) noexcept : s_(s) {}
  CellKind do_kind(int) const override { return CellKind::Text; }
  bool do_is_null(int) const override { return false; }
  std::int64_t do_get_int64(int) const override { throw Error("validate_json fast path: not a number"); }
  double do_get_double(int) const override { throw Error("validate_json fast path: not a number"); }
  std::string_view do_get_text(int) const override { return s_; }
  std::span<const std::byte> do_get_bytes(int) const override { throw Error("validate_json fast path: not bytes"); }
  Value do_get_value(int) const override { return Value(std::string(s_)); }

 private:
  std::string_view s_;
};

/// A thread's parser, and what the shared checks need: the errors they append
/// (never reported: a check that fails sends the input to the slow path;
/// cleared after each call) and the root loc. Built once per thread.
struct Slot {
  simdjson::dom::parser parser;
  Errors scratch;
  const nlohmann::json root = nlohmann::json::array();
  bool busy = false;
};

/// f's rules on a typed (non-string) value, as the slow path applies them.
bool passes(const FieldInfo& f, const Value& v, Slot& slot) {
  if (!f.rules.any()) return true;
  check_value(f, v, slot.root, slot.scratch);
  return slot.scratch.empty();
}

/// Sets `v` into *obj when it passes f's rules.
bool set_checked(const FieldInfo& f, const Value& v, void* obj, Slot& slot) {
  if (!passes(f, v, slot)) return false;
  f.set(obj, v);
  return true;
}

/// Writes JSON value `v` into member `f` of *obj when it is plainly valid.
/// May throw (the member's conversion): the caller falls back.
bool set_field(const FieldInfo& f, simdjson::dom::element v, void* obj, Slot& slot) {
  const element_type t = v.type();
  // null: the slow path's Value() (which passes every rule) into the member.
  if (t == element_type::NULL_VALUE) {
    if (!f.nullable) return false;
    f.set(obj, Value());
    return true;
  }
  if (!f.rules.validators.empty()) return false;
  switch (f.type.kind) {
    case TypeKind::Boolean: {
      bool b = false;
      if (t != element_type::BOOL || v.get_bool().get(b)) return false;
      return set_checked(f, Value(b), obj, slot);
    }
    case TypeKind::SmallInteger:
    case TypeKind::Integer:
    case TypeKind::BigInteger: {
      // UINT64 is above INT64_MAX (int_parsing_size); doubles are lax input.
      std::int64_t i = 0;
      if (t != element_type::INT64 || v.get_int64().get(i)) return false;
      const int bits = f.type.kind == TypeKind::SmallInteger ? 16 : f.type.kind == TypeKind::Integer ? 32 : 64;
      if (bits < 64) {
        const std::int64_t hi = (std::int64_t{1} << (bits - 1)) - 1, lo = -hi - 1;
        if (i > hi || i < lo) return false;
      }
      return set_checked(f, Value(i), obj, slot);
    }
    case TypeKind::Float:
    case TypeKind::Double: {
      // As nlohmann's get<double>(): an integer converts, a float is as read.
      double d = 0;
      if (t == element_type::INT64) d = static_cast<double>(v.get_int64().value_unsafe());
      else if (t == element_type::UINT64) d = static_cast<double>(v.get_uint64().value_unsafe());
      else if (t == element_type::DOUBLE) d = v.get_double().value_unsafe();
      else return false;
      return set_checked(f, Value(d), obj, slot);
    }
    case TypeKind::String:
    case TypeKind::Enum: {
      std::string_view s;
      if (t != element_type::STRING || v.get_string().get(s)) return false;
      if (f.type.kind == TypeKind::Enum) {
        bool known = false;
        for (const auto& name : f.type.enum_values) known = known || name == s;
        if (!known) return false;
      }
      if (check_string(f, s, slot.root, slot.scratch)) return false;
      // A std::string member (FieldInfo::text finds it, also an engaged
      // std::optional<std::string>): assigned in place, what from_cell of a
      // TEXT cell gives without its temporary. *obj is not const.
      if (const std::string* member = f.text ? f.text(obj) : nullptr) {
        const_cast<std::string*>(member)->assign(s);
        return true;
      }
      f.read(obj, TextCell(s), 0);
      return true;
    }
    case TypeKind::Uuid:
    case TypeKind::Date:
    case TypeKind::Time:
    case TypeKind::DateTime: {
      std::string_view s;
      if (t != element_type::STRING || v.get_string().get(s)) return false;
      auto value = value_from_string(f, s);
      return value && set_checked(f, *value, obj, slot);
    }
    default: return false;  // Numeric, Bytes, Json, StringArray: the slow path's
  }
}

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

template <class W>
W load(const char* p) noexcept {
  W w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

/// a == b, inline and a word at a time: member names are short, and a memcmp
/// call costs more than the comparison.
bool same(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char *x = a.data(), *y = b.data();
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8)
      if (load<std::uint64_t>(x + i) != load<std::uint64_t>(y + i)) return false;
    return load<std::uint64_t>(x + n - 8) == load<std::uint64_t>(y + n - 8);  // the last 8, overlapping
  }
  if (n >= 4)
    return load<std::uint32_t>(x) == load<std::uint32_t>(y) &&
           load<std::uint32_t>(x + n - 4) == load<std::uint32_t>(y + n - 4);
  for (std::size_t i = 0; i < n; ++i)
    if (x[i] != y[i]) return false;
  return true;
}

/// The fields of a model as a plain array (vector::size() divides by the
/// size of a FieldInfo).
struct Fields {
  const FieldInfo* data;
  std::size_t size;
};

/// The index of the field named `key`, or kNone. Looks from `from` on first
/// (then wraps): keys mostly come in field order.
std::size_t field_index(Fields fields, std::string_view key, std::size_t from) noexcept {
  for (std::size_t k = 0, i = from; k < fields.size; ++k, i = i + 1 == fields.size ? 0 : i + 1)
    if (same(fields.data[i].member, key)) return i;
  return kNone;
}

bool fill(const ModelInfo& mi, simdjson::dom::object o, void* obj, Slot& slot) {
  const Fields fields{mi.fields.data(), mi.fields.size()};
  std::bitset<kMaxFastFields> seen;
  std::size_t next = 0;
  for (const simdjson::dom::key_value_pair kv : o) {
    const std::size_t i = field_index(fields, kv.key, next);
    if (i == kNone) {
      if (mi.extra_forbid) return false;
      continue;
    }
    if (seen[i]) return false;
    seen[i] = true;
    next = i + 1 == fields.size ? 0 : i + 1;
    if (!set_field(fields.data[i], kv.value, obj, slot)) return false;
  }
  for (std::size_t i = 0; i < fields.size; ++i)
    if (!seen[i] && fields.data[i].required) return false;
  return true;
}

}  // namespace

bool validate_fast(const ModelInfo& mi, std::string_view text, void* obj) {
  if (!mi.nested.empty() || !mi.model_validators.empty() || mi.fields.size() > kMaxFastFields ||
      text.size() > kMaxFastBytes)
    return false;
  thread_local Slot slot;
  if (slot.busy) return false;
  slot.busy = true;
  struct Release {
    Slot& slot;
    ~Release() {
      slot.busy = false;
      slot.scratch.clear();
    }
  } release{slot};
  simdjson::dom::object o;
  // parse(ptr, len) copies the text into the parser's padded buffer (reused).
  if (slot.parser.parse(text.data(), text.size()).get_object().get(o)) return false;
  try {
    return fill(mi, o, obj, slot);
  } catch (const std::exception&) {
    // A member's conversion, a check: the slow path meets the same exception
    // and reports it (value_error) or lets it out. Anything else (not a
    // std::exception) leaves from here, as it would from the slow path.
    return false;
  }
}

}  // namespace strata::model::detail
