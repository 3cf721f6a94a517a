#!/usr/bin/env bats
# libvirt guests (-d DOMAIN, -c URI) on a private libvirtd that the tests
# start (helpers.bash), with domains whose disks are copies of the phony
# guests: debian (raw, and an empty CD-ROM), windows (a qcow2 overlay over
# the Windows guest, the format said only by the XML), scratch (a blank
# disk and one marked <readonly/>) and running (the Debian guest, started
# paused: its QEMU holds the image open and locked, and costs no CPU).
bats_require_minimum_version 1.5.0
load helpers

setup_file() {
  command -v libvirtd >/dev/null && command -v virsh >/dev/null ||
    skip "needs libvirtd and virsh (libvirt-daemon-driver-qemu, libvirt-clients)"
  # Outside $BATS_FILE_TMPDIR, which only its owner may enter: the daemon
  # runs as nobody when the tests run as root.
  export LV=$(mktemp -d /tmp/vt-libvirt-test.XXXXXX)
  chmod 755 "$LV"
  export LIBVIRT_AUTOSTART=0  # never a session daemon of the user's own
  local images="$LV/images"
  mkdir -p "$images"
  chmod 755 "$images"
  cp --sparse=always "$(phony_image debian)" "$images/debian.img"
  cp --sparse=always "$(phony_image windows)" "$images/windows-base.img"
  qemu-img create -q -f qcow2 -b "$images/windows-base.img" -F raw "$images/windows.qcow2"
  cp --sparse=always "$(phony_image debian)" "$images/running.img"
  truncate -s 16M "$images/scratch.img" "$images/scratch-ro.img"
  [ "$(id -u)" -ne 0 ] || chown nobody:nogroup "$images/running.img"
  start_private_libvirtd "$LV/daemon"

  define_domain debian "$(disk file raw "$images/debian.img" vda)
    <disk type='file' device='cdrom'><target dev='hdc' bus='ide'/><readonly/></disk>"
  define_domain windows "$(disk file qcow2 "$images/windows.qcow2" vda)"
  define_domain scratch "$(disk file raw "$images/scratch.img" vda)
    $(disk file raw "$images/scratch-ro.img" vdb '<readonly/>')"
  define_domain running "$(disk file raw "$images/running.img" vda)"
  virsh -q -c "$LIBVIRT_URI" start --paused running >/dev/null
  (cd "$images" && sha256sum debian.img windows-base.img windows.qcow2 running.img > "$LV/sums")
}

teardown_file() {
  [ -n "${LV:-}" ] || return 0
  stop_private_libvirtd "$LV/daemon"
  # Nothing of the daemon's may outlive it: its QEMU, a virtlogd.
  local left
  left=$(pgrep -a -f "$LV" || true)
  rm -rf "$LV"
  [ -z "$left" ] || { echo "left running: $left" >&2; return 1; }
}

# disk TYPE FORMAT PATH TARGET [EXTRA]: a <disk> element.
disk() {
  echo "<disk type='$1' device='disk'><driver name='qemu' type='$2'/><source file='$3'/>" \
       "<target dev='$4' bus='virtio'/>${5:-}</disk>"
}

# define_domain NAME DISKS: a small TCG guest with those disks, not started.
define_domain() {
  cat > "$LV/$1.xml" <<XML
<domain type='qemu'>
  <name>$1</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64'>hvm</type></os>
  <devices>$2</devices>
</domain>
XML
  virsh -q -c "$LIBVIRT_URI" define "$LV/$1.xml" >/dev/null
}

uuid_of() { virsh -q -c "$LIBVIRT_URI" domuuid "$1"; }

# The lines of /proc/locks on file $1 (QEMU locks images with OFD locks).
locks_on() {
  local inode
  inode=$(stat -c %i "$1")
  grep -c ":$inode " /proc/locks || true
}

@test "virt-df -d: a defined domain, by name, by UUID and in libguestfs's old syntax" {
  local expected='Filesystem                           1K-blocks       Used  Available  Use%
debian:/dev/sda1                         14073         18      12909    1%
debian:/dev/debian-vg/root               25844         45      23506    1%'
  run "$BUILD/virt-df" -c "$LIBVIRT_URI" -d debian
  echo "$output"
  [ "$status" -eq 0 ]
  assert_equal "$output" "$expected"
  # The old syntax: a word that names no file is a domain.
  run "$BUILD/virt-df" -c "$LIBVIRT_URI" debian
  [ "$status" -eq 0 ]
  assert_equal "$output" "$expected"
  # --uuid shows the domain's UUID; -d takes the UUID too.
  local uuid
  uuid=$(uuid_of debian)
  run "$BUILD/virt-df" --uuid --csv -c "$LIBVIRT_URI" -d "$uuid"
  [ "$status" -eq 0 ]
  assert_equal "$output" "VirtualMachine,Filesystem,1K-blocks,Used,Available,Use%
$uuid,/dev/sda1,14073,18,12909,0.1
$uuid,/dev/debian-vg/root,25844,45,23506,0.2"
}

