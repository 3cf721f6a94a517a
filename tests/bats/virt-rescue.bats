#!/usr/bin/env bats
# virt-rescue: the shell with piped input, the interactive terminal (typed
# with tmux send-keys, read back with capture-pane), the escape keys,
# --suggest against libguestfs 1.48's output (tests/golden/virt-rescue,
# made with 1.48's virt-rescue on the same images), errors and the docs.
bats_require_minimum_version 1.5.0
load helpers

VR="$BUILD/virt-rescue"

setup_file() {
  export DEBIAN_IMG
  DEBIAN_IMG=$(phony_image debian)
  # A private tmux server: nothing of the user's is touched.
  export TMUX_SOCKET="vt-rescue-$$"
}

teardown() {
  tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null || true
}

# The screen of the tmux session, blank lines left out.
screen() { tmux -L "$TMUX_SOCKET" capture-pane -t rescue -p | grep -v '^$' || true; }

# Waits up to $2 seconds (default 60) until the screen has a line matching
# the extended regex $1.
wait_for_screen() {
  local i
  for ((i = 0; i < ${2:-60} * 10; i++)); do
    screen | grep -qE -- "$1" && return 0
    sleep 0.1
  done
  echo "never on the screen: $1" >&2
  screen >&2
  return 1
}

keys() { tmux -L "$TMUX_SOCKET" send-keys -t rescue "$@"; }

# A bash with job control in an 100x30 terminal, to run virt-rescue in.
start_terminal() {
  tmux -L "$TMUX_SOCKET" -f /dev/null new-session -d -s rescue -x 100 -y 30 \
    "env -i PATH=$PATH TERM=xterm PS1='host\$ ' bash --norc --noprofile -i"
  wait_for_screen '^host\$' 10
}

no_qemu_of() { ! pgrep -f "qemu-system.*$1" >/dev/null; }

@test "piped commands run in the shell, their output comes back, exit 0 and no QEMU left" {
  run --separate-stderr "$VR" --ro -a "$DEBIAN_IMG" -i <<'EOF'
cat /sysroot/etc/hostname
ls /sysroot/boot
echo "$TERM, $(tty)"
ls -l /proc/$$/fd
exit 7
EOF
  [ "$status" -eq 0 ] || { echo "$stderr" >&2; return 1; }
  assert_lines "$output" "debian-phony" "dumb, not a tty" "><rescue> exit 7"
  # The shell inherits stdin, stdout and stderr only (bash keeps 255 for itself).
  [ "$(echo "$output" | grep -c -- ' -> ')" -eq 4 ]
  [[ "$output" == *"grub"* ]]
  [[ "$output" == *"What you see in / is the rescue appliance"* ]]
  no_qemu_of "$DEBIAN_IMG"
}

@test "the end of piped input ends the shell, even in the middle of a command" {
  run --separate-stderr timeout 120 "$VR" --ro -a "$DEBIAN_IMG" <<'EOF'
echo first; sleep 1; echo second
EOF
  [ "$status" -eq 0 ]
  assert_lines "$output" "first" "second"
}

@test "--rw (the default) writes to the disk, --ro never changes the image" {
  cp --sparse=always "$DEBIAN_IMG" "$BATS_TEST_TMPDIR/disk.img"
  local before
  before=$(sha256sum < "$BATS_TEST_TMPDIR/disk.img")
  # -i mounts read-only with --ro; the disk itself takes writes, into a throwaway overlay.
  run --separate-stderr "$VR" --ro -a "$BATS_TEST_TMPDIR/disk.img" -i <<<'dd if=/dev/zero of=/dev/sda bs=1M count=4 conv=fsync status=none && echo written'
  [ "$status" -eq 0 ]
  assert_lines "$output" "written"
  assert_equal "$(sha256sum < "$BATS_TEST_TMPDIR/disk.img")" "$before"

  run --separate-stderr "$VR" -a "$BATS_TEST_TMPDIR/disk.img" -m /dev/debian-vg/root <<<'echo rescued > /sysroot/etc/motd'
  [ "$status" -eq 0 ]
  [ "$(sha256sum < "$BATS_TEST_TMPDIR/disk.img")" != "$before" ]
  run --separate-stderr "$BUILD/guestfish" --ro -a "$BATS_TEST_TMPDIR/disk.img" -i cat /etc/motd
  [ "$status" -eq 0 ]
  assert_equal "$output" "rescued"
}

