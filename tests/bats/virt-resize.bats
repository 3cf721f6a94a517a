#!/usr/bin/env bats
# virt-resize on the phony guests (MBR+LVM Debian, GPT+LVM Fedora, Windows
# NTFS, the multi-filesystem disk).  Every job boots an appliance, so each
# test is one job checked several ways: the output read back by
# virt-filesystems and virt-df, the source unchanged, nothing left behind.
# The golden summary is what libguestfs's virt-resize 1.48 prints for the
# same image and request.
bats_require_minimum_version 1.5.0
load helpers
VR="$BUILD/virt-resize"
GOLDEN="$TOP/tests/golden/virt-resize"

setup_file() {
  export DEBIAN=$(phony_image debian) FEDORA=$(phony_image fedora)
  export WINDOWS=$(phony_image windows) MULTIFS=$(phony_image multifs)
}

setup() { T=$(mktemp -d); }
teardown() { rm -rf "$T"; }

# A column of virt-filesystems --long --all -b for one name and type.
fs_field() {  # image name type column
  "$VF" -a "$1" --all --long --uuid | awk -v n="$2" -v t="$3" -v c="$4" '$1 == n && $2 == t { print $c }'
}

# The directory holds exactly the names given (no temporary left over).
assert_only_files() {
  local dir=$1 want got
  shift
  want=$(printf '%s\n' "$@" | sort)
  got=$(ls -A "$dir" | sort)
  assert_equal "$want" "$got"
}

@test "Debian MBR+LVM: --expand and --lv-expand as 1.48 summarises them; PV, LV and ext4 grown" {
  sha256sum "$DEBIAN" >"$T/source.sum"
  truncate -s 128M "$T/out.img"
  "$VR" --expand /dev/sda2 --lv-expand /dev/debian-vg/root "$DEBIAN" "$T/out.img" >"$T/stdout" 2>"$T/err"
  [ ! -s "$T/err" ]
  # The summary (between the rows of stars) is 1.48's text exactly.
  sed -n '/^\*\*\*\*\*\*\*\*\*\*$/,/^\*\*\*\*\*\*\*\*\*\*$/p' "$T/stdout" >"$T/summary"
  diff -u "$GOLDEN/debian-expand.summary" "$T/summary"
  assert_lines "$(sed 's/^\[ *[0-9.]*\] //' "$T/stdout")" \
    "Copying /dev/sda1" "Copying /dev/sda2" \
    "Expanding /dev/sda2 using the ‘pvresize’ method" \
    "Expanding /dev/debian-vg/root using the ‘resize2fs’ method" \
    "virt-resize: Resize operation completed with no errors.  Before deleting the old disk, carefully check that the resized disk boots and works correctly."
  sha256sum -c --quiet "$T/source.sum"
  # 1.48's layout: sda2 from sector 34816, 224896 sectors.
  [ "$(fs_field "$T/out.img" /dev/sda2 partition 6)" = $((224896 * 512)) ]
  [ "$(fs_field "$T/out.img" /dev/sda2 pv 6)" -gt 100000000 ]
  [ "$(fs_field "$T/out.img" /dev/debian-vg/root lv 6)" -gt 90000000 ]
  [ "$(fs_field "$T/out.img" /dev/debian-vg/root filesystem 6)" -gt 80000000 ]
  # The boot filesystem is copied as it was, UUID and all.
  [ "$(fs_field "$T/out.img" /dev/sda1 filesystem 8)" = "$(fs_field "$DEBIAN" /dev/sda1 filesystem 8)" ]
  run -0 "$BUILD/virt-df" -a "$T/out.img"
  [[ "$output" == *"out.img:/dev/debian-vg/root"* ]]
  assert_only_files "$T" out.img source.sum stdout err summary
}

