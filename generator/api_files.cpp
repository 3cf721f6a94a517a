// API table group: reading files and directories: procedures 400-499.
#include "api.hpp"

namespace vt::gen {

namespace {
using A = ArgType;
using R = RetType;
using F = FieldType;
using T = TestInit;
}  // namespace

std::vector<StructDef> file_structs() { return {}; }

std::vector<Call> file_calls() {
  return {};
}

}  // namespace vt::gen
