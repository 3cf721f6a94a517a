#!/usr/bin/env bats
# The phony guests of tests/phony-guests: each image builds (through the
# cache) and holds what inspection will look for.

load helpers

GF="$BUILD/guestfish"

# guestfish on IMAGE read-only, commands on standard input.
fish_ro() {
  local img=$1
  "$GF" --ro --format=raw -a "$img"
}

# guestfish as a coprocess, for scripts whose commands need what earlier ones
# printed (hivex handles): fish_ask sends one command and prints its output.
fish_start() {
  coproc FISH { exec 3>&-; exec "$GF" "$@" 2>&1; }
}
fish_ask() {
  local line out=""
  printf '%s\necho __end__\n' "$1" >&"${FISH[1]}"
  while IFS= read -r -t 120 line <&"${FISH[0]}"; do
    if [ "$line" = __end__ ]; then
      printf '%s' "${out%$'\n'}"
      return 0
    fi
    out+="$line"$'\n'
  done
  printf '%s: no answer; guestfish said:\n%s\n' "$1" "$out" >&2
  return 1
}
fish_stop() {
  echo quit >&"${FISH[1]}"
  wait "$FISH_PID"
  unset FISH_PID
}

# The handle of the key PATH (backslash-separated) of the open hive.
hive_key() {
  local node name parts
  IFS='\' read -ra parts <<<"$1"
  node=$(fish_ask hivex-root) || return 1
  for name in "${parts[@]}"; do
    node=$(fish_ask "hivex-node-get-child $node \"$name\"") || return 1
    [ "$node" != 0 ] || { echo "hive has no key $1 ($name)" >&2; return 1; }
  done
  echo "$node"
}

# The text of the string value NAME of the key PATH in the open hive.
hive_string() {
  local node value
  node=$(hive_key "$1") || return 1
  value=$(fish_ask "hivex-node-get-value $node \"$2\"") || return 1
  [ "$value" != 0 ] || { echo "key $1 has no value $2" >&2; return 1; }
  fish_ask "hivex-value-string $value"
}

setup() {
  [ -x "$GF" ] || skip "guestfish is not built"
}

# A test that failed half-way leaves its guestfish coprocess: end of input
# makes it shut the appliance down and exit.
teardown() {
  if [ -n "${FISH_PID:-}" ] && [ -n "${FISH[1]:-}" ]; then
    exec {FISH[1]}>&-
    wait "$FISH_PID" || true
  fi
}

@test "debian: MBR, /boot and an LVM root and swap" {
  img=$(phony_image debian)
  run fish_ro "$img" <<'FISH'
run
part-get-parttype /dev/sda
part-get-mbr-id /dev/sda 2
list-filesystems
vfs-uuid /dev/sda1
vfs-uuid /dev/debian-vg/swap_1
FISH
  [ "$status" -eq 0 ]
  assert_lines "$output" msdos 0x8e "/dev/sda1: ext4" "/dev/debian-vg/root: ext4" "/dev/debian-vg/swap_1: swap" \
    3f2c9a52-1d6e-4c1b-9b0e-0d6b1e5a7c41 8d7b1f0e-4a36-4d55-a0c2-5b7e6c9d2f13
}

@test "debian: release files, fstab and the dpkg database" {
  img=$(phony_image debian)
  run fish_ro "$img" <<'FISH'
run
mount-ro /dev/debian-vg/root /
mount-ro /dev/sda1 /boot
cat /etc/debian_version
cat /etc/hostname
cat /etc/os-release
cat /etc/fstab
readlink /bin
is-file /usr/bin/bash
is-file /boot/vmlinuz-6.1.0-18-amd64
cat /var/lib/dpkg/status
FISH
  [ "$status" -eq 0 ]
  assert_lines "$output" 12.5 debian-phony ID=debian VERSION_ID=\"12\" usr/bin true \
    "/dev/mapper/debian--vg-root /               ext4    errors=remount-ro 0       1" \
    "UUID=3f2c9a52-1d6e-4c1b-9b0e-0d6b1e5a7c41 /boot           ext4    defaults        0       2" \
    "Package: openssh-server" "Version: 1:9.2p1-2+deb12u2" "Status: deinstall ok config-files"
  [ "$(grep -c '^Package: ' <<<"$output")" -eq 8 ]
  [ "$(grep -c '^true$' <<<"$output")" -eq 2 ]
}

@test "fedora: GPT, EFI, /boot and an LVM xfs root" {
  img=$(phony_image fedora)
  run fish_ro "$img" <<'FISH'
run
part-get-parttype /dev/sda
part-get-gpt-type /dev/sda 1
part-get-gpt-type /dev/sda 3
list-filesystems
vfs-label /dev/sda1
FISH
  [ "$status" -eq 0 ]
  assert_lines "$output" gpt C12A7328-F81F-11D2-BA4B-00A0C93EC93B E6D6D379-F507-44C2-A23C-238F2A3DF928 \
    "/dev/sda1: vfat" "/dev/sda2: ext4" "/dev/fedora/root: xfs" "/dev/fedora/swap: swap" EFI
}

