#!/usr/bin/env bats
# --help, --long-options and the man page agree; the API reference is current.
load helpers

@test "virt-filesystems --help prints usage and exits 0" {
  run "$VF" --help
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "virt-filesystems: list filesystems"* ]]
  [[ "$output" == *"--human-readable"* ]]
}

@test "virt-filesystems --version prints the version" {
  run "$VF" --version
  [ "$status" -eq 0 ]
  [[ "$output" =~ ^virt-filesystems\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "every long option is documented in the man page" {
  run "$VF" --long-options
  [ "$status" -eq 0 ]
  # shellcheck disable=SC2086 # one word per option
  assert_documented "$TOP/tools/virt-filesystems/virt-filesystems.pod" $output
}

@test "the man page is valid POD" {
  run podchecker "$TOP/tools/virt-filesystems/virt-filesystems.pod"
  [ "$status" -eq 0 ]
}

@test "docs/api.md matches the API table" {
  diff -u "$TOP/docs/api.md" "$BUILD/gen/api.md"
}

@test "virt-filesystems: -d and -c are libvirt's, in --help and in the man page" {
  assert_libvirt_options_documented virt-filesystems
}
