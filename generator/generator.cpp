// Generates, from the API table, every piece of code that depends on the list
// of calls.  Usage: generator PROCEDURES_FILE OUTDIR DOCFILE
//
// Files written to OUTDIR: api_types.hpp, handle_methods.inc,
// handle_methods.cpp, daemon_calls.hpp, daemon_dispatch.cpp, commands.cpp,
// api_tests.cpp.  DOCFILE receives the API reference (Markdown).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "api.hpp"

using namespace vt::gen;

namespace {

[[noreturn]] void die(const std::string& msg) {
  std::cerr << "generator: " << msg << "\n";
  std::exit(1);
}

const char* arg_type_name(ArgType t) {
  switch (t) {
    case ArgType::Device: return "Device";
    case ArgType::Mountable: return "Mountable";
    case ArgType::Pathname: return "Pathname";
    case ArgType::String: return "String";
    case ArgType::StringList: return "StringList";
    case ArgType::Int: return "Int";
    case ArgType::Int64: return "Int64";
    case ArgType::Bool: return "Bool";
    case ArgType::FileIn: return "FileIn";
    case ArgType::FileOut: return "FileOut";
  }
  return "?";
}

bool is_library(const Call& c) { return (c.flags & kLibrary) != 0; }

// The signature recorded in procedures.txt: what may never change.
std::string signature(const Call& c) {
  std::string s = std::to_string(c.proc) + " " + c.name;
  for (const auto& a : c.args) s += std::string(" ") + arg_type_name(a.type) + ":" + a.name;
  for (const auto& a : c.optargs) s += std::string(" ?") + arg_type_name(a.type) + ":" + a.name;
  return s;
}

// Released calls keep their number and arguments; optional arguments may only
// be appended.  A new call must be recorded by hand, which makes it a decision.
void check_procedures(const std::string& path) {
  std::ifstream in(path);
  if (!in) die("cannot read " + path);
  std::map<std::string, std::string> released;  // name -> signature
  std::set<unsigned> numbers;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    unsigned proc;
    std::string name;
    ls >> proc >> name;
    released[name] = line;
    numbers.insert(proc);
  }
  std::set<unsigned> seen_numbers;
  std::set<std::string> seen_names;
  for (const auto& c : all_calls()) {
    if (is_library(c) != (c.proc == 0))
      die("call " + c.name + ": procedure 0 is for library calls, and only for them");
    if (!is_library(c) && !seen_numbers.insert(c.proc).second)
      die("procedure number " + std::to_string(c.proc) + " used twice");
    if (!seen_names.insert(c.name).second) die("call " + c.name + " defined twice");
    if (c.tests.empty()) die("call " + c.name + " has no test");
    std::string sig = signature(c);
    auto it = released.find(c.name);
    if (it == released.end()) {
      if (!is_library(c) && numbers.count(c.proc))
        die("call " + c.name + " reuses released procedure number " + std::to_string(c.proc));
      die("new call " + c.name + ": if its number and arguments are final, add this line to " + path +
          ":\n" + sig);
    }
    if (it->second != sig) {
      // Appending optional arguments is the one allowed change.
      if (sig.rfind(it->second + " ?", 0) == 0) {
        die("call " + c.name + " gained optional arguments: update its line in " + path + " to:\n" + sig);
      }
      die("call " + c.name + " changed incompatibly (released: '" + it->second + "', now: '" + sig +
          "'); procedure numbers and arguments never change");
    }
    released.erase(it);
  }
  for (const auto& [name, sig] : released) die("released call " + name + " was removed: " + sig);
}

const StructDef& find_struct(const std::string& name) {
  for (const auto& s : all_structs())
    if (s.name == name) return s;
  die("unknown struct " + name);
}

std::string camel(const std::string& name) {
  std::string out;
  bool up = true;
  for (char ch : name) {
    if (ch == '_') {
      up = true;
      continue;
    }
    out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch))) : ch;
    up = false;
  }
  return out;
}

std::string optargs_type(const Call& c) { return "api::" + camel(c.name) + "Optargs"; }

// C++ parameter type on the library side.
std::string client_param(ArgType t) {
  switch (t) {
    case ArgType::StringList: return "const std::vector<std::string>&";
    case ArgType::Int: return "int32_t";
    case ArgType::Int64: return "int64_t";
    case ArgType::Bool: return "bool";
    default: return "const std::string&";
  }
}

