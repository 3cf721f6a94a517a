#!/usr/bin/env bats
# virt-sparsify on copies of the phony guests whose free space was first
# filled with random data (and the data deleted).  Each test is one job:
# the output is smaller, reads back by virt-filesystems and virt-df with
# the same filesystems, and the source is unchanged.  The messages are
# those libguestfs's virt-sparsify 1.48 prints for the same image.
bats_require_minimum_version 1.5.0
load helpers
VS="$BUILD/virt-sparsify"

# Deleted random data in the root LV and the boot filesystem: what the
# guest's disk holds after it removed files.
setup_file() {
  export DIRTY="$BATS_FILE_TMPDIR/dirty.img"
  cp --sparse=always "$(phony_image debian)" "$DIRTY"
  head -c 8M /dev/urandom >"$BATS_FILE_TMPDIR/junk"
  "$BUILD/guestfish" -a "$DIRTY" <<EOF2
run
mount /dev/debian-vg/root /
upload $BATS_FILE_TMPDIR/junk /junk
sync
rm /junk
umount-all
mount /dev/sda1 /
upload $BATS_FILE_TMPDIR/junk /junk
sync
rm /junk
EOF2
  export MULTIFS=$(phony_image multifs)
}

setup() { T=$(mktemp -d); }
teardown() { rm -rf "$T"; }

allocated() { echo $(($(stat -c %b "$1") * 512)); }
listing() { "$VF" -a "$1" --all --long --uuid; }

@test "copying mode: 1.48's messages, the output much smaller, same filesystems, source unchanged" {
  [ "$(allocated "$DIRTY")" -gt $((16 * 1024 * 1024)) ]
  sha256sum "$DIRTY" >"$T/source.sum"
  TMPDIR="$T" "$VS" -v "$DIRTY" "$T/out.img" >"$T/stdout" 2>"$T/err"
  ! grep -a '^virt-sparsify: \(warning\|error\)' "$T/err"
  # lvm runs only for the LV that fills the VG's free space: the VGs are
  # listed from the metadata the daemon read, before anything is written.
  assert_equal "$(grep -a 'virt-tools-daemon: run: lvm' "$T/err" | cut -d' ' -f4)" "$(printf 'lvcreate\nlvremove')"
  assert_equal "Create overlay file in $T to protect source disk
Examine source disk
Fill free space in /dev/debian-vg/root with zero
Clearing Linux swap on /dev/debian-vg/swap_1
Fill free space in /dev/sda1 with zero
Fill free space in volgroup debian-vg with zero
Copy to destination and make sparse
Sparsify operation completed with no errors.
virt-sparsify: Before deleting the old disk, carefully check that the target disk boots and works correctly." \
    "$(sed 's/^\[ *[0-9.]*\] //' "$T/stdout")"
  sha256sum -c --quiet "$T/source.sum"
  [ "$(allocated "$T/out.img")" -lt $((4 * 1024 * 1024)) ]
  [ "$(stat -c %s "$T/out.img")" = "$(stat -c %s "$DIRTY")" ]
  assert_equal "$(listing "$DIRTY")" "$(listing "$T/out.img")"
  run -0 "$BUILD/virt-df" -a "$T/out.img"
  [[ "$output" == *"out.img:/dev/debian-vg/root"* ]]
  # The overlay went with the job.
  [ "$(ls -A "$T")" = "$(printf 'err\nout.img\nsource.sum\nstdout')" ]
}

@test "--convert qcow2 --compress -q: a compressed qcow2 with the same data" {
  run -0 "$VS" -q --convert qcow2 --compress "$DIRTY" "$T/out.qcow2"
  [ -z "$output" ]
  qemu-img info --output=json "$T/out.qcow2" | grep -q '"format": "qcow2"'
  [ "$(stat -c %s "$T/out.qcow2")" -lt $((4 * 1024 * 1024)) ]
  assert_equal "$(listing "$DIRTY")" "$(listing "$T/out.qcow2")"
}

