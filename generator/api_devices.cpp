// API table group: devices and partitions: procedures 100-199.
#include "api.hpp"

namespace vt::gen {

namespace {
using A = ArgType;
using R = RetType;
using F = FieldType;
using T = TestInit;
}  // namespace

std::vector<StructDef> device_structs() { return {}; }

std::vector<Call> device_calls() {
  return {};
}

}  // namespace vt::gen