@test "Fedora GPT: raw to qcow2, XFS on an LV grown, the backup GPT at the new end" {
  qemu-img create -q -f qcow2 "$T/out.qcow2" 512M
  "$VR" -q -v --expand /dev/sda3 --lv-expand /dev/fedora/root "$FEDORA" "$T/out.qcow2" >"$T/stdout" 2>"$T/err"
  [ ! -s "$T/stdout" ]
  # lvm runs only to change the metadata: the PV's size and the LV's size
  # come from the daemon's own reading, unplugging is device-mapper's.
  assert_equal "$(grep -a 'virt-tools-daemon: run: lvm' "$T/err" | cut -d' ' -f4)" "$(printf 'pvresize\nlvresize')"
  [ "$(qemu-img info --output=json "$T/out.qcow2" | grep -c '"format": "qcow2"')" -ge 1 ]
  root=$(fs_field "$T/out.qcow2" /dev/fedora/root filesystem 6)
  [ "$root" -gt 350000000 ]
  [ "$(fs_field "$T/out.qcow2" /dev/fedora/root filesystem 8)" = "$(fs_field "$FEDORA" /dev/fedora/root filesystem 8)" ]
  [ "$(fs_field "$T/out.qcow2" /dev/sda1 filesystem 4)" = EFI ]
  qemu-img convert -O raw "$T/out.qcow2" "$T/out.raw"
  run -0 sgdisk -v "$T/out.raw"
  [[ "$output" == *"No problems found"* ]]
}

@test "Windows NTFS: the partition and the filesystem grow (ntfsresize)" {
  truncate -s 96M "$T/out.img"
  run -0 "$VR" --expand /dev/sda1 "$WINDOWS" "$T/out.img"
  [[ "$output" == *"The filesystem ntfs on /dev/sda1 will be expanded using the ‘ntfsresize’ method."* ]]
  [ "$(fs_field "$T/out.img" /dev/sda1 filesystem 6)" -gt 90000000 ]
  [ "$(fs_field "$T/out.img" /dev/sda1 filesystem 4)" = Windows ]
  [ "$(fs_field "$T/out.img" /dev/sda1 partition 5)" = 07 ]
}

@test "multifs: resize, delete, ignore and a swap expanded with its UUID and label" {
  truncate -s 640M "$T/out.img"
  "$VR" --resize /dev/sda1=+8M --delete /dev/sda8 --ignore /dev/sda5 --expand /dev/sda7 \
    "$MULTIFS" "$T/out.img" >"$T/stdout" 2>"$T/err"
  [ ! -s "$T/err" ]
  assert_lines "$(cat "$T/stdout")" \
    "virt-resize: /dev/sda8: This partition will be deleted." \
    "virt-resize: /dev/sda5: This partition will be created, but the contents will be ignored (ie. not copied to the target)."
  [ "$(fs_field "$T/out.img" /dev/sda1 partition 6)" -gt $((16 * 1024 * 1024 - 1)) ]
  [ "$(fs_field "$T/out.img" /dev/sda1 filesystem 6)" -gt 15000000 ]
  [ "$(fs_field "$T/out.img" /dev/sda7 filesystem 3)" = swap ]
  [ "$(fs_field "$T/out.img" /dev/sda7 filesystem 8)" = "$(fs_field "$MULTIFS" /dev/sda7 filesystem 8)" ]
  [ "$(fs_field "$T/out.img" /dev/sda7 filesystem 4)" = swap ]
  [ "$(fs_field "$T/out.img" /dev/sda7 partition 6)" -gt 100000000 ]
  [ -z "$(fs_field "$T/out.img" /dev/sda8 partition 6)" ]
  [ "$(fs_field "$T/out.img" /dev/sda5 filesystem 3)" != vfat ]   # ignored: not copied
  [ "$(fs_field "$T/out.img" /dev/sda2 filesystem 4)" = DATA ]
  [ "$(fs_field "$T/out.img" /dev/sda3 filesystem 4)" = xfsdata ]
  [ "$(fs_field "$T/out.img" /dev/sda4 filesystem 4)" = pool ]
}

@test "a target too small: the deficit in one line, exit 1, the target untouched" {
  truncate -s 48M "$T/out.img"
  run -1 --separate-stderr "$VR" "$DEBIAN" "$T/out.img"
  [ "$stderr" = "virt-resize: error: There is a deficit of 18055168 bytes (17.2M).  You need to make the target disk larger by at least this amount or adjust your resizing requests." ]
  [ "$(stat -c %s "$T/out.img")" = $((48 * 1024 * 1024)) ]
  [ "$(stat -c %b "$T/out.img")" = 0 ]
  assert_only_files "$T" out.img
}

