// unique_ptr for the objects of C libraries (libvirt, libxml2, …), each
// freed by its library's own function: one template instead of a deleter
// struct per type.
#pragma once

#include <cstdlib>
#include <memory>

namespace vt {

template <auto Free>
struct FreedBy {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};

template <class T, auto Free>
using UniqueC = std::unique_ptr<T, FreedBy<Free>>;

// The standard library's functions may not have their address taken.
inline void free_malloced(void* p) { std::free(p); }

}  // namespace vt