std::string value_type(ArgType t) {
  switch (t) {
    case ArgType::StringList: return "std::vector<std::string>";
    case ArgType::Int: return "int32_t";
    case ArgType::Int64: return "int64_t";
    case ArgType::Bool: return "bool";
    default: return "std::string";
  }
}

std::string put_fn(ArgType t) {
  switch (t) {
    case ArgType::StringList: return "put_string_list";
    case ArgType::Int: return "put_int";
    case ArgType::Int64: return "put_int64";
    case ArgType::Bool: return "put_bool";
    default: return "put_string";
  }
}

std::string get_fn(ArgType t) {
  switch (t) {
    case ArgType::StringList: return "get_string_list";
    case ArgType::Int: return "get_int";
    case ArgType::Int64: return "get_int64";
    case ArgType::Bool: return "get_bool";
    default: return "get_string";
  }
}

std::string ret_type(const Call& c) {
  switch (c.ret) {
    case RetType::Void: return "void";
    case RetType::Int: return "int32_t";
    case RetType::Int64: return "int64_t";
    case RetType::Bool: return "bool";
    case RetType::String:
    case RetType::Buffer: return "std::string";
    case RetType::StringList: return "std::vector<std::string>";
    case RetType::Struct: return "api::" + c.ret_struct;
    case RetType::StructList: return "std::vector<api::" + c.ret_struct + ">";
    case RetType::Hash: return "std::vector<std::pair<std::string, std::string>>";
  }
  return "void";
}

// Statement(s) encoding `v` (of the call's return type) into Writer `w`.
std::string encode_ret(const Call& c, const std::string& v) {
  switch (c.ret) {
    case RetType::Void: return "";
    case RetType::Int: return "w.put_int(" + v + ");";
    case RetType::Int64: return "w.put_int64(" + v + ");";
    case RetType::Bool: return "w.put_bool(" + v + ");";
    case RetType::String:
    case RetType::Buffer: return "w.put_string(" + v + ");";
    case RetType::StringList: return "w.put_string_list(" + v + ");";
    case RetType::Struct: return "api::encode(w, " + v + ");";
    case RetType::StructList:
      return "w.put_u32(static_cast<uint32_t>(" + v + ".size())); for (const auto& e : " + v +
             ") api::encode(w, e);";
    case RetType::Hash:
      return "w.put_u32(static_cast<uint32_t>(" + v + ".size())); for (const auto& [k, val] : " + v +
             ") { w.put_string(k); w.put_string(val); }";
  }
  return "";
}

std::string decode_ret(const Call& c) {
  switch (c.ret) {
    case RetType::Void: return "";
    case RetType::Int: return "auto ret = r.get_int();";
    case RetType::Int64: return "auto ret = r.get_int64();";
    case RetType::Bool: return "auto ret = r.get_bool();";
    case RetType::String:
    case RetType::Buffer: return "auto ret = r.get_string();";
    case RetType::StringList: return "auto ret = r.get_string_list();";
    case RetType::Struct: return "auto ret = api::decode_" + c.ret_struct + "(r);";
    case RetType::StructList:
      return "std::vector<api::" + c.ret_struct + "> ret; { uint32_t n = r.get_u32(); "
             "proto::check_count(r, n); for (uint32_t i = 0; i < n; ++i) ret.push_back(api::decode_" +
             c.ret_struct + "(r)); }";
    case RetType::Hash:
      return "std::vector<std::pair<std::string, std::string>> ret; { uint32_t n = r.get_u32(); "
             "proto::check_count(r, n); for (uint32_t i = 0; i < n; ++i) { auto k = r.get_string(); "
             "ret.emplace_back(std::move(k), r.get_string()); } }";
  }
  return "";
}

bool has_filein(const Call& c) {
  for (const auto& a : c.args)
    if (a.type == ArgType::FileIn) return true;
  return false;
}

bool has_fileout(const Call& c) {
  for (const auto& a : c.args)
    if (a.type == ArgType::FileOut) return true;
  return false;
}

