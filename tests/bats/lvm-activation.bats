#!/usr/bin/env bats
# The LVs a launch finds.  After an activation that succeeded, lvs comes
# from the device-mapper devices LVM made, without lvm's reports; a VG with
# a snapshot (whose devices include LVM's hidden layers) falls back to the
# reports.  Either way lvs must say what lvm's own report says.
load helpers

GF="$BUILD/guestfish"

setup_file() {
  export DISK="$BATS_FILE_TMPDIR/lvm.img"
  "$GF" <<EOF
sparse $DISK 64M
run
part-init /dev/sda mbr
part-add /dev/sda p 2048 -2048
pvcreate /dev/sda1
vgcreate plain-vg /dev/sda1
lvcreate root plain-vg 8
lvcreate my-data plain-vg 8
lvcreate origin plain-vg 8
command "lvm lvcreate -q -s -L 4m -n snap plain-vg/origin"
EOF
}

# Fails unless lvs on disk $1 says the lines of $2 both right after launch
# and after vgs has made the daemon read lvm's reports.
assert_lvs_with_and_without_reports() {
  run "$GF" --ro -a "$1" <<'EOF'
run
lvs
echo --
vgs
echo --
lvs
EOF
  [ "$status" -eq 0 ]
  assert_equal "$output" "$2
--
plain-vg
--
$2"
}

@test "lvs after launch: plain LVs and a snapshot, no hidden layer, the same as lvm's report" {
  assert_lvs_with_and_without_reports "$DISK" "/dev/plain-vg/my-data
/dev/plain-vg/origin
/dev/plain-vg/root
/dev/plain-vg/snap"
}

@test "lvs after launch without a snapshot comes from device-mapper, and matches the reports" {
  local copy="$BATS_TEST_TMPDIR/plain.qcow2"
  qemu-img create -q -f qcow2 -F raw -b "$DISK" "$copy"
  "$GF" -a "$copy" run : lvremove /dev/plain-vg/snap
  assert_lvs_with_and_without_reports "$copy" "/dev/plain-vg/my-data
/dev/plain-vg/origin
/dev/plain-vg/root"
}
