// strata/core/uuid.cpp - Uuid generation (libuuid), parsing and text forms.
#include "strata/core/uuid.hpp"

#include <uuid/uuid.h>

#include "strata/core/error.hpp"

namespace strata {
namespace {

// -1 for a character that is not a hex digit (either case).
int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The parser is ours rather than uuid_parse(): libuuid only knows the dashed
// form and needs a NUL-terminated buffer, while SQLite storage (CHAR(32)) gives
// us 32 bare hex digits inside a string_view.
std::optional<Uuid> parse_impl(std::string_view text) noexcept {
  const bool dashed = text.size() == 36;
  if (!dashed && text.size() != 32) return std::nullopt;
  if (dashed && (text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-'))
    return std::nullopt;
  std::array<std::uint8_t, 16> bytes{};
  std::size_t pos = 0;
  for (std::size_t i = 0; i < 16; ++i) {
    if (dashed && (pos == 8 || pos == 13 || pos == 18 || pos == 23)) ++pos;
    const int hi = hex_value(text[pos]);
    const int lo = hex_value(text[pos + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    bytes[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    pos += 2;
  }
  return Uuid(bytes);
}

}  // namespace

Uuid Uuid::v4() {
  uuid_t raw;
  uuid_generate_random(raw);
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < 16; ++i) bytes[i] = raw[i];
  return Uuid(bytes);
}

Uuid Uuid::parse(std::string_view text) {
  if (auto u = parse_impl(text)) return *u;
  throw ArgumentError("invalid UUID '" + std::string(text) +
                      "': expected 36 characters (8-4-4-4-12 hex digits) or 32 hex digits");
}

std::optional<Uuid> Uuid::try_parse(std::string_view text) noexcept { return parse_impl(text); }

std::string Uuid::str() const {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(digits[bytes_[i] >> 4]);
    out.push_back(digits[bytes_[i] & 0x0f]);
  }
  return out;
}

std::string Uuid::hex() const {
  std::string s = str();
  std::erase(s, '-');
  return s;
}

bool Uuid::is_nil() const noexcept {
  for (auto b : bytes_)
    if (b != 0) return false;
  return true;
}

}  // namespace strata
