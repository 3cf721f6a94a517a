#!/usr/bin/env bats
# Hostile guests (tests/hostile/make-image) and hostile image headers:
# whatever a guest holds, every tool ends within a time and memory cap with
# the exit code and the one-line errors below, prints no raw terminal
# escape, reads nothing of the host's, and leaves the image as it was.

load helpers
bats_require_minimum_version 1.5.0

setup() {
  T=$BATS_TEST_TMPDIR
  qemus_before=$(pgrep -c qemu-system || true)
}

teardown() {
  # No QEMU outlives its tool.
  [ "$(pgrep -c qemu-system || true)" = "$qemus_before" ]
}

# The hostile guest NAME, built once per change of make-image.
hostile_image() {
  local name=$1 dir="$BUILD/hostile" sum
  sum=$(sha256sum "$TOP/tests/hostile/make-image" | cut -c1-16)
  mkdir -p "$dir"
  if [ ! -f "$dir/$name-$sum.img" ]; then
    rm -f "$dir/$name"-*.img
    BACKING="$dir/backing-fifo" "$TOP/tests/hostile/make-image" "$name" "$dir/$name-$sum.img" >&2
  fi
  echo "$dir/$name-$sum.img"
}

# Runs a tool under the caps: 120 s, 6 GB of address space (QEMU included).
capped() { (ulimit -v 6000000 && exec timeout -k 5 120 "$@"); }

# What every run must show: no signal, no time-out, no escape byte on
# either stream, at most $1 lines on stderr.
sane_run() {
  [ "$status" -lt 124 ] || { echo "killed or timed out: $status" >&2; return 1; }
  if grep -q $'\e' <<<"$output$stderr"; then echo "a raw escape byte in the output" >&2; return 1; fi
  local lines=0
  [ -z "$stderr" ] || lines=$(grep -c '' <<<"$stderr")
  [ "$lines" -le "$1" ] || { echo "stderr too long:" >&2; echo "$stderr" >&2; return 1; }
}

# Every read-only tool over IMG: exit codes df, filesystems, inspector, alignment-scan.
every_tool() {
  local img=$1 want_df=$2 want_fs=$3 want_inspector=$4 want_align=$5
  run --separate-stderr capped "$BUILD/virt-df" -a "$img"
  sane_run 1 && [ "$status" -eq "$want_df" ]
  run --separate-stderr capped "$BUILD/virt-filesystems" --all --long -a "$img"
  sane_run 1 && [ "$status" -eq "$want_fs" ]
  run --separate-stderr capped "$BUILD/virt-alignment-scan" -a "$img"
  sane_run 1 && [ "$status" -eq "$want_align" ]
  run --separate-stderr capped "$BUILD/virt-inspector" -a "$img"
  sane_run 7 && [ "$status" -eq "$want_inspector" ]
}

@test "symlink loops, links to /proc, /dev and out of the root, FIFOs and device nodes: read as nothing" {
  img=$(hostile_image symlinks)
  sha256sum "$img" >"$T/sum"
  every_tool "$img" 0 0 0 0
  # The guest is still Debian with its package; the hostname link to
  # /proc/self/environ did not read the appliance's environment.
  echo "$output" | xmllint --noout -
  [[ "$output" == *"<distro>debian</distro>"* ]] && [[ "$output" == *"<name>base-files</name>"* ]]
  [[ "$output" != *"<hostname>"* ]] && [[ "$output" != *PATH=* ]]
  run --separate-stderr capped "$BUILD/guestfish" --ro -a "$img" -i <<'EOF'
-cat /etc/os-release
-cat /etc/timezone
-cat /etc/hostname
-cat /etc/machine-id
-cat /etc/system-release
-cat /etc/lsb-release
-cat /etc/redhat-release
-download /etc/issue /dev/null
-download /var/lib/dpkg/available /dev/null
EOF
  sane_run 9
  assert_lines "$(sed 's/^guestfish: \*stdin\*:[0-9]*: /guestfish: /' <<<"$stderr")" \
    "guestfish: cat: /etc/os-release: Too many levels of symbolic links" \
    "guestfish: cat: /etc/timezone: Too many levels of symbolic links" \
    "guestfish: cat: /etc/hostname: No such file or directory" \
    "guestfish: cat: /etc/machine-id: Too many levels of symbolic links" \
    "guestfish: cat: /etc/system-release: No such file or directory" \
    "guestfish: cat: /etc/lsb-release: not a regular file" \
    "guestfish: cat: /etc/redhat-release: not a regular file" \
    "guestfish: download: /etc/issue: not a regular file" \
    "guestfish: download: /var/lib/dpkg/available: No such file or directory"
  sha256sum -c --quiet "$T/sum"
}

