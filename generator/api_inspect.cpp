// API table group: inspection: procedures 750-799.  The inspect_* calls run in
// the library (kLibrary, libcommon/inspect_api.cpp) on top of other calls.
#include "api.hpp"

namespace vt::gen {

namespace {
using A = ArgType;
using R = RetType;
using F = FieldType;
using T = TestInit;
}  // namespace

std::vector<StructDef> inspect_structs() { return {}; }

std::vector<Call> inspect_calls() { return {}; }

}  // namespace vt::gen
