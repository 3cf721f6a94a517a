// API table group: miscellaneous: procedures 700-749.
#include "api.hpp"

namespace vt::gen {

namespace {
using A = ArgType;
using R = RetType;
using F = FieldType;
using T = TestInit;
}  // namespace

std::vector<StructDef> misc_structs() { return {}; }

std::vector<Call> misc_calls() {
  return {};
}

}  // namespace vt::gen
