#!/usr/bin/env bats
# guestmount and guestunmount: a phony guest mounted through FUSE, read and
# written with ordinary programs, unmounted, read back with guestfish; the
# speed of find against a loop-mounted copy; errors and the docs.
bats_require_minimum_version 1.5.0
load helpers

GM="$BUILD/guestmount"
GU="$BUILD/guestunmount"

setup_file() {
  export DEBIAN_IMG
  DEBIAN_IMG=$(phony_image debian)
}

setup() {
  MNT="$BATS_TEST_TMPDIR/mnt"
  mkdir -p "$MNT"
}

teardown() {
  if mountpoint -q "$MNT" 2>/dev/null; then fusermount3 -u -z "$MNT" || true; fi
  if [ -n "${LOOP_MNT:-}" ] && mountpoint -q "$LOOP_MNT"; then umount "$LOOP_MNT" || true; fi
}

# Waits (up to 30 s) for the guestmount serving $1 to be gone, then checks
# no QEMU of image $2 is left.
all_gone() {
  local i
  for ((i = 0; i < 300; i++)); do
    pgrep -f "guestmount.* $1\$" >/dev/null || break
    sleep 0.1
  done
  ! pgrep -f "guestmount.* $1\$" >/dev/null
  ! pgrep -f "qemu-system.*$2" >/dev/null
}

# Milliseconds of the fastest of five runs of find over $1 (the least noisy figure).
find_ms() {
  python3 - "$1" <<'EOF'
import subprocess, sys, time
times = []
for _ in range(5):
    t = time.perf_counter()
    subprocess.run(["find", sys.argv[1]], stdout=subprocess.DEVNULL, check=True)
    times.append((time.perf_counter() - t) * 1000)
print(int(min(times) + 0.5))
EOF
}

@test "--ro -i: ls, cat, stat and readlink through the mount; writes refused; unmounted, no QEMU left, the image unchanged" {
  local before
  before=$(sha256sum < "$DEBIAN_IMG")
  run --separate-stderr "$GM" --ro -a "$DEBIAN_IMG" -i "$MNT"
  [ "$status" -eq 0 ] || { echo "$stderr" >&2; return 1; }
  assert_equal "$(cat "$MNT/etc/hostname")" "debian-phony"
  ls "$MNT/boot" | grep -qx grub
  assert_equal "$(readlink "$MNT/bin")" "usr/bin"
  assert_equal "$(stat -c '%s %F' "$MNT/etc/fstab")" "$(printf '%s regular file' "$(wc -c < "$MNT/etc/fstab")")"
  # / and /boot are two guest filesystems: their inode numbers must differ.
  [ "$(stat -c %i "$MNT")" != "$(stat -c %i "$MNT/boot")" ]
  run sh -c "echo x > '$MNT/etc/new'"
  [ "$status" -ne 0 ]
  [[ "$output" == *"Read-only file system"* ]]
  run cat "$MNT/etc/missing"
  [[ "$output" == *"No such file or directory"* ]]
  run "$GU" "$MNT"
  [ "$status" -eq 0 ]
  ! mountpoint -q "$MNT"
  all_gone "$MNT" "$DEBIAN_IMG"
  assert_equal "$(sha256sum < "$DEBIAN_IMG")" "$before"
}

