// Berkeley DB hash databases, read from their bytes on the host: the format
// of rpm's database before sqlite (/var/lib/rpm/Packages on RHEL/CentOS 8 and
// older, Fedora 32 and older).  Only what rpm uses is read: one database per
// file, no duplicates, no encryption.  The file is guest data: every offset,
// length, page number and overflow chain is checked; a malformed file is an
// Error, never a crash or an endless loop.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "errors.hpp"

namespace vt::bdb {

// The file is not a Berkeley DB hash database, or is damaged.
class FormatError : public Error {
 public:
  using Error::Error;
};

struct HashRecord {
  std::string key;
  std::string value;
};

struct HashDatabase {
  bool big_endian = false;  // the byte order of the page headers (and of rpm's keys)
  std::vector<HashRecord> records;  // in page order, not sorted
  size_t skipped_duplicates = 0;    // keys with duplicate data sets, left out
};

// Every key/value pair of the database `file` (the whole file's bytes).
// Throws FormatError.
HashDatabase read_hash_database(std::string_view file);

}  // namespace vt::bdb
