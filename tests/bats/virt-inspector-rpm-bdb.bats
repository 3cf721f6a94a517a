#!/usr/bin/env bats
# virt-inspector on an rpm guest whose database is the Berkeley DB Packages
# file of RHEL/CentOS 8 and older, Fedora 32 and older: a copy of the fedora
# phony guest with its rpmdb.sqlite replaced by a Packages file that
# Berkeley DB's db_load makes from the same package headers.  Two appliance
# launches: guestfish to swap the database, virt-inspector to read it.
load helpers

@test "virt-inspector: rpm guest with a Berkeley DB Packages database lists its applications" {
  command -v db_load > /dev/null || skip "db_load (db5.3-util) is not installed"
  local work=$BATS_TEST_TMPDIR img
  img=$(phony_image fedora)
  cp --sparse=always "$img" "$work/bdb.img"

  # The headers the fedora guest's rpmdb.sqlite holds, as rpm's Berkeley DB
  # stores them: key = header number (32-bit, the machine's byte order),
  # value = header blob; key 0 holds the next free header number.  Small
  # pages, so that headers go to overflow pages as large ones do on real guests.
  "$BUILD/make-rpmdb" "$TOP/tests/phony-guests/fedora-packages.txt" "$work/rpmdb.sqlite"
  python3 - "$work/rpmdb.sqlite" > "$work/packages.dump" <<'PY'
import sqlite3, struct, sys
rows = sqlite3.connect(sys.argv[1]).execute("SELECT hnum, blob FROM Packages").fetchall()
print("VERSION=3\nformat=bytevalue\ntype=hash\nHEADER=END")
print(" " + struct.pack("<I", 0).hex() + "\n " + struct.pack("<I", max(h for h, _ in rows) + 1).hex())
for hnum, blob in rows:
    print(" " + struct.pack("<I", hnum).hex() + "\n " + blob.hex())
print("DATA=END")
PY
  db_load -c db_pagesize=512 -f "$work/packages.dump" "$work/Packages"

  "$BUILD/guestfish" -a "$work/bdb.img" -m /dev/fedora/root \
    rm /usr/lib/sysimage/rpm/rpmdb.sqlite : upload "$work/Packages" /usr/lib/sysimage/rpm/Packages

  "$BUILD/virt-inspector" -a "$work/bdb.img" > "$work/report.xml" 2> "$work/stderr"
  [ ! -s "$work/stderr" ] || { cat "$work/stderr"; false; }
  xmllint --noout --relaxng "$TOP/docs/virt-inspector.rng" "$work/report.xml"
  # Every package of the list, with its fields, sorted by name.
  python3 - "$work/report.xml" "$TOP/tests/phony-guests/fedora-packages.txt" <<'PY'
import sys, xml.etree.ElementTree as ET
got = [(a.findtext("name"), a.findtext("epoch") or "-", a.findtext("version"), a.findtext("release"),
        a.findtext("arch")) for a in ET.parse(sys.argv[1]).getroot().iter("application")]
want = sorted((tuple(l.split()) for l in open(sys.argv[2]) if l.strip() and not l.startswith("#")),
              key=lambda p: p[0])
if got != want:
    sys.exit("applications differ:\n got: %s\nwant: %s" % (got, want))
PY
}