std::string client_signature(const Call& c, bool with_default) {
  std::string s;
  bool first = true;
  for (const auto& a : c.args) {
    if (!first) s += ", ";
    first = false;
    s += client_param(a.type) + " " + a.name;
  }
  if (!c.optargs.empty()) {
    if (!first) s += ", ";
    s += "const " + optargs_type(c) + "& optargs";
    if (with_default) s += " = {}";
  }
  return s;
}

void write_file(const std::string& path, const std::string& text) {
  // Only rewrite when changed so make does not rebuild needlessly.
  std::ifstream old(path);
  if (old) {
    std::stringstream ss;
    ss << old.rdbuf();
    if (ss.str() == text) return;
  }
  std::ofstream out(path);
  if (!out) die("cannot write " + path);
  out << text;
}

const char* kHeader = "// Generated by generator/generator.cpp from generator/api_table.cpp. Do not edit.\n";

std::string field_cxx_type(FieldType t) {
  switch (t) {
    case FieldType::String: return "std::string";
    case FieldType::Int32: return "int32_t";
    case FieldType::Int64: return "int64_t";
    case FieldType::OptPercent: return "float";
  }
  return "";
}

std::string field_default(FieldType t) {
  switch (t) {
    case FieldType::String: return "";
    case FieldType::OptPercent: return " = -1";
    default: return " = 0";
  }
}

// A float crosses the wire as its IEEE bits.
std::string field_encode(FieldType t, const std::string& v) {
  switch (t) {
    case FieldType::String: return "w.put_string(" + v + ");";
    case FieldType::Int32: return "w.put_int(" + v + ");";
    case FieldType::Int64: return "w.put_int64(" + v + ");";
    case FieldType::OptPercent: return "w.put_u32(std::bit_cast<uint32_t>(" + v + "));";
  }
  return "";
}

std::string field_decode(FieldType t) {
  switch (t) {
    case FieldType::String: return "r.get_string()";
    case FieldType::Int32: return "r.get_int()";
    case FieldType::Int64: return "r.get_int64()";
    case FieldType::OptPercent: return "std::bit_cast<float>(r.get_u32())";
  }
  return "";
}

// As guestfish prints it: a percentage is "N %", or nothing when absent.
std::string field_text(FieldType t, const std::string& v) {
  switch (t) {
    case FieldType::String: return v;
    case FieldType::OptPercent: return "percent_text(" + v + ")";
    default: return "std::to_string(" + v + ")";
  }
}

std::string field_doc_type(FieldType t) {
  switch (t) {
    case FieldType::String: return "string";
    case FieldType::Int32: return "int32";
    case FieldType::Int64: return "int64";
    case FieldType::OptPercent: return "float percentage, -1 if absent";
  }
  return "";
}

std::string gen_types() {
  std::ostringstream o;
  o << kHeader << "#pragma once\n#include <bit>\n#include <cstdint>\n#include <cstdio>\n#include <optional>\n#include <string>\n"
    << "#include <utility>\n#include <vector>\n#include \"protocol.hpp\"\n\nnamespace vt::api {\n\n";
  o << "namespace proc {\n";
  for (const auto& c : all_calls())
    if (!is_library(c)) o << "inline constexpr uint32_t " << c.name << " = " << c.proc << ";\n";
  o << "}  // namespace proc\n\n";
  o << "// An OptPercent field as guestfish prints it: \"N %\", or nothing when absent.\n"
    << "inline std::string percent_text(float v) {\n  if (v < 0) return \"\";\n  char buf[32];\n"
    << "  std::snprintf(buf, sizeof buf, \"%g %%\", static_cast<double>(v));\n  return buf;\n}\n\n";
  o << "// The name of a procedure, for traces and errors; nullptr if unknown.\n"
    << "inline const char* procedure_name(uint32_t p) {\n  switch (p) {\n";
  for (const auto& c : all_calls())
    if (!is_library(c)) o << "    case " << c.proc << ": return \"" << c.name << "\";\n";
  o << "    default: return nullptr;\n  }\n}\n\n";
  for (const auto& s : all_structs()) {
    o << "// " << s.summary << "\nstruct " << s.name << " {\n";
    for (const auto& f : s.fields) o << "  " << field_cxx_type(f.type) << " " << f.name << field_default(f.type) << ";\n";
    o << "};\n\ninline void encode(proto::Writer& w, const " << s.name << "& v) {\n";
    for (const auto& f : s.fields) o << "  " << field_encode(f.type, "v." + f.name) << "\n";
    o << "}\n\ninline " << s.name << " decode_" << s.name << "(proto::Reader& r) {\n  " << s.name << " v;\n";
    for (const auto& f : s.fields) o << "  v." << f.name << " = " << field_decode(f.type) << ";\n";
    o << "  return v;\n}\n\n// guestfish's rendering: one 'field: value' line each.\n"
      << "inline std::string to_text(const " << s.name << "& v, const std::string& indent = \"\") {\n"
      << "  std::string out;\n";
    for (const auto& f : s.fields)
      o << "  out += indent + \"" << f.name << ": \" + " << field_text(f.type, "v." + f.name) << " + \"\\n\";\n";
    o << "  return out;\n}\n\n";
  }
  for (const auto& c : all_calls()) {
    if (c.optargs.empty()) continue;
    o << "// Optional arguments of " << c.name << "; bit i of the wire mask is field i.\n"
      << "struct " << camel(c.name) << "Optargs {\n";
    for (const auto& a : c.optargs) o << "  std::optional<" << value_type(a.type) << "> " << a.name << ";\n";
    o << "};\n\n";
  }
  o << "}  // namespace vt::api\n";
  return o.str();
}

