// --xpath: a query on a report read from stdin, printed as libguestfs's
// virt-inspector prints it (nodes re-indented one per document, scalars on
// one line).
#include <libxml/parser.h>
#include <libxml/xmlsave.h>
#include <libxml/xpath.h>

#include <memory>

#include "errors.hpp"
#include "inspector.hpp"
#include "xml_ptr.hpp"

namespace vt::inspector {

namespace {

using xml::Doc;

// An attribute prints as libxml2 writes it inside a tag: ` name="value"`.
std::string serialise_attribute(xmlNodePtr attribute) {
  xml::Chars value(xmlNodeGetContent(attribute));
  std::string out = " ";
  out += reinterpret_cast<const char*>(attribute->name);
  out += "=\"";
  for (const char* c = value ? reinterpret_cast<const char*>(value.get()) : ""; *c; ++c) {
    switch (*c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      case '\t': out += "&#9;"; break;
      default: out += *c;
    }
  }
  return out + "\"\n";
}

// Each node is copied into a document of its own and saved formatted,
// without an XML declaration.
std::string serialise_node(xmlNodePtr node) {
  if (node->type == XML_ATTRIBUTE_NODE) return serialise_attribute(node);
  if (node->type == XML_NAMESPACE_DECL) return "";  // not a node that can be copied
  Doc doc(xmlNewDoc(reinterpret_cast<const xmlChar*>("1.0")));
  xmlNodePtr copy = doc ? xmlDocCopyNode(node, doc.get(), 1) : nullptr;
  if (!copy) throw Error("xpath: out of memory");
  xmlDocSetRootElement(doc.get(), copy);
  xml::Buffer buffer(xmlBufferCreate());
  if (!buffer) throw Error("xpath: out of memory");
  xmlSaveCtxtPtr save = xmlSaveToBuffer(buffer.get(), nullptr, XML_SAVE_NO_DECL | XML_SAVE_FORMAT);
  if (!save) throw Error("xpath: cannot create a save context");
  bool ok = xmlSaveDoc(save, doc.get()) != -1;
  xmlSaveClose(save);  // flushes into the buffer
  if (!ok) throw Error("xpath: could not write the result");
  return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer.get())),
                     static_cast<size_t>(xmlBufferLength(buffer.get())));
}

}  // namespace

std::string xpath_query(const std::string& document, const std::string& expression) {
  Doc doc(xmlReadMemory(document.data(), static_cast<int>(document.size()), nullptr, nullptr, XML_PARSE_NOBLANKS));
  if (!doc) throw Error("unable to parse XML from stdin");
  xml::XPathContext context(xmlXPathNewContext(doc.get()));
  if (!context) throw Error("unable to create new XPath context");
  xml::XPathObject result(
      xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(expression.c_str()), context.get()));
  if (!result) throw Error("unable to evaluate XPath expression");
  switch (result->type) {
    case XPATH_NODESET: {
      std::string out;
      for (int i = 0; result->nodesetval && i < result->nodesetval->nodeNr; ++i)
        out += serialise_node(result->nodesetval->nodeTab[i]);
      return out;
    }
    case XPATH_STRING:
      return std::string(reinterpret_cast<const char*>(result->stringval)) + "\n";
    default: {
      xml::Chars text(xmlXPathCastToString(result.get()));
      if (!text) throw Error("xpath: out of memory");
      return std::string(reinterpret_cast<const char*>(text.get())) + "\n";
    }
  }
}

}  // namespace vt::inspector