@test "--scratch adds empty 10 GiB disks after the others" {
  run --separate-stderr "$VR" --scratch=2 <<<'for d in /dev/sda /dev/sdb; do echo "$d $(blockdev --getsize64 $d)"; done'
  [ "$status" -eq 0 ] || { echo "$stderr" >&2; return 1; }
  assert_lines "$output" "/dev/sda 10737418240" "/dev/sdb 10737418240"
}

@test "--memsize, --smp and --append boot an appliance of that size" {
  run --separate-stderr "$VR" --ro -a "$DEBIAN_IMG" --memsize 600 --smp 2 --append vt.test=marker <<'EOF'
nproc
grep -o vt.test=marker /proc/cmdline
read -r _ kb _ < /proc/meminfo; if ((kb > 500000 && kb < 614400)); then echo memory ok; else echo "memory $kb"; fi
EOF
  [ "$status" -eq 0 ] || { echo "$stderr" >&2; return 1; }
  assert_lines "$output" "2" "vt.test=marker" "memory ok"
}

@test "at a terminal: commands, the window size, ^C to the shell, ^] ? i s u, exit; the terminal restored" {
  start_terminal
  keys "cd $BATS_TEST_TMPDIR" Enter
  keys 'stty -g > stty.before; ' "$VR --ro -a $DEBIAN_IMG -i; echo EXIT=\$?; stty -g > stty.after" Enter
  wait_for_screen '^><rescue>'
  keys 'cat /sysroot/etc/hostname; stty size' Enter
  wait_for_screen '^30 100$'
  screen | grep -qx 'debian-phony'
  keys 'sleep 1000' Enter
  sleep 0.5
  keys C-c
  keys 'echo after-interrupt' Enter
  wait_for_screen '^after-interrupt$'
  keys C-] '?'
  wait_for_screen 'q or x +quit now'
  keys C-] i
  wait_for_screen '^  /dev/sda1 mounted on /sysroot/boot$'
  keys C-] s
  wait_for_screen 'the filesystems are synced'
  keys 'cd /' Enter C-] u
  wait_for_screen "the guest's filesystems are unmounted"
  keys 'grep -c /sysroot /proc/mounts' Enter
  wait_for_screen '^0$'
  keys 'exit' Enter
  wait_for_screen '^EXIT=0$'
  for _ in $(seq 50); do [ -s "$BATS_TEST_TMPDIR/stty.after" ] && break; sleep 0.1; done
  assert_equal "$(cat "$BATS_TEST_TMPDIR/stty.after")" "$(cat "$BATS_TEST_TMPDIR/stty.before")"
  no_qemu_of "$DEBIAN_IMG"
}

@test "at a terminal: ^] q quits at once, ^] z suspends virt-rescue and fg resumes it" {
  start_terminal
  keys "cd $BATS_TEST_TMPDIR" Enter
  # Alone on its line: bash goes on with a list when a job in it stops.
  keys "$VR --ro -a $DEBIAN_IMG" Enter
  wait_for_screen '^><rescue>'
  keys C-] z
  wait_for_screen 'Stopped'
  keys 'jobs' Enter
  wait_for_screen '^\[1\]\+ +Stopped'
  keys 'fg' Enter
  keys 'echo resumed' Enter
  wait_for_screen '^resumed$'
  keys 'sleep 1000' Enter
  keys C-] q
  wait_for_screen 'virt-rescue: quitting'
  # The host's prompt back on the last line: virt-rescue has exited.
  for _ in $(seq 300); do [[ "$(screen | tail -n 1)" == 'host$'* ]] && break; sleep 0.1; done
  keys 'echo EXIT=$?' Enter
  wait_for_screen '^EXIT=0$'
  no_qemu_of "$DEBIAN_IMG"
}

@test "at a terminal: -e ^t changes the escape key, ^] then goes to the shell" {
  start_terminal
  keys "$VR -e ^t --ro -a $DEBIAN_IMG; echo EXIT=\$?" Enter
  wait_for_screen '\^T \? lists the escape keys'
  wait_for_screen '^><rescue>'
  # ^] is now an ordinary byte: od shows it.  (Keys typed before od runs
  # would be flushed as bash hands the terminal over.)
  keys 'od -An -c' Enter
  sleep 1
  keys C-]
  wait_for_screen '^\^]$' 10
  keys Enter C-d
  wait_for_screen '035 +\\n'
  keys C-t q
  wait_for_screen '^EXIT=0$'
}

