// strata/model/reflect.hpp - compile-time names of types, members and
// enumerators, read from g++ / clang's __PRETTY_FUNCTION__.
//
// Three techniques, all without macros per member:
//  * type_name<T>()          "[with T = app::Item]"              -> "Item"
//  * member_name<&C::m>()    "[with auto M = &app::Item::title]"   -> "title"
//  * bound_member_name<T,I>() the address of member I of a never-defined
//    `extern const T` object, reached through a structured binding, is a
//    template argument: "[with auto* P = (& fake<app::Item>.app::Item::title)]"
//    -> "title". The fake object is never odr-used at run time (no symbol is
//    needed at link time, ASan/UBSan clean).
//  * enum_names<E>()          "[with auto V = app::Status::draft]" for 0..127;
//    a value without an enumerator prints as "(app::Status)5" and is skipped.
//
// Also: aggregate_member_count<T>, the number of initializers T accepts in
// aggregate initialization (bases count as one each).
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>

#include "strata/model/detail/bindings.hpp"

namespace strata::model {

namespace detail {

/// Text of a template's "[with X = <this>; ...]" argument, starting after "= ".
constexpr std::string_view template_arg_text(std::string_view pretty) noexcept {
  auto start = pretty.find(" = ");
  if (start == std::string_view::npos) return {};
  start += 3;
  int depth = 0;
  std::size_t i = start;
  for (; i < pretty.size(); ++i) {
    char c = pretty[i];
    if (c == '<' || c == '(' || c == '{') ++depth;
    else if (c == '>' || c == ')' || c == '}') {
      if (depth == 0) break;
      --depth;
    } else if ((c == ';' || c == ']') && depth == 0) break;
  }
  return pretty.substr(start, i - start);
}

/// The part after the last "::" outside template brackets ("a::B<c::D>" -> "B<c::D>").
constexpr std::string_view strip_namespaces(std::string_view s) noexcept {
  int depth = 0;
  std::size_t cut = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '<' || c == '(') ++depth;
    else if (c == '>' || c == ')') --depth;
    else if (c == ':' && depth == 0 && i + 1 < s.size() && s[i + 1] == ':') cut = i + 2;
  }
  return s.substr(cut);
}

/// Trailing identifier of an expression such as "(& fake<X>.X::title)" or "&X::title".
constexpr std::string_view trailing_identifier(std::string_view s) noexcept {
  std::size_t end = s.size();
  while (end > 0 && (s[end - 1] == ')' || s[end - 1] == '}' || s[end - 1] == ' ')) --end;
  std::size_t begin = end;
  while (begin > 0) {
    char c = s[begin - 1];
    bool ident = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_';
    if (!ident) break;
    --begin;
  }
  return s.substr(begin, end - begin);
}

template <class T>
constexpr std::string_view pretty_type() noexcept {
  return __PRETTY_FUNCTION__;
}
template <auto V>
constexpr std::string_view pretty_value() noexcept {
  return __PRETTY_FUNCTION__;
}
template <auto* P>
constexpr std::string_view pretty_pointer() noexcept {
  return __PRETTY_FUNCTION__;
}
#if defined(__clang__)
/// clang 14 refuses a pointer to a subobject as a template argument, but takes
/// a struct holding one; its function name then reads "[W = {&fake_object.title}]".
template <class M>
struct member_address {
  const M* p;
};
template <auto W>
constexpr std::string_view pretty_wrapped() noexcept {
  return __PRETTY_FUNCTION__;
}
#endif

/// Declared, never defined: only the addresses of its members are used, and
/// only as template arguments.
template <class T>
extern const T fake_object;

/// Converts to any type; used to count aggregate initializers.
struct any_initializer {
  template <class U>
  operator U() const noexcept;  // declared only: unevaluated use
};

template <class T, std::size_t... I>
constexpr bool aggregate_accepts(std::index_sequence<I...>) noexcept {
  return requires { T{(void(I), any_initializer{})...}; };
}

