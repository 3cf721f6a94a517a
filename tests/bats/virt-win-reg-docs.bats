#!/usr/bin/env bats
# virt-win-reg: --help, --long-options and the man page agree; usage errors.
load helpers
VWR="$BUILD/virt-win-reg"

@test "virt-win-reg --help and --version" {
  run "$VWR" --help
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "virt-win-reg: export and merge Windows Registry"* ]]
  [[ "$output" == *"--unsafe-printable-strings"* ]]
  run "$VWR" --version
  [ "$status" -eq 0 ]
  [[ "$output" =~ ^virt-win-reg\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "every virt-win-reg option is documented; the man page is valid POD" {
  run "$VWR" --long-options
  [ "$status" -eq 0 ]
  # shellcheck disable=SC2086 # one word per option
  assert_documented "$TOP/tools/virt-win-reg/virt-win-reg.pod" $output
  run "$VWR" --short-options
  # shellcheck disable=SC2086
  assert_documented "$TOP/tools/virt-win-reg/virt-win-reg.pod" $output
  run podchecker "$TOP/tools/virt-win-reg/virt-win-reg.pod"
  [ "$status" -eq 0 ]
}

@test "usage errors are one line before any launch" {
  run "$VWR"
  [ "$status" -eq 1 ]
  [[ "${lines[0]}" == "virt-win-reg: no libvirt domain name or disk image given" ]]
  # A word with a '/' is a disk image, never a domain.
  run "$VWR" /nonexistent.img 'HKLM\SOFTWARE'
  [ "$status" -eq 1 ]
  [[ "$output" == "virt-win-reg: /nonexistent.img: No such file or directory" ]]
  run "$VWR" -a /dev/null
  [ "$status" -eq 1 ]
  [[ "${lines[0]}" == "virt-win-reg: expecting 1 or 2 more parameters"* ]]
  run "$VWR" --merge --encoding=EBCDIC -a /dev/null /dev/null
  [ "$status" -eq 1 ]
  [[ "$output" == "virt-win-reg: --encoding EBCDIC: unknown encoding"* ]]
}

@test "virt-win-reg: -d and -c are libvirt's, in --help and in the man page" {
  assert_libvirt_options_documented virt-win-reg
}
