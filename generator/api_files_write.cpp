// API table group: writing files and directories, archives: procedures 500-599.
#include "api.hpp"

namespace vt::gen {

namespace {
using A = ArgType;
using R = RetType;
using F = FieldType;
using T = TestInit;

// The table tests run on the host: archives made by tar_out are read back by
// tar_in from here.  A fixed name, overwritten by every run.
#define HOST_TAR "/tmp/vt-files2-test.tar"
}  // namespace

std::vector<StructDef> file_write_structs() { return {}; }

std::vector<Call> file_write_calls() {
  return {
      {"write_append", 500, {{A::Pathname, "path"}, {A::String, "content"}}, {}, R::Void, "", kNone,
       "append to a file",
       "Appends the content (any bytes) to the end of the file, creating the file if it does not exist.",
       {{T::ScratchFS, {"write /wa x", "write_append /wa yz", "cat /wa => xyz", "write_append /wa_new q",
                        "cat /wa_new => q"}}}},

      {"mkdir", 501, {{A::Pathname, "path"}}, {}, R::Void, "", kNone,
       "create a directory",
       "Creates the directory.  Its parent must exist and the directory itself must not.",
       {{T::ScratchFS, {"mkdir /mkd", "is_dir /mkd => true", "mkdir /mkd =>!", "mkdir /mkd_none/sub =>!"}}}},

      {"mkdir_mode", 502, {{A::Pathname, "path"}, {A::Int, "mode"}}, {}, R::Void, "", kNone,
       "create a directory with the given permissions",
       "Like mkdir, but the new directory gets the permission bits of mode (write it in octal with a leading "
       "0, as 0750).  The appliance's umask is 022 and applies, as it does for mkdir(2).",
       {{T::ScratchFS, {"mkdir_mode /mkdm 0750", "command \"stat -c %a /sysroot/mkdm\" => 750\n"}}}},

      {"rm", 503, {{A::Pathname, "path"}}, {}, R::Void, "", kNone,
       "remove a file",
       "Removes one file (or symbolic link, or other non-directory).  Fails if it does not exist or is a "
       "directory.",
       {{T::ScratchFS, {"write /rmf x", "rm /rmf", "exists /rmf => false", "rm /rmf =>!", "mkdir /rmd",
                        "rm /rmd =>!"}}}},

      {"rm_f", 504, {{A::Pathname, "path"}}, {}, R::Void, "", kNone,
       "remove a file, not minding if it is missing",
       "Like rm, but a file that does not exist is not an error.  Other errors are, and a directory is "
       "still refused (see rmdir and rm_rf).",
       {{T::ScratchFS, {"rm_f /rmf_missing", "write /rmff x", "rm_f /rmff", "exists /rmff => false",
                        "mkdir /rmfd", "rm_f /rmfd =>!"}}}},

      {"rm_rf", 505, {{A::Pathname, "path"}}, {}, R::Void, "", kNone,
       "remove a file or directory tree",
       "Removes the path and, if it is a directory, everything below it, like rm -rf.  A path that does "
       "not exist is not an error.  A symbolic link is removed, not followed.",
       {{T::ScratchFS, {"mkdir_p /rrf/a/b", "write /rrf/a/b/c x", "ln_s / /rrf/a/root", "rm_rf /rrf",
                        "exists /rrf => false", "rm_rf /rrf_missing"}},
        // Symlinks to "/" and "../.." lead back into the guest, never to the
        // appliance's own files (a marker in the appliance's /tmp).
        {T::ScratchFS, {"command \"touch /tmp/files2_marker\"", "mkdir_p /tmp/sub", "write /tmp/files2_marker x",
                        "ln_s / /rrf_root", "mkdir /rrf_d", "ln_s ../.. /rrf_d/up",
                        "rm_rf /rrf_root/tmp/files2_marker", "exists /tmp/files2_marker => false",
                        "write /tmp/files2_marker x", "rm_rf /rrf_d/up/tmp/files2_marker",
                        "exists /tmp/files2_marker => false", "rm_rf /rrf_root/tmp", "exists /tmp => false",
                        "command \"stat -c %F /tmp/files2_marker\" => regular empty file\n"}}}},

      {"rmdir", 506, {{A::Pathname, "path"}}, {}, R::Void, "", kNone,
       "remove an empty directory",
       "Removes the directory, which must be empty.",
       {{T::ScratchFS, {"mkdir /rd", "rmdir /rd", "exists /rd => false", "mkdir_p /rd2/x", "rmdir /rd2 =>!",
                        "write /rd3 x", "rmdir /rd3 =>!"}}}},

      {"cp", 507, {{A::Pathname, "src"}, {A::Pathname, "dest"}}, {}, R::Void, "", kNone,
       "copy a file",
       "Copies the file src to dest, which is either the new file's name or an existing directory to copy "
       "into.  A directory as src is refused (see cp_a and cp_r).",
       {{T::ScratchFS, {"write /cps abc", "cp /cps /cpd", "cat /cpd => abc", "mkdir /cpdir", "cp /cps /cpdir",
                        "cat /cpdir/cps => abc", "cp /cpdir /cpd2 =>!"}}}},

      {"cp_a", 508, {{A::Pathname, "src"}, {A::Pathname, "dest"}}, {}, R::Void, "", kNone,
       "copy a file or directory tree, keeping its attributes",
       "Copies src, recursively if it is a directory, to dest (the new name, or an existing directory to "
       "copy into), as cp -a does: permissions, owners, timestamps and symbolic links are kept.",
       {{T::ScratchFS, {"mkdir_p /cpa/s/d", "write /cpa/s/d/f x", "chmod 0640 /cpa/s/d/f", "ln_s f /cpa/s/d/l",
                        "cp_a /cpa/s /cpa/t", "cat /cpa/t/d/f => x",
                        "command \"stat -c %a /sysroot/cpa/t/d/f\" => 640\n",
                        "command \"readlink /sysroot/cpa/t/d/l\" => f\n"}},
        // A link to the appliance's /tmp where the copy goes is not followed.
        {T::ScratchFS, {"mkdir_p /cpe/s", "write /cpe/s/files2_cp_escape x", "mkdir /cpe/t", "ln_s /tmp /cpe/t/s",
                        "cp_a /cpe/s /cpe/t =>!", "command \"stat /tmp/files2_cp_escape\" =>!"}}}},

      {"cp_r", 509, {{A::Pathname, "src"}, {A::Pathname, "dest"}}, {}, R::Void, "", kNone,
       "copy a file or directory tree",
       "Copies src, recursively if it is a directory, to dest, as cp -rP does: symbolic links are copied as "
       "links, but permissions and owners are not kept (useful for filesystems such as FAT that cannot hold "
       "them; otherwise prefer cp_a).",
       {{T::ScratchFS, {"mkdir_p /cpr/s/d", "write /cpr/s/d/f y", "ln_s / /cpr/s/root", "cp_r /cpr/s /cpr/t",
                        "cat /cpr/t/d/f => y", "command \"readlink /sysroot/cpr/t/root\" => /\n"}}}},

      {"mv", 510, {{A::Pathname, "src"}, {A::Pathname, "dest"}}, {}, R::Void, "", kNone,
       "move or rename a file",
       "Moves src to dest, which is either the new name or an existing directory to move into.",
       {{T::ScratchFS, {"write /mvs x", "mv /mvs /mvd", "exists /mvs => false", "cat /mvd => x", "mkdir /mvdir",
                        "mv /mvd /mvdir", "cat /mvdir/mvd => x"}}}},

      {"ln_s", 511, {{A::String, "target"}, {A::Pathname, "linkname"}}, {}, R::Void, "", kNone,
       "create a symbolic link",
       "Creates the symbolic link linkname pointing at target (stored as given, not checked).  Fails if "
       "linkname exists.",
       {{T::ScratchFS, {"ln_s target/x /lns", "command \"readlink /sysroot/lns\" => target/x\n",
                        "ln_s other /lns =>!"}}}},

      {"ln", 512, {{A::Pathname, "target"}, {A::Pathname, "linkname"}}, {}, R::Void, "", kNone,
       "create a hard link",
       "Creates linkname as a new hard link to the existing file target.",
       {{T::ScratchFS, {"write /lnt x", "ln /lnt /lnl", "write_append /lnl y", "cat /lnt => xy",
                        "command \"stat -c %h /sysroot/lnt\" => 2\n", "ln /lnt /lnl =>!"}}}},

      {"ln_sf", 513, {{A::String, "target"}, {A::Pathname, "linkname"}}, {}, R::Void, "", kNone,
       "create a symbolic link, replacing what is there",
       "Like ln_s, but an existing file at linkname is removed first (not a directory).",
       {{T::ScratchFS, {"write /lnsf x", "ln_sf /other /lnsf", "command \"readlink /sysroot/lnsf\" => /other\n",
                        "ln_sf /new /lnsf_fresh", "command \"readlink /sysroot/lnsf_fresh\" => /new\n"}}}},

      {"chmod", 514, {{A::Int, "mode"}, {A::Pathname, "path"}}, {}, R::Void, "", kNone,
       "change the permissions of a file",
       "Sets the permission bits of the path to mode (octal with a leading 0, as 0644).  A symbolic link is "
       "followed, inside the guest.",
       {{T::ScratchFS, {"write /chm x", "chmod 0751 /chm", "command \"stat -c %a /sysroot/chm\" => 751\n"}},
        // Through links to "/" the guest's own file changes, not the appliance's.
        {T::ScratchFS, {"command \"touch /tmp/files2_chmod\"", "command \"chmod 0644 /tmp/files2_chmod\"",
                        "ln_s / /chm_root", "chmod 0600 /chm_root/tmp/files2_chmod =>!", "mkdir /chm_d",
                        "ln_s ../.. /chm_d/up", "mkdir_p /tmp", "write /tmp/files2_chmod x",
                        "chmod 0600 /chm_d/up/tmp/files2_chmod", "chmod 0604 /chm_root/tmp/files2_chmod",
                        "command \"stat -c %a /sysroot/tmp/files2_chmod\" => 604\n",
                        "command \"stat -c %a /tmp/files2_chmod\" => 644\n"}}}},

      {"chown", 515, {{A::Int, "owner"}, {A::Int, "group"}, {A::Pathname, "path"}}, {}, R::Void, "", kNone,
       "change the owner and group of a file",
       "Sets the numeric owner and group of the path.  A symbolic link is followed, inside the guest (see "
       "lchown).  Names are not supported: look them up in the guest's /etc/passwd.",
       {{T::ScratchFS, {"write /cho x", "chown 1234 5678 /cho", "command \"stat -c %u:%g /sysroot/cho\" => 1234:5678\n",
                        "ln_s cho /cho_l", "chown 1 2 /cho_l", "command \"stat -c %u:%g /sysroot/cho\" => 1:2\n"}}}},

      {"lchown", 516, {{A::Int, "owner"}, {A::Int, "group"}, {A::Pathname, "path"}}, {}, R::Void, "", kNone,
       "change the owner and group of a file or symbolic link",
       "Like chown, but a symbolic link itself is changed, not what it points at.",
       {{T::ScratchFS, {"write /lcho x", "ln_s lcho /lcho_l", "lchown 42 43 /lcho_l",
                        "command \"stat -c %u:%g /sysroot/lcho_l\" => 42:43\n",
                        "command \"stat -c %u:%g /sysroot/lcho\" => 0:0\n"}}}},

      {"touch", 517, {{A::Pathname, "path"}}, {}, R::Void, "", kNone,
       "create an empty file or update its times",
       "Sets the access and modification times of the file to now, creating an empty file if there is "
       "none.  Only for regular files: a directory, a symbolic link or a device is refused.",
       {{T::ScratchFS, {"touch /tch", "is_file /tch => true", "cat /tch => ", "touch /tch", "mkdir /tchd",
                        "touch /tchd =>!", "ln_s tch /tchl", "touch /tchl =>!"}}}},

      {"truncate", 518, {{A::Pathname, "path"}}, {}, R::Void, "", kNone,
       "truncate a file to zero length",
       "Makes the existing file empty.",
       {{T::ScratchFS, {"write /trc abc", "truncate /trc", "cat /trc => ", "truncate /trc_missing =>!"}}}},

      {"pwrite", 526, {{A::Pathname, "path"}, {A::String, "content"}, {A::Int64, "offset"}}, {}, R::Int, "", kNone,
       "write to part of a file",
       "Writes content to the existing regular file at byte offset, without truncating it (a write "
       "past the end grows it, with a hole between), and returns the number of bytes written, which "
       "is all of them.  The content must fit in one protocol message.",
       {{T::ScratchFS, {"write /pw abcdef", "pwrite /pw XY 2 => 2", "cat /pw => abXYef", "pwrite /pw Z 8 => 1",
                        "command \"stat -c %s /sysroot/pw\" => 9\n", "pwrite /pw Z -1 =>!", "mkdir /pwd",
                        "pwrite /pwd Z 0 =>!"}}}},

      {"utimens", 527, {{A::Pathname, "path"}, {A::Int64, "atsecs"}, {A::Int64, "atnsecs"}, {A::Int64, "mtsecs"},
                        {A::Int64, "mtnsecs"}}, {}, R::Void, "", kNone,
       "set a file's access and modification times",
       "Sets the times of path (a symbolic link itself, not what it points to), in seconds and "
       "nanoseconds since the epoch.  A nanoseconds value of -1 means now, and -2 leaves that time "
       "as it is (utimensat's UTIME_NOW and UTIME_OMIT).",
       {{T::ScratchFS, {"touch /ut", "utimens /ut 1000000000 0 1200000000 5", "command \"stat -c %X.%Y /sysroot/ut\" => 1000000000.1200000000\n",
                        "ln_s ut /utl", "utimens /utl 1 0 2 0", "command \"stat -c %Y /sysroot/ut\" => 1200000000\n",
                        "utimens /missing 1 0 2 0 =>!"}}}},

      {"truncate_size", 519, {{A::Pathname, "path"}, {A::Int64, "size"}}, {}, R::Void, "", kNone,
       "truncate or extend a file",
       "Sets the size of the existing file: data beyond size is dropped, and a shorter file grows with "
       "zero bytes, without allocating disk blocks (a sparse file).",
       {{T::ScratchFS, {"write /trs abc", "truncate_size /trs 1", "cat /trs => a", "truncate_size /trs 1000000",
                        "command \"stat -c %s /sysroot/trs\" => 1000000\n", "truncate_size /trs -1 =>!"}}}},

      {"fill", 520, {{A::Int, "c"}, {A::Int, "len"}, {A::Pathname, "path"}}, {}, R::Void, "", kNone,
       "create a file filled with one byte",
       "Creates (or replaces) the file with len bytes, each of value c (0 to 255).  For a file of zeroes, "
       "truncate_size is faster and leaves the file sparse.",
       {{T::ScratchFS, {"fill 65 5 /fil", "cat /fil => AAAAA", "fill 0x30 200000 /fil0",
                        "command \"stat -c %s /sysroot/fil0\" => 200000\n", "fill 256 1 /fil =>!"}}}},

      {"fill_pattern", 521, {{A::String, "pattern"}, {A::Int, "len"}, {A::Pathname, "path"}}, {}, R::Void, "",
       kNone,
       "create a file filled with a repeated pattern",
       "Like fill, but the file holds the pattern repeated; the last repetition is cut so the file is "
       "exactly len bytes.",
       {{T::ScratchFS, {"fill_pattern abc 7 /filp", "cat /filp => abcabca", "fill_pattern \"\" 7 /filp =>!"}}}},

      {"tar_in", 522, {{A::FileIn, "tarfile"}, {A::Pathname, "directory"}},
       {{A::String, "compress"}, {A::Bool, "xattrs"}, {A::Bool, "selinux"}, {A::Bool, "acls"}}, R::Void, "",
       kProgress,
       "unpack a tar file into a directory",
       "Unpacks the host tar file into the guest directory, which must exist.  compress names the tar file's "
       "compression: gzip, bzip2, xz, lzma, zstd or lzop (none if absent; compress is accepted, but the "
       "appliance has no program for it).  xattrs, selinux and acls restore those from the archive.  "
       "Owners are restored by number.  A symbolic link the guest already holds is never followed (tar "
       "replaces it with the archive's directory, or the member fails), so the archive cannot reach outside "
       "the guest; members named with \"..\" are skipped.",
       {{T::ScratchFS, {"mkdir_p /tin/d", "write /tin/d/f hello", "chown 4242 4343 /tin/d/f",
                        "tar_out /tin " HOST_TAR, "mkdir /tin2", "tar_in " HOST_TAR " /tin2", "cat /tin2/d/f => hello",
                        "command \"stat -c %u:%g /sysroot/tin2/d/f\" => 4242:4343\n",
                        "tar_in " HOST_TAR " /tin_missing =>!", "tar_in " HOST_TAR " /tin2 compress:rar =>!"}},
        {T::ScratchFS, {"mkdir_p /tinz/d", "write /tinz/d/f zipped",
                        "tar_out /tinz " HOST_TAR " compress:gzip", "mkdir /tinz_gz",
                        "tar_in " HOST_TAR " /tinz_gz =>!",
                        "tar_in " HOST_TAR " /tinz_gz compress:gzip", "cat /tinz_gz/d/f => zipped",
                        "tar_out /tinz " HOST_TAR " compress:xz", "mkdir /tinz_xz",
                        "tar_in " HOST_TAR " /tinz_xz compress:xz", "cat /tinz_xz/d/f => zipped",
                        "tar_out /tinz " HOST_TAR " compress:bzip2", "mkdir /tinz_bz2",
                        "tar_in " HOST_TAR " /tinz_bz2 compress:bzip2", "cat /tinz_bz2/d/f => zipped",
                        "tar_out /tinz " HOST_TAR " compress:zstd", "mkdir /tinz_zst",
                        "tar_in " HOST_TAR " /tinz_zst compress:zstd", "cat /tinz_zst/d/f => zipped"}},
        // The guest's link d -> /tmp must not carry d/f into the appliance's /tmp:
        // tar cannot follow it, and replaces it with the archive's directory.
        {T::ScratchFS, {"mkdir_p /tine/d", "write /tine/d/files2_tar_escape x", "tar_out /tine " HOST_TAR,
                        "mkdir /tine2", "ln_s /tmp /tine2/d", "tar_in " HOST_TAR " /tine2",
                        "is_dir /tine2/d => true", "cat /tine2/d/files2_tar_escape => x",
                        "command \"stat /tmp/files2_tar_escape\" =>!"}}}},

      {"tar_out", 523, {{A::Pathname, "directory"}, {A::FileOut, "tarfile"}},
       {{A::String, "compress"}, {A::Bool, "numericowner"}, {A::StringList, "excludes"}, {A::Bool, "xattrs"},
        {A::Bool, "selinux"}, {A::Bool, "acls"}},
       R::Void, "", kProgress,
       "pack a directory into a tar file",
       "Packs the contents of the guest directory into the host tar file, with member names starting with "
       "./.  compress compresses it (gzip, bzip2, xz, lzma, zstd or lzop; see tar_in).  numericowner stores only "
       "numeric owners, not names.  excludes lists wildcards of files to leave out.  xattrs, selinux and "
       "acls save those too.  Symbolic links are stored as links, never followed.",
       {{T::ScratchFS, {"mkdir_p /tout/d", "write /tout/d/f x", "write /tout/g y", "ln_s / /tout/root",
                        "tar_out /tout " HOST_TAR " excludes:\"f\" numericowner:true", "mkdir /tout2",
                        "tar_in " HOST_TAR " /tout2", "exists /tout2/d/f => false", "cat /tout2/g => y",
                        "command \"readlink /sysroot/tout2/root\" => /\n", "tar_out /tout_missing /dev/null =>!"}}}},

      {"copy_in", 0, {{A::String, "localpath"}, {A::Pathname, "remotedir"}}, {}, R::Void, "", kLibrary,
       "copy a host file or directory into the guest",
       "Copies the host file or directory (recursively) into the guest directory remotedir, which must "
       "exist, keeping its name.  Runs tar on the host and tar_in in the guest.",
       {{T::ScratchFS, {"mkdir /cin", "copy_in /etc/hostname /cin", "is_file /cin/hostname => true",
                        "copy_in /nonexistent-files2 /cin =>!", "copy_in /etc/hostname /cin_missing =>!"}}}},

      {"copy_out", 0, {{A::Pathname, "remotepath"}, {A::String, "localdir"}}, {}, R::Void, "", kLibrary,
       "copy a guest file or directory to the host",
       "Copies the guest file or directory (recursively) into the host directory localdir, which must "
       "exist, keeping its name.  Uses download or tar_out, and tar on the host.",
       {{T::ScratchFS, {"mkdir_p /files2_copy/d", "write /files2_copy/d/f hello", "copy_out /files2_copy /tmp",
                        "mkdir /cout", "copy_in /tmp/files2_copy /cout", "cat /cout/files2_copy/d/f => hello",
                        "write /files2_copy_file abc", "copy_out /files2_copy_file /tmp",
                        "copy_in /tmp/files2_copy_file /cout", "cat /cout/files2_copy_file => abc",
                        "copy_out /files2_copy /nonexistent-files2 =>!"}}}},
  };
}

#undef HOST_TAR

}  // namespace vt::gen
