#!/usr/bin/env bats
# Bad input: one clear line on stderr, exit status 1, nothing launched.
load helpers

setup() { T=$(mktemp -d); }
teardown() { rm -rf "$T"; }

@test "a missing disk is named in a one-line error" {
  run "$VF" -a "$T/nope.img"
  [ "$status" -eq 1 ]
  assert_equal "$output" "virt-filesystems: $T/nope.img: No such file or directory"
}

@test "a file that is not a disk image is refused" {
  echo "hello" > "$T/text.txt"
  run "$VF" -a "$T/text.txt"
  [ "$status" -eq 1 ]
  assert_equal "$output" "virt-filesystems: $T/text.txt: not a disk image (size 6 is not a multiple of 512 bytes)"
}

@test "--format qcow2 on a raw file is refused" {
  truncate -s 1M "$T/raw.img"
  run "$VF" --format qcow2 -a "$T/raw.img"
  [ "$status" -eq 1 ]
  assert_equal "$output" "virt-filesystems: $T/raw.img: not a qcow2 file (bad magic); use --format raw"
}

@test "an unreadable disk is refused" {
  truncate -s 1M "$T/secret.img"
  chmod 000 "$T/secret.img"
  # root reads anything: check as an unprivileged user when we are root.
  if [ "$(id -u)" -eq 0 ]; then
    chmod 755 "$T"
    setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$VF" || skip "the build is not reachable by an unprivileged user"
    run setpriv --reuid=65534 --regid=65534 --clear-groups "$VF" -a "$T/secret.img"
  else
    run "$VF" -a "$T/secret.img"
  fi
  [ "$status" -eq 1 ]
  assert_equal "$output" "virt-filesystems: $T/secret.img: Permission denied"
}

@test "a corrupt qcow2 is reported, not crashed on" {
  printf 'QFI\xfb\0\0\0\3garbage' > "$T/bad.qcow2"
  truncate -s 1M "$T/bad.qcow2"
  run "$VF" -a "$T/bad.qcow2"
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ "$output" == "virt-filesystems: $T/bad.qcow2: "* ]]
}

@test "-h with --csv is refused as libguestfs does" {
  truncate -s 1M "$T/d.img"
  run "$VF" -a "$T/d.img" -h --csv
  [ "$status" -eq 1 ]
  [ "${lines[0]}" = "virt-filesystems: you cannot use -h and --csv options together." ]
}

@test "no -a option is an error with a hint" {
  run "$VF"
  [ "$status" -eq 1 ]
  [ "${lines[0]}" = "virt-filesystems: you must specify at least one -a or -d option." ]
  [ "${lines[1]}" = "Try 'virt-filesystems --help' for more information." ]
}

@test "an unknown option is an error" {
  run "$VF" --bogus
  [ "$status" -eq 1 ]
  [[ "${lines[0]}" == "virt-filesystems: "*"bogus"* ]]
}

@test "no QEMU installed names the package to install" {
  truncate -s 1M "$T/d.img"
  run env PATH=/nonexistent "$VF" -a "$T/d.img"
  [ "$status" -eq 1 ]
  assert_equal "$output" "virt-filesystems: qemu-system-x86_64 not found; install the qemu-system-x86 package"
}

@test "no kernel installed names the package to install" {
  truncate -s 1M "$T/d.img"
  # An empty /boot, seen only by this command.
  unshare -m true 2>/dev/null || skip "needs mount namespaces (root)"
  run unshare -m sh -c 'mount -t tmpfs none /boot && exec "$0" -a "$1"' "$VF" "$T/d.img"
  [ "$status" -eq 1 ]
  assert_equal "$output" "virt-filesystems: no Linux kernel found in /boot (with modules in /lib/modules); install the linux-image-amd64 package"
}

@test "an unknown accelerator in VIRT_TOOLS_ACCEL is refused" {
  truncate -s 1M "$T/d.img"
  run env VIRT_TOOLS_ACCEL=hvf "$VF" -a "$T/d.img"
  [ "$status" -eq 1 ]
  assert_equal "$output" "virt-filesystems: VIRT_TOOLS_ACCEL must be kvm or tcg"
}