@test "virt-df with no disk: every domain, sorted by name, at libvirt's default URI" {
  # scratch's disks hold no filesystem: it has no line.
  LIBVIRT_DEFAULT_URI=$LIBVIRT_URI run --separate-stderr "$BUILD/virt-df" -P 2
  echo "$output"
  echo "$stderr"
  [ "$status" -eq 0 ]
  [ -z "$stderr" ]
  assert_equal "$output" 'Filesystem                           1K-blocks       Used  Available  Use%
debian:/dev/sda1                         14073         18      12909    1%
debian:/dev/debian-vg/root               25844         45      23506    1%
running:/dev/sda1                        14073         18      12909    1%
running:/dev/debian-vg/root              25844         45      23506    1%
windows:/dev/sda1                        48124       2652      45472    6%'
}

@test "virt-alignment-scan with no disk: every domain, prefixed by name or by UUID; -d one domain" {
  # scratch's disks have no partition table: it has no line.
  run --separate-stderr "$BUILD/virt-alignment-scan" -c "$LIBVIRT_URI" -P 2
  [ "$status" -eq 0 ]
  [ -z "$stderr" ]
  assert_equal "$output" 'debian:/dev/sda1      1048576         1024K   ok
debian:/dev/sda2     17825792         1024K   ok
running:/dev/sda1      1048576         1024K   ok
running:/dev/sda2     17825792         1024K   ok
windows:/dev/sda1      1048576         1024K   ok'
  run "$BUILD/virt-alignment-scan" -c "$LIBVIRT_URI" --uuid
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "$(uuid_of debian):/dev/sda1      1048576         1024K   ok" ]]
  [[ "${lines[4]}" == "$(uuid_of windows):/dev/sda1"* ]]
  run "$BUILD/virt-alignment-scan" -c "$LIBVIRT_URI" -d windows
  [ "$status" -eq 0 ]
  assert_equal "$output" '/dev/sda1      1048576         1024K   ok'
}

@test "virt-filesystems -d: the format comes from the domain's XML (a qcow2 overlay)" {
  run "$BUILD/virt-filesystems" -c "$LIBVIRT_URI" -d windows --all --long -h
  echo "$output"
  [ "$status" -eq 0 ]
  assert_equal "$output" "$(cat "$TOP/tests/golden/virt-filesystems/windows-all-long-h.txt")"
}

@test "virt-inspector -d: the same report as for the disk image" {
  local golden="$TOP/tests/golden/virt-inspector/debian.xml"
  "$BUILD/virt-inspector" -c "$LIBVIRT_URI" -d debian > "$BATS_TEST_TMPDIR/debian.xml"
  # A <uuid>@RANDOM@</uuid> of the golden report is one that mkfs chose.
  awk 'NR == FNR { golden[FNR] = $0; next }
       golden[FNR] ~ /@RANDOM@/ { sub(/<uuid>[^<]*<\/uuid>/, "<uuid>@RANDOM@</uuid>") }
       { print }' "$golden" "$BATS_TEST_TMPDIR/debian.xml" > "$BATS_TEST_TMPDIR/masked.xml"
  diff -u "$golden" "$BATS_TEST_TMPDIR/masked.xml"
}

@test "virt-win-reg DOMAIN: the first word names a domain when it is no file" {
  run --separate-stderr "$BUILD/virt-win-reg" -c "$LIBVIRT_URI" windows \
    'HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion' ProductName
  echo "$stderr"
  [ "$status" -eq 0 ]
  assert_equal "$output" "Windows 10 Pro"
}

@test "guestfish -d: read-only with --ro; read-write otherwise, but a <readonly/> disk stays read-only" {
  run "$BUILD/guestfish" --ro -c "$LIBVIRT_URI" -d debian -i cat /etc/hostname
  echo "$output"
  [ "$status" -eq 0 ]
  assert_equal "$output" "debian-phony"
  # The appliance sees every disk writable (read-only ones through a
  # throwaway overlay), so what QEMU was asked for is the proof.
  run "$BUILD/guestfish" -v -c "$LIBVIRT_URI" -d scratch run
  [ "$status" -eq 0 ]
  adds=$(echo "$output" | grep -a 'blockdev-add {"driver"' | grep -aoE '"node-name":"disk[01](-image)?","read-only":(true|false)')
  echo "$adds"
  assert_equal "$adds" "$(printf '"node-name":"disk0","read-only":false\n"node-name":"disk1-image","read-only":true')"
}

