#!/usr/bin/env bats
# virt-inspector on the phony guests: the exact XML (golden files, checked
# against libguestfs 1.48's virt-inspector), valid against the schema, and
# --json with the same content.  One appliance launch per test.
load helpers

VI="$BUILD/virt-inspector"
GOLDEN="$TOP/tests/golden/virt-inspector"
RNG="$TOP/docs/virt-inspector.rng"

# Runs virt-inspector on phony guest $1 with further options; fails unless
# the report is exactly the golden one and valid against the schema.  A
# golden <uuid>@RANDOM@</uuid> stands for a UUID that mkfs chose at random
# (the guest's script does not set it): any value matches there.
check_golden() {
  local name=$1 img
  shift
  img=$(phony_image "$name")
  "$VI" "$@" -a "$img" > "$BATS_TEST_TMPDIR/$name.xml"
  check_golden_file "$GOLDEN/$name.xml" "$BATS_TEST_TMPDIR/$name.xml"
}

# Fails unless report $2 is valid and is golden report $1 (@RANDOM@ UUIDs
# matching anything).
check_golden_file() {
  xmllint --noout --relaxng "$RNG" "$2"
  awk 'NR == FNR { golden[FNR] = $0; next }
       golden[FNR] ~ /@RANDOM@/ { sub(/<uuid>[^<]*<\/uuid>/, "<uuid>@RANDOM@</uuid>") }
       { print }' "$1" "$2" > "$2.masked"
  diff -u "$1" "$2.masked"
}

# Fails unless the JSON report $2 parses and says what the XML report $1 says
# (same members in the same order, numbers as numbers).
assert_json_matches_xml() {
  python3 -m json.tool "$2" > /dev/null
  python3 - "$1" "$2" <<'PY'
import json, sys, xml.etree.ElementTree as ET

def application(a):
    return {x.tag: int(x.text) if x.tag == "epoch" else x.text for x in a}

def operating_system(e):
    out = {}
    for c in e:
        if c.tag in ("major_version", "minor_version"):
            out[c.tag] = int(c.text)
        elif c.tag == "mountpoints":
            out[c.tag] = [{"dev": m.get("dev"), "mountpoint": m.text} for m in c]
        elif c.tag == "filesystems":
            out[c.tag] = [dict([("dev", f.get("dev"))] + [(x.tag, x.text) for x in f]) for f in c]
        elif c.tag == "drive_mappings":
            out[c.tag] = [{"name": d.get("name"), "dev": d.text} for d in c]
        elif c.tag == "applications":
            out[c.tag] = [application(a) for a in c]
        elif c.tag == "icon":
            out[c.tag] = "".join(c.text.split())  # libxml2 breaks base64 into lines
        else:
            out[c.tag] = c.text
    return out

from_xml = {"operatingsystems": [operating_system(e) for e in ET.parse(sys.argv[1]).getroot()]}
with open(sys.argv[2]) as f:
    from_json = json.load(f)
# A golden @RANDOM@ UUID (see check_golden) matches any value.
for xos, jos in zip(from_xml["operatingsystems"], from_json.get("operatingsystems", [])):
    for xfs, jfs in zip(xos.get("filesystems", []), jos.get("filesystems", [])):
        if xfs.get("uuid") == "@RANDOM@" and "uuid" in jfs:
            xfs["uuid"] = jfs["uuid"]
a, b = json.dumps(from_xml, indent=1), json.dumps(from_json, indent=1)
if a != b:
    sys.exit("JSON differs from XML:\n--- from XML\n" + a + "\n--- from JSON\n" + b)
PY
}

@test "virt-inspector: debian guest (LVM root, /boot, dpkg applications)" {
  check_golden debian
}

# --no-applications: libguestfs 1.48's rpm on the reference host cannot read
# an sqlite rpm database, so there is no reference for Fedora's applications.
@test "virt-inspector --no-applications: fedora guest (xfs on LVM, EFI)" {
  check_golden fedora --no-applications
}

@test "virt-inspector: windows guest (registry, drive letters, Uninstall keys)" {
  check_golden windows
}

# The edge guests (see also inspect-edge.bats).  badfstab and corruptfs
# are libguestfs 1.48's reports; twoos is too without applications (its
# rpm cannot read the Fedora root's sqlite database).
@test "virt-inspector: twoos guest (two roots, each with its applications)" {
  check_golden twoos
}

@test "virt-inspector: badfstab guest (fstab entries naming nothing: dropped, /dev/vdz9 kept as /dev/sdz9)" {
  check_golden badfstab 2> "$BATS_TEST_TMPDIR/stderr"
  grep -qF "virt-inspector: warning: /dev/sdz9 could not be mounted on /srv (ignored)" "$BATS_TEST_TMPDIR/stderr"
}

@test "virt-inspector: corruptfs guest (an unmountable /home is reported, the rest inspected)" {
  check_golden corruptfs 2> "$BATS_TEST_TMPDIR/stderr"
  grep -qF "virt-inspector: warning: /dev/sda3 could not be mounted on /home (ignored)" "$BATS_TEST_TMPDIR/stderr"
}

