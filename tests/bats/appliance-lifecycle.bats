#!/usr/bin/env bats
# The appliance never outlives the tool, never writes a read-only disk, and a
# dead QEMU gives a clear error instead of a hang.
load helpers
bats_require_minimum_version 1.5.0

setup_file() { export IMG=$(sample_image); }
setup() {
  # A private TMPDIR shows whether a run left its temporary directory behind.
  export TMPDIR=$(mktemp -d)
}
teardown() { rm -rf "$TMPDIR"; }

@test "a read-only tool does not modify the disk image" {
  before=$(sha256sum < "$IMG")
  run "$VF" -a "$IMG" --all --long
  [ "$status" -eq 0 ]
  after=$(sha256sum < "$IMG")
  [ "$before" = "$after" ]
}

@test "killing QEMU mid-call gives a clear error and no hang" {
  "$BUILD/vt-run" -a "$IMG" --ro -- 'command "sleep 600"' > "$TMPDIR/out" 2>&1 &
  tool=$!
  qemu=$(wait_for_qemu_child "$tool" 60)
  # Let the call reach the daemon (the launch takes a few seconds under TCG).
  for _ in $(seq 100); do [ -d /proc/$qemu ] && sleep 0.2; done
  kill -9 "$qemu"
  start=$SECONDS
  status=0
  wait "$tool" || status=$?
  [ "$status" -eq 1 ]
  [ $((SECONDS - start)) -lt 10 ]
  grep -q "^vt-run: the appliance failed: .*QEMU killed by signal 9" "$TMPDIR/out"
}

@test "SIGINT to a tool leaves no QEMU process and no temporary directory" {
  "$BUILD/vt-run" -a "$IMG" --ro -- 'command "sleep 600"' > /dev/null 2>&1 &
  tool=$!
  qemu=$(wait_for_qemu_child "$tool" 60)
  sleep 1
  kill -INT "$tool"
  wait "$tool" || true
  for _ in $(seq 50); do process_alive "$qemu" || break; sleep 0.1; done
  ! process_alive "$qemu"
  [ -z "$(ls -A "$TMPDIR")" ]
}

@test "SIGKILL to a tool still takes QEMU down with it" {
  "$BUILD/vt-run" -a "$IMG" --ro -- 'command "sleep 600"' > /dev/null 2>&1 &
  tool=$!
  qemu=$(wait_for_qemu_child "$tool" 60)
  kill -9 "$tool"
  wait "$tool" || true
  for _ in $(seq 50); do process_alive "$qemu" || break; sleep 0.1; done
  ! process_alive "$qemu"
}

@test "a failed launch says why and shows the console" {
  # A kernel that cannot boot: the error must carry QEMU's own words.
  mkdir -p "$TMPDIR/app"
  echo "not a kernel" > "$TMPDIR/app/kernel"
  cp /dev/null "$TMPDIR/app/initrd"
  truncate -s 1M "$TMPDIR/app/root"
  run env VIRT_TOOLS_APPLIANCE="$TMPDIR/app" VIRT_TOOLS_ACCEL=tcg "$VF" -a "$IMG"
  [ "$status" -eq 1 ]
  [[ "${lines[0]}" == "virt-filesystems: the appliance failed: QEMU exited while starting (QEMU exited with status 1); last console output:" ]]
  [[ "$output" == *"  | qemu"* ]]
}

@test "-x traces every call with its arguments and result" {
  run "$VF" -a "$IMG" -x
  [ "$status" -eq 0 ]
  [[ "$output" == *"virt-filesystems: trace: list_filesystems"$'\n'* ]]
  [[ "$output" == *"virt-filesystems: trace: list_filesystems = {\"/dev/sda1\": \"ext4\""* ]]
}

@test "-v shows the appliance console and the boot phases" {
  run env VIRT_TOOLS_NO_SAVED_STATE=1 "$VF" -a "$IMG" -v
  [ "$status" -eq 0 ]
  [[ "$output" == *"] daemon ready"* ]]
  [[ "$output" == *"Linux version"* ]]
  [[ "$output" != *"saved state"* ]]
  [[ "$output" == *"virt-tools-daemon: call list_filesystems"* ]]
}

# The cache directory of the launches these tests make.
cache_dir() {
  local cache=${XDG_CACHE_HOME:+$XDG_CACHE_HOME/virt-tools}
  echo "${cache:-/var/tmp/.virt-tools-$(id -u)}"
}