@test "--in-place: the image itself gives its free space back, the swap keeps its UUID" {
  cp --sparse=never "$DIRTY" "$T/disk.img"
  before=$(allocated "$T/disk.img")
  run -0 "$VS" --in-place "$T/disk.img"
  assert_lines "$(sed 's/^\[ *[0-9.]*\] //' <<<"$output")" \
    "Trimming /dev/debian-vg/root" "Clearing Linux swap on /dev/debian-vg/swap_1" "Trimming /dev/sda1" \
    "Discard space in volgroup debian-vg" "Sparsify in-place operation completed with no errors"
  [ "$(allocated "$T/disk.img")" -lt $((before / 3)) ]
  assert_equal "$(listing "$DIRTY")" "$(listing "$T/disk.img")"
}

@test "multifs: --ignore and --zero; every other filesystem read back the same" {
  run -0 "$VS" --ignore /dev/sda3 --zero /dev/sda8 "$MULTIFS" "$T/out.img"
  assert_lines "$(sed 's/^\[ *[0-9.]*\] //' <<<"$output")" \
    "Fill free space in /dev/sda1 with zero" "Fill free space in /dev/sda4 with zero" \
    "Fill free space in /dev/sda6 with zero" "Clearing Linux swap on /dev/sda7" "Zeroing /dev/sda8"
  [[ "$output" != *"/dev/sda3"* ]]
  assert_equal "$("$VF" -a "$MULTIFS" --filesystems --long --uuid | grep -v sda8)" \
    "$("$VF" -a "$T/out.img" --filesystems --long --uuid | grep -v sda8)"
}

@test "bad requests: one line on stderr, exit 1, no output file" {
  run -1 --separate-stderr "$VS" "$T/missing.img" "$T/out.img"
  [ "$stderr" = "virt-sparsify: error: $T/missing.img: No such file or directory" ]
  run -1 --separate-stderr "$VS" --convert raw --compress "$DIRTY" "$T/out.img"
  [ "$stderr" = "virt-sparsify: error: --compress cannot be used for raw output.  Remove this option or use --convert qcow2." ]
  run -1 --separate-stderr "$VS" --in-place --compress "$T/out.img"
  [ "$stderr" = "virt-sparsify: error: you cannot use --in-place and --compress options together" ]
  run -1 --separate-stderr "$VS" "$DIRTY" "$DIRTY"
  [ "$stderr" = "virt-sparsify: error: you cannot use the same disk image for input and output" ]
  run -1 --separate-stderr "$VS" --check-tmpdir=fail --tmp /dev/shm/nonexistent-dir "$DIRTY" "$T/out.img"
  [ "${#stderr_lines[@]}" -eq 1 ]
  head -c 1M /dev/urandom >"$T/garbage.qcow2"
  printf 'QFI\xfb' | dd of="$T/garbage.qcow2" conv=notrunc status=none
  run -1 --separate-stderr "$VS" --format qcow2 "$T/garbage.qcow2" "$T/out.img"
  [[ "$stderr" == "virt-sparsify: error: "* ]]
  [ ! -e "$T/out.img" ]
  [ "$(ls -A "$T")" = garbage.qcow2 ]
}

@test "--check-tmpdir=fail stops before anything is written when the folder is too small" {
  mkdir "$T/small"
  if ! mount -t tmpfs -o size=1M tmpfs "$T/small" 2>/dev/null; then skip "cannot mount a tmpfs"; fi
  run -1 --separate-stderr "$VS" --check-tmpdir=fail --tmp "$T/small" "$DIRTY" "$T/out.img"
  umount "$T/small"
  [[ "$stderr" == "virt-sparsify: error: There may not be enough free space on $T/small."* ]]
  [ ! -e "$T/out.img" ]
}

@test "--machine-readable without disks lists 1.48's features" {
  run -0 "$VS" --machine-readable
  assert_equal "virt-sparsify
linux-swap
zero
check-tmpdir
in-place
tmp-option
ntfs
btrfs" "$output"
}

@test "virt-sparsify --help, the man page and every option in it" {
  run -0 "$VS" --help
  [[ "${lines[0]}" == "virt-sparsify: make a virtual machine disk sparse"* ]]
  run -0 "$VS" --long-options
  # shellcheck disable=SC2086 # one word per option
  assert_documented "$TOP/tools/virt-sparsify/virt-sparsify.pod" $output
  run -0 "$VS" --short-options
  # shellcheck disable=SC2086
  assert_documented "$TOP/tools/virt-sparsify/virt-sparsify.pod" $output
  run -0 podchecker "$TOP/tools/virt-sparsify/virt-sparsify.pod"
}