@test "--rw: write, append, mkdir, symlink, hard link, rename, chmod, chown, touch -d, truncate, rm; guestfish reads it back" {
  cp --sparse=always "$DEBIAN_IMG" "$BATS_TEST_TMPDIR/disk.img"
  "$GM" -a "$BATS_TEST_TMPDIR/disk.img" -m /dev/debian-vg/root "$MNT"
  echo hello > "$MNT/etc/greeting"
  echo again >> "$MNT/etc/greeting"
  mkdir -m 0750 "$MNT/srv"
  ln -s ../etc/greeting "$MNT/srv/link"
  ln "$MNT/etc/greeting" "$MNT/srv/hard"
  mv "$MNT/etc/hostname" "$MNT/etc/hostname.old"
  chmod 0600 "$MNT/etc/greeting"
  chown 12:34 "$MNT/etc/greeting"
  touch -d '2001-02-03 04:05:06 UTC' "$MNT/etc/greeting"
  head -c 3000000 /dev/urandom > "$BATS_TEST_TMPDIR/random"
  cp "$BATS_TEST_TMPDIR/random" "$MNT/random"
  cmp "$BATS_TEST_TMPDIR/random" "$MNT/random"
  truncate -s 10 "$MNT/random"
  echo doomed > "$MNT/doomed"
  rm "$MNT/doomed"
  assert_equal "$(stat -c '%a %u:%g %h %Y' "$MNT/etc/greeting")" "600 12:34 2 981173106"
  run rmdir "$MNT/etc"
  [[ "$output" == *"Directory not empty"* ]]
  "$GU" "$MNT"
  all_gone "$MNT" "$BATS_TEST_TMPDIR/disk.img"

  run --separate-stderr "$BUILD/guestfish" --ro -a "$BATS_TEST_TMPDIR/disk.img" -m /dev/debian-vg/root <<'EOF'
cat /etc/greeting
readlink /srv/link
lstatns /srv/hard
filesize /random
exists /doomed
exists /etc/hostname
cat /etc/hostname.old
EOF
  [ "$status" -eq 0 ] || { echo "$stderr" >&2; return 1; }
  assert_lines "$output" "hello" "again" "../etc/greeting" "st_nlink: 2" "st_mode: 33152" "st_uid: 12" "st_gid: 34" "st_mtime_sec: 981173106" \
    "10" "debian-phony"
  [ "$(grep -cx false <<<"$output")" -eq 2 ]
}

@test "find over the mount: within 3x of the same find on a loop-mounted copy" {
  "$GM" --ro -a "$DEBIAN_IMG" -i "$MNT"
  # The copy: the same tree (tar through the mount) in an ext4 image made
  # with mkfs.ext4 -d, loop-mounted read-only.
  mkdir "$BATS_TEST_TMPDIR/tree"
  tar -C "$MNT" -cf - . | tar -C "$BATS_TEST_TMPDIR/tree" -xf -
  truncate -s 64M "$BATS_TEST_TMPDIR/copy.img"
  mkfs.ext4 -q -F -d "$BATS_TEST_TMPDIR/tree" "$BATS_TEST_TMPDIR/copy.img"
  LOOP_MNT="$BATS_TEST_TMPDIR/loop"
  mkdir "$LOOP_MNT"
  mount -o loop,ro "$BATS_TEST_TMPDIR/copy.img" "$LOOP_MNT"
  assert_equal "$(find "$MNT" | wc -l)" "$(find "$LOOP_MNT" | wc -l)"
  local fuse loop
  fuse=$(find_ms "$MNT")
  loop=$(find_ms "$LOOP_MNT")
  echo "find: guestmount $fuse ms, loop mount $loop ms" >&3
  [ "$fuse" -le $((3 * loop)) ] || { echo "guestmount $fuse ms > 3 x $loop ms" >&2; return 1; }
  umount "$LOOP_MNT"
  "$GU" "$MNT"
}

@test "--no-fork --fd: the byte says the mountpoint is ready; SIGTERM unmounts and ends cleanly" {
  mkfifo "$BATS_TEST_TMPDIR/ready"
  "$GM" --no-fork --fd=5 --pid-file "$BATS_TEST_TMPDIR/pid" --ro -a "$DEBIAN_IMG" -i "$MNT" 5>"$BATS_TEST_TMPDIR/ready" &
  local tool=$!
  # The byte comes when the mount is there.
  head -c 1 "$BATS_TEST_TMPDIR/ready" | od -An -tx1 | grep -q 00
  mountpoint -q "$MNT"
  assert_equal "$(cat "$BATS_TEST_TMPDIR/pid")" "$tool"
  assert_equal "$(cat "$MNT/etc/hostname")" "debian-phony"
  kill -TERM "$tool"
  local status=0
  wait "$tool" || status=$?
  [ "$status" -eq 0 ]
  ! mountpoint -q "$MNT"
  all_gone "$MNT" "$DEBIAN_IMG"
}

