// API table group: augeas: procedures 600-649.
#include "api.hpp"

namespace vt::gen {

namespace {
using A = ArgType;
using R = RetType;
using F = FieldType;
using T = TestInit;
}  // namespace

std::vector<StructDef> augeas_structs() { return {}; }

std::vector<Call> augeas_calls() {
  return {};
}

}  // namespace vt::gen
