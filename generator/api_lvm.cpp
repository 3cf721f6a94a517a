// API table group: LVM: procedures 300-399.
#include "api.hpp"

namespace vt::gen {

namespace {
using A = ArgType;
using R = RetType;
using F = FieldType;
using T = TestInit;
}  // namespace

std::vector<StructDef> lvm_structs() { return {}; }

std::vector<Call> lvm_calls() {
  return {};
}

}  // namespace vt::gen
