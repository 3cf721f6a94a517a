// --xpath: a query on a report read from stdin, printed as libguestfs's
// virt-inspector prints it (nodes re-indented one per document, scalars on
// one line).
#include <libxml/parser.h>
#include <libxml/xmlsave.h>
#include <libxml/xpath.h>

#include <memory>

#include "errors.hpp"
#include "inspector.hpp"

namespace vt::inspector {

namespace {

struct DocFree {
  void operator()(xmlDocPtr d) const { xmlFreeDoc(d); }
};
struct ContextFree {
  void operator()(xmlXPathContextPtr c) const { xmlXPathFreeContext(c); }
};
struct ObjectFree {
  void operator()(xmlXPathObjectPtr o) const { xmlXPathFreeObject(o); }
};
struct BufferFree {
  void operator()(xmlBufferPtr b) const { xmlBufferFree(b); }
};
struct CharsFree {
  void operator()(xmlChar* s) const { xmlFree(s); }
};
using Doc = std::unique_ptr<xmlDoc, DocFree>;

// Each node is copied into a document of its own and saved formatted,
// without an XML declaration.
std::string serialise_nodes(xmlNodeSetPtr nodes) {
  std::unique_ptr<xmlBuffer, BufferFree> buffer(xmlBufferCreate());
  if (!buffer) throw Error("xpath: out of memory");
  xmlSaveCtxtPtr save = xmlSaveToBuffer(buffer.get(), nullptr, XML_SAVE_NO_DECL | XML_SAVE_FORMAT);
  if (!save) throw Error("xpath: cannot create a save context");
  bool ok = true;
  for (int i = 0; nodes && i < nodes->nodeNr && ok; ++i) {
    xmlNodePtr node = nodes->nodeTab[i];
    if (node->type == XML_NAMESPACE_DECL) continue;  // not a node that can be copied
    Doc doc(xmlNewDoc(reinterpret_cast<const xmlChar*>("1.0")));
    xmlNodePtr copy = doc ? xmlCopyNode(node, 1) : nullptr;
    if (!copy) {
      ok = false;
      break;
    }
    xmlDocSetRootElement(doc.get(), copy);
    ok = xmlSaveDoc(save, doc.get()) != -1;
    // Detached by hand: xmlFreeDoc would free an attribute as an element.
    doc->children = doc->last = nullptr;
    copy->parent = nullptr;
    copy->next = copy->prev = nullptr;
    if (copy->type == XML_ATTRIBUTE_NODE)
      xmlFreeProp(reinterpret_cast<xmlAttrPtr>(copy));
    else
      xmlFreeNode(copy);
  }
  xmlSaveClose(save);  // flushes into the buffer
  if (!ok) throw Error("xpath: could not write the result");
  return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer.get())),
                     static_cast<size_t>(xmlBufferLength(buffer.get())));
}

}  // namespace

std::string xpath_query(const std::string& document, const std::string& expression) {
  Doc doc(xmlReadMemory(document.data(), static_cast<int>(document.size()), nullptr, nullptr, XML_PARSE_NOBLANKS));
  if (!doc) throw Error("unable to parse XML from stdin");
  std::unique_ptr<xmlXPathContext, ContextFree> context(xmlXPathNewContext(doc.get()));
  if (!context) throw Error("unable to create new XPath context");
  std::unique_ptr<xmlXPathObject, ObjectFree> result(
      xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(expression.c_str()), context.get()));
  if (!result) throw Error("unable to evaluate XPath expression");
  switch (result->type) {
    case XPATH_NODESET:
      return serialise_nodes(result->nodesetval);
    case XPATH_STRING:
      return std::string(reinterpret_cast<const char*>(result->stringval)) + "\n";
    default: {
      std::unique_ptr<xmlChar, CharsFree> text(xmlXPathCastToString(result.get()));
      if (!text) throw Error("xpath: out of memory");
      return std::string(reinterpret_cast<const char*>(text.get())) + "\n";
    }
  }
}

}  // namespace vt::inspector
