// Test support: one ParamView of each kind, as the drivers' tests bind them.
#pragma once

#include <string>
#include <vector>

#include "strata/core/param.hpp"
#include "strata/core/uuid.hpp"

namespace strata::testing {

/// The UUID the sample's Boxed parameter holds.
inline const char* const kSampleUuid = "123e4567-e89b-12d3-a456-426614174000";

/// Six parameters: NULL, true, -42, 2.5, a view of `text` (which must outlive
/// them) and the Uuid kSampleUuid boxed.
inline std::vector<ParamView> sample_views(const std::string& text) {
  std::vector<ParamView> p(6);
  p[1].kind = ParamView::Kind::Bool;
  p[1].integer = 1;
  p[2].kind = ParamView::Kind::Integer;
  p[2].integer = -42;
  p[3].kind = ParamView::Kind::Real;
  p[3].real = 2.5;
  p[4].kind = ParamView::Kind::Text;
  p[4].text = text;
  p[5].kind = ParamView::Kind::Boxed;
  p[5].boxed = Value(Uuid::parse(kSampleUuid));
  return p;
}

}  // namespace strata::testing
