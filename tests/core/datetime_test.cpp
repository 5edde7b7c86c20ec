#include "strata/core/datetime.hpp"

#include <gtest/gtest.h>

namespace {

using namespace std::chrono;
using namespace std::chrono_literals;
using strata::Date;
using strata::DateTime;
using strata::DateTimeTz;
using strata::Time;

DateTime dt(int y, unsigned mo, unsigned d, int h, int mi, int s, int us = 0) {
  return DateTime{local_days{year{y} / mo / d}.time_since_epoch()} + hours{h} + minutes{mi} + seconds{s} +
         microseconds{us};
}
DateTimeTz dtz(int y, unsigned mo, unsigned d, int h, int mi, int s, int us = 0) {
  return DateTimeTz{dt(y, mo, d, h, mi, s, us).time_since_epoch()};
}

TEST(DateTime, DateIso) {
  EXPECT_EQ(strata::to_iso(Date{2024y / 3 / 1}), "2024-03-01");
  EXPECT_EQ(strata::to_iso(Date{year{33} / 12 / 31}), "0033-12-31");
}

TEST(DateTime, TimeIsoOmitsZeroFraction) {
  EXPECT_EQ(strata::to_iso(Time{13h + 45min + 250ms}), "13:45:00.250000");
  EXPECT_EQ(strata::to_iso(Time{13h + 45min}), "13:45:00");
  EXPECT_EQ(strata::to_iso(Time{0us}), "00:00:00");
  EXPECT_EQ(strata::to_iso(Time{23h + 59min + 59s + 999999us}), "23:59:59.999999");
  EXPECT_EQ(strata::to_iso(Time{1us}), "00:00:00.000001");
}

TEST(DateTime, DateTimeIso) {
  EXPECT_EQ(strata::to_iso(dt(2024, 3, 1, 13, 45, 0, 250000)), "2024-03-01 13:45:00.250000");
  EXPECT_EQ(strata::to_iso(dt(2024, 3, 1, 13, 45, 0)), "2024-03-01 13:45:00");
  EXPECT_EQ(strata::to_iso(dt(1969, 12, 31, 23, 59, 59, 5)), "1969-12-31 23:59:59.000005");
}

TEST(DateTime, DateTimeTzIsoAlwaysUtcOffset) {
  EXPECT_EQ(strata::to_iso(dtz(2024, 3, 1, 13, 45, 0, 250000)), "2024-03-01 13:45:00.250000+00:00");
  EXPECT_EQ(strata::to_iso(dtz(2024, 3, 1, 0, 0, 0)), "2024-03-01 00:00:00+00:00");
}

TEST(DateTime, ParseDate) {
  EXPECT_EQ(strata::parse_date("2024-03-01"), Date{2024y / 3 / 1});
  EXPECT_EQ(strata::parse_date("2024-02-29"), Date{2024y / 2 / 29});
  EXPECT_FALSE(strata::parse_date("2023-02-29"));
  EXPECT_FALSE(strata::parse_date("2024-13-01"));
  EXPECT_FALSE(strata::parse_date("2024-3-1"));
  EXPECT_FALSE(strata::parse_date("2024-03-01 "));
  EXPECT_FALSE(strata::parse_date(""));
}

TEST(DateTime, ParseTime) {
  EXPECT_EQ(strata::parse_time("13:45:00.250000"), Time{13h + 45min + 250ms});
  EXPECT_EQ(strata::parse_time("13:45:00.25"), Time{13h + 45min + 250ms});
  EXPECT_EQ(strata::parse_time("13:45:07"), Time{13h + 45min + 7s});
  EXPECT_EQ(strata::parse_time("13:45"), Time{13h + 45min});
  EXPECT_EQ(strata::parse_time("00:00:00.000001"), Time{1us});
  EXPECT_FALSE(strata::parse_time("24:00:00"));
  EXPECT_FALSE(strata::parse_time("12:60:00"));
  EXPECT_FALSE(strata::parse_time("12:00:00."));
  EXPECT_FALSE(strata::parse_time("12:00:00.1234567"));
  EXPECT_FALSE(strata::parse_time("12:00:00Z"));
}

TEST(DateTime, ParseDateTime) {
  const DateTime want = dt(2024, 3, 1, 13, 45, 0, 250000);
  EXPECT_EQ(strata::parse_datetime("2024-03-01 13:45:00.250000"), want);
  EXPECT_EQ(strata::parse_datetime("2024-03-01T13:45:00.25"), want);
  EXPECT_EQ(strata::parse_datetime("2024-03-01"), dt(2024, 3, 1, 0, 0, 0));
  EXPECT_FALSE(strata::parse_datetime("2024-03-01X13:45:00"));
  EXPECT_FALSE(strata::parse_datetime("2024-03-01 13:45:00+00:00"));  // naive: no offset
  EXPECT_FALSE(strata::parse_datetime("2024-03-01 "));
}

TEST(DateTime, ParseDateTimeTzOffsets) {
  const DateTimeTz noon_utc = dtz(2024, 3, 1, 12, 0, 0);
  EXPECT_EQ(strata::parse_datetime_tz("2024-03-01 12:00:00"), noon_utc);  // no offset = UTC
  EXPECT_EQ(strata::parse_datetime_tz("2024-03-01T12:00:00Z"), noon_utc);
  EXPECT_EQ(strata::parse_datetime_tz("2024-03-01 12:00:00+00:00"), noon_utc);
  EXPECT_EQ(strata::parse_datetime_tz("2024-03-01 14:00:00+02"), noon_utc);
  EXPECT_EQ(strata::parse_datetime_tz("2024-03-01 14:00:00+02:00"), noon_utc);
  EXPECT_EQ(strata::parse_datetime_tz("2024-03-01 06:30:00-0530"), noon_utc);
  EXPECT_EQ(strata::parse_datetime_tz("2024-03-01 00:30:00.5+01:00"), dtz(2024, 2, 29, 23, 30, 0, 500000));
  EXPECT_FALSE(strata::parse_datetime_tz("2024-03-01 12:00:00+2"));
  EXPECT_FALSE(strata::parse_datetime_tz("2024-03-01 12:00:00+02:"));
  EXPECT_FALSE(strata::parse_datetime_tz("2024-03-01 12:00:00 +02:00"));
}

TEST(DateTime, IsoRoundTrips) {
  const DateTimeTz now = strata::utc_now();
  EXPECT_EQ(strata::parse_datetime_tz(strata::to_iso(now)), now);
  const DateTime local = strata::local_now_utc();
  EXPECT_EQ(strata::parse_datetime(strata::to_iso(local)), local);
  EXPECT_LE(std::chrono::abs(local.time_since_epoch() - now.time_since_epoch()), 5s);
}

}  // namespace
