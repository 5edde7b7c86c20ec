// strata/core/datetime.hpp - date, time and timestamp types mapped to SQL.
//
// All are std::chrono types with microsecond resolution (the resolution of
// PostgreSQL's timestamp and of SQLAlchemy's SQLite storage format):
//   Date        std::chrono::year_month_day                      SQL DATE
//   Time        std::chrono::microseconds since midnight          SQL TIME
//   DateTime    std::chrono::local_time<microseconds> (naive)     SQL TIMESTAMP / DATETIME
//   DateTimeTz  std::chrono::sys_time<microseconds> (UTC instant) SQL TIMESTAMP WITH TIME ZONE
// Text forms are ISO 8601 ("2024-03-01", "13:45:00.250000",
// "2024-03-01 13:45:00.250000", "2024-03-01 13:45:00.250000+00:00").
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace strata {

using Date = std::chrono::year_month_day;
/// A time of day: microseconds since midnight, in [0, 24h).
struct Time {
  std::chrono::microseconds since_midnight{0};
  friend constexpr auto operator<=>(const Time&, const Time&) = default;
};
using DateTime = std::chrono::local_time<std::chrono::microseconds>;
using DateTimeTz = std::chrono::sys_time<std::chrono::microseconds>;

/// The current instant (UTC), microsecond resolution.
DateTimeTz utc_now();
/// The current wall-clock time in UTC as a naive DateTime (SQLite's CURRENT_TIMESTAMP).
DateTime local_now_utc();

/// ISO 8601 text of each type (see the header comment for the exact forms).
std::string to_iso(const Date& d);
std::string to_iso(const Time& t);
std::string to_iso(const DateTime& t);
std::string to_iso(const DateTimeTz& t);  ///< always with "+00:00"

/// Parsers accept the forms above, 'T' or ' ' between date and time, an optional
/// fraction of 1-6 digits, and for DateTimeTz an offset ("Z", "+02", "+02:00",
/// "-0530"); a DateTimeTz without offset is read as UTC. Return std::nullopt
/// on malformed input.
std::optional<Date> parse_date(std::string_view s) noexcept;
std::optional<Time> parse_time(std::string_view s) noexcept;
std::optional<DateTime> parse_datetime(std::string_view s) noexcept;
std::optional<DateTimeTz> parse_datetime_tz(std::string_view s) noexcept;

}  // namespace strata