@test "a 4 GiB dpkg status, a 1 MiB line, an fstab of 100,000 lines: bounded time, bounded output" {
  img=$(hostile_image huge)
  sha256sum "$img" >"$T/sum"
  every_tool "$img" 0 0 1 0
  # Five warnings for the first missing fstab devices, one for the rest
  # (the first 1000 entries only are read), then the one error.
  assert_equal "$(echo "$stderr" | tail -n 2)" \
    "virt-inspector: warning: 994 more filesystems in the guest's fstab could not be mounted (ignored)
virt-inspector: /var/lib/dpkg/status: the file is too large (4294967296 bytes, the limit is 268435456)"
  [ "$(echo "$stderr" | grep -c "could not be mounted on /mnt/m")" -eq 5 ]
  # The 1 MiB line comes back whole.
  run --separate-stderr capped "$BUILD/guestfish" --ro -a "$img" -i -- head-n 4 /etc/os-release
  sane_run 6
  [ "$(echo "$output" | tail -n 1 | wc -c)" -eq $((1024 * 1024 + 15)) ]
  sha256sum -c --quiet "$T/sum"
}

@test "escapes, newlines and XML-unsafe bytes in names: escaped in XML and JSON, never raw on a terminal" {
  img=$(hostile_image names)
  sha256sum "$img" >"$T/sum"
  every_tool "$img" 0 0 0 0
  echo "$output" | xmllint --noout -
  [[ "$output" == *'<name>xml&lt;&amp;&gt;&quot;pkg</name>'* ]]
  [[ "$output" == *'<hostname>evil?]0;owned?\&lt;host&gt;&amp;&quot;x&quot;</hostname>'* ]]
  run --separate-stderr capped "$BUILD/virt-inspector" --format=raw -a "$img" --json
  sane_run 0 && [ "$status" -eq 0 ]
  python3 -c 'import json, sys; d = json.load(sys.stdin); assert d["operatingsystems"][0]["hostname"].startswith("evil")' <<<"$output"
  # guestfish lists file names one a line, control bytes shown as \xNN.
  run --separate-stderr capped "$BUILD/guestfish" --ro -a "$img" -i -- ls /etc
  sane_run 0
  assert_lines "$output" '<&>' 'esc\x1b[1mbold' 'new\x0aline'
  sha256sum -c --quiet "$T/sum"
}

@test "a GPT of 10,000 partitions: the tools finish, the kernel's first partitions listed" {
  img=$(hostile_image gpt10000)
  sha256sum "$img" >"$T/sum"
  # No filesystems, no OS; 8-sector partitions are not 64K-aligned (exit 2).
  every_tool "$img" 0 0 0 2
  run --separate-stderr capped "$BUILD/virt-alignment-scan" -a "$img"
  [ "$(echo "$output" | grep -c '^/dev/sda')" -eq 10000 ]
  run --separate-stderr capped "$BUILD/virt-filesystems" --partitions -a "$img"
  sane_run 0
  [ "$(echo "$output" | grep -c '^/dev/sda')" -ge 15 ]
  sha256sum -c --quiet "$T/sum"
}

