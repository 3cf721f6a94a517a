// API table group: hivex (Windows registry hives): procedures 650-699.
#include "api.hpp"

namespace vt::gen {

namespace {
using A = ArgType;
using R = RetType;
using F = FieldType;
using T = TestInit;
}  // namespace

std::vector<StructDef> hivex_structs() { return {}; }

std::vector<Call> hivex_calls() {
  return {};
}

}  // namespace vt::gen
