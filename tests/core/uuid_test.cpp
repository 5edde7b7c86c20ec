#include "strata/core/uuid.hpp"

#include <gtest/gtest.h>

#include <set>

#include "strata/core/error.hpp"

namespace {

using strata::Uuid;

TEST(Uuid, DefaultIsNil) {
  Uuid u;
  EXPECT_TRUE(u.is_nil());
  EXPECT_EQ(u.str(), "00000000-0000-0000-0000-000000000000");
  EXPECT_EQ(u.hex(), "00000000000000000000000000000000");
}

TEST(Uuid, V4IsRandomVersion4Variant1) {
  std::set<Uuid> seen;
  for (int i = 0; i < 100; ++i) {
    Uuid u = Uuid::v4();
    EXPECT_FALSE(u.is_nil());
    EXPECT_EQ(u.bytes()[6] >> 4, 4) << u.str();
    EXPECT_EQ(u.bytes()[8] & 0xC0, 0x80) << u.str();
    EXPECT_EQ(u.str()[14], '4');
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(Uuid, ParseCanonicalRoundTrip) {
  const std::string s = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
  Uuid u = Uuid::parse(s);
  EXPECT_EQ(u.str(), s);
  EXPECT_EQ(u.hex(), "1b4e28ba2fa111d2883f0016d3cca427");
  EXPECT_EQ(u.bytes()[0], 0x1b);
  EXPECT_EQ(u.bytes()[15], 0x27);
  EXPECT_FALSE(u.is_nil());
}

TEST(Uuid, ParseHexAndUpperCase) {
  Uuid a = Uuid::parse("1B4E28BA2FA111D2883F0016D3CCA427");
  Uuid b = Uuid::parse("1B4E28BA-2fa1-11D2-883F-0016d3cca427");
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.str(), "1b4e28ba-2fa1-11d2-883f-0016d3cca427");
}

TEST(Uuid, RandomRoundTripsThroughBothForms) {
  for (int i = 0; i < 20; ++i) {
    Uuid u = Uuid::v4();
    EXPECT_EQ(Uuid::parse(u.str()), u);
    EXPECT_EQ(Uuid::parse(u.hex()), u);
    EXPECT_EQ(std::hash<Uuid>{}(Uuid::parse(u.str())), std::hash<Uuid>{}(u));
  }
}

TEST(Uuid, RejectsMalformedAndNamesTheText) {
  for (const char* bad : {"", "1b4e28ba-2fa1-11d2-883f-0016d3cca42",    // 35 chars
                          "1b4e28ba-2fa1-11d2-883f-0016d3cca4270",      // 37 chars
                          "1b4e28ba_2fa1-11d2-883f-0016d3cca427",       // wrong separator
                          "1b4e28ba-2fa1-11d2-883f-0016d3cca42g",       // not hex
                          "1b4e28ba2fa111d2883f0016d3cca42",            // 31 hex
                          "{1b4e28ba-2fa1-11d2-883f-0016d3cca427}"}) {
    EXPECT_FALSE(Uuid::try_parse(bad).has_value()) << bad;
    try {
      (void)Uuid::parse(bad);
      ADD_FAILURE() << "no throw for " << bad;
    } catch (const strata::ArgumentError& e) {
      EXPECT_NE(std::string(e.what()).find("'" + std::string(bad) + "'"), std::string::npos) << e.what();
    }
  }
}

TEST(Uuid, Ordering) {
  Uuid a = Uuid::parse("00000000-0000-0000-0000-000000000001");
  Uuid b = Uuid::parse("00000000-0000-0000-0000-000000000002");
  EXPECT_LT(a, b);
  EXPECT_NE(a, b);
}

}  // namespace