std::string gen_handle_decls() {
  std::ostringstream o;
  o << kHeader;
  for (const auto& c : all_calls()) {
    o << "  // " << c.summary << "\n  " << ret_type(c) << " " << c.name << "(" << client_signature(c, true) << ");\n";
  }
  return o.str();
}

std::string gen_handle_defs() {
  std::ostringstream o;
  o << kHeader << "#include \"handle.hpp\"\n#include \"trace_format.hpp\"\n\nnamespace vt {\n\n";
  for (const auto& c : all_calls()) {
    if (is_library(c)) continue;
    o << ret_type(c) << " Handle::" << c.name << "(" << client_signature(c, false) << ") {\n";
    // Trace line with every argument.
    o << "  if (trace_enabled()) {\n    std::vector<std::string> targs;\n";
    // A secret argument (cryptsetup_open's key, a random seed) is traced as ***, as libguestfs does.
    for (const auto& a : c.args)
      o << "    targs.push_back(" << (a.secret ? std::string("\"***\"") : "trace_format(" + a.name + ")") << ");\n";
    for (const auto& a : c.optargs)
      o << "    if (optargs." << a.name << ") targs.push_back(\"" << a.name << ":\" + trace_format(*optargs." << a.name << "));\n";
    o << "    trace_call(\"" << c.name << "\", targs);\n  }\n";
    o << "  proto::Writer w;\n  uint64_t mask = 0;\n";
    std::string filein, fileout;
    for (const auto& a : c.args) {
      if (a.type == ArgType::FileIn) filein = a.name;
      else if (a.type == ArgType::FileOut) fileout = a.name;
      else o << "  w." << put_fn(a.type) << "(" << a.name << ");\n";
    }
    for (size_t i = 0; i < c.optargs.size(); ++i) {
      const auto& a = c.optargs[i];
      o << "  if (optargs." << a.name << ") { mask |= uint64_t{1} << " << i << "; w." << put_fn(a.type)
        << "(*optargs." << a.name << "); }\n";
    }
    o << "  std::string reply = call_raw(api::proc::" << c.name << ", mask, w.take(), "
      << (filein.empty() ? "nullptr" : "&" + filein) << ", " << (fileout.empty() ? "nullptr" : "&" + fileout)
      << ");\n";
    o << "  proto::Reader r(reply);\n";
    if (c.ret == RetType::Void) {
      o << "  r.expect_end();\n  if (trace_enabled()) trace_return(\"" << c.name << "\", \"\");\n}\n\n";
    } else {
      o << "  " << decode_ret(c) << "\n  r.expect_end();\n";
      o << "  if (trace_enabled()) trace_return(\"" << c.name << "\", trace_format(ret));\n  return ret;\n}\n\n";
    }
  }
  o << "}  // namespace vt\n";
  return o.str();
}

std::string daemon_param(ArgType t) {
  switch (t) {
    case ArgType::FileIn: return "FileInStream&";
    case ArgType::FileOut: return "FileOutStream&";
    default: return client_param(t);
  }
}

