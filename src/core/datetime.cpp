// strata/core/datetime.cpp - clocks, ISO 8601 text and parsers for the date/time types.
//
// Text forms follow Python's isoformat(sep=' '), which is what SQLAlchemy stores
// on SQLite: the fraction is printed as 6 digits, and omitted when it is zero
// ("13:45:00", "13:45:00.250000").
#include "strata/core/datetime.hpp"

#include <fmt/core.h>

namespace strata {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// "HH:MM:SS[.ffffff]" for a duration since midnight.
std::string time_text(microseconds since_midnight) {
  const auto h = std::chrono::duration_cast<hours>(since_midnight);
  const auto m = std::chrono::duration_cast<minutes>(since_midnight - h);
  const auto s = std::chrono::duration_cast<seconds>(since_midnight - h - m);
  const auto us = since_midnight - h - m - s;
  if (us.count() == 0) return fmt::format("{:02}:{:02}:{:02}", h.count(), m.count(), s.count());
  return fmt::format("{:02}:{:02}:{:02}.{:06}", h.count(), m.count(), s.count(), us.count());
}

// A forward-only reader over the text being parsed; every method returns
// false (and the caller gives up) on the first unexpected character.
struct Reader {
  std::string_view s;
  std::size_t pos = 0;

  bool at_end() const noexcept { return pos == s.size(); }
  char peek() const noexcept { return at_end() ? '\0' : s[pos]; }
  bool accept(char c) noexcept {
    if (peek() != c) return false;
    ++pos;
    return true;
  }
  // Exactly n decimal digits.
  bool digits(int n, int& out) noexcept {
    out = 0;
    for (int i = 0; i < n; ++i) {
      const char c = peek();
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
      ++pos;
    }
    return true;
  }

  bool date(Date& out) noexcept {
    int y = 0, m = 0, d = 0;
    if (!digits(4, y) || !accept('-') || !digits(2, m) || !accept('-') || !digits(2, d)) return false;
    out = Date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
               std::chrono::day{static_cast<unsigned>(d)}};
    return out.ok();
  }

  // HH:MM[:SS[.f{1,6}]] (Python's fromisoformat also accepts HH:MM).
  bool time(Time& out) noexcept {
    int h = 0, m = 0, sec = 0;
    if (!digits(2, h) || !accept(':') || !digits(2, m)) return false;
    if (accept(':') && !digits(2, sec)) return false;
    if (h > 23 || m > 59 || sec > 59) return false;
    long long frac = 0;
    if (accept('.')) {
      int n = 0;
      while (n < 6 && peek() >= '0' && peek() <= '9') {
        frac = frac * 10 + (s[pos++] - '0');
        ++n;
      }
      if (n == 0) return false;
      for (; n < 6; ++n) frac *= 10;  // ".25" is 250000 microseconds
      if (peek() >= '0' && peek() <= '9') return false;  // more than 6 digits
    }
    out.since_midnight = hours{h} + minutes{m} + seconds{sec} + microseconds{frac};
    return true;
  }

  // Z | +HH | +HH:MM | +HHMM (and '-'), as minutes east of UTC.
  bool offset(minutes& out) noexcept {
    if (accept('Z') || accept('z')) {
      out = minutes{0};
      return true;
    }
    int sign = 0;
    if (accept('+')) sign = 1;
    else if (accept('-')) sign = -1;
    else return false;
    int h = 0, m = 0;
    if (!digits(2, h)) return false;
    if (!at_end()) {
      accept(':');
      if (!digits(2, m)) return false;
    }
    if (h > 23 || m > 59) return false;
    out = minutes{sign * (h * 60 + m)};
    return true;
  }

  // date [('T'|'t'|' ') time]
  bool datetime(DateTime& out) noexcept {
    Date d;
    if (!date(d)) return false;
    Time t;
    if (!at_end()) {
      if (!(accept('T') || accept('t') || accept(' '))) return false;
      if (!time(t)) return false;
    }
    out = DateTime{std::chrono::local_days{d}.time_since_epoch()} + t.since_midnight;
    return true;
  }
};

}  // namespace

DateTimeTz utc_now() {
  return std::chrono::floor<microseconds>(std::chrono::system_clock::now());
}

DateTime local_now_utc() { return DateTime{utc_now().time_since_epoch()}; }

std::string to_iso(const Date& d) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                     static_cast<unsigned>(d.day()));
}

std::string to_iso(const Time& t) { return time_text(t.since_midnight); }

std::string to_iso(const DateTime& t) {
  const auto day = std::chrono::floor<days>(t);
  return to_iso(Date{day}) + ' ' + time_text(t - day);
}

std::string to_iso(const DateTimeTz& t) {
  return to_iso(DateTime{t.time_since_epoch()}) + "+00:00";
}

std::optional<Date> parse_date(std::string_view s) noexcept {
  Reader r{s};
  Date d;
  if (!r.date(d) || !r.at_end()) return std::nullopt;
  return d;
}

std::optional<Time> parse_time(std::string_view s) noexcept {
  Reader r{s};
  Time t;
  if (!r.time(t) || !r.at_end()) return std::nullopt;
  return t;
}

std::optional<DateTime> parse_datetime(std::string_view s) noexcept {
  // A naive DateTime takes no offset: its text must end after the time.
  Reader r{s};
  DateTime t;
  if (!r.datetime(t) || !r.at_end()) return std::nullopt;
  return t;
}

std::optional<DateTimeTz> parse_datetime_tz(std::string_view s) noexcept {
  Reader r{s};
  Date d;
  if (!r.date(d)) return std::nullopt;
  Time t;
  minutes off{0};
  if (!r.at_end()) {
    if (!(r.accept('T') || r.accept('t') || r.accept(' '))) return std::nullopt;
    if (!r.time(t)) return std::nullopt;
    if (!r.at_end() && !r.offset(off)) return std::nullopt;
    if (!r.at_end()) return std::nullopt;
  }
  // Local wall time minus its offset east of UTC is the UTC instant.
  return DateTimeTz{std::chrono::sys_days{d}.time_since_epoch()} + t.since_midnight - off;
}

}  // namespace strata