@test "guestunmount: 3 when not mounted, 2 while busy after the retries, --fd waits for the pipe" {
  run "$GU" "$MNT"
  [ "$status" -eq 3 ]
  [[ "$output" == "guestunmount: $MNT is not mounted" ]]
  run "$GU" -q "$MNT"
  [ "$status" -eq 3 ]
  [ -z "$output" ]

  "$GM" --ro -a "$DEBIAN_IMG" -i "$MNT"
  (cd "$MNT/etc" && exec sleep 60) &
  local busy=$!
  sleep 0.5
  run "$GU" --retry=1 "$MNT"
  [ "$status" -eq 2 ]
  [[ "$output" == *"failed to unmount $MNT"* ]]
  mountpoint -q "$MNT"
  kill "$busy"
  wait "$busy" || true

  # --fd: nothing happens until the pipe's writer goes.
  mkfifo "$BATS_TEST_TMPDIR/pipe"
  exec 6<>"$BATS_TEST_TMPDIR/pipe"
  "$GU" --fd=7 "$MNT" 7<"$BATS_TEST_TMPDIR/pipe" 6>&- &
  local waiter=$!
  sleep 1
  mountpoint -q "$MNT"
  exec 6>&-
  wait "$waiter"
  ! mountpoint -q "$MNT"
  all_gone "$MNT" "$DEBIAN_IMG"
}

@test "errors: one line on stderr and exit 1, nothing left mounted" {
  run --separate-stderr "$GM" -a /nonexistent.img -i "$MNT"
  [ "$status" -eq 1 ]
  [ "${#stderr_lines[@]}" -eq 1 ]
  [[ "$stderr" == "guestmount: /nonexistent.img: No such file or directory"* ]]

  run --separate-stderr "$GM" --ro -a "$(phony_image noos)" -i "$MNT"
  [ "$status" -eq 1 ]
  [[ "${stderr_lines[0]}" == "guestmount: no operating system was found on this disk" ]]
  ! mountpoint -q "$MNT"

  run --separate-stderr "$GM" --ro -a "$DEBIAN_IMG" "$MNT"
  [ "$status" -eq 1 ]
  [[ "${stderr_lines[0]}" == "guestmount: must have either -i or -m option" ]]

  run --separate-stderr "$GM" --ro -a "$DEBIAN_IMG" -i "$BATS_TEST_TMPDIR/nodir"
  [ "$status" -eq 1 ]
  [[ "${stderr_lines[0]}" == "guestmount: $BATS_TEST_TMPDIR/nodir: No such file or directory" ]]

  run --separate-stderr "$GM" --ro -d someguest -i "$MNT"
  [ "$status" -eq 1 ]
  [[ "${stderr_lines[0]}" == "guestmount: -d is not supported yet: use -a with the guest's disk images" ]]

  run --separate-stderr "$GM" --ro -a "$DEBIAN_IMG" -m /dev/sda9 "$MNT"
  [ "$status" -eq 1 ]
  [[ "${stderr_lines[0]}" == "guestmount: -m /dev/sda9: "* ]]
  ! mountpoint -q "$MNT"
  all_gone "$MNT" "$DEBIAN_IMG"
}

@test "guestmount and guestunmount --help, and every option in the man pages" {
  local tool
  for tool in guestmount guestunmount; do
    run "$BUILD/$tool" --help
    [ "$status" -eq 0 ]
    run "$BUILD/$tool" --long-options
    # shellcheck disable=SC2086 # one word per option
    assert_documented "$TOP/tools/$tool/$tool.pod" $output
    run "$BUILD/$tool" --short-options
    # shellcheck disable=SC2086
    assert_documented "$TOP/tools/$tool/$tool.pod" $output
    run podchecker "$TOP/tools/$tool/$tool.pod"
    [ "$status" -eq 0 ]
  done
}
