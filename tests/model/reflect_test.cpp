// Member-name, type-name and enum reflection (strata/model/reflect.hpp).
#include "strata/model/reflect.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "strata/model/type_map.hpp"

namespace reflect_ns::inner {
struct Point {
  int x;
  std::string label;
  std::optional<double> weight;
};
struct Base {
  int a;
};
struct Derived : Base {
  int b;
  int c;
};
enum class OrderStatus { pending, shipped = 3, delivered };
template <class T>
struct Box {
  T value;
};
}  // namespace reflect_ns::inner

// 50 members: more than the 48 the model layer promises.
struct Wide {
  int m00, m01, m02, m03, m04, m05, m06, m07, m08, m09, m10, m11, m12, m13, m14, m15, m16, m17, m18,
      m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37,
      m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, last;
};

namespace sm = strata::model;
using reflect_ns::inner::Point;

TEST(model_reflect, TypeNameDropsNamespaces) {
  static_assert(sm::type_name<Point>() == "Point");
  static_assert(sm::qualified_type_name<Point>() == "reflect_ns::inner::Point");
  EXPECT_EQ(sm::type_name<reflect_ns::inner::Box<Point>>(), "Box<reflect_ns::inner::Point>");
  EXPECT_EQ(sm::type_name<Wide>(), "Wide");
}

TEST(model_reflect, MemberNameFromPointer) {
  static_assert(sm::member_name<&Point::label>() == "label");
  static_assert(sm::member_name<&reflect_ns::inner::Derived::a>() == "a");
  static_assert(std::is_same_v<sm::class_of_t<&reflect_ns::inner::Derived::a>, reflect_ns::inner::Base>);
  static_assert(std::is_same_v<sm::member_type_t<&Point::weight>, std::optional<double>>);
}

TEST(model_reflect, AggregateCountAndBoundNames) {
  static_assert(sm::aggregate_member_count<Point> == 3);
  static_assert(sm::aggregate_member_count<reflect_ns::inner::Derived> == 3);  // base + 2
  static_assert(sm::aggregate_member_count<Wide> == 50);
  static_assert(sm::bound_member_name<Point, 3, 0>() == "x");
  static_assert(sm::bound_member_name<Point, 3, 2>() == "weight");
  static_assert(sm::bound_member_name<Wide, 50, 49>() == "last");
  EXPECT_EQ((sm::bound_member_name<Wide, 50, 17>()), "m17");
}

TEST(model_reflect, StructuredBindingAccess) {
  Point p{7, "seven", 1.5};
  EXPECT_EQ((sm::detail::nth_member<3, 1>(p)), "seven");
  sm::detail::nth_member<3, 0>(p) = 8;
  EXPECT_EQ(p.x, 8);
}

TEST(model_reflect, EnumNames) {
  using reflect_ns::inner::OrderStatus;
  constexpr auto names = sm::enum_names<OrderStatus>();
  static_assert(names[0] == "pending");
  static_assert(names[1].empty());
  static_assert(names[3] == "shipped");
  static_assert(names[4] == "delivered");
  auto t = sm::TypeMap<OrderStatus>::sql();
  EXPECT_EQ(t.kind, strata::TypeKind::Enum);
  EXPECT_EQ(t.enum_name, "order_status");
  EXPECT_EQ(t.enum_values, (std::vector<std::string>{"pending", "shipped", "delivered"}));
}

TEST(model_reflect, SnakeCase) {
  EXPECT_EQ(sm::convert::snake_case("OrderStatus"), "order_status");
  EXPECT_EQ(sm::convert::snake_case("Status"), "status");
  EXPECT_EQ(sm::convert::snake_case("HTTPCode"), "http_code");
  EXPECT_EQ(sm::convert::snake_case("already_snake"), "already_snake");
  EXPECT_EQ(sm::convert::snake_case("V2Kind"), "v2_kind");
}
