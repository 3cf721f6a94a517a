// API table group: filesystems: procedures 200-299.
#include "api.hpp"

namespace vt::gen {

namespace {
using A = ArgType;
using R = RetType;
using F = FieldType;
using T = TestInit;
}  // namespace

std::vector<StructDef> filesystem_structs() { return {}; }

std::vector<Call> filesystem_calls() {
  return {};
}

}  // namespace vt::gen
