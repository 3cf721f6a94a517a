#!/usr/bin/env bats
# Options every tool shares with its libguestfs namesake: --blocksize (as
# --format, for the -a disks after it) and -c/--connect (a libvirt URI for
# -d, unused with -a, as in libguestfs; -d itself is tested in libvirt.bats).

load helpers

@test "--blocksize=4096 applies to the -a disks after it; a bare --blocksize goes back to 512" {
  truncate -s 16M "$BATS_TEST_TMPDIR/a.img" "$BATS_TEST_TMPDIR/b.img" "$BATS_TEST_TMPDIR/c.img"
  run "$BUILD/guestfish" -a "$BATS_TEST_TMPDIR/a.img" --blocksize=4096 -a "$BATS_TEST_TMPDIR/b.img" \
    --blocksize -a "$BATS_TEST_TMPDIR/c.img" -c qemu:///system \
    run : blockdev-getss /dev/sda : blockdev-getss /dev/sdb : blockdev-getss /dev/sdc : blockdev-getsize64 /dev/sdb
  echo "$output"
  [ "$status" -eq 0 ]
  assert_equal "$output" "$(printf '512\n4096\n512\n16777216')"
}

@test "guestfish add blocksize:4096, and add refuses another size" {
  truncate -s 16M "$BATS_TEST_TMPDIR/a.img"
  run "$BUILD/guestfish" <<FISH
add $BATS_TEST_TMPDIR/a.img blocksize:4096 format:raw
run
blockdev-getss /dev/sda
-add $BATS_TEST_TMPDIR/a.img blocksize:1024
FISH
  echo "$output"
  assert_lines "$output" 4096 "guestfish: *stdin*:4: add: blocksize must be 512 or 4096"
}

@test "--blocksize with another size is a usage error, before anything is launched" {
  local tool
  for tool in virt-df virt-filesystems virt-inspector guestfish; do
    run "$BUILD/$tool" --blocksize=1024 -a /nonexistent.img
    echo "$tool: $output"
    [ "$status" -eq 1 ]
    [[ "${lines[0]}" == "$tool: --blocksize: 1024: the block size must be 512 or 4096" ]]
  done
}

@test "-c URI is unused with -a: no libvirt connection is made" {
  local img
  img=$(phony_image noos)
  run "$BUILD/virt-filesystems" -c "qemu+unix:///system?socket=$BATS_TEST_TMPDIR/no-such-socket" -a "$img"
  echo "$output"
  [ "$status" -eq 0 ]
  [ -n "$output" ]
}
