#!/usr/bin/env bats
# Windows inspection through guestfish -i on the phony Windows guest: every
# fact libguestfs 1.48 reports for it, and what a damaged registry leaves.

load helpers

GF="$BUILD/guestfish"

@test "inspect-windows: the phony guest's facts, drive letters and applications are libguestfs's" {
  img=$(phony_image windows)
  out=$("$GF" --ro --format=raw -a "$img" -i <<'EOF'
inspect-get-type /dev/sda1
inspect-get-distro /dev/sda1
inspect-get-product-name /dev/sda1
inspect-get-product-variant /dev/sda1
inspect-get-major-version /dev/sda1
inspect-get-minor-version /dev/sda1
inspect-get-arch /dev/sda1
inspect-get-hostname /dev/sda1
inspect-get-osinfo /dev/sda1
inspect-get-package-format /dev/sda1
inspect-get-package-management /dev/sda1
inspect-get-windows-systemroot /dev/sda1
inspect-get-windows-software-hive /dev/sda1
inspect-get-windows-system-hive /dev/sda1
inspect-get-windows-current-control-set /dev/sda1
echo --drives--
inspect-get-drive-mappings /dev/sda1
echo --apps--
inspect-list-applications2 /dev/sda1
EOF
)
  expected_facts="windows
windows
Windows 10 Pro
Client
10
0
x86_64
phony-win10
win10
unknown
unknown
/Windows
/Windows/System32/Config/SOFTWARE
/Windows/System32/Config/SYSTEM
ControlSet001
--drives--"
  assert_equal "${out%%$'\n'--drives--*}"$'\n'--drives-- "$expected_facts"
  # D: (a CD-ROM), E: (another disk's GPT partition) and F: (no partition
  # at that offset) map to nothing here.
  drives=${out#*--drives--$'\n'}
  assert_equal "${drives%%$'\n'--apps--*}" "C: /dev/sda1"
  apps=${out#*--apps--$'\n'}
  # Both registry views; keys without DisplayName (KB5005565,
  # NoDisplayName32) are not applications.
  names=$(grep 'app2_name:' <<<"$apps" | sed 's/^ *app2_name: //')
  assert_equal "$names" "7-Zip
Mozilla Firefox 115.0 (x64 en-US)
Notepad++
PuTTY_is1
{90160000-008C-0000-1000-0000000FF1CE}"
  assert_lines "$apps" "  app2_display_name: PuTTY release 0.78" "  app2_version: 0.78" \
    "  app2_install_path: C:\\Program Files (x86)\\PuTTY\\" "  app2_publisher: Simon Tatham" \
    "  app2_url: https://www.chiark.greenend.org.uk/~sgtatham/putty/" \
    "  app2_description: SSH and Telnet client"
}

@test "inspect-windows: a corrupt SOFTWARE hive and a malformed Select\\Current leave those facts unknown" {
  img=$(phony_image windows)
  copy="$BATS_TEST_TMPDIR/damaged.img"
  cp --sparse=always "$img" "$copy"
  # SYSTEM: Current is a string, not a DWORD, so there is no control set
  # and no hostname; the drive letter is still read.
  cat >"$BATS_TEST_TMPDIR/system.reg" <<'EOF'
[Select]
"Current"=hex(1):31,00,00,00
[ControlSet001\Services\Tcpip\Parameters]
"Hostname"="not-reached"
[MountedDevices]
"\\DosDevices\\C:"=hex:5c,a1,ab,1e,00,00,10,00,00,00,00,00
EOF
  "$BUILD/make-empty-hive" "$BATS_TEST_TMPDIR/empty"
  "$BUILD/make-hive" "$BATS_TEST_TMPDIR/empty" "$BATS_TEST_TMPDIR/system.reg" "$BATS_TEST_TMPDIR/SYSTEM"
  "$GF" --format=raw -a "$copy" <<EOF
run
mount /dev/sda1 /
write /Windows/System32/Config/SOFTWARE "regf, but not a registry hive"
upload $BATS_TEST_TMPDIR/SYSTEM /Windows/System32/Config/SYSTEM
EOF
  out=$("$GF" --ro --format=raw -a "$copy" -i <<'EOF'
inspect-get-type /dev/sda1
inspect-get-product-name /dev/sda1
inspect-get-major-version /dev/sda1
inspect-get-osinfo /dev/sda1
inspect-get-hostname /dev/sda1
inspect-get-windows-software-hive /dev/sda1
inspect-get-drive-mappings /dev/sda1
echo --apps--
inspect-list-applications2 /dev/sda1
echo --end--
EOF
)
  assert_equal "$out" "windows
unknown
0
unknown
unknown
/Windows/System32/Config/SOFTWARE
C: /dev/sda1
--apps--
--end--"
}