@test "a running domain: writing tools refuse it before anything is launched" {
  local refusal="domain is a live virtual machine: writing to the disks of a running guest can corrupt them; open it read-only (guestfish --ro) or shut it down first"
  run --separate-stderr "$BUILD/guestfish" -c "$LIBVIRT_URI" -d running run
  [ "$status" -eq 1 ]
  assert_equal "$stderr" "guestfish: running: $refusal"
  printf '[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\n"A"="b"\n' > "$BATS_TEST_TMPDIR/x.reg"
  run --separate-stderr "$BUILD/virt-win-reg" --merge -c "$LIBVIRT_URI" running "$BATS_TEST_TMPDIR/x.reg"
  [ "$status" -eq 1 ]
  assert_equal "$stderr" "virt-win-reg: running: $refusal"
}

@test "a running domain is read read-only without locking its image (file.locking=off)" {
  local img="$LV/images/running.img" before
  [ "$(virsh -q -c "$LIBVIRT_URI" domstate running)" = paused ]
  before=$(locks_on "$img")
  [ "$before" -gt 0 ]  # the guest's QEMU holds its locks
  # '!' runs a host command while the appliance has the disk.
  local count_locks="!echo locks: \$(grep -c ':$(stat -c %i "$img") ' /proc/locks)"
  run "$BUILD/guestfish" -v --ro -c "$LIBVIRT_URI" -d running <<FISH
run
$count_locks
mount-ro /dev/debian-vg/root /
cat /etc/hostname
FISH
  [ "$status" -eq 0 ]
  assert_lines "$output" "debian-phony" "locks: $before"
  [[ "$output" == *'"filename":"'"$img"'","read-only":true,"locking":"off"}'* ]]
  # Against it: the same image given with -a is locked (a shared lock),
  # so the count above does see an appliance's locks.
  run "$BUILD/guestfish" --ro -a "$img" <<FISH
run
$count_locks
FISH
  [ "$status" -eq 0 ]
  [[ "$output" =~ ^locks:\ ([0-9]+)$ ]]
  [ "${BASH_REMATCH[1]}" -gt "$before" ]
}

@test "errors: an unknown domain, an unreachable URI, a disk that is missing, each one line" {
  local tool
  for tool in virt-df virt-filesystems virt-inspector guestfish; do
    run --separate-stderr "$BUILD/$tool" -c "$LIBVIRT_URI" -d nosuch
    echo "$tool: $stderr"
    [ "$status" -eq 1 ]
    assert_equal "$stderr" "$tool: no libvirt domain called ‘nosuch’: Domain not found: no domain with matching name 'nosuch'"
  done
  run --separate-stderr "$BUILD/virt-win-reg" -c "$LIBVIRT_URI" nosuch 'HKLM\SOFTWARE'
  [ "$status" -eq 1 ]
  assert_equal "$stderr" "virt-win-reg: no libvirt domain called ‘nosuch’: Domain not found: no domain with matching name 'nosuch'"
  local unreachable="qemu+unix:///session?socket=$BATS_TEST_TMPDIR/no-such-socket"
  run --separate-stderr "$BUILD/virt-filesystems" -c "$unreachable" -d debian
  [ "$status" -eq 1 ]
  assert_equal "$stderr" "virt-filesystems: could not connect to libvirt at ‘$unreachable’: Failed to connect socket to '$BATS_TEST_TMPDIR/no-such-socket': No such file or directory"
  run --separate-stderr "$BUILD/virt-df" -c "$unreachable"
  [ "$status" -eq 1 ]
  [ -z "$output" ]
  [[ "$stderr" == "virt-df: could not connect to libvirt at ‘$unreachable’: "* ]]
  # libvirt's own test driver has a domain 'test' whose disk is not there.
  run --separate-stderr "$BUILD/virt-inspector" -c test:///default -d test
  [ "$status" -eq 1 ]
  assert_equal "$stderr" "virt-inspector: test: /guest/diskimage1: No such file or directory"
  # Listing every domain, virt-df skips it (1.48 silently, we with a warning).
  run --separate-stderr "$BUILD/virt-df" -c test:///default
  [ "$status" -eq 0 ]
  assert_equal "$output" "Filesystem                           1K-blocks       Used  Available  Use%"
  assert_equal "$stderr" "virt-df: warning: test: /guest/diskimage1: No such file or directory; skipped"
}

@test "the domains' images are unchanged" {
  (cd "$LV/images" && sha256sum -c --quiet "$LV/sums")
}