std::string gen_daemon_decls() {
  std::ostringstream o;
  o << kHeader << "#pragma once\n#include \"api_types.hpp\"\n#include \"daemon.hpp\"\n\nnamespace vt::daemon {\n\n";
  for (const auto& c : all_calls()) {
    if (is_library(c)) continue;
    o << "// " << c.summary << "\n" << ret_type(c) << " do_" << c.name << "(";
    bool first = true;
    for (const auto& a : c.args) {
      if (!first) o << ", ";
      first = false;
      o << daemon_param(a.type) << " " << a.name;
    }
    if (!c.optargs.empty()) o << (first ? "" : ", ") << "const " << optargs_type(c) << "& optargs";
    o << ");\n";
  }
  o << "\n}  // namespace vt::daemon\n";
  return o.str();
}

std::string gen_daemon_dispatch() {
  std::ostringstream o;
  o << kHeader << "#include \"daemon_calls.hpp\"\n\nnamespace vt::daemon {\n\n"
    << "// Decodes the arguments, validates them, runs the call and encodes its result.\n"
    << "std::string dispatch_call(Connection& conn, const proto::Message& msg) {\n"
    << "  proto::Reader r(msg.payload);\n  proto::Writer w;\n  switch (msg.header.procedure) {\n";
  for (const auto& c : all_calls()) {
    if (is_library(c)) continue;
    o << "    case api::proc::" << c.name << ": {\n";
    uint64_t known = c.optargs.empty() ? 0 : ((uint64_t{1} << c.optargs.size()) - 1);
    o << "      check_optargs_mask(\"" << c.name << "\", msg.header.optargs_mask, " << known << "ULL);\n";
    std::vector<std::string> call_args;
    for (const auto& a : c.args) {
      if (a.type == ArgType::FileIn) {
        o << "      FileInStream " << a.name << "(conn, msg.header);\n";
      } else if (a.type == ArgType::FileOut) {
        o << "      FileOutStream " << a.name << "(conn, msg.header);\n";
      } else {
        o << "      auto " << a.name << " = r." << get_fn(a.type) << "();\n";
        if (a.type == ArgType::Device) o << "      check_device(\"" << c.name << "\", " << a.name << ");\n";
        if (a.type == ArgType::Mountable) o << "      check_mountable(\"" << c.name << "\", " << a.name << ");\n";
        if (a.type == ArgType::Pathname) o << "      check_pathname(\"" << c.name << "\", " << a.name << ");\n";
      }
      call_args.push_back(a.name);
    }
    if (!c.optargs.empty()) {
      o << "      " << optargs_type(c) << " optargs;\n";
      for (size_t i = 0; i < c.optargs.size(); ++i)
        o << "      if (msg.header.optargs_mask & (uint64_t{1} << " << i << ")) optargs." << c.optargs[i].name
          << " = r." << get_fn(c.optargs[i].type) << "();\n";
      call_args.push_back("optargs");
    }
    o << "      r.expect_end();\n";
    std::string call = "do_" + c.name + "(";
    for (size_t i = 0; i < call_args.size(); ++i) call += (i ? ", " : "") + call_args[i];
    call += ")";
    if (c.ret == RetType::Void) {
      o << "      " << call << ";\n";
    } else {
      o << "      auto ret = " << call << ";\n      " << encode_ret(c, "ret") << "\n";
    }
    for (const auto& a : c.args)
      if (a.type == ArgType::FileIn || a.type == ArgType::FileOut) o << "      " << a.name << ".finish();\n";
    o << "      return w.take();\n    }\n";
  }
  o << "    default:\n      throw DaemonError(ENOTSUP, \"unknown procedure \" + std::to_string(msg.header.procedure));\n"
    << "  }\n}\n\n";
  o << "// Calls that stream a file: the dispatcher must not read the socket itself.\n"
    << "bool call_has_stream(uint32_t procedure) {\n  switch (procedure) {\n";
  for (const auto& c : all_calls())
    if (!is_library(c) && (has_filein(c) || has_fileout(c)))
      o << "    case api::proc::" << c.name << ":\n";
  o << "      return true;\n    default:\n      return false;\n  }\n}\n\n}  // namespace vt::daemon\n";
  return o.str();
}

