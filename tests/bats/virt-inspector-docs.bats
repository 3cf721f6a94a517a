#!/usr/bin/env bats
# virt-inspector without an appliance: --help, the man page, the schema,
# --xpath on a saved report, bad usage.
load helpers

VI="$BUILD/virt-inspector"
POD="$TOP/tools/virt-inspector/virt-inspector.pod"
GOLDEN="$TOP/tests/golden/virt-inspector"

@test "virt-inspector --help prints usage and exits 0" {
  run "$VI" --help
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "virt-inspector: display information about a virtual machine" ]]
  [[ "$output" == *"--no-applications"* ]]
  [[ "$output" == *"--xpath"* ]]
}

@test "virt-inspector --version prints the version" {
  run "$VI" --version
  [ "$status" -eq 0 ]
  [[ "$output" =~ ^virt-inspector\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "every long and short option of virt-inspector is documented, and the POD is valid" {
  run "$VI" --long-options
  [ "$status" -eq 0 ]
  # libguestfs's options are all there (but --key, --blocksize, --connect).
  assert_lines "$output" --add --domain --echo-keys --format --help --keys-from-stdin \
    --no-applications --no-icon --verbose --version --xpath --json
  # shellcheck disable=SC2086 # one word per option
  assert_documented "$POD" $output
  run "$VI" --short-options
  # shellcheck disable=SC2086
  assert_documented "$POD" $output
  podchecker "$POD"
}

@test "the golden reports are valid against docs/virt-inspector.rng" {
  xmllint --noout --relaxng "$TOP/docs/virt-inspector.rng" "$GOLDEN"/*.xml
}

@test "--xpath prints nodes, strings and numbers as libguestfs does" {
  run "$VI" --xpath '//application[epoch]/name' < "$GOLDEN/debian.xml"
  [ "$status" -eq 0 ]
  assert_equal "$output" "<name>openssh-server</name>"
  run "$VI" --xpath 'string(//operatingsystem/hostname)' < "$GOLDEN/debian.xml"
  assert_equal "$output" "debian-phony"
  run "$VI" --xpath 'count(//filesystem)' < "$GOLDEN/debian.xml"
  assert_equal "$output" "3"
  run "$VI" --xpath '//mountpoint[2]/@dev' < "$GOLDEN/debian.xml"
  assert_equal "$output" ' dev="/dev/sda1"'
  run "$VI" --xpath '//filesystem[type="swap"]' < "$GOLDEN/debian.xml"
  assert_equal "$output" '<filesystem dev="/dev/debian-vg/swap_1">
  <type>swap</type>
  <uuid>8d7b1f0e-4a36-4d55-a0c2-5b7e6c9d2f13</uuid>
</filesystem>'
}

@test "--xpath refuses a malformed document, a malformed query, and -a" {
  run "$VI" --xpath '//name' <<<"junk"
  [ "$status" -eq 1 ]
  [ "${lines[-1]}" = "virt-inspector: unable to parse XML from stdin" ]
  run "$VI" --xpath '//[' < "$GOLDEN/debian.xml"
  [ "$status" -eq 1 ]
  [ "${lines[-1]}" = "virt-inspector: unable to evaluate XPath expression" ]
  run "$VI" --xpath '//name' -a "$GOLDEN/debian.xml"
  [ "$status" -eq 1 ]
  assert_equal "$output" "virt-inspector: cannot use --xpath together with other options."
}

@test "virt-inspector: no -a, a missing disk, an unknown option" {
  run "$VI"
  [ "$status" -eq 1 ]
  [ "${lines[0]}" = "virt-inspector: you must specify at least one -a or -d option." ]
  [ "${lines[1]}" = "Try 'virt-inspector --help' for more information." ]
  run "$VI" -a "$BATS_TEST_TMPDIR/nope.img"
  [ "$status" -eq 1 ]
  assert_equal "$output" "virt-inspector: $BATS_TEST_TMPDIR/nope.img: No such file or directory"
  run "$VI" --bogus
  [ "$status" -eq 1 ]
  [[ "${lines[0]}" == "virt-inspector: "*"bogus"* ]]
}

@test "virt-inspector: -d and -c are libvirt's, in --help and in the man page" {
  assert_libvirt_options_documented virt-inspector
}
