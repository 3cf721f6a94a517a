#!/usr/bin/env bats
# The LVs a launch finds.  Plain LVs are activated by the daemon from the
# LVM metadata, anything else by lvm.  After an activation that succeeded,
# lvs comes from the device-mapper devices, without lvm's reports; a VG with
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
  run "$GF" --ro -a "$DISK" -v run
  # (a snapshot's exception store is a hidden LV in the metadata)
  [[ "$output" == *"virt-tools-daemon: activation left to lvm: LV snap: hidden or unreadable"* ]]
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

# Everything the LVM calls and device-mapper say, and the /dev entries
# (of VG $1, default every *-vg).
lvm_view() {
  local vg_dir="/dev/${1:-*-vg}"
  cat <<EOF
lvs-full
vgs-full
pvs-full
lvs
list-filesystems
command "dmsetup table"
command "dmsetup info -c"
command "sh -c 'ls -l --time-style=+ /dev/mapper $vg_dir'"
EOF
}

@test "LVs the daemon activates itself from the metadata are what lvm's own activation makes" {
  # Two PVs; an LV whose extents span both (two segments), dashes in
  # names, a read-only LV and one flagged to skip activation.  LVs not made
  # in name order: each must get the minor number lvm gives it.
  local disk="$BATS_TEST_TMPDIR/two-pvs.img"
  "$GF" <<EOF
sparse $disk 64M
run
part-init /dev/sda mbr
part-add /dev/sda p 2048 34815
part-add /dev/sda p 34816 -2048
pvcreate /dev/sda1
pvcreate /dev/sda2
vgcreate two-pv-vg "/dev/sda1 /dev/sda2"
lvcreate root two-pv-vg 8
lvcreate my-data two-pv-vg 4
lvresize /dev/two-pv-vg/root 28
lvcreate read-only two-pv-vg 4
command "lvm lvchange -q -p r two-pv-vg/read-only"
lvcreate skipped two-pv-vg 4
command "lvm lvchange -q -ky two-pv-vg/skipped"
mkfs ext4 /dev/two-pv-vg/root
EOF
  run "$GF" --ro -a "$disk" -v <<EOF
run
$(lvm_view)
echo =====
vg-activate-all false
vg-activate-all true
$(lvm_view)
EOF
  [ "$status" -eq 0 ]
  [[ "$output" == *"virt-tools-daemon: activated 3 LVs from the metadata, reports too"* ]]
  ours=$(echo "$output" | grep -av '^\[ *[0-9.]*\]\|virt-tools-daemon:\|guestfish: ' | sed -n '1,/^=====$/p' | sed '$d')
  lvms=$(echo "$output" | grep -av '^\[ *[0-9.]*\]\|virt-tools-daemon:\|guestfish: ' | sed -n '/^=====$/,$p' | sed 1d)
  assert_equal "$ours" "$lvms"
  [[ "$ours" == *"two--pv--vg-root: 0 16384 linear 8:1 2048"* ]]
  [[ "$ours" == *"two--pv--vg-root: 16384 40960 linear 8:2 2048"* ]]  # its second segment, on the other PV
  [[ "$ours" == *"two--pv--vg-read--only"*"L--r"* ]]
  [[ "$ours" != *"two--pv--vg-skipped"* ]]
  [[ "$ours" == *"lv_attr: -wi------k"* ]]
  [[ "$ours" == *"/dev/two-pv-vg/root: ext4"* ]]
}

# lvm_compare DISK VG PV: what the LVM calls say right after launch
# (activated from the metadata, and the reports made from it too, so no
# lvm process until vgs_full and pvs_full, which need
# lvm's own reckoning of the metadata areas' free space) against the same
# after lvm activated the VG itself and reread its reports.
lvm_compare() {
  local calls="vgpvuuids $2
vgs
pvs
vg-size $2
vguuid $2
pv-size $3
pvuuid $3
$(lvm_view "$2")"
  run "$GF" --ro -a "$1" -v <<EOF
run
$calls
echo =====
vg-activate-all false
vg-activate-all true
$calls
EOF
  [ "$status" -eq 0 ] || { echo "$1: $output" | tail -5 >&2; return 1; }
  [[ "$output" == *"from the metadata, reports too"* ]] || { echo "$1: not from the metadata" >&2; return 1; }
  [[ "$(echo "$output" | sed -n '1,/call vgs_full/p')" != *"run: lvm"* ]] || { echo "$1: lvm ran" >&2; return 1; }
  ours=$(echo "$output" | grep -av '^\[ *[0-9.]*\]\|virt-tools-daemon:\|guestfish: ' | sed -n '1,/^=====$/p' | sed '$d')
  lvms=$(echo "$output" | grep -av '^\[ *[0-9.]*\]\|virt-tools-daemon:\|guestfish: ' | sed -n '/^=====$/,$p' | sed 1d)
  assert_equal "$ours" "$lvms"
}

@test "the phony LVM guests and the sample disk: reports from the metadata are lvm's, and lvm never runs" {
  lvm_compare "$(phony_image debian)" debian-vg /dev/sda2
  lvm_compare "$(phony_image fedora)" fedora /dev/sda3
  "$TOP/scripts/make-sample-disk" "$BATS_TEST_TMPDIR/sample.img" >/dev/null
  lvm_compare "$BATS_TEST_TMPDIR/sample.img" vg0 /dev/sda2
}

@test "lvs_full from the metadata says an LV is open while it is mounted, as lvm does" {
  run "$GF" --ro -a "$(phony_image debian)" <<'EOF'
run
mount-ro /dev/debian-vg/root /
lvs-full
command "lvm lvs --noheadings -o lv_name,lv_attr"
umount-all
lvs-full
EOF
  [ "$status" -eq 0 ]
  attrs=$(echo "$output" | grep -o 'lv_attr: .*' | tr '\n' ' ')
  assert_equal "$attrs" "lv_attr: -wi-ao---- lv_attr: -wi-a----- lv_attr: -wi-a----- lv_attr: -wi-a----- "
  [[ "$output" == *"root   -wi-ao----"* ]]
}
