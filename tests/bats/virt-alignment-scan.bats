#!/usr/bin/env bats
# virt-alignment-scan: its lines against libguestfs 1.48's on the same
# images (tests/golden/virt-alignment-scan/NAME.txt, made with 1.48's
# virt-alignment-scan), its exit codes, errors, and its documentation.
bats_require_minimum_version 1.5.0
load helpers

AS="$BUILD/virt-alignment-scan"

setup_file() {
  # Partitions at sector 63 (512 bytes), at 4 KiB (< 64K), an extended
  # partition and two logical ones, one 64K-aligned and one 2K-aligned.
  export MISALIGNED="$BATS_FILE_TMPDIR/misaligned.img"
  "$BUILD/guestfish" <<EOF
sparse $MISALIGNED 64M
run
part-init /dev/sda mbr
part-add /dev/sda p 63 2047
part-add /dev/sda p 4104 8191
part-add /dev/sda e 8192 -1
part-add /dev/sda l 8320 20479
part-add /dev/sda l 20484 40959
EOF
  # Only a 4K-aligned partition; and a filesystem on the whole disk.
  export FOURK="$BATS_FILE_TMPDIR/fourk.img"
  "$BUILD/guestfish" <<EOF
sparse $FOURK 16M
run
part-init /dev/sda gpt
part-add /dev/sda p 2056 -34
EOF
  export WHOLE="$BATS_FILE_TMPDIR/whole.img"
  "$BUILD/guestfish" <<EOF
sparse $WHOLE 16M
run
mkfs ext4 /dev/sda
EOF
}

@test "the phony guests: 1.48's lines, exit 0" {
  local name
  for name in debian fedora windows multifs freebsd; do
    run --separate-stderr "$AS" -a "$(phony_image $name)"
    [ "$status" -eq 0 ] || { echo "$name: exit $status: $stderr" >&2; return 1; }
    assert_equal "$output" "$(cat "$TOP/tests/golden/virt-alignment-scan/$name.txt")"
  done
}

@test "misaligned partitions, logical ones too: 1.48's lines and exit 3 (some < 1K)" {
  run --separate-stderr "$AS" -a "$MISALIGNED"
  [ "$status" -eq 3 ]
  assert_equal "$output" "$(cat "$TOP/tests/golden/virt-alignment-scan/misaligned.txt")"
  [ -z "$stderr" ]
}

@test "4K-aligned: bad (alignment < 64K), exit 2; -q prints nothing and exits the same" {
  run "$AS" -a "$FOURK"
  [ "$status" -eq 2 ]
  assert_equal "$output" "/dev/sda1      1052672            4K   bad (alignment < 64K)"
  run "$AS" -q -a "$MISALIGNED"
  [ "$status" -eq 3 ]
  [ -z "$output" ]
  run "$AS" --quiet -a "$FOURK"
  [ "$status" -eq 2 ]
  [ -z "$output" ]
}

@test "a disk with no partition table prints nothing and exits 0; several disks in order" {
  run "$AS" -a "$WHOLE"
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  run "$AS" -a "$WHOLE" -a "$FOURK" --format=raw -a "$(phony_image debian)"
  [ "$status" -eq 2 ]
  assert_equal "$output" "/dev/sdb1      1052672            4K   bad (alignment < 64K)
/dev/sdc1      1048576         1024K   ok
/dev/sdc2     17825792         1024K   ok"
}

@test "errors: a missing disk, --uuid with -a, an unknown option: one line, exit 1" {
  run --separate-stderr "$AS" -a "$BATS_TEST_TMPDIR/nonexistent.img"
  [ "$status" -eq 1 ]
  [ "${#stderr_lines[@]}" -eq 1 ]
  [[ "$stderr" == "virt-alignment-scan: "*"nonexistent.img"* ]]
  run --separate-stderr "$AS" --uuid -a "$FOURK"
  [ "$status" -eq 1 ]
  [ "${stderr_lines[0]}" = "virt-alignment-scan: --uuid option cannot be used with -a or -d" ]
  run --separate-stderr "$AS" --no-such-option -a "$FOURK"
  [ "$status" -eq 1 ]
  [[ "${stderr_lines[0]}" == "virt-alignment-scan: "* ]]
}

@test "the images scanned are unchanged" {
  local img=$(phony_image debian) before
  before=$(sha256sum < "$img")
  "$AS" -a "$img" >/dev/null
  assert_equal "$(sha256sum < "$img")" "$before"
}

@test "virt-alignment-scan --help, --long-options and the man page agree" {
  run "$AS" --help
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "virt-alignment-scan: check alignment of virtual machine partitions"* ]]
  run "$AS" --long-options
  [ "$status" -eq 0 ]
  # shellcheck disable=SC2086 # one word per option
  assert_documented "$TOP/tools/virt-alignment-scan/virt-alignment-scan.pod" $output
  run "$AS" --short-options
  [ "$status" -eq 0 ]
  # shellcheck disable=SC2086
  assert_documented "$TOP/tools/virt-alignment-scan/virt-alignment-scan.pod" $output
  run podchecker "$TOP/tools/virt-alignment-scan/virt-alignment-scan.pod"
  [ "$status" -eq 0 ]
  assert_libvirt_options_documented virt-alignment-scan
}
