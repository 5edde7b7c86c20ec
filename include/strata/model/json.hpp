// strata/model/json.hpp - JSON members: includes <nlohmann/json.hpp> in full
// so that `strata::Json` (nlohmann::json) can be a member type of a model.
// type_map.hpp only needs <nlohmann/json_fwd.hpp>; include this header (or
// <nlohmann/json.hpp>) where a struct declares a Json member.
#pragma once

#include <nlohmann/json.hpp>

#include "strata/model/type_map.hpp"