# The BSD guests: no reference, as libguestfs 1.48 finds no OS on either
# (its list_filesystems asks sfdisk about partition 5, which lives in the
# disklabel, not the MBR).  The goldens say what make-image put there.
@test "virt-inspector: freebsd guest (UFS2 root in an MBR slice's disklabel, ada0s1b/d in fstab, its own /usr not merged)" {
  check_golden freebsd
}

@test "virt-inspector: netbsd guest (FFSv2 root, FFSv1 /home as ld0e: label partitions c and d skipped)" {
  check_golden netbsd
}

@test "virt-inspector: openbsd guest (FFS1 root and /home, fstab by disklabel id)" {
  check_golden openbsd
}

@test "virt-inspector --json: windows guest has the golden XML's content" {
  "$VI" --json -a "$(phony_image windows)" > "$BATS_TEST_TMPDIR/windows.json"
  assert_json_matches_xml "$GOLDEN/windows.xml" "$BATS_TEST_TMPDIR/windows.json"
}

@test "virt-inspector --json --no-applications: debian guest matches, with no applications member" {
  "$VI" --json --no-applications -a "$(phony_image debian)" > "$BATS_TEST_TMPDIR/debian.json"
  python3 - "$GOLDEN/debian.xml" "$BATS_TEST_TMPDIR/debian.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
tree = ET.parse(sys.argv[1])
for os_ in tree.getroot():
    os_.remove(os_.find("applications"))
tree.write(sys.argv[2])
PY
  assert_json_matches_xml "$BATS_TEST_TMPDIR/debian.xml" "$BATS_TEST_TMPDIR/debian.json"
  ! grep -q applications "$BATS_TEST_TMPDIR/debian.json"
}

@test "virt-inspector --no-icon: debian guest is the golden report without its <icon>" {
  "$VI" --no-icon -a "$(phony_image debian)" > "$BATS_TEST_TMPDIR/out.xml"
  ! grep -q '<icon>' "$BATS_TEST_TMPDIR/out.xml"
  # The golden report, its four <icon> lines taken out.
  grep -q '<icon>' "$GOLDEN/debian.xml"
  sed '/<icon>/,/<\/icon>/d' "$GOLDEN/debian.xml" > "$BATS_TEST_TMPDIR/want.xml"
  check_golden_file "$BATS_TEST_TMPDIR/want.xml" "$BATS_TEST_TMPDIR/out.xml"
}

@test "virt-inspector: the <icon> is the Debian logo the guest ships, byte for byte" {
  "$VI" -a "$(phony_image debian)" > "$BATS_TEST_TMPDIR/out.xml"
  xmllint --xpath 'string(//icon)' "$BATS_TEST_TMPDIR/out.xml" | base64 -d > "$BATS_TEST_TMPDIR/icon.png"
  logo_png debian_logo_png | cmp - "$BATS_TEST_TMPDIR/icon.png"
  [[ "$(file -b "$BATS_TEST_TMPDIR/icon.png")" == "PNG image data, 32 x 32,"* ]]
}

@test "virt-inspector --json: debian guest has the golden XML's content, icon included" {
  "$VI" --json -a "$(phony_image debian)" > "$BATS_TEST_TMPDIR/debian.json"
  assert_json_matches_xml "$GOLDEN/debian.xml" "$BATS_TEST_TMPDIR/debian.json"
  grep -q '"icon": "iVBORw0KGgo' "$BATS_TEST_TMPDIR/debian.json"
}

@test "virt-inspector: filesystems but no operating system is an empty report, exit 0 (multifs)" {
  run "$VI" -a "$(phony_image multifs)"
  [ "$status" -eq 0 ]
  assert_equal "$output" '<?xml version="1.0"?>
<operatingsystems/>'
}

@test "virt-inspector: a blank disk is an empty report, exit 0, nothing on stderr" {
  truncate -s 10M "$BATS_TEST_TMPDIR/blank.img"
  "$VI" -a "$BATS_TEST_TMPDIR/blank.img" > "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err"
  assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" '<?xml version="1.0"?>
<operatingsystems/>'
  [ ! -s "$BATS_TEST_TMPDIR/err" ]
  xmllint --noout --relaxng "$RNG" "$BATS_TEST_TMPDIR/out"
}

@test "virt-inspector --keys-from-stdin, --key: the root inside LUKS is found (luks)" {
  check_golden luks --keys-from-stdin <<<phonykey
  check_golden luks --key /dev/sda2:key:phonykey
}

@test "virt-inspector: LUKS without a key is a warning naming the device, the rest is inspected" {
  # setsid: no controlling terminal, so no prompt either.
  run setsid -w "$VI" -a "$(phony_image luks)" < /dev/null
  [ "$status" -eq 0 ]
  [[ "$output" == *"virt-inspector: warning: no key to open LUKS encrypted /dev/sda2"* ]]
  [[ "$output" == *"<operatingsystems/>"* ]]
}