@test "a raw disk beginning with a qcow2 header: raw with --format=raw, the named host FIFO never opened" {
  mkfifo "$BUILD/hostile/backing-fifo" 2>/dev/null || [ -p "$BUILD/hostile/backing-fifo" ]
  img=$(hostile_image qcow2head)
  sha256sum "$img" >"$T/sum"
  run --separate-stderr capped "$BUILD/virt-filesystems" --format=raw -a "$img"
  sane_run 0 && [ "$status" -eq 0 ]
  assert_equal "$output" "/dev/sda"
  # Probed, the header makes it a qcow2 over the FIFO: refused, one line.
  for tool in virt-df virt-filesystems virt-inspector virt-alignment-scan guestfish; do
    args=(-a "$img"); [ "$tool" = guestfish ] && args=(--ro -a "$img" run)
    run --separate-stderr capped "$BUILD/$tool" "${args[@]}"
    sane_run 1 && [ "$status" -eq 1 ]
    assert_equal "$stderr" "$tool: $img: backing file ‘$BUILD/hostile/backing-fifo’ is not a regular file; refused"
  done
  sha256sum -c --quiet "$T/sum"
}

@test "qcow2 backing files: protocols, json:, host devices, loops and deep chains refused; a plain chain works" {
  truncate -s 16M "$T/base.img"
  mkfs.ext4 -q "$T/base.img"
  qemu-img create -q -f qcow2 -b base.img -F raw "$T/good.qcow2"
  run --separate-stderr capped "$BUILD/virt-filesystems" -a "$T/good.qcow2"
  sane_run 0 && [ "$status" -eq 0 ] && assert_equal "$output" "/dev/sda"
  refused() {
    run --separate-stderr capped "$BUILD/virt-filesystems" -a "$T/$1"
    sane_run 1 && [ "$status" -eq 1 ]
    assert_equal "$stderr" "virt-filesystems: $T/$1: backing file ‘$2’ $3"
  }
  qemu-img create -q -f qcow2 -u -b 'nbd://127.0.0.1:10809/x' -F raw "$T/nbd.qcow2" 16M
  refused nbd.qcow2 'nbd://127.0.0.1:10809/x' "is not a local file (a QEMU protocol or json: description); refused"
  qemu-img create -q -f qcow2 -u -b 'json:{"file":{"driver":"file","filename":"/etc/shadow"}}' -F raw "$T/json.qcow2" 16M
  refused json.qcow2 'json:{"file":{"driver":"file","filename":"/etc/shadow"}}' \
    "is not a local file (a QEMU protocol or json: description); refused"
  qemu-img create -q -f qcow2 -u -b /dev/null -F raw "$T/dev.qcow2" 16M
  refused dev.qcow2 /dev/null "is not a regular file; refused"
  qemu-img create -q -f qcow2 -u -b /proc/self/environ -F raw "$T/proc.qcow2" 16M
  refused proc.qcow2 /proc/self/environ "is a host system file; refused"
  qemu-img create -q -f qcow2 -u -b b.qcow2 -F qcow2 "$T/a.qcow2" 16M
  qemu-img create -q -f qcow2 -u -b a.qcow2 -F qcow2 "$T/b.qcow2" 16M
  run --separate-stderr capped "$BUILD/virt-filesystems" -a "$T/a.qcow2"
  sane_run 1 && [ "$status" -eq 1 ]
  assert_equal "$stderr" "virt-filesystems: $T/b.qcow2: backing file ‘a.qcow2’ makes a loop in the backing chain"
  qemu-img create -q -f qcow2 -b base.img -F raw "$T/c0.qcow2"
  for i in $(seq 1 17); do qemu-img create -q -f qcow2 -u -b "c$((i - 1)).qcow2" -F qcow2 "$T/c$i.qcow2" 16M; done
  run --separate-stderr capped "$BUILD/virt-filesystems" -a "$T/c17.qcow2"
  sane_run 1 && [ "$status" -eq 1 ]
  [[ "$stderr" == *"is too deep in the chain (16 at most)" ]]
  run --separate-stderr capped "$BUILD/virt-filesystems" -a "$T/c15.qcow2"
  sane_run 0 && [ "$status" -eq 0 ] && assert_equal "$output" "/dev/sda"
}
