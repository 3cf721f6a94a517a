#!/usr/bin/env bats
# virt-filesystems on the four phony guests, exact text against golden files
# (tests/golden/virt-filesystems/NAME-MODE.txt), two runs per guest.
# Checked against libguestfs 1.48's virt-filesystems (debian and multifs
# --csv --uuid, multifs -h): the same, btrfs subvolumes of multifs
# (btrfsvol:/dev/sda4/@ ...) included.
bats_require_minimum_version 1.5.0
load helpers

# The UUIDs that mkfs and LVM choose at random when the image is built are
# @RANDOM@ in the golden CSV files: those fields of the output are masked.
mask_random() {
  paste -d'\n' "$1" - | awk -F, -v OFS=, 'NR % 2 == 1 { split($0, g, ","); next }
    { for (i = 1; i <= NF; i++) if (g[i] == "@RANDOM@" && $i != "") $i = "@RANDOM@"; print }'
}

check() {
  local name=$1 golden=$2
  shift 2
  local file="$TOP/tests/golden/virt-filesystems/$name-$golden.txt"
  run "$VF" -a "$(phony_image "$name")" "$@"
  [ "$status" -eq 0 ]
  assert_equal "$(mask_random "$file" <<<"$output")" "$(cat "$file")"
}

@test "virt-filesystems --all --long -h: debian" { check debian all-long-h --all --long -h; }
@test "virt-filesystems --all --long --csv --uuid: debian" { check debian all-long-csv-uuid --all --long --csv --uuid; }
@test "virt-filesystems --all --long -h: fedora" { check fedora all-long-h --all --long -h; }
@test "virt-filesystems --all --long --csv --uuid: fedora" { check fedora all-long-csv-uuid --all --long --csv --uuid; }
@test "virt-filesystems --all --long -h: windows" { check windows all-long-h --all --long -h; }
@test "virt-filesystems --all --long --csv --uuid: windows" { check windows all-long-csv-uuid --all --long --csv --uuid; }
@test "virt-filesystems --all --long -h: multifs" { check multifs all-long-h --all --long -h; }
@test "virt-filesystems --all --long --csv --uuid: multifs" { check multifs all-long-csv-uuid --all --long --csv --uuid; }
# The edge guests, as libguestfs 1.48 lists them.
@test "virt-filesystems --all --long --csv --uuid: noos" { check noos all-long-csv-uuid --all --long --csv --uuid; }
@test "virt-filesystems --all --long --csv --uuid: twoos" { check twoos all-long-csv-uuid --all --long --csv --uuid; }
@test "virt-filesystems --all --long --csv --uuid: badfstab" { check badfstab all-long-csv-uuid --all --long --csv --uuid; }
@test "virt-filesystems --all --long --csv --uuid: corruptfs (unmountable ext2: its partition's size)" {
  check corruptfs all-long-csv-uuid --all --long --csv --uuid
}
# BSD disklabel partitions (sda5...) have no MBR type; libguestfs 1.48
# fails on these disks altogether (sfdisk knows no partition 5).
@test "virt-filesystems --all --long --csv --uuid: freebsd" { check freebsd all-long-csv-uuid --all --long --csv --uuid; }
@test "virt-filesystems --all --long -h: openbsd" { check openbsd all-long-h --all --long -h; }
@test "virt-filesystems --all --long --csv --uuid: netbsd" { check netbsd all-long-csv-uuid --all --long --csv --uuid; }

# Given a key, what the LUKS device holds is listed too (LVM inside it;
# the PV keeps its /dev/mapper/luks-UUID name).  libguestfs 1.48 accepts
# the key options but never opens the device: without them, the rows are
# its rows, with no prompt and no warning.
@test "virt-filesystems --keys-from-stdin: luks guest lists the LVM inside; without a key, libguestfs's rows" {
  local img file="$TOP/tests/golden/virt-filesystems/luks-all-long-csv-uuid-keys.txt"
  img=$(phony_image luks)
  run "$VF" --keys-from-stdin -a "$img" --all --long --uuid --csv <<<phonykey
  [ "$status" -eq 0 ]
  assert_equal "$(mask_random "$file" <<<"$output")" "$(cat "$file")"
  run --separate-stderr "$VF" -a "$img" --all --long --csv
  [ "$status" -eq 0 ]
  assert_equal "$output" "$(printf '%s\n' 'Name,Type,VFS,Label,MBR,Size,Parent' \
    '/dev/sda1,filesystem,ext4,,,14410752,' '/dev/sda1,partition,,,83,16777216,/dev/sda' \
    '/dev/sda2,partition,,,83,49283072,/dev/sda' '/dev/sda,device,,,,67108864,')"
  [ -z "$stderr" ]
}

