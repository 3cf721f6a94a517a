#!/usr/bin/env bats
# virt-filesystems output on the sample disk: exact text, as libguestfs prints it.
load helpers

setup_file() { export IMG=$(sample_image); }

@test "virt-filesystems lists mountable filesystems by default" {
  run "$VF" -a "$IMG"
  [ "$status" -eq 0 ]
  assert_equal "$output" "/dev/sda1
/dev/sda3
/dev/vg0/root"
}

# Checked against libguestfs 1.48's virt-filesystems on the same image:
# filesystem sizes are statvfs totals (smaller than the device for ext4).
@test "virt-filesystems --all --long -h shows every object with columns" {
  run "$VF" -a "$IMG" --all --long -h
  [ "$status" -eq 0 ]
  assert_equal "$output" "Name           Type        VFS      Label  MBR  Size  Parent
/dev/sda1      filesystem  ext4     boot   -    14M   -
/dev/sda3      filesystem  vfat     EFI    -    15M   -
/dev/vg0/data  filesystem  unknown  -      -    8.0M  -
/dev/vg0/root  filesystem  ext4     root   -    14M   -
/dev/vg0/data  lv          -        -      -    8.0M  /dev/vg0
/dev/vg0/root  lv          -        -      -    16M   /dev/vg0
/dev/vg0       vg          -        -      -    28M   /dev/sda2
/dev/sda2      pv          -        -      -    28M   -
/dev/sda1      partition   -        -      83   16M   /dev/sda
/dev/sda2      partition   -        -      83   32M   /dev/sda
/dev/sda3      partition   -        -      83   15M   /dev/sda
/dev/sda       device      -        -      -    64M   -"
}

@test "virt-filesystems --partitions --long --csv --no-title prints bytes as CSV" {
  run "$VF" -a "$IMG" --partitions --long --csv --no-title
  [ "$status" -eq 0 ]
  assert_equal "$output" "/dev/sda1,partition,83,16777216,/dev/sda
/dev/sda2,partition,83,33554432,/dev/sda
/dev/sda3,partition,83,15728640,/dev/sda"
}

@test "virt-filesystems --long --uuid adds filesystem UUIDs" {
  run "$VF" -a "$IMG" --filesystems --long --uuid --csv
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "Name,Type,VFS,Label,Size,Parent,UUID" ]
  [[ "${lines[1]}" =~ ^/dev/sda1,filesystem,ext4,boot,14410752,,[0-9a-f]{8}-[0-9a-f-]{27}$ ]]
  [[ "${lines[2]}" =~ ^/dev/sda3,filesystem,vfat,EFI,15667200,,[0-9A-F]{4}-[0-9A-F]{4}$ ]]
}

@test "virt-filesystems --vgs --pvs --long --uuid shows LVM UUIDs without dashes" {
  run "$VF" -a "$IMG" --vgs --pvs --long --uuid
  [ "$status" -eq 0 ]
  # The table is wider than 72 columns: one space between columns.
  [ "${lines[0]}" = "Name      Type Size     Parent    UUID" ]
  [[ "${lines[1]}" =~ ^/dev/vg0\ \ vg\ \ \ 29360128\ /dev/sda2\ [A-Za-z0-9]{32}$ ]]
  [[ "${lines[2]}" =~ ^/dev/sda2\ pv\ \ \ 29360128\ -\ \ \ \ \ \ \ \ \ [A-Za-z0-9]{32}$ ]]
}
