#!/usr/bin/env bats
# virt-df on the four phony guests, exact text against golden files
# (tests/golden/virt-df/MODE.txt).  One run per mode examines all four
# guests (-- groups, two at a time with -P 2), so the order and the parallel path are
# checked too.  The disks are linked as NAME.img: the name is in the output.
#
# Checked against libguestfs 1.48's virt-df (debian: all modes; multifs:
# all modes).
load helpers

DF="$BUILD/virt-df"

setup_file() {
  local n
  for n in debian fedora windows multifs; do
    ln -sf "$(phony_image "$n")" "$BATS_FILE_TMPDIR/$n.img"
  done
  # Its name and device take more than 36 columns: the figures wrap.
  ln -sf "$(phony_image windows)" "$BATS_FILE_TMPDIR/windows-guest-with-a-long-name.img"
}

check_mode() {
  local mode=$1 d=$BATS_FILE_TMPDIR windows=windows.img
  shift
  [ "$mode" = plain ] && windows=windows-guest-with-a-long-name.img
  run "$DF" -P 2 "$@" -a "$d/debian.img" -- -a "$d/fedora.img" -- -a "$d/$windows" -- -a "$d/multifs.img"
  echo "$output"  # shown if the test fails
  [ "$status" -eq 0 ]
  assert_equal "$output" "$(cat "$TOP/tests/golden/virt-df/$mode.txt")"
}

@test "virt-df on the phony guests: 1K-blocks" { check_mode plain; }
@test "virt-df on the phony guests: -h" { check_mode h -h; }
@test "virt-df on the phony guests: --inodes" { check_mode inodes --inodes; }
@test "virt-df on the phony guests: --csv" { check_mode csv --csv; }

# UFS2 (FreeBSD, NetBSD's root) and FFS1 (OpenBSD, NetBSD's /home) mount
# read-only, each tried as UFS2 first; swap (sda6) has no filesystem.
# libguestfs 1.48 lists nothing on these disks (see
# virt-filesystems-golden.bats).
@test "virt-df on the BSD guests: UFS filesystems, UFS2 and FFS1" {
  local d=$BATS_TEST_TMPDIR n
  for n in freebsd netbsd openbsd; do ln -sf "$(phony_image "$n")" "$d/$n.img"; done
  run "$DF" -P 2 -a "$d/freebsd.img" -- -a "$d/netbsd.img" -- -a "$d/openbsd.img"
  echo "$output"
  [ "$status" -eq 0 ]
  assert_equal "$output" "$(cat "$TOP/tests/golden/virt-df/bsd.txt")"
}

# The edge guests in one run, each line as libguestfs 1.48's virt-df gives
# it: swap skipped, the unmountable ext2 of corruptfs skipped, only /boot of
# luks (its LUKS device stays closed: virt-df takes no keys).
@test "virt-df on the edge guests: noos, twoos, badfstab, corruptfs, luks" {
  local d=$BATS_TEST_TMPDIR n
  for n in noos twoos badfstab corruptfs luks; do ln -sf "$(phony_image "$n")" "$d/$n.img"; done
  run "$DF" -P 2 -a "$d/noos.img" -- -a "$d/twoos.img" -- -a "$d/badfstab.img" -- -a "$d/corruptfs.img" -- -a "$d/luks.img"
  echo "$output"
  [ "$status" -eq 0 ]
  assert_equal "$output" "$(cat "$TOP/tests/golden/virt-df/edge.txt")"
}

# A 128 MiB btrfs partition with two subvolumes, @ holding 4 MiB of data:
# made once by our guestfish, cached beside the phony guests.  (On a whole
# disk, 1.48 would name the subvolumes after its own appliance's /dev/sdb.)
btrfs_image() {
  local dir="$BUILD/test-images" script sum
  script='sparse IMG 130M
run
part-init /dev/sda gpt
part-add /dev/sda p 2048 264191
mkfs btrfs /dev/sda1 label:pool
mount /dev/sda1 /
btrfs-subvolume-create /@
btrfs-subvolume-create /@home
fill 0x61 4194304 /@/data
write /@home/marker "home\n"
umount-all'
  sum=$(sha256sum <<<"$script" | cut -c1-16)
  if [ ! -f "$dir/btrfs128-$sum.img" ]; then
    mkdir -p "$dir"
    rm -f "$dir"/btrfs128-*.img "$dir"/btrfs128-*.tmp
    "$BUILD/guestfish" <<<"${script/IMG/$dir/btrfs128-$sum.img.tmp}" >&2 || return 1
    mv "$dir/btrfs128-$sum.img.tmp" "$dir/btrfs128-$sum.img"
  fi
  echo "$dir/btrfs128-$sum.img"
}

# libguestfs 1.48's figures: the appliance sees the read-only image through
# a writable overlay.  On a read-only disk the kernel would mark every btrfs
# block group read-only and leave the 4 MiB still free in the data block
# group out of Available (39936 instead of 44032).
@test "virt-df on btrfs with subvolumes: Available as libguestfs 1.48 gives it; the image unchanged" {
  local img=$BATS_TEST_TMPDIR/btrfs.img before
  ln -sf "$(btrfs_image)" "$img"
  before=$(sha256sum <"$img")
  run "$DF" -a "$img"
  echo "$output"
  [ "$status" -eq 0 ]
  assert_equal "$output" "$(cat "$TOP/tests/golden/virt-df/btrfs.txt")"
  assert_equal "$(sha256sum <"$img")" "$before"
}