@test "a later launch restores the saved appliance state instead of booting" {
  "$VF" -a "$IMG" -v > /dev/null 2>&1  # saves the state if none is there yet
  run "$VF" -a "$IMG" -v
  [ "$status" -eq 0 ]
  [[ "$output" == *"restoring the saved state"* ]]
  [[ "$output" == *"] daemon resumed"* ]]
  [[ "$output" != *"Linux version"* ]]
  [[ "$output" == *"virt-tools-daemon: call list_filesystems"* ]]
}

@test "restored appliances have the host's clock and random numbers of their own" {
  "$VF" -a "$IMG" > /dev/null  # saves the state if none is there yet
  # (command's output keeps its newline, and vt-run adds one)
  a=$("$BUILD/vt-run" -a "$IMG" --ro -- 'command "date +%s"' 'command "cat /proc/sys/kernel/random/uuid"' | grep -v '^$')
  b=$("$BUILD/vt-run" -a "$IMG" --ro -- 'command "cat /proc/sys/kernel/random/uuid"' | grep -v '^$')
  appliance_time=$(echo "$a" | head -n 1)
  [ $((appliance_time - $(date +%s))) -le 5 ]
  [ $(($(date +%s) - appliance_time)) -le 60 ]
  uuid_a=$(echo "$a" | sed -n 2p)
  [[ "$uuid_a" =~ ^[0-9a-f-]{36}$ ]]
  [ "$uuid_a" != "$(echo "$b" | head -n 1)" ]
}

# The state the last run restored (each use sets its time), not its RAM
# file.  (Other builds' states may share the cache and are left alone.)
last_used_state() {
  local s
  for s in $(ls -t "$(cache_dir)"/saved-state-tcg-* "$(cache_dir)"/saved-state-kvm-* 2>/dev/null | grep -v '\.ram-'); do
    if [ "$(head -c 31 "$s")" = "virt-tools saved state, RAM in " ]; then echo "$s"; return; fi
  done
}

# The RAM file a saved state names on its first line.
ram_file_of() {
  echo "$(dirname "$1")/$(head -c 200 "$1" | head -n 1 | sed 's/^virt-tools saved state, RAM in //')"
}

@test "a damaged saved state is dropped and the appliance boots instead" {
  expected=$("$VF" -a "$IMG" --all --long)
  state=$(last_used_state)
  [ -n "$state" ]
  ram=$(ram_file_of "$state")
  [ -f "$ram" ]
  truncate -s $(($(stat -c %s "$state") / 2)) "$state"
  damaged=$(stat -c %i:%s "$state")
  run "$VF" -a "$IMG" --all --long
  [ "$status" -eq 0 ]
  assert_equal "$output" "$expected"
  # Dropped (and perhaps saved again): not the damaged file any more.
  [ ! -e "$state" ] || [ "$(stat -c %i:%s "$state")" != "$damaged" ]
  [ ! -e "$ram" ]
}

@test "a saved state whose RAM file is gone is dropped and the appliance boots instead" {
  expected=$("$VF" -a "$IMG" --all --long)
  state=$(last_used_state)
  ram=$(ram_file_of "$state")
  [ -f "$ram" ]
  rm "$ram"
  run "$VF" -a "$IMG" --all --long
  [ "$status" -eq 0 ]
  assert_equal "$output" "$expected"
  [ ! -e "$state" ]
  # The next launch saves a new state, with its own RAM file, private to its owner.
  run "$VF" -a "$IMG" --all --long
  assert_equal "$output" "$expected"
  state=$(last_used_state)
  ram=$(ram_file_of "$state")
  [ "$ram" != "$(dirname "$state")/" ]
  [ "$(stat -c %a "$state" "$ram")" = "$(printf '600\n600')" ]
}

@test "a broken KVM is detected, TCG is used and the verdict remembered" {
  [ -e /dev/kvm ] || skip "no /dev/kvm on this machine"
  # Reuse the built appliance; only the accelerator verdict starts empty.
  cache=${XDG_CACHE_HOME:+$XDG_CACHE_HOME/virt-tools}
  app=$(ls -d "${cache:-/var/tmp/.virt-tools-$(id -u)}"/appliance-* 2>/dev/null | head -1)
  [ -n "$app" ] || skip "no cached appliance"
  export XDG_CACHE_HOME="$TMPDIR/cache"
  mkdir -p "$XDG_CACHE_HOME"
  run env VIRT_TOOLS_APPLIANCE="$app" "$VF" -a "$IMG"
  [ "$status" -eq 0 ]
  [ -f "$XDG_CACHE_HOME/virt-tools/accel" ]
  verdict=$(tail -n 1 "$XDG_CACHE_HOME/virt-tools/accel")
  if [ "$verdict" = tcg ]; then
    # A second run trusts the verdict: no KVM attempt in its boot phases.
    run env VIRT_TOOLS_APPLIANCE="$app" "$VF" -a "$IMG" -v
    [[ "$output" != *"trying KVM"* ]]
    [[ "$output" == *"QEMU started (tcg"* ]]
  fi
}

