// strata/model/model.hpp - the model layer in one include: STRATA_MODEL /
// STRATA_TABLE (describe.hpp), TypeMap (type_map.hpp), JSON members
// (json.hpp) and the registry (registry.hpp).
#pragma once

#include "strata/model/describe.hpp"
#include "strata/model/json.hpp"
#include "strata/model/registry.hpp"
