#!/usr/bin/env bats
# virt-win-reg on the Windows-like phony guest.  Every run boots an
# appliance, so each test is one or two runs checked several ways.  Golden
# exports (tests/golden/virt-win-reg) are what libguestfs's virt-win-reg
# 1.48 prints for the same image.  Merges go to copies of the image.
bats_require_minimum_version 1.5.0
load helpers
VWR="$BUILD/virt-win-reg"
GOLDEN="$TOP/tests/golden/virt-win-reg"
USER_SID='S-1-5-21-1004336348-1177238915-682003330-1001'

setup_file() {
  export IMG=$(phony_image windows)
  export COPY="$BATS_FILE_TMPDIR/copy.img"
  cp --sparse=always "$IMG" "$COPY"
}

setup() { T=$(mktemp -d); }
teardown() { rm -rf "$T"; }

# The SHA-256 of a file in the copy's Windows filesystem, read by guestfish.
guest_sha256() {
  "$BUILD/guestfish" --ro -a "$COPY" -m /dev/sda1 checksum sha256 "$1"
}

@test "export of a whole key matches libguestfs's output" {
  "$VWR" "$IMG" 'HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion' >"$T/out" 2>"$T/err"
  [ ! -s "$T/err" ]
  diff -u "$GOLDEN/software-currentversion.reg" "$T/out"
}

@test "export of a user's hive found through ProfileList, key names in any case" {
  "$VWR" -a "$IMG" "hku\\$USER_SID" >"$T/out"
  diff -u "$GOLDEN/user-ntuser.reg" "$T/out"
  # --unsafe-printable-strings: strings as text.  libguestfs prints this
  # key as [HKEY_LOCAL_MACHINE\.DEFAULT\...], a slip we do not copy.
  run "$VWR" --format=raw "$IMG" --unsafe-printable-strings 'HKEY_USERS\.default\CONTROL PANEL\International'
  [ "$status" -eq 0 ]
  assert_equal "$output" '[HKEY_USERS\.DEFAULT\Control Panel\International]
"Locale"=str(1):"00000409"
"sShortDate"=str(1):"M/d/yyyy"'
}

@test "export of single values: string, DWORD, a user's hive by user name" {
  run "$VWR" "$IMG" 'HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion' ProductName
  [ "$status" -eq 0 ]
  assert_equal "$output" "Windows 10 Pro"
  run "$VWR" "$IMG" 'HKLM\SYSTEM\Select' current
  [ "$status" -eq 0 ]
  assert_equal "$output" "1"
  run "$VWR" "$IMG" 'HKU\phony\Environment' TEMP
  [ "$status" -eq 0 ]
  assert_equal "$output" '%USERPROFILE%\AppData\Local\Temp'
}

@test "a key or value that does not exist is one clear error" {
  run --separate-stderr "$VWR" "$IMG" 'HKLM\SOFTWARE\No\Such\Key'
  [ "$status" -eq 1 ]
  [ -z "$output" ]
  assert_equal "$stderr" 'virt-win-reg: HKLM\SOFTWARE\No\Such\Key: path not found in this hive'
  # Refused before any launch.
  run --separate-stderr "$VWR" "$IMG" 'HKEY_CURRENT_USER\Software'
  [ "$status" -eq 1 ]
  assert_equal "$stderr" 'virt-win-reg: HKEY_CURRENT_USER\Software: not a supported Windows Registry path'
}

@test "a merge with a syntax error changes nothing and names the line" {
  sum_before=$(sha256sum <"$COPY")
  printf 'Windows Registry Editor Version 5.00\r\n\r\n[HKLM\\SOFTWARE\\Phony]\r\n"ok"=dword:00000001\r\n"bad"=dword:zz\r\n' >"$T/bad.reg"
  run --separate-stderr "$VWR" --merge "$COPY" "$T/bad.reg"
  [ "$status" -eq 1 ]
  [[ "$stderr" == "virt-win-reg: $T/bad.reg:5: parse error: "* ]]
  [ "$(wc -l <<<"$stderr")" -eq 1 ]
  [ "$(sha256sum <"$COPY")" = "$sum_before" ]
}

@test "merge (UTF-16LE and REGEDIT4 files) then export shows the change; export, merge, export round trip" {
  "$VWR" "$IMG" "HKU\\$USER_SID\\Software" >"$T/exported.reg"
  # A regedit-style UTF-16LE file with a BOM and CR LF.
  printf '\xef\xbb\xbfWindows Registry Editor Version 5.00\r\n\r\n[HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion]\r\n"RegisteredOwner"="Merged Owner"\r\n"RegisteredOrganization"=-\r\n@="default"\r\n\r\n[HKLM\\SOFTWARE\\Phony\\New Key]\r\n"Count"=dword:0000002a\r\n"Big"=hex(b):01,00,00,00,\\\r\n  00,00,00,00\r\n' |
    iconv -f UTF-8 -t UTF-16LE >"$T/changes.reg"
  printf 'REGEDIT4\n\n[-HKU\\%s\\Software]\n' "$USER_SID" >"$T/delete.reg"
  run --separate-stderr "$VWR" --merge "$COPY" "$T/changes.reg" "$T/delete.reg" "$T/exported.reg"
  [ "$status" -eq 0 ]
  [ -z "$stderr" ]

  run "$VWR" "$COPY" 'HKLM\SOFTWARE\Phony'
  [ "$status" -eq 0 ]
  assert_equal "$output" '[HKEY_LOCAL_MACHINE\SOFTWARE\Phony]

[HKEY_LOCAL_MACHINE\SOFTWARE\Phony\New Key]
"Big"=hex(b):01,00,00,00,00,00,00,00
"Count"=dword:0000002a'
  run "$VWR" "$COPY" 'HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion' RegisteredOwner
  assert_equal "$output" "Merged Owner"
  "$VWR" "$COPY" "HKU\\$USER_SID\\Software" >"$T/reexported.reg"
  diff -u "$T/exported.reg" "$T/reexported.reg"
}

@test "a merge that fails while applying leaves the hive byte-identical" {
  before=$(guest_sha256 /Windows/System32/Config/SOFTWARE)
  printf '[HKLM\\SOFTWARE\\Phony]\n"x"=dword:00000002\n\n[-HKLM\\SOFTWARE]\n' >"$T/root.reg"
  run --separate-stderr "$VWR" --merge "$COPY" "$T/root.reg"
  [ "$status" -eq 1 ]
  assert_equal "$stderr" 'virt-win-reg: HKLM\SOFTWARE: the root key of a hive cannot be deleted'
  # The corrupt hive, made in the same guestfish run as the checksum.
  after=$("$BUILD/guestfish" -a "$COPY" -m /dev/sda1 <<'GF'
checksum sha256 /Windows/System32/Config/SOFTWARE
truncate-size /Windows/System32/Config/SECURITY 4100
GF
)
  assert_equal "$after" "$before"
  run --separate-stderr "$VWR" "$COPY" 'HKLM\SECURITY'
  [ "$status" -eq 1 ]
  [[ "$stderr" == "virt-win-reg: /Windows/System32/Config/SECURITY: not a valid registry hive"* ]]
  [ "$(wc -l <<<"$stderr")" -eq 1 ]
}