@test "a hung daemon: VIRT_TOOLS_CALL_TIMEOUT seconds of silence end the call with one line, no QEMU left" {
  start=$SECONDS
  run --separate-stderr env VIRT_TOOLS_CALL_TIMEOUT=3 "$BUILD/vt-run" -a "$IMG" --ro -- 'command "sleep 600"'
  [ "$status" -eq 1 ]
  [ $((SECONDS - start)) -lt 60 ]
  [[ "$stderr" == "vt-run: the appliance failed: timed out waiting for the daemon"* ]]
  [ -z "$(pgrep -f "qemu-system.*$TMPDIR" || true)" ]
  [ -z "$(ls -A "$TMPDIR")" ]
}

@test "a read-only or full cache directory: the appliance boots without saving its state, the tool works" {
  cache=${XDG_CACHE_HOME:+$XDG_CACHE_HOME/virt-tools}
  app=$(ls -td "${cache:-/var/tmp/.virt-tools-$(id -u)}"/appliance-* 2>/dev/null | head -1)
  [ -n "$app" ] || skip "no cached appliance"
  mkdir "$TMPDIR/ro" "$TMPDIR/full"
  mount -t tmpfs -o ro,size=1m tmpfs "$TMPDIR/ro" || skip "cannot mount a tmpfs here"
  mount -t tmpfs -o size=64k tmpfs "$TMPDIR/full"
  expected=$("$VF" -a "$IMG")
  for c in ro full; do
    run --separate-stderr env XDG_CACHE_HOME="$TMPDIR/$c" VIRT_TOOLS_APPLIANCE="$app" "$VF" -a "$IMG"
    [ "$status" -eq 0 ] && [ -z "$stderr" ]
    assert_equal "$output" "$expected"
  done
  umount "$TMPDIR/ro" "$TMPDIR/full"
  rmdir "$TMPDIR/ro" "$TMPDIR/full"
}

@test "8 tools at once on a new cache: one builds the appliance and saves its state, the rest wait and restore; every run right" {
  cache=$BATS_TEST_TMPDIR/cache && mkdir "$cache"  # outside $TMPDIR, checked empty below
  expected_df=$("$BUILD/virt-df" -a "$IMG")
  expected_fs=$("$VF" -a "$IMG" --all --long)
  pids=()
  for i in 1 2 3 4 5 6 7 8; do
    if ((i % 2)); then
      XDG_CACHE_HOME=$cache "$BUILD/virt-df" -a "$IMG" -v > "$cache/out.$i" 2> "$cache/err.$i" &
    else
      XDG_CACHE_HOME=$cache "$VF" -a "$IMG" --all --long -v > "$cache/out.$i" 2> "$cache/err.$i" &
    fi
    pids+=($!)
  done
  booted=0 restored=0
  for i in 1 2 3 4 5 6 7 8; do
    wait "${pids[i - 1]}" || { cat "$cache/err.$i" >&2; false; }
    if ((i % 2)); then assert_equal "$(cat "$cache/out.$i")" "$expected_df"; else assert_equal "$(cat "$cache/out.$i")" "$expected_fs"; fi
    grep -q "appliance state saved" "$cache/err.$i" && booted=$((booted + 1))
    grep -q "restoring the saved state" "$cache/err.$i" && restored=$((restored + 1))
  done
  # One boot saved the state (it then restores it, as every first launch
  # does); the seven others restored it, none booted for nothing.
  [ "$booted" -eq 1 ]
  [ "$restored" -eq 8 ]
  [ "$(grep -l "building the appliance" "$cache"/err.* | wc -l)" -eq 1 ]
  # In the cache: one appliance, one state with its one RAM file, the locks.
  rm "$cache"/out.* "$cache"/err.*
  names=$(cd "$cache/virt-tools" && ls | sed -E 's/[0-9a-f]{16}/H/g; s/ram-H/ram-R/' | sort | tr '\n' ' ')
  state='saved-state-verbose-[a-z]+-H'  # -v's appliance is a kind of its own
  [[ "$names" =~ ^accel\ appliance-[^\ ]+\ lock\ $state\ $state.lock\ $state.ram-R\ $ ]] ||
    { echo "cache: $names" >&2; false; }
  [ -z "$(pgrep -f "qemu-system.*$cache" || true)" ]
  [ -z "$(ls -A "$TMPDIR")" ]
  rm -rf "$cache"
}
