#!/usr/bin/env bats
# virt-df on the four phony guests, exact text against golden files
# (tests/golden/virt-df/MODE.txt).  One run per mode examines all four
# guests (-- groups, two at a time with -P 2), so the order and the parallel path are
# checked too.  The disks are linked as NAME.img: the name is in the output.
#
# Checked against libguestfs 1.48's virt-df (debian: all modes; multifs:
# plain, --csv --inodes).  One known difference on multifs: libguestfs's
# kernel reports another Available figure for the btrfs filesystem and its
# subvolumes (btrfsvol:/dev/sda4/@ ...).
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