std::string usage_line(const Call& c) {
  std::string s = c.name;
  for (const auto& a : c.args) s += " " + a.name;
  for (const auto& a : c.optargs) s += " [" + a.name + ":..]";
  return s;
}

std::string parse_fn(ArgType t) {
  switch (t) {
    case ArgType::StringList: return "parse_string_list";
    case ArgType::Int: return "parse_int";
    case ArgType::Int64: return "parse_int64";
    case ArgType::Bool: return "parse_bool";
    default: return "std::string";
  }
}

std::string render_ret(const Call& c) {
  switch (c.ret) {
    case RetType::Void: return "return \"\";";
    case RetType::Int:
      if (c.flags & kHexOutput) return "char hex[16]; std::snprintf(hex, sizeof hex, \"0x%x\", static_cast<unsigned>(ret)); return hex;";
      return "return std::to_string(ret);";
    case RetType::Int64: return "return std::to_string(ret);";
    case RetType::Bool: return "return ret ? \"true\" : \"false\";";
    case RetType::String:
    case RetType::Buffer: return "return ret;";
    case RetType::StringList: return "return join_lines(ret);";
    case RetType::Struct: return "auto t = api::to_text(ret); if (!t.empty()) t.pop_back(); return t;";
    case RetType::StructList:
      return "std::string t; for (size_t i = 0; i < ret.size(); ++i) t += \"[\" + std::to_string(i) + "
             "\"] = {\\n\" + api::to_text(ret[i], \"  \") + \"}\\n\"; if (!t.empty()) t.pop_back(); return t;";
    case RetType::Hash:
      return "std::vector<std::string> l; for (const auto& [k, v] : ret) l.push_back(k + \": \" + v); "
             "return join_lines(l);";
  }
  return "";
}

std::string cxx_string(const std::string& s) {
  std::string o = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') o += '\\';
    if (ch == '\n' || ch == '\r') {
      o += ch == '\n' ? "\\n" : "\\r";
      continue;
    }
    o += ch;
  }
  return o + "\"";
}

std::string gen_commands() {
  std::ostringstream o;
  o << kHeader << "#include <cstdio>\n\n#include \"commands.hpp\"\n\nnamespace vt {\n\n"
    << "const std::vector<CommandInfo>& all_commands() {\n  static const std::vector<CommandInfo> cmds = {\n";
  for (const auto& c : all_calls())
    o << "    {" << cxx_string(c.name) << ", " << cxx_string(usage_line(c)) << ", " << cxx_string(c.summary) << ", "
      << cxx_string(c.doc) << ", " << c.args.size() << "},\n";
  o << "  };\n  return cmds;\n}\n\n"
    << "std::string run_command(Handle& h, const std::string& name, const std::vector<std::string>& argv) {\n";
  for (const auto& c : all_calls()) {
    o << "  if (name == \"" << c.name << "\") {\n"
      << "    CommandArgs a(\"" << usage_line(c) << "\", argv, " << c.args.size() << ");\n";
    std::vector<std::string> call_args;
    for (size_t i = 0; i < c.args.size(); ++i) {
      const auto& arg = c.args[i];
      o << "    auto " << arg.name << " = " << parse_fn(arg.type) << "(a.positional(" << i << "));\n";
      call_args.push_back(arg.name);
    }
    if (!c.optargs.empty()) {
      o << "    " << optargs_type(c) << " optargs;\n";
      for (const auto& a : c.optargs)
        o << "    if (auto v = a.optional(\"" << a.name << "\")) optargs." << a.name << " = " << parse_fn(a.type)
          << "(*v);\n";
      o << "    a.check_no_unknown_optargs();\n";
      call_args.push_back("optargs");
    } else {
      o << "    a.check_no_unknown_optargs();\n";
    }
    std::string call = "h." + c.name + "(";
    for (size_t i = 0; i < call_args.size(); ++i) call += (i ? ", " : "") + call_args[i];
    call += ")";
    if (c.ret == RetType::Void)
      o << "    " << call << ";\n    return \"\";\n  }\n";
    else
      o << "    auto ret = " << call << ";\n    " << render_ret(c) << "\n  }\n";
  }
  o << "  throw UnknownCommand(name);\n}\n\n}  // namespace vt\n";
  return o.str();
}

