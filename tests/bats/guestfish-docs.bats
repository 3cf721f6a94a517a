#!/usr/bin/env bats
# --help, -h, help CMD and the man page agree with the commands; no appliance.
load helpers
GF="$BUILD/guestfish"

@test "guestfish --help prints usage and exits 0" {
  run "$GF" --help
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "guestfish: the guest filesystem shell" ]]
  [[ "$output" == *"--mount"* ]]
}

@test "guestfish --version prints the version" {
  run "$GF" --version
  [ "$status" -eq 0 ]
  [[ "$output" =~ ^guestfish\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "every long option is documented in the man page" {
  run "$GF" --long-options
  [ "$status" -eq 0 ]
  # shellcheck disable=SC2086 # one word per option
  assert_documented "$TOP/tools/guestfish/guestfish.pod" $output
}

@test "every guestfish command is documented in the man page" {
  assert_documented "$TOP/tools/guestfish/guestfish.pod" \
    add add-drive add-ro add-drive-ro alloc allocate sparse echo help lcd quit exit q run launch time
}

@test "the man page is valid POD and builds" {
  run podchecker "$TOP/tools/guestfish/guestfish.pod"
  [ "$status" -eq 0 ]
  [ -s "$BUILD/man/guestfish.1" ]
  run pod2man --section 1 "$TOP/tools/guestfish/guestfish.pod"
  [ "$status" -eq 0 ]
  [[ "$output" == *"THE COMMAND LANGUAGE"* ]]
}

@test "help lists API calls with '-' and builtins, with summaries" {
  run "$GF" help
  [ "$status" -eq 0 ]
  grep -qE "^mkdir-p +create a directory" <<<"$output"
  grep -qE "^list-filesystems +[a-z]" <<<"$output"
  grep -qE "^run +launch the appliance" <<<"$output"
  grep -qE "^launch +alias for 'run'" <<<"$output"
  [[ "$output" != *"mkdir_p"* ]]
  [[ "$output" != *"internal-"* ]]
  run "$GF" -h
  [ "$status" -eq 0 ]
  grep -qE "^mkdir-p +create a directory" <<<"$output"
}

@test "help CMD prints the usage line and the description, either spelling" {
  run "$GF" help mkdir-p
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "NAME" ]
  [ "${lines[1]}" = "    mkdir-p - create a directory and its parents" ]
  [ "${lines[2]}" = "SYNOPSIS" ]
  [ "${lines[3]}" = "     mkdir-p path" ]
  [ "${lines[4]}" = "DESCRIPTION" ]
  [[ "${lines[5]}" == "    Creates the directory"* ]]
  local dash="$output"
  run "$GF" help mkdir_p
  assert_equal "$output" "$dash"
  run "$GF" -h mkfs
  [[ "$output" == *"     mkfs fstype device [blocksize:..]"* ]]
  run "$GF" help add
  [[ "$output" == *"     add filename [readonly:true] [format:..]"* ]]
  [[ "$output" == *"'add-drive'"* ]]
}

@test "help for an unknown command fails" {
  run "$GF" help no-such-command
  [ "$status" -eq 1 ]
  [[ "$output" == *"no-such-command: unknown command"* ]]
}

@test "guestfish: -d and -c are libvirt's, in --help and in the man page" {
  assert_libvirt_options_documented guestfish
}
