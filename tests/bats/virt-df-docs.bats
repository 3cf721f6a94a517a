#!/usr/bin/env bats
# virt-df: --help, --long-options and the man page agree.
load helpers

DF="$BUILD/virt-df"

@test "virt-df --help prints usage and exits 0" {
  run "$DF" --help
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "virt-df: display free space"* ]]
  [[ "$output" == *"--inodes"* ]]
}

@test "every long option of virt-df is documented in the man page" {
  run "$DF" --long-options
  [ "$status" -eq 0 ]
  # shellcheck disable=SC2086 # one word per option
  assert_documented "$TOP/tools/virt-df/virt-df.pod" $output
  run "$DF" --short-options
  [ "$status" -eq 0 ]
  # shellcheck disable=SC2086
  assert_documented "$TOP/tools/virt-df/virt-df.pod" $output
}

@test "the virt-df man page is valid POD" {
  run podchecker "$TOP/tools/virt-df/virt-df.pod"
  [ "$status" -eq 0 ]
}

@test "virt-df: -d and -c are libvirt's, in --help and in the man page" {
  assert_libvirt_options_documented virt-df
}
