// strata/core/uuid.hpp - a 128-bit UUID value (RFC 4122).
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace strata {

/// A UUID held by value (16 bytes). Generation and parsing use libuuid
/// (util-linux, Debian uuid-dev).
///
/// Example:
///   strata::Uuid id = strata::Uuid::v4();
///   std::string s = id.str();            // "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
///   auto back = strata::Uuid::parse(s);  // == id
class Uuid {
 public:
  /// The nil UUID (all zero).
  constexpr Uuid() noexcept = default;
  explicit constexpr Uuid(const std::array<std::uint8_t, 16>& bytes) noexcept : bytes_(bytes) {}

  /// A random (version 4) UUID.
  static Uuid v4();
  /// Parses the canonical 36-character form, or 32 hex digits without dashes
  /// (how SQLAlchemy's Uuid type stores values on SQLite), case-insensitive.
  /// Throws: ArgumentError naming the text when it is not a UUID.
  static Uuid parse(std::string_view text);
  /// As parse(), but returns std::nullopt instead of throwing.
  static std::optional<Uuid> try_parse(std::string_view text) noexcept;

  /// Canonical lower-case form with dashes (36 characters).
  std::string str() const;
  /// 32 lower-case hex digits, no dashes (SQLAlchemy's CHAR(32) storage on SQLite).
  std::string hex() const;
  const std::array<std::uint8_t, 16>& bytes() const noexcept { return bytes_; }
  bool is_nil() const noexcept;

  friend constexpr auto operator<=>(const Uuid&, const Uuid&) = default;

 private:
  std::array<std::uint8_t, 16> bytes_{};
};

}  // namespace strata

template <>
struct std::hash<strata::Uuid> {
  std::size_t operator()(const strata::Uuid& u) const noexcept {
    std::size_t h = 1469598103934665603ull;
    for (auto b : u.bytes()) h = (h ^ b) * 1099511628211ull;
    return h;
  }
};