@test "fedora: release files and the sqlite rpm database behind /var/lib/rpm" {
  img=$(phony_image fedora)
  run fish_ro "$img" <<FISH
run
mount-ro /dev/fedora/root /
cat /etc/redhat-release
cat /etc/os-release
readlink /var/lib/rpm
download /var/lib/rpm/rpmdb.sqlite $BATS_TEST_TMPDIR/rpmdb.sqlite
FISH
  [ "$status" -eq 0 ]
  assert_lines "$output" "Fedora release 38 (Thirty Eight)" ID=fedora VERSION_ID=38 ../../usr/lib/sysimage/rpm
  "$BUILD/make-rpmdb" "$TOP/tests/phony-guests/fedora-packages.txt" "$BATS_TEST_TMPDIR/expected.sqlite"
  cmp "$BATS_TEST_TMPDIR/rpmdb.sqlite" "$BATS_TEST_TMPDIR/expected.sqlite"
  # rpm itself, where the host has it, reads the database.
  if command -v rpm >/dev/null; then
    mkdir "$BATS_TEST_TMPDIR/db"
    cp "$BATS_TEST_TMPDIR/rpmdb.sqlite" "$BATS_TEST_TMPDIR/db/"
    run rpm --dbpath "$BATS_TEST_TMPDIR/db" -q bash NetworkManager
    assert_equal "$output" $'bash-5.2.15-3.fc38.x86_64\nNetworkManager-1.42.4-1.fc38.x86_64'
  fi
}

@test "windows: MBR signature, NTFS and the system files" {
  img=$(phony_image windows)
  # The disk signature that MountedDevices names for C:, little-endian at 440.
  assert_equal "$(od -An -tx1 -j440 -N4 "$img" | tr -d ' ')" 5ca1ab1e
  run fish_ro "$img" <<'FISH'
run
part-get-mbr-id /dev/sda 1
list-filesystems
vfs-label /dev/sda1
mount-ro /dev/sda1 /
is-file /Windows/System32/cmd.exe
is-file /Windows/System32/Config/SOFTWARE
is-file /Windows/System32/Config/SYSTEM
FISH
  [ "$status" -eq 0 ]
  assert_lines "$output" 0x7 "/dev/sda1: ntfs" Windows
  [ "$(grep -c '^true$' <<<"$output")" -eq 3 ]
}

@test "windows: the registry hives read back through hivex" {
  img=$(phony_image windows)
  fish_start --ro --format=raw -a "$img"
  fish_ask run
  fish_ask "mount-ro /dev/sda1 /"
  fish_ask "hivex-open /Windows/System32/Config/SOFTWARE"
  assert_equal "$(hive_string 'Microsoft\Windows NT\CurrentVersion' ProductName)" "Windows 10 Pro"
  assert_equal "$(hive_string 'Microsoft\Windows NT\CurrentVersion' CurrentBuildNumber)" 19045
  assert_equal "$(hive_string 'Microsoft\Windows\CurrentVersion\Uninstall\7-Zip' DisplayVersion)" 22.01
  uninstall=$(hive_key 'Microsoft\Windows\CurrentVersion\Uninstall')
  children=$(fish_ask "hivex-node-children $uninstall")
  [ "$(grep -c hivex_node_h <<<"$children")" -eq 4 ]
  fish_ask "hivex-open /Windows/System32/Config/SYSTEM"
  assert_equal "$(hive_string 'ControlSet001\Control\ComputerName\ComputerName' ComputerName)" PHONY-WIN10
  mounted=$(hive_key MountedDevices)
  c_drive=$(fish_ask "hivex-node-get-value $mounted \"\\\\DosDevices\\\\C:\"")
  assert_equal "$(fish_ask "hivex-value-type $c_drive")" 3
  fish_ask hivex-close
  fish_stop
}

@test "multifs: one partition of each filesystem, and btrfs subvolumes" {
  img=$(phony_image multifs)
  run fish_ro "$img" <<'FISH'
run
list-filesystems
vfs-label /dev/sda2
vfs-label /dev/sda4
mount-ro /dev/sda4 /
btrfs-subvolume-list /
cat /@/btrfs-marker
FISH
  [ "$status" -eq 0 ]
  assert_lines "$output" "/dev/sda1: ext2" "/dev/sda2: ext4" "/dev/sda3: xfs" "/dev/sda4: btrfs" "/dev/sda5: vfat" \
    "/dev/sda6: ntfs" "/dev/sda7: swap" "/dev/sda8: unknown" DATA pool "btrfs @"
  grep -q 'path: @home/snapshots$' <<<"$output"
}
