// API table group: writing files and directories, archives: procedures 500-599.
#include "api.hpp"

namespace vt::gen {

namespace {
using A = ArgType;
using R = RetType;
using F = FieldType;
using T = TestInit;
}  // namespace

std::vector<StructDef> file_write_structs() { return {}; }

std::vector<Call> file_write_calls() {
  return {};
}

}  // namespace vt::gen