@test "--dry-run prints the summary and writes nothing" {
  truncate -s 128M "$T/out.img"
  run -0 "$VR" --dry-run "$DEBIAN" "$T/out.img"
  [[ "$output" == *"There is a surplus of 62.8M.  An extra partition will be created for the surplus."* ]]
  [[ "$output" != *"Copying"* ]]
  [ "$(stat -c %b "$T/out.img")" = 0 ]
  assert_only_files "$T" out.img
}

@test "bad requests: each one line on stderr, exit 1, no output" {
  truncate -s 128M "$T/out.img"
  run -1 --separate-stderr "$VR" "$T/missing.img" "$T/out.img"
  [ "$stderr" = "virt-resize: error: $T/missing.img: No such file or directory" ]
  run -1 --separate-stderr "$VR" --expand /dev/sda9 "$DEBIAN" "$T/out.img"
  [[ "$stderr" == "virt-resize: error: /dev/sda9: partition not found in the source disk image"* ]]
  [ "${#stderr_lines[@]}" -eq 1 ]
  run -1 --separate-stderr "$VR" --resize /dev/sda1=10Q "$DEBIAN" "$T/out.img"
  [ "$stderr" = "virt-resize: error: 10Q: cannot parse resize field" ]
  run -1 --separate-stderr "$VR" --resize /dev/sda2=20M "$DEBIAN" "$T/out.img"
  [[ "$stderr" == "virt-resize: error: /dev/sda2: This partition contains an LVM physical volume which will be damaged by shrinking it below "* ]]
  run -1 --separate-stderr "$VR" "$DEBIAN"
  [ "$stderr" = "virt-resize: error: usage is: virt-resize [--options] indisk outdisk" ]
  [ "$(stat -c %b "$T/out.img")" = 0 ]
  assert_only_files "$T" out.img
}

@test "an interrupted job leaves the target as it was and no temporary file" {
  truncate -s 512M "$T/out.img"
  "$VR" --expand /dev/sda3 "$FEDORA" "$T/out.img" >"$T/stdout" 2>&1 &
  pid=$!
  for _ in $(seq 600); do
    grep -q "Copying" "$T/stdout" 2>/dev/null && break
    sleep 0.1
  done
  kill -TERM "$pid"
  run wait "$pid"
  [ "$status" -ne 0 ]
  [ "$(stat -c %b "$T/out.img")" = 0 ]
  assert_only_files "$T" out.img stdout
}

@test "--machine-readable without disks lists 1.48's features, but f2fs (not grown here) and with xfs" {
  run -0 "$VR" --machine-readable
  assert_equal "$(grep -vx f2fs "$GOLDEN/machine-readable-1.48"; echo xfs)" "$output"
}

@test "virt-resize --help, the man page and every option in it" {
  run -0 "$VR" --help
  [[ "${lines[0]}" == "virt-resize: resize a virtual machine disk"* ]]
  run -0 "$VR" --long-options
  # shellcheck disable=SC2086 # one word per option
  assert_documented "$TOP/tools/virt-resize/virt-resize.pod" $output
  run -0 "$VR" --short-options
  # shellcheck disable=SC2086
  assert_documented "$TOP/tools/virt-resize/virt-resize.pod" $output
  run -0 podchecker "$TOP/tools/virt-resize/virt-resize.pod"
}

@test "a full host disk: one line, exit 1, the target and its folder as they were" {
  mkdir "$T/full"
  if ! mount -t tmpfs -o size=1M tmpfs "$T/full" 2>/dev/null; then skip "cannot mount a tmpfs"; fi
  truncate -s 128M "$T/full/out.img"
  run -1 --separate-stderr "$VR" -q "$DEBIAN" "$T/full/out.img"
  files=$(ls -A "$T/full"); blocks=$(stat -c %b "$T/full/out.img")
  umount "$T/full"
  [[ "$stderr" == "virt-resize: error: "*"No space left on device" ]]
  [ "${#stderr_lines[@]}" -eq 1 ]
  [ "$files" = out.img ] && [ "$blocks" = 0 ]
}
