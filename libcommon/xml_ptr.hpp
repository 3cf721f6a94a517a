// Owning pointers to libxml2's objects.  Needs libxml2's include flags
// (pkg-config --cflags libxml-2.0).
#pragma once

#include <libxml/tree.h>
#include <libxml/xpath.h>

#include "unique_c.hpp"

namespace vt::xml {

// xmlFree is a function pointer the library sets, not a function.
inline void free_chars(xmlChar* s) { xmlFree(s); }

using Doc = UniqueC<xmlDoc, xmlFreeDoc>;
using XPathContext = UniqueC<xmlXPathContext, xmlXPathFreeContext>;
using XPathObject = UniqueC<xmlXPathObject, xmlXPathFreeObject>;
using Buffer = UniqueC<xmlBuffer, xmlBufferFree>;
using Chars = UniqueC<xmlChar, free_chars>;

}  // namespace vt::xml
