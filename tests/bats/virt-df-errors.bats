#!/usr/bin/env bats
# virt-df on bad input: one clear line on stderr, exit status 1, nothing
# printed on stdout (not even the title), nothing launched.
load helpers
bats_require_minimum_version 1.5.0

DF="$BUILD/virt-df"

setup() { T=$(mktemp -d); truncate -s 1M "$T/disk.img"; }
teardown() { rm -rf "$T"; }

@test "virt-df: a missing disk is named in a one-line error, before the title" {
  run --separate-stderr "$DF" -a "$T/nope.img"
  [ "$status" -eq 1 ]
  assert_equal "$output" ""
  assert_equal "$stderr" "virt-df: $T/nope.img: No such file or directory"
}

@test "virt-df: a missing disk in a later guest is refused before anything runs" {
  run --separate-stderr "$DF" -a "$T/disk.img" -- -a "$T/nope.img"
  [ "$status" -eq 1 ]
  assert_equal "$output" ""
  assert_equal "$stderr" "virt-df: $T/nope.img: No such file or directory"
}

@test "virt-df: -h and --csv together are refused, as libguestfs does" {
  run "$DF" -a "$T/disk.img" -h --csv
  [ "$status" -eq 1 ]
  assert_equal "${lines[0]}" "virt-df: you cannot use -h and --csv options together."
}

@test "virt-df: no disk at all lists libvirt's domains, and says so when libvirt is unreachable" {
  LIBVIRT_DEFAULT_URI="qemu+unix:///system?socket=$T/no-such-socket" run --separate-stderr "$DF"
  [ "$status" -eq 1 ]
  assert_equal "$output" ""
  assert_equal "$stderr" "virt-df: could not connect to libvirt (its default URI): Failed to connect socket to '$T/no-such-socket': No such file or directory"
}

@test "virt-df: -P wants a number" {
  run "$DF" -P x -a "$T/disk.img"
  [ "$status" -eq 1 ]
  [[ "${lines[0]}" == "virt-df: "*"'x'"* ]]
}

@test "virt-df: only -a, -d, --format and --blocksize may follow --" {
  run "$DF" -a "$T/disk.img" -- -a "$T/disk.img" -v
  [ "$status" -eq 1 ]
  assert_equal "${lines[0]}" "virt-df: only -a, -d, --format and --blocksize may follow --, not --verbose"
  run "$DF" -a "$T/disk.img" --
  [ "$status" -eq 1 ]
  assert_equal "${lines[0]}" "virt-df: each guest after -- needs at least one -a or -d option."
}