template <class T, std::size_t N = 0>
constexpr std::size_t count_initializers() noexcept {
  if constexpr (N > max_bound_members + 8) {
    return N;
  } else if constexpr (aggregate_accepts<T>(std::make_index_sequence<N + 1>{})) {
    return count_initializers<T, N + 1>();
  } else {
    return N;
  }
}

}  // namespace detail

/// Unqualified name of T: type_name<app::Item>() == "Item".
template <class T>
constexpr std::string_view type_name() noexcept {
  return detail::strip_namespaces(detail::template_arg_text(detail::pretty_type<T>()));
}

/// Fully qualified name of T, as the compiler spells it ("app::Item").
template <class T>
constexpr std::string_view qualified_type_name() noexcept {
  return detail::template_arg_text(detail::pretty_type<T>());
}

/// The class that declares the data member pointed to by M (&User::email with
/// email declared in UserBase gives UserBase), and the member's type.
template <class P>
struct member_pointer_traits {};
template <class C, class M>
struct member_pointer_traits<M C::*> {
  using class_type = C;
  using member_type = M;
};
template <auto M>
using class_of_t = typename member_pointer_traits<decltype(M)>::class_type;
template <auto M>
using member_type_t = typename member_pointer_traits<decltype(M)>::member_type;

/// Name of the member that M points to: member_name<&Item::title>() == "title".
template <auto M>
constexpr std::string_view member_name() noexcept {
  static_assert(std::is_member_object_pointer_v<decltype(M)>,
                "strata: member_name<M>() takes a data member pointer such as &Item::title");
  return detail::trailing_identifier(detail::template_arg_text(detail::pretty_value<M>()));
}

/// Number of aggregate initializers of T (each base counts as one).
template <class T>
inline constexpr std::size_t aggregate_member_count = detail::count_initializers<T>();

/// Name of member I of T, an aggregate without bases of N members.
template <class T, std::size_t N, std::size_t I>
constexpr std::string_view bound_member_name() noexcept {
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wundefined-var-template"  // fake_object is never defined, by design
  using M = std::remove_cvref_t<decltype(detail::nth_member<N, I>(detail::fake_object<T>))>;
  return detail::trailing_identifier(detail::template_arg_text(
      detail::pretty_wrapped<detail::member_address<M>{&detail::nth_member<N, I>(detail::fake_object<T>)}>()));
#pragma clang diagnostic pop
#else
  return detail::trailing_identifier(detail::template_arg_text(
      detail::pretty_pointer<&detail::nth_member<N, I>(detail::fake_object<T>)>()));
#endif
}

namespace detail {

template <class E, auto V>
constexpr std::string_view enumerator_name() noexcept {
  std::string_view s = template_arg_text(pretty_value<V>());
  if (s.empty() || s.front() == '(') return {};
  return strip_namespaces(s);
}

template <class E, std::size_t... I>
constexpr auto enumerators(std::index_sequence<I...>) noexcept {
  return std::array<std::string_view, sizeof...(I)>{enumerator_name<E, static_cast<E>(I)>()...};
}

}  // namespace detail

/// Largest underlying value (exclusive) whose enumerator name is read.
inline constexpr std::size_t enum_reflect_limit = 128;

/// Enumerator names of E indexed by underlying value 0..127; empty where E
/// has no enumerator of that value.
template <class E>
constexpr auto enum_names() noexcept {
  static_assert(std::is_enum_v<E>);
  return detail::enumerators<E>(std::make_index_sequence<enum_reflect_limit>{});
}

/// A string usable as a template argument, so that diagnostics print it
/// ("[with Member = fixed_string<6>{"title"}]").
template <std::size_t N>
struct fixed_string {
  char text[N]{};
  constexpr fixed_string() noexcept = default;
  constexpr fixed_string(std::string_view s) noexcept {
    for (std::size_t i = 0; i + 1 < N && i < s.size(); ++i) text[i] = s[i];
  }
  constexpr fixed_string(const char (&s)[N]) noexcept {
    for (std::size_t i = 0; i < N; ++i) text[i] = s[i];
  }
  constexpr std::string_view view() const noexcept { return {text, N - 1}; }
};

}  // namespace strata::model
