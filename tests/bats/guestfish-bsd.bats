#!/usr/bin/env bats
# guestfish on the BSD-like phony guests (tests/phony-guests, made by
# make-bsd-disk): partitions inside a BSD disklabel, UFS mounted read-only
# (UFS2, else 4.4BSD UFS1), guestfish -i on a BSD root.

load helpers

GF="$BUILD/guestfish"

@test "freebsd: disklabel partitions are sda5 and up, without an MBR type; UFS2 mounts read-only only" {
  # A writable copy, so that mount is refused by the kernel, not by --ro.
  cp --sparse=always "$(phony_image freebsd)" "$BATS_TEST_TMPDIR/freebsd.img"
  run "$GF" --format=raw -a "$BATS_TEST_TMPDIR/freebsd.img" <<'FISH'
run
list-partitions
part-get-mbr-id /dev/sda 1
-part-get-mbr-id /dev/sda 5
vfs-type /dev/sda5
-mount /dev/sda5 /
mount-ro /dev/sda5 /
cat /etc/rc.conf
FISH
  echo "$output"
  [ "$status" -eq 0 ]
  assert_lines "$output" /dev/sda1 /dev/sda5 /dev/sda6 0xa5 ufs 'hostname="freebsd.phony.test"' \
    'guestfish: *stdin*:4: part_get_mbr_id: partition 5 of /dev/sda is in a freebsd label, not the MBR' \
    'guestfish: *stdin*:6: mount: /dev/sda5: this kernel can mount UFS (BSD) filesystems read-only only; use mount_ro'
}

@test "openbsd: guestfish --ro -i mounts the FFS1 root and /home found through the disklabel-id fstab" {
  run "$GF" --ro --format=raw -i -a "$(phony_image openbsd)" <<'FISH'
mounts
cat /etc/myname
cat /home/user/.profile
FISH
  echo "$output"
  [ "$status" -eq 0 ]
  assert_lines "$output" /dev/sda5 /dev/sda7 openbsd.phony.test 'export PS1="$ "'
}
