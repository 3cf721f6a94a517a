#include "help.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <vector>

#include "commands.hpp"
#include "shell.hpp"

namespace vt::fish {
namespace {

// Fills paragraphs to 76 columns, indented by 4, as guestfish's help does.
void print_wrapped(std::ostream& out, const std::string& text) {
  std::istringstream paragraphs(text);
  std::string paragraph;
  while (std::getline(paragraphs, paragraph)) {
    std::istringstream words(paragraph);
    std::string word, line;
    while (words >> word) {
      if (!line.empty() && line.size() + 1 + word.size() > 72) {
        out << "    " << line << "\n";
        line.clear();
      }
      line += (line.empty() ? "" : " ") + word;
    }
    out << (line.empty() ? "" : "    " + line) << "\n";
  }
}

void print_page(std::ostream& out, const std::string& name, const std::string& summary, const std::string& usage,
                const std::string& doc) {
  out << "NAME\n    " << name << " - " << summary << "\n\nSYNOPSIS\n     " << usage << "\n\nDESCRIPTION\n";
  print_wrapped(out, doc);
}

std::string usage_with_display_name(const std::string& usage) {
  size_t end = usage.find(' ');
  return display_name(usage.substr(0, end)) + (end == std::string::npos ? "" : usage.substr(end));
}

}  // namespace

void print_command_list(std::ostream& out) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto& b : builtins()) {
    rows.emplace_back(b.names[0], b.summary);
    for (size_t i = 1; i < b.names.size(); ++i) rows.emplace_back(b.names[i], std::string("alias for '") + b.names[0] + "'");
  }
  for (const auto& c : all_commands())
    if (std::string(c.name).rfind("internal_", 0) != 0) rows.emplace_back(display_name(c.name), c.summary);
  std::sort(rows.begin(), rows.end());
  out << "    Command              Description\n";
  for (const auto& [name, summary] : rows) {
    char line[64];
    std::snprintf(line, sizeof line, "%-20s ", name.c_str());
    out << line << summary << "\n";
  }
  out << "\nUse 'help cmd' for the description of a command.  The manual: 'man guestfish'.\n";
}

void print_command_help(std::ostream& out, const std::string& name) {
  if (const Builtin* b = find_builtin(name)) {
    std::string doc = b->doc;
    if (b->names.size() > 1) {
      doc += "\n\nYou can also call it";
      for (size_t i = 1; i < b->names.size(); ++i)
        doc += std::string(i == 1 ? " " : i + 1 == b->names.size() ? " or " : ", ") + "'" + b->names[i] + "'";
      doc += ".";
    }
    print_page(out, b->names[0], b->summary, b->usage, doc);
    return;
  }
  std::string call = table_name(name);
  for (const auto& c : all_commands())
    if (call == c.name && call.rfind("internal_", 0) != 0) {
      print_page(out, display_name(c.name), c.summary, usage_with_display_name(c.usage), c.doc);
      return;
    }
  throw UnknownCommand(name);
}

}  // namespace vt::fish
