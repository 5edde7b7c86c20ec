// strata/model/dump.cpp - to_json: model objects as Pydantic v2's
// model_dump(mode="json") gives them.
#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>
#include <variant>

#include "strata/model/dump.hpp"

namespace strata::model {
namespace {

std::string base64(const Bytes& b) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((b.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < b.size(); i += 3) {
    const auto n = (std::to_integer<unsigned>(b[i]) << 16) | (std::to_integer<unsigned>(b[i + 1]) << 8) |
                   std::to_integer<unsigned>(b[i + 2]);
    for (int s : {18, 12, 6, 0}) out += alphabet[(n >> s) & 63U];
  }
  if (i < b.size()) {
    auto n = std::to_integer<unsigned>(b[i]) << 16;
    if (i + 1 < b.size()) n |= std::to_integer<unsigned>(b[i + 1]) << 8;
    out += alphabet[(n >> 18) & 63U];
    out += alphabet[(n >> 12) & 63U];
    out += i + 1 < b.size() ? alphabet[(n >> 6) & 63U] : '=';
    out += '=';
  }
  return out;
}

}  // namespace

nlohmann::json value_to_json(const Value& v) {
  return std::visit(
      [](const auto& x) -> nlohmann::json {
        using X = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<X, std::monostate>) {
          return nullptr;
        } else if constexpr (std::is_same_v<X, bool> || std::is_same_v<X, std::int64_t> ||
                             std::is_same_v<X, std::string> || std::is_same_v<X, StringList>) {
          return x;
        } else if constexpr (std::is_same_v<X, double>) {
          return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json();
        } else if constexpr (std::is_same_v<X, Bytes>) {
          return base64(x);
        } else if constexpr (std::is_same_v<X, Uuid>) {
          return x.str();
        } else if constexpr (std::is_same_v<X, DateTime> || std::is_same_v<X, DateTimeTz>) {
          std::string s = to_iso(x);  // "2024-05-01 13:45:00[+00:00]": ISO 8601 wants the T
          if (s.size() > 10 && s[10] == ' ') s[10] = 'T';
          if (s.size() >= 6 && s.compare(s.size() - 6, 6, "+00:00") == 0) s.replace(s.size() - 6, 6, "Z");
          return s;
        } else if constexpr (std::is_same_v<X, Date> || std::is_same_v<X, Time>) {
          return to_iso(x);
        } else if constexpr (std::is_same_v<X, Numeric>) {
          return x.text;
        } else {
          static_assert(std::is_same_v<X, JsonText>);
          return nlohmann::json::parse(x.text, nullptr, false);
        }
      },
      v.storage());
}

namespace {
nlohmann::json dump(const ModelInfo& mi, const void* obj, const DumpOptions& opts, std::vector<const void*>& path);
}

nlohmann::json to_json(const ModelInfo& mi, const void* obj, const DumpOptions& opts) {
  std::vector<const void*> path;
  return dump(mi, obj, opts, path);
}

namespace {
nlohmann::json dump(const ModelInfo& mi, const void* obj, const DumpOptions& opts, std::vector<const void*>& path) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& f : mi.fields) {
    if (!opts.include.empty() && !opts.include.contains(f.member)) continue;
    if (opts.exclude.contains(f.member)) continue;
    Value v = f.get(obj);
    if (opts.exclude_none && v.is_null()) continue;
    out[f.member] = value_to_json(v);
  }
  // Members holding models: dumped whole (include / exclude name the member;
  // exclude_none applies inside).
  const DumpOptions inner{.exclude_none = opts.exclude_none};
  for (const auto& n : mi.nested) {
    if (!opts.include.empty() && !opts.include.contains(n.member)) continue;
    if (opts.exclude.contains(n.member)) continue;
    const ModelInfo& sub = n.model();
    if (!n.list) {
      out[n.member] = to_json(sub, n.cref(obj), inner);
      continue;
    }
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t i = 0, size = n.size(obj); i < size; ++i) list.push_back(to_json(sub, n.cat(obj, i), inner));
    out[n.member] = std::move(list);
  }
  // Relationships: the loaded ones, nested; unloaded ones are left out. An
  // object already being dumped above (a back-reference) is left out too, so
  // that parent -> children -> parent does not recurse.
  if (!mi.relations.empty()) {
    path.push_back(obj);
    for (const auto& r : mi.relations) {
      if (!opts.include.empty() && !opts.include.contains(r.member)) continue;
      if (opts.exclude.contains(r.member)) continue;
      if (!r.loaded(obj)) continue;
      const ModelInfo& sub = r.target();
      auto on_path = [&](const void* p) { return std::find(path.begin(), path.end(), p) != path.end(); };
      if (!r.list) {
        std::shared_ptr<void> t = r.peek(obj);
        if (t && on_path(t.get())) continue;
        if (!t) {
          if (!opts.exclude_none) out[r.member] = nullptr;
          continue;
        }
        out[r.member] = dump(sub, t.get(), inner, path);
        continue;
      }
      nlohmann::json list = nlohmann::json::array();
      for (std::size_t i = 0, size = r.size(obj); i < size; ++i) {
        const void* c = r.at(obj, i);
        if (!on_path(c)) list.push_back(dump(sub, c, inner, path));
      }
      out[r.member] = std::move(list);
    }
    path.pop_back();
  }
  return out;
}
}  // namespace

}  // namespace strata::model