std::string gen_tests() {
  std::ostringstream o;
  o << kHeader << "#include \"api_tests.hpp\"\n\nnamespace vt {\n\nconst std::vector<ApiTest>& all_api_tests() {\n"
    << "  static const std::vector<ApiTest> tests = {\n";
  for (const auto& c : all_calls()) {
    for (const auto& t : c.tests) {
      o << "    {" << cxx_string(c.name) << ", ApiTestInit::"
        << (t.init == TestInit::None ? "None" : t.init == TestInit::Empty ? "Empty" : "ScratchFS") << ", {";
      for (const auto& s : t.steps) o << cxx_string(s) << ", ";
      o << "}},\n";
    }
  }
  o << "  };\n  return tests;\n}\n\n}  // namespace vt\n";
  return o.str();
}

std::string md_type(ArgType t) {
  switch (t) {
    case ArgType::Device: return "device";
    case ArgType::Mountable: return "mountable";
    case ArgType::Pathname: return "path";
    case ArgType::String: return "string";
    case ArgType::StringList: return "string list";
    case ArgType::Int: return "int";
    case ArgType::Int64: return "int64";
    case ArgType::Bool: return "bool";
    case ArgType::FileIn: return "host file in";
    case ArgType::FileOut: return "host file out";
  }
  return "";
}

std::string gen_doc() {
  std::ostringstream o;
  o << "<!-- Generated by generator/generator.cpp from generator/api_table.cpp. Do not edit. -->\n"
    << "# virt-tools API reference\n\n"
    << "Every call below is a method of `vt::Handle` (libcommon/handle.hpp) and a guestfish command.\n"
    << "Procedure numbers and argument orders never change; optional arguments are only appended.\n\n";
  for (const auto& c : all_calls()) {
    o << "## " << c.name << "\n\n    " << ret_type(c) << " " << c.name << "(" << client_signature(c, false)
      << ");\n\n" << c.summary << ".\n\n" << c.doc << "\n\n";
    if (!c.args.empty()) {
      o << "Arguments:";
      for (const auto& a : c.args) o << " `" << a.name << "` (" << md_type(a.type) << ")";
      o << ".\n\n";
    }
    if (!c.optargs.empty()) {
      o << "Optional arguments:";
      for (const auto& a : c.optargs) o << " `" << a.name << "` (" << md_type(a.type) << ")";
      o << ".\n\n";
    }
    if (is_library(c))
      o << "Runs in the library, on top of other calls.";
    else
      o << "Procedure " << c.proc << ".";
    if (c.flags & kDestructive) o << " Destructive: writes to the disk.";
    if (c.flags & kDiscouraged) o << " **Discouraged**: an escape hatch for what no other call does.";
    if (c.flags & kProgress) o << " Sends progress messages.";
    if (c.flags & kHexOutput) o << " guestfish prints the result in hexadecimal.";
    o << "\n\n";
  }
  o << "## Structures\n\n";
  for (const auto& s : all_structs()) {
    o << "### " << s.name << "\n\n" << s.summary << ".\n\n";
    for (const auto& f : s.fields)
      o << "- `" << f.name << "` (" << field_doc_type(f.type) << ")\n";
    o << "\n";
  }
  return o.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::string(argv[1]) == "--signatures") {
    // For recording a new call in procedures.txt once it is final.
    for (const auto& c : all_calls()) std::cout << signature(c) << "\n";
    return 0;
  }
  if (argc != 4) die("usage: generator PROCEDURES_FILE OUTDIR DOCFILE");
  check_procedures(argv[1]);
  for (const auto& c : all_calls())
    if (c.ret == RetType::Struct || c.ret == RetType::StructList) find_struct(c.ret_struct);
  std::string out = argv[2];
  write_file(out + "/api_types.hpp", gen_types());
  write_file(out + "/handle_methods.inc", gen_handle_decls());
  write_file(out + "/handle_methods.cpp", gen_handle_defs());
  write_file(out + "/daemon_calls.hpp", gen_daemon_decls());
  write_file(out + "/daemon_dispatch.cpp", gen_daemon_dispatch());
  write_file(out + "/commands.cpp", gen_commands());
  write_file(out + "/api_tests.cpp", gen_tests());
  write_file(argv[3], gen_doc());
  return 0;
}
