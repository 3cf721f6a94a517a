// API table group: reading files and directories: procedures 400-499.
#include "api.hpp"

namespace vt::gen {

namespace {
using A = ArgType;
using R = RetType;
using F = FieldType;
using T = TestInit;

// The steps that plant hostile symlinks under /esc: an absolute target, one
// that climbs above the root, and one that climbs and comes back down.
const std::vector<std::string> kEscapeSetup = {
    "mkdir_p /esc/real/deep",
    "write /esc/real/secret guest",
    "command \"ln -sfn /../../etc /sysroot/esc/etc\"",
    "command \"ln -sfn /etc/passwd /sysroot/esc/passwd\"",
    "command \"ln -sfn ../../../../../../esc/real /sysroot/esc/real/deep/up\"",
};

std::vector<std::string> with_escape_setup(std::vector<std::string> steps) {
  steps.insert(steps.begin(), kEscapeSetup.begin(), kEscapeSetup.end());
  return steps;
}

// A 10 GiB sparse file: no call may read it into memory.
const char* kBigFile = "command \"truncate -s 10G /sysroot/big\"";
}  // namespace

std::vector<StructDef> file_structs() {
  return {
      {"statns",
       {{F::Int64, "st_dev"},        {F::Int64, "st_ino"},        {F::Int64, "st_mode"},
        {F::Int64, "st_nlink"},      {F::Int64, "st_uid"},        {F::Int64, "st_gid"},
        {F::Int64, "st_rdev"},       {F::Int64, "st_size"},       {F::Int64, "st_blksize"},
        {F::Int64, "st_blocks"},     {F::Int64, "st_atime_sec"},  {F::Int64, "st_atime_nsec"},
        {F::Int64, "st_mtime_sec"},  {F::Int64, "st_mtime_nsec"}, {F::Int64, "st_ctime_sec"},
        {F::Int64, "st_ctime_nsec"}, {F::Int64, "st_spare1"},     {F::Int64, "st_spare2"},
        {F::Int64, "st_spare3"},     {F::Int64, "st_spare4"},     {F::Int64, "st_spare5"},
        {F::Int64, "st_spare6"}},
       "file information, as stat(2), with nanosecond times (the spare fields are always 0)"},
      {"treeentry",
       {{F::String, "te_path"},       {F::String, "te_link"},       {F::Int32, "te_listed"},
        {F::Int64, "te_dev"},         {F::Int64, "te_ino"},         {F::Int64, "te_mode"},
        {F::Int64, "te_nlink"},       {F::Int64, "te_uid"},         {F::Int64, "te_gid"},
        {F::Int64, "te_rdev"},        {F::Int64, "te_size"},        {F::Int64, "te_blksize"},
        {F::Int64, "te_blocks"},      {F::Int64, "te_atime_sec"},   {F::Int64, "te_atime_nsec"},
        {F::Int64, "te_mtime_sec"},   {F::Int64, "te_mtime_nsec"},  {F::Int64, "te_ctime_sec"},
        {F::Int64, "te_ctime_nsec"}},
       "one entry of a directory tree: its path below the tree's top, a symbolic link's target "
       "(else \"\"), whether a directory's own entries are in the same answer (te_listed 1), and "
       "its lstat"},
  };
}

std::vector<Call> file_calls() {
  return {
      {"ll", 400, {{A::Pathname, "directory"}}, {}, R::String, "", kNone,
       "list the files in a directory (long format)",
       "Returns the listing of the directory as \"ls -la\" prints it, for people to read, not for "
       "programs to parse.  Names with unusual characters (newlines, quotes) are shown quoted as the "
       "shell would need them, so every entry stays on one line.",
       {{T::ScratchFS, {"mkdir_p /ll", "write /ll/file hello", "write \"/ll/new\nline\" x",
                        "ll /ll =~ ^-rw-r--r-- +1 +\\S+ +\\S+ +5 .* file$",
                        "ll /ll =~ 'new'\\$'\\\\n''line'$", "ll /ll/file =>!"}}}},

      {"read_lines", 401, {{A::Pathname, "path"}}, {}, R::StringList, "", kNone,
       "read a file as lines",
       "Returns the lines of the file, without their LF or CRLF endings.  A final line without an "
       "ending is returned too.  Like read_file, refuses a file larger than the protocol's message "
       "limit.",
       {{T::ScratchFS, {"write /rl \"a\r\nb\n\nc\"", "read_lines /rl => a\nb\n\nc", "write /rl-e \"\"",
                        "read_lines /rl-e => ", "write /rl-n \"x\n\"", "read_lines /rl-n => x"}},
        // A huge sparse file: every call that reads a whole file fails cleanly.
        {T::ScratchFS, {kBigFile, "read_lines /big =>!", "cat /big =>!", "read_file /big =>!", "head /big =>!",
                        "tail /big =>!", "head_n 1 /big =>!", "tail_n 1 /big =>!", "head_n -1 /big =>!",
                        "grep x /big => ", "filesize /big => 10737418240", "du /big => 0", "ping"}}}},

      {"readlink", 402, {{A::Pathname, "path"}}, {}, R::String, "", kNone,
       "read the target of a symbolic link",
       "Returns the target of the symbolic link as it is stored, without resolving it.",
       {{T::ScratchFS, with_escape_setup({"readlink /esc/etc => /../../etc", "readlink /esc/passwd => /etc/passwd",
                                          "readlink /esc/real =>!", "readlink /esc/nonexistent =>!"})}}},

      {"realpath", 403, {{A::Pathname, "path"}}, {}, R::String, "", kNone,
       "get the canonical absolute path",
       "Returns the absolute path of the file with every \".\", \"..\" and symbolic link resolved.  "
       "Symbolic links are resolved inside the guest: \"..\" at the root stays at the root and "
       "absolute targets start at the guest's root.",
       {{T::ScratchFS, with_escape_setup({"realpath /esc/real/deep/up => /esc/real",
                                          "realpath /esc/real/deep/up/deep/../secret => /esc/real/secret",
                                          "realpath /esc/etc =>!", "realpath /esc/passwd =>!",
                                          "realpath / => /"})}}},

      {"statns", 404, {{A::Pathname, "path"}}, {}, R::Struct, "statns", kNone,
       "get file information",
       "Returns the file's information, as stat(2): a symbolic link is followed.",
       {{T::ScratchFS, {"write /st hello", "command \"ln -sfn st /sysroot/st-link\"",
                        "statns /st =~ ^st_size: 5$", "statns /st =~ ^st_mode: 33188$",
                        "statns /st =~ ^st_nlink: 1$", "statns /st-link =~ ^st_size: 5$",
                        "statns /nonexistent =>!"}}}},

      {"lstatns", 405, {{A::Pathname, "path"}}, {}, R::Struct, "statns", kNone,
       "get file information for a symbolic link",
       "Like statns, but a symbolic link is not followed: the information is the link's own, as "
       "lstat(2).",
       {{T::ScratchFS, {"write /lst hello", "command \"ln -sfn lst /sysroot/lst-link\"",
                        "lstatns /lst-link =~ ^st_mode: 41471$", "lstatns /lst-link =~ ^st_size: 3$",
                        "lstatns /lst =~ ^st_size: 5$"}}}},

      {"is_symlink", 406, {{A::Pathname, "path"}}, {}, R::Bool, "", kNone,
       "test whether a path is a symbolic link",
       "Returns true if the path is a symbolic link (dangling or not).",
       {{T::ScratchFS, {"command \"ln -sfn nowhere /sysroot/issym\"", "is_symlink /issym => true",
                        "is_symlink / => false", "is_symlink /nonexistent => false"}}}},

      {"is_blockdev", 407, {{A::Pathname, "path"}}, {{A::Bool, "followsymlinks"}}, R::Bool, "", kNone,
       "test whether a path is a block device",
       "Returns true if the path is a block device node in the guest filesystem (the appliance's "
       "own devices, such as /dev/sda, are not looked at).  Symbolic links are not followed unless "
       "followsymlinks is true.",
       {{T::ScratchFS, {"command \"rm -f /sysroot/isblk\"", "command \"mknod /sysroot/isblk b 8 0\"",
                        "command \"ln -sfn isblk /sysroot/isblk-link\"", "is_blockdev /isblk => true",
                        "is_blockdev /isblk-link => false", "is_blockdev /isblk-link followsymlinks:true => true",
                        "is_blockdev / => false", "is_chardev /isblk => false"}}}},

      {"is_chardev", 408, {{A::Pathname, "path"}}, {{A::Bool, "followsymlinks"}}, R::Bool, "", kNone,
       "test whether a path is a character device",
       "Returns true if the path is a character device node in the guest filesystem.  Symbolic "
       "links are not followed unless followsymlinks is true.",
       {{T::ScratchFS, {"command \"rm -f /sysroot/ischr\"", "command \"mknod /sysroot/ischr c 1 3\"",
                        "command \"ln -sfn ischr /sysroot/ischr-link\"", "is_chardev /ischr => true",
                        "is_chardev /ischr-link => false", "is_chardev /ischr-link followsymlinks:true => true",
                        "is_chardev / => false"}}}},

      {"is_fifo", 409, {{A::Pathname, "path"}}, {{A::Bool, "followsymlinks"}}, R::Bool, "", kNone,
       "test whether a path is a FIFO",
       "Returns true if the path is a FIFO (named pipe).  Symbolic links are not followed unless "
       "followsymlinks is true.",
       {{T::ScratchFS, {"command \"rm -f /sysroot/isfifo\"", "command \"mkfifo /sysroot/isfifo\"",
                        "command \"ln -sfn isfifo /sysroot/isfifo-link\"", "is_fifo /isfifo => true",
                        "is_fifo /isfifo-link => false", "is_fifo /isfifo-link followsymlinks:true => true",
                        "is_fifo / => false",
                        // Reading a FIFO must not hang the daemon.
                        "cat /isfifo =>!", "head /isfifo =>!", "checksum md5 /isfifo =>!", "ping"}}}},

      {"is_socket", 410, {{A::Pathname, "path"}}, {{A::Bool, "followsymlinks"}}, R::Bool, "", kNone,
       "test whether a path is a socket",
       "Returns true if the path is a UNIX domain socket.  Symbolic links are not followed unless "
       "followsymlinks is true.",
       {{T::ScratchFS, {"command \"rm -f /sysroot/issock-fifo\"", "command \"mkfifo /sysroot/issock-fifo\"",
                        "is_socket /issock-fifo => false", "is_socket / => false",
                        "is_socket /nonexistent followsymlinks:true => false"}}}},

      {"find", 411, {{A::Pathname, "directory"}}, {}, R::StringList, "", kNone,
       "list all files and directories under a directory",
       "Returns every file and directory under the directory, recursively, as names relative to it "
       "(\"a\", \"c\", \"c/d\"), sorted.  The directory itself is not listed.  Symbolic links are "
       "listed, not followed.  Fails if the directory is not a directory, or if the list is larger "
       "than the protocol's message limit (use find0).",
       {{T::ScratchFS, {"mkdir_p /fd/c", "write /fd/b x", "write /fd/a x", "write /fd/c/d x",
                        "find /fd => a\nb\nc\nc/d", "find /fd/a =>!"}},
        {T::ScratchFS, with_escape_setup({"find /esc/etc =>!", "find /esc/real => deep\ndeep/up\nsecret"})}}},

      {"find0", 412, {{A::Pathname, "directory"}, {A::FileOut, "files"}}, {}, R::Void, "", kNone,
       "list all files and directories under a directory, NUL-separated",
       "Like find, but writes the names to the host file, each followed by a NUL byte (as find "
       "-print0), unsorted.  Any name, even one holding a newline, comes back intact, and the list "
       "may be of any length.",
       {{T::ScratchFS, {"mkdir_p /f0", "write \"/f0/a\nb\" x", "find0 /f0 /tmp/vt-api-test-find0.out",
                        "upload /tmp/vt-api-test-find0.out /f0.out",
                        // md5 of "a\nb\0"
                        "checksum md5 /f0.out => f0b76a524c5a96d3b66b1fa1d0ebaecf"}}}},

      {"glob_expand", 413, {{A::Pathname, "pattern"}}, {{A::Bool, "directoryslash"}}, R::StringList, "", kNone,
       "expand a wildcard path",
       "Returns the paths that match the shell wildcard pattern (*, ?, [...] and {a,b}), sorted; an "
       "empty list if none does.  Directories end with a slash unless directoryslash is false.  "
       "Symbolic links are resolved inside the guest.",
       {{T::ScratchFS, {"mkdir_p /gl/d", "write /gl/a.txt x", "write /gl/b.txt x",
                        "glob_expand /gl/* => /gl/a.txt\n/gl/b.txt\n/gl/d/",
                        "glob_expand /gl/* directoryslash:false => /gl/a.txt\n/gl/b.txt\n/gl/d",
                        "glob_expand /gl/{d,a}* => /gl/d/\n/gl/a.txt", "glob_expand /gl/none* => "}},
        {T::ScratchFS, with_escape_setup({"glob_expand /esc/etc/* => ", "glob_expand /esc/real/deep/up/s* => /esc/real/deep/up/secret"})}}},

      {"case_sensitive_path", 414, {{A::Pathname, "path"}}, {}, R::String, "", kNone,
       "find the true case of a path",
       "Returns the path with each element spelt as it is on disk, matching names without regard to "
       "case (useful for Windows paths read from the registry).  If the last element does not exist "
       "it is appended as given; if an earlier one does not exist the call fails.",
       {{T::ScratchFS, {"mkdir_p /CSP/Windows/System32", "write /CSP/Windows/System32/netkvm.sys x",
                        "case_sensitive_path /csp/windows/system32/NETKVM.SYS => /CSP/Windows/System32/netkvm.sys",
                        "case_sensitive_path /csp/windows/system32/NoSuchFile => /CSP/Windows/System32/NoSuchFile",
                        "case_sensitive_path /csp/windows/system33/netkvm.sys =>!",
                        "case_sensitive_path / => /"}}}},

      {"checksum", 415, {{A::String, "csumtype"}, {A::Pathname, "path"}}, {}, R::String, "", kNone,
       "compute the checksum of a file",
       "Returns the checksum of the file as a printable string.  csumtype is crc (the POSIX cksum "
       "CRC), md5, sha1, sha224, sha256, sha384 or sha512.  The file is streamed, so it may be of "
       "any size.",
       {{T::ScratchFS, {"write /ck \"hello\n\"", "checksum crc /ck => 3015617425",
                        "checksum md5 /ck => b1946ac92492d2347c6235b4d2611184",
                        "checksum sha1 /ck => f572d396fae9206628714fb2ce00f72e94f2258f",
                        "checksum sha224 /ck => 2d6d67d91d0badcdd06cbbba1fe11538a68a37ec9c2e26457ceff12b",
                        "checksum sha256 /ck => 5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03",
                        "checksum sha384 /ck => 1d0f284efe3edea4b9ca3bd514fa134b17eae361ccc7a1eefeff801b9bd6604e01f21f6bf249ef030599f0c218f2ba8c",
                        "checksum sha512 /ck => e7c22b994c59d9cf2b48e549b1e24666636045930d3da7c1acb299d1c3b7f931f94aae41edda2c2b207a36e10f8bcb8d45223e54878f5b316e7ce3b6bc019629",
                        "checksum md4 /ck =>!", "checksum md5 / =>!"}},
        {T::ScratchFS, with_escape_setup({"checksum md5 /esc/passwd =>!",
                                          "checksum md5 /esc/real/deep/up/secret => 084e0343a0486ff05530df6c705c8bb4"})},
        // Streamed: 64 MiB of zeros, 16 times the message cap.  (10 GiB takes
        // minutes under emulation and proves nothing more.)
        {T::ScratchFS, {"command \"truncate -s 64M /sysroot/big64\"",
                        "checksum md5 /big64 => 7f614da9329cd3aebf59b91aadc30bf0"}}}},

      {"filesize", 416, {{A::Pathname, "file"}}, {}, R::Int64, "", kNone,
       "get the size of a file in bytes",
       "Returns the size of the file in bytes (a symbolic link is followed).",
       {{T::ScratchFS, {"write /fsz hello", "filesize /fsz => 5", "filesize /nonexistent =>!"}}}},

      {"head", 417, {{A::Pathname, "path"}}, {}, R::StringList, "", kNone,
       "get the first 10 lines of a file",
       "Returns up to the first 10 lines of the file.  Fails if they are larger than the protocol's "
       "message limit.",
       {{T::ScratchFS, {"write /hd \"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n\"",
                        "head /hd => 1\n2\n3\n4\n5\n6\n7\n8\n9\n10"}}}},

      {"tail", 418, {{A::Pathname, "path"}}, {}, R::StringList, "", kNone,
       "get the last 10 lines of a file",
       "Returns up to the last 10 lines of the file.  Fails if they are larger than the protocol's "
       "message limit.",
       {{T::ScratchFS, {"write /tl \"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n\"",
                        "tail /tl => 3\n4\n5\n6\n7\n8\n9\n10\n11\n12"}}}},

      {"head_n", 419, {{A::Int, "nrlines"}, {A::Pathname, "path"}}, {}, R::StringList, "", kNone,
       "get the first N lines of a file",
       "Returns the first nrlines lines of the file.  A negative nrlines returns every line except "
       "the last -nrlines; zero returns an empty list.  Fails if the result is larger than the "
       "protocol's message limit.",
       {{T::ScratchFS, {"write /hn \"1\n2\n3\n4\n5\"", "head_n 2 /hn => 1\n2", "head_n -3 /hn => 1\n2",
                        "head_n 0 /hn => ", "head_n 9 /hn => 1\n2\n3\n4\n5", "head_n -9 /hn => "}}}},

      {"tail_n", 420, {{A::Int, "nrlines"}, {A::Pathname, "path"}}, {}, R::StringList, "", kNone,
       "get the last N lines of a file",
       "Returns the last nrlines lines of the file.  A negative nrlines returns the lines from line "
       "-nrlines (counting from 1) to the end; zero returns an empty list.  Fails if the result is "
       "larger than the protocol's message limit.",
       {{T::ScratchFS, {"write /tn \"1\n2\n3\n4\n5\n\"", "tail_n 2 /tn => 4\n5", "tail_n -4 /tn => 4\n5",
                        "tail_n 0 /tn => ", "tail_n 9 /tn => 1\n2\n3\n4\n5", "tail_n -1 /tn => 1\n2\n3\n4\n5"}}}},

      {"grep", 421, {{A::String, "regex"}, {A::Pathname, "path"}},
       {{A::Bool, "extended"}, {A::Bool, "fixed"}, {A::Bool, "insensitive"}, {A::Bool, "compressed"}},
       R::StringList, "", kNone,
       "return the lines of a file that match a pattern",
       "Returns the lines of the file that match the regular expression, as grep(1).  Optional: "
       "extended (-E), fixed (-F, a plain string), insensitive (-i), compressed (read the file "
       "through zgrep, so gzip-compressed files work too).  No match is an empty list.  Fails if "
       "the result is larger than the protocol's message limit.",
       {{T::ScratchFS, {"write /gr \"abc\nABC\na.c\nxyz\n\"", "grep a.c /gr => abc\na.c",
                        "grep a.c /gr fixed:true => a.c", "grep a.c /gr insensitive:true => abc\nABC\na.c",
                        "grep \"b|y\" /gr extended:true => abc\nxyz", "grep nomatch /gr => ",
                        "grep x /gr extended:true fixed:true =>!", "grep x /nonexistent =>!"}},
        {T::ScratchFS, {"write /grz \"abc\nxyz\n\"", "command \"gzip -f /sysroot/grz\"",
                        "grep y /grz.gz compressed:true => xyz"}}}},

      {"du", 422, {{A::Pathname, "path"}}, {}, R::Int64, "", kNone,
       "estimate the disk space a file or directory uses",
       "Returns the space used by the file, or by the directory and everything under it, in KiB, "
       "as du -s.  Symbolic links are counted, not followed.",
       {{T::ScratchFS, {"mkdir_p /du", "command \"fallocate -l 1M /sysroot/du/f\"", "du /du/f => 1024",
                        "du /du =~ ^10[2-3][0-9]$", "du /nonexistent =>!"}}}},

      {"checksums_out", 423, {{A::String, "csumtype"}, {A::Pathname, "directory"}, {A::FileOut, "sumsfile"}}, {},
       R::Void, "", kNone,
       "compute the checksums of the files under a directory",
       "Writes to the host file one line per regular file under the directory, recursively, as the "
       "coreutils checksum programs print them (\"SUM  ./path\"; cksum's format for crc).  "
       "csumtype is as for checksum.",
       {{T::ScratchFS, {"mkdir_p /cko/sub", "write /cko/sub/f \"hello\n\"",
                        "checksums_out md5 /cko /tmp/vt-api-test-checksums.out",
                        "upload /tmp/vt-api-test-checksums.out /cko.out",
                        "cat /cko.out => b1946ac92492d2347c6235b4d2611184  ./sub/f\n"}}}},

      {"lstatnslist", 424, {{A::Pathname, "path"}, {A::StringList, "names"}}, {}, R::StructList, "statns",
       kNone,
       "get file information for several files in a directory",
       "Like lstatns for each name in the directory, in one call.  For a name that does not exist "
       "or cannot be examined, st_ino is -1 and the other fields are 0.",
       {{T::ScratchFS, {"mkdir_p /lsl", "write /lsl/f hello", "command \"ln -sfn f /sysroot/lsl/l\"",
                        "lstatnslist /lsl \"f l missing ../../../proc/self\" =~ ^\\[0\\] = \\{\\n  st_dev: \\d+\\n  "
                        "st_ino: \\d+\\n  st_mode: 33188$",
                        "lstatnslist /lsl \"f l\" =~ ^\\[1\\] = \\{\\n  st_dev: \\d+\\n  st_ino: \\d+\\n  st_mode: 41471$",
                        "lstatnslist /lsl \"f l missing\" =~ ^\\[2\\] = \\{\\n  st_dev: 0\\n  st_ino: -1\\n",
                        "lstatnslist /lsl \"f ../../../proc/self\" =~ ^\\[1\\] = \\{\\n  st_dev: 0\\n  st_ino: -1\\n"}}}},

      {"internal_lstatns_tree", 714, {{A::Pathname, "directory"}, {A::Int, "limit"}}, {}, R::StructList,
       "treeentry", kNone,
       "a directory's entries with their lstat, and its subdirectories' (internal)",
       "guestmount calls this to read a directory: every entry of directory, with its lstat and, for "
       "a symbolic link, its target; then, breadth first, the entries of its subdirectories (never "
       "through a symbolic link) while fewer than limit entries have been returned, each "
       "subdirectory whole or not at all (te_listed says which were listed).  Fails with E2BIG if "
       "directory alone does not fit in one reply.  Not for general use.",
       {{T::ScratchFS, {"mkdir_p /tr/a/b", "write /tr/a/f hello", "ln_s f /tr/a/l",
                        "internal_lstatns_tree /tr 100 =~ te_path: a\n  te_link: \n  te_listed: 1\n",
                        "internal_lstatns_tree /tr 100 =~ te_path: a/l\n  te_link: f\n  te_listed: 0\n",
                        "internal_lstatns_tree /tr 100 =~ te_path: a/b\n  te_link: \n  te_listed: 1\n",
                        "internal_lstatns_tree /tr 1 =~ te_path: a\n  te_link: \n  te_listed: 0\n",
                        "internal_lstatns_tree /tr/a/f 10 =>!", "internal_lstatns_tree /tr -1 =>!"}}}},

      {"readlinklist", 425, {{A::Pathname, "path"}, {A::StringList, "names"}}, {}, R::StringList, "", kNone,
       "read the targets of several symbolic links in a directory",
       "Like readlink for each name in the directory, in one call.  The result for a name that is "
       "not a symbolic link or cannot be read is an empty string.",
       {{T::ScratchFS, {"mkdir_p /rll", "write /rll/f x", "command \"ln -sfn f /sysroot/rll/l\"",
                        "command \"ln -sfn /../x /sysroot/rll/abs\"",
                        "readlinklist /rll \"l f missing abs\" => f\n\n\n/../x"}}}},

      {"pread", 480, {{A::Pathname, "path"}, {A::Int, "count"}, {A::Int64, "offset"}}, {}, R::Buffer, "", kNone,
       "read part of a file",
       "Returns up to count bytes of the file from offset: fewer at the end of the file, none past "
       "it.  A count larger than the protocol's message limit is refused (read in smaller pieces, or "
       "use download).",
       {{T::ScratchFS, {"write /pr \"hello world\"", "pread /pr 5 6 => world", "pread /pr 5 0 => hello",
                        "pread /pr 100 6 => world", "pread /pr 5 100 => ", "pread /pr 0 0 => ",
                        "pread /pr -1 0 =>!", "pread /pr 5 -1 =>!", "pread /pr 5000000 0 =>!",
                        "pread / 1 0 =>!", "pread /nonexistent 1 0 =>!"}},
        {T::ScratchFS, {kBigFile, "pread /big 1 10737418240 => ", "pread /big 5 20000000000 => "}}}},

      {"file_architecture", 0, {{A::Pathname, "filename"}}, {}, R::String, "", kLibrary,
       "detect the architecture of a binary file",
       "Returns the architecture of the ELF or PE (Windows) binary, read from its header: \"x86_64\", "
       "\"i386\", \"aarch64\", \"arm\", \"ppc\", \"ppc64\", \"ppc64le\", \"s390\", \"s390x\", "
       "\"riscv32\", \"riscv64\", \"sparc\", \"sparc64\", \"ia64\", \"mips\", \"mips64\"...  "
       "Fails for any other file.",
       {{T::ScratchFS, {"command \"cp /bin/ls /sysroot/fa-ls\"", "file_architecture /fa-ls => x86_64",
                        "write /fa-text hello", "file_architecture /fa-text =>!",
                        "write /fa-elf \"\x7f" "ELF\x02\x01\"", "file_architecture /fa-elf =>!",
                        // An MZ header whose PE offset points far past the end.
                        "write /fa-mz \"MZxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\xff\xff\xff\x7f\"",
                        "file_architecture /fa-mz =>!", "write /fa-mz2 \"MZxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\x01\x01\x01\x01\"",
                        "file_architecture /fa-mz2 =>!", "file_architecture / =>!",
                        "file_architecture /nonexistent =>!"}}}},
  };
}

}  // namespace vt::gen