@test "SIGTERM ends the session: no QEMU left, virt-rescue dies of the signal" {
  mkfifo "$BATS_TEST_TMPDIR/input"
  "$VR" --ro -a "$DEBIAN_IMG" < "$BATS_TEST_TMPDIR/input" > "$BATS_TEST_TMPDIR/out" 2>&1 &
  local tool=$!
  exec 7> "$BATS_TEST_TMPDIR/input"  # bats owns fd 3
  echo 'echo running' >&7
  for _ in $(seq 600); do grep -q '^running' "$BATS_TEST_TMPDIR/out" && break; sleep 0.1; done
  grep -q '^running' "$BATS_TEST_TMPDIR/out"
  kill -TERM "$tool"
  local status=0
  wait "$tool" || status=$?
  exec 7>&-
  [ "$status" -eq 143 ]
  no_qemu_of "$DEBIAN_IMG"
}

@test "--suggest: 1.48's text for the phony guests" {
  local name
  for name in debian twoos windows noos; do
    run --separate-stderr "$VR" --suggest -a "$(phony_image $name)"
    [ "$status" -eq 0 ] || { echo "$name: $stderr" >&2; return 1; }
    assert_equal "$output" "$(cat "$TOP/tests/golden/virt-rescue/suggest-$name.txt")"
  done
}

@test "errors: one line and exit 1" {
  run --separate-stderr "$VR" -a /nonexistent.img
  [ "$status" -eq 1 ]
  [[ "$stderr" == "virt-rescue: /nonexistent.img: No such file or directory"* ]]
  [ "${#stderr_lines[@]}" -eq 1 ]

  run --separate-stderr "$VR" -i --ro -a "$(phony_image noos)" </dev/null
  [ "$status" -eq 1 ]
  [[ "${stderr_lines[0]}" == "virt-rescue: no operating system was found on this disk" ]]

  run --separate-stderr "$VR" --network -a "$DEBIAN_IMG"
  [ "$status" -eq 1 ]
  [[ "${stderr_lines[0]}" == "virt-rescue: --network is not supported: the appliance has no network device" ]]

  run --separate-stderr "$VR" -e x -a "$DEBIAN_IMG"
  [ "$status" -eq 1 ]
  [[ "${stderr_lines[0]}" == "virt-rescue: -e: the escape key must be ^x (Control and a key) or none, not x" ]]

  run --separate-stderr "$VR" --memsize 12 -a "$DEBIAN_IMG"
  [ "$status" -eq 1 ]
  [[ "${stderr_lines[0]}" == "virt-rescue: --memsize 12: must be a number from 256 to 1048576" ]]

  run --separate-stderr "$VR"
  [ "$status" -eq 1 ]
  [[ "${stderr_lines[0]}" == "virt-rescue: no disks given: use -a DISK, -d DOMAIN or --scratch" ]]

  run --separate-stderr "$VR" --ro --rw -a "$DEBIAN_IMG"
  [ "$status" -eq 1 ]
}

@test "old style: a disk image as a plain word" {
  run --separate-stderr "$VR" --ro "$DEBIAN_IMG" <<<'ls /dev/sda1'
  [ "$status" -eq 0 ]
  assert_lines "$output" "/dev/sda1"
}

@test "virt-rescue --help, and every option in the man page" {
  run "$VR" --help
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "virt-rescue: Run a rescue shell on a virtual machine" ]]
  [[ "$output" == *"--scratch"* ]]
  run "$VR" --long-options
  # shellcheck disable=SC2086 # one word per option
  assert_documented "$TOP/tools/virt-rescue/virt-rescue.pod" $output
  run "$VR" --short-options
  # shellcheck disable=SC2086
  assert_documented "$TOP/tools/virt-rescue/virt-rescue.pod" $output
  run podchecker "$TOP/tools/virt-rescue/virt-rescue.pod"
  [ "$status" -eq 0 ]
  assert_libvirt_options_documented virt-rescue
}
