#!/usr/bin/env bats
# guestfish against a real appliance.  Each guestfish run boots one, so each
# test is one run that checks many things.  The disk is built once, by
# guestfish itself.
bats_require_minimum_version 1.5.0
load helpers
GF="$BUILD/guestfish"

setup_file() {
  export DISK="$BATS_FILE_TMPDIR/disk.img"
  "$BUILD/guestfish" <<EOF
sparse $DISK 64M
run
part-init /dev/sda mbr
part-add /dev/sda p 2048 -2048
mkfs ext4 /dev/sda1
mount /dev/sda1 /
mkdir-p /etc
write /etc/hostname "fishy\n"
write /etc/passwd "root:x:0:0:root:/root:/bin/bash\nbin:x:1:1:bin:/bin:/sbin/nologin\n"
EOF
}

setup() { T=$(mktemp -d); }
teardown() { rm -rf "$T"; }

@test "-f script with -m: output, pipes, host files, -<<END, errors named by line" {
  cat >"$T/script.gf" <<'EOF'
cat /etc/hostname
cat /etc/passwd | grep ^root | cut -d: -f7
download /etc/hostname - | tr a-z A-Z
-cat /nonexistent
upload - /uploaded
cat /uploaded
mkdir-p /a/b/c
is-dir /a/b/c
upload -<<END /heredoc
line one
  line two
END
cat /heredoc
-upload /nonexistent-host-file /x
exists /x
upload /nonexistent-host-file /x
echo never
EOF
  run --separate-stderr "$GF" --format=raw -a "$DISK" -m /dev/sda1 -f "$T/script.gf" <<<"data from stdin"
  [ "$status" -eq 1 ]
  # Like guestfish, a string result is printed with a newline after it.
  assert_equal "$output" "fishy

/bin/bash
FISHY
data from stdin

true
line one
  line two

false"
  assert_equal "$stderr" "guestfish: $T/script.gf:4: cat: /nonexistent: No such file or directory
guestfish: $T/script.gf:14: upload: /nonexistent-host-file: No such file or directory
guestfish: $T/script.gf:16: upload: /nonexistent-host-file: No such file or directory"
}

@test "--ro: writes are refused and the disk is unchanged" {
  before=$(sha256sum <"$DISK")
  run --separate-stderr "$GF" --ro -a "$DISK" -m /dev/sda1 \
    cat /etc/hostname : -write /x y : -mkdir-p /newdir : exists /x : exists /newdir : ls /etc
  [ "$status" -eq 0 ]
  assert_equal "$output" "fishy

false
false
hostname
passwd"
  [[ "${stderr_lines[0]}" == "guestfish: write: "* ]]
  [[ "${stderr_lines[1]}" == "guestfish: mkdir_p: "* ]]
  [ "${#stderr_lines[@]}" -eq 2 ]
  assert_equal "$(sha256sum <"$DISK")" "$before"
}

@test "a script on stdin: add, run, <!, time, quoted lists; a daemon error stops it" {
  run --separate-stderr "$GF" <<EOF
add $DISK readonly:true format:raw
run
mount-ro /dev/sda1 /
<! echo "cat /etc/hostname"; echo "exists /etc/passwd"
ls /etc | grep -c .
time ls /etc
vfs-type /dev/sda1
command "echo 'foo   bar' \\'q\\'"
write /y z
echo never
EOF
  [ "$status" -eq 1 ]
  # ${lines[@]} skips the empty line after "fishy".
  [ "${lines[0]}" = "fishy" ]
  [ "${lines[1]}" = "true" ]
  [ "${lines[2]}" = "2" ]
  [ "${lines[3]}" = "hostname" ]
  [ "${lines[4]}" = "passwd" ]
  [[ "${lines[5]}" =~ ^elapsed\ time:\ [0-9]+\.[0-9]{2}\ seconds$ ]]
  [ "${lines[6]}" = "ext4" ]
  [ "${lines[7]}" = "foo   bar 'q'" ]
  [ "${#lines[@]}" -eq 8 ]
  [[ "$stderr" == "guestfish: *stdin*:9: write: "* ]]
}

@test "-i --ro: inspects, mounts the one OS read-only by its fstab; inspect-* commands" {
  local img
  img=$(phony_image debian)
  run --separate-stderr "$GF" --ro -a "$img" -i <<'EOF'
mountpoints
inspect-get-roots
inspect-get-type /dev/debian-vg/root
inspect-get-mountpoints /dev/debian-vg/root
inspect-get-filesystems /dev/debian-vg/root
cat /etc/hostname
-write /etc/hostname x
inspect-get-type /dev/sda1
EOF
  [ "$status" -eq 1 ]
  assert_equal "$output" "/dev/debian-vg/root: /
/dev/sda1: /boot
/dev/debian-vg/root
linux
/: /dev/debian-vg/root
/boot: /dev/sda1
/dev/debian-vg/root
/dev/sda1
/dev/debian-vg/swap_1
debian-phony"
  [[ "$stderr" == *"write: "* ]]
  [[ "$stderr" == *"inspect_get_type: /dev/sda1: not a root filesystem found by inspect_os" ]]
}

@test "-i on a disk without an operating system fails with a hint" {
  run --separate-stderr "$GF" --ro -a "$DISK" -i echo unreached
  [ "$status" -eq 1 ]
  [ -z "$output" ]
  [[ "$stderr" == "guestfish: no operating system was found on this disk"* ]]
}
