# Shared by the Bats tests: paths, the cached sample image, small asserts.
TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
BUILD="$TOP/build"
VF="$BUILD/virt-filesystems"

# The sample disk is built once per change of the script that makes it.
sample_image() {
  local sum dir
  sum=$(sha256sum "$TOP/scripts/make-sample-disk" | cut -c1-16)
  dir="$BUILD/test-images"
  mkdir -p "$dir"
  if [ ! -f "$dir/sample-$sum.img" ]; then
    rm -f "$dir"/sample-*.img
    "$TOP/scripts/make-sample-disk" "$dir/sample-$sum.img" >&2
  fi
  echo "$dir/sample-$sum.img"
}

# Fails with both texts shown when they differ.
assert_equal() {
  if [ "$1" != "$2" ]; then
    printf 'expected:\n%s\n--- got:\n%s\n' "$2" "$1" >&2
    return 1
  fi
}

# QEMU processes whose parent is $1.
qemu_children() { pgrep -P "$1" -f qemu-system 2>/dev/null || true; }

# Waits up to $2 seconds for a QEMU child of pid $1; prints its pid.
wait_for_qemu_child() {
  local i q
  for ((i = 0; i < $2 * 10; i++)); do
    q=$(qemu_children "$1")
    [ -n "$q" ] && { echo "$q"; return 0; }
    sleep 0.1
  done
  return 1
}

# True while pid $1 runs (a zombie waiting to be reaped counts as gone).
process_alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ "$state" != Z* ]]
}

# A phony guest image (tests/phony-guests/NAME.fish), built once per change
# of its script, the driver or the generators (every other file there).
phony_image() {
  local name=$1 src="$TOP/tests/phony-guests" dir="$BUILD/test-images" sum f
  # NAME.fish where there is one (the BSD guests are made without it).
  sum=$( (if [ -f "$src/$name.fish" ]; then cat "$src/$name.fish"; fi
          for f in "$src"/*; do [[ $f == *.fish ]] || cat "$f"; done) | sha256sum | cut -c1-16)
  mkdir -p "$dir"
  if [ ! -f "$dir/$name-$sum.img" ]; then
    rm -f "$dir/$name"-*.img
    "$src/make-image" "$name" "$dir/$name-$sum.img" >&2
  fi
  echo "$dir/$name-$sum.img"
}

# The PNG bytes of make-image's logo function $1 (debian_logo_png...), as
# the phony guest holds them.
logo_png() {
  sed -n "/^$1()/,/^}/p" "$TOP/tests/phony-guests/make-image" | sed '1,2d;$d' | sed '$d' | base64 -d
}

# Fails unless every further argument is a whole line of $1.
assert_lines() {
  local text=$1 line
  shift
  for line in "$@"; do
    if ! grep -qxF -- "$line" <<<"$text"; then
      printf 'missing line: %s\n--- in:\n%s\n' "$line" "$text" >&2
      return 1
    fi
  done
}

# Fails naming each word of "$2..." that has no "=item B<word>" in the POD file $1.
assert_documented() {
  local pod="$1" missing="" word
  shift
  for word in "$@"; do
    grep -q "^=item B<${word}>" "$pod" || missing="$missing $word"
  done
  [ -z "$missing" ] || { echo "undocumented in $pod:$missing" >&2; return 1; }
}

# Fails unless TOOL's --help and its man page describe -d and -c as
# libvirt's options (and the man page no longer says they are unsupported).
assert_libvirt_options_documented() {
  local tool=$1 help pod="$TOP/tools/$1/$1.pod"
  help=$("$BUILD/$tool" --help) || { echo "$tool --help failed" >&2; return 1; }
  [[ "$help" == *"-d [ --domain ] arg    Add the disks of a libvirt guest (its name or UUID)"* ]] ||
    { echo "$tool --help: no libvirt -d" >&2; return 1; }
  [[ "$help" == *"-c [ --connect ] arg   libvirt URI for -d"* ]] || { echo "$tool --help: no libvirt -c" >&2; return 1; }
  grep -q "^Add the disks of the libvirt domain GUEST" "$pod" || { echo "$pod: no -d" >&2; return 1; }
  grep -q "^The libvirt URI where B<-d> finds its domains" "$pod" || { echo "$pod: no -c" >&2; return 1; }
  if grep -qi "libvirt guests are not supported" "$pod"; then
    echo "$pod still says libvirt guests are not supported" >&2
    return 1
  fi
}

# A private libvirtd for the -d tests, in session mode with all its state
# under the directory $1 (config, sockets, logs; its parents must let others
# through), so the host's libvirt, if
# any, is never touched.  As root it runs as nobody (libvirtd as root is
# always the system daemon); QEMU logs go to files, so no virtlogd is
# started.  Sets LIBVIRT_URI to its socket.  Stop it with stop_private_libvirtd.
start_private_libvirtd() {
  local dir=$1 i
  local -a as_user=()
  mkdir -p "$dir"/{config/libvirt,run,cache,home}
  chmod 755 "$dir"
  echo 'stdio_handler = "file"' > "$dir/config/libvirt/qemu.conf"
  if [ "$(id -u)" -eq 0 ]; then
    chown -R nobody:nogroup "$dir"/{config,run,cache,home}
    as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
  fi
  (cd / && exec "${as_user[@]}" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$dir/home" \
     XDG_CONFIG_HOME="$dir/config" XDG_RUNTIME_DIR="$dir/run" XDG_CACHE_HOME="$dir/cache" \
     libvirtd </dev/null >"$dir/libvirtd.log" 2>&1 3>&-) &
  echo $! > "$dir/libvirtd.pid"
  export LIBVIRT_URI="qemu+unix:///session?socket=$dir/run/libvirt/libvirt-sock"
  for ((i = 0; i < 300; i++)); do
    virsh -q -c "$LIBVIRT_URI" version >/dev/null 2>&1 && return 0
    process_alive "$(cat "$dir/libvirtd.pid")" || break
    sleep 0.1
  done
  echo "libvirtd did not start; its log:" >&2
  cat "$dir/libvirtd.log" >&2
  return 1
}

# Destroys the private libvirtd's running domains, then stops it.
stop_private_libvirtd() {
  local dir=$1 pid name i
  [ -f "$dir/libvirtd.pid" ] || return 0
  pid=$(cat "$dir/libvirtd.pid")
  for name in $(virsh -q -c "$LIBVIRT_URI" list --name 2>/dev/null); do
    virsh -q -c "$LIBVIRT_URI" destroy "$name" >/dev/null 2>&1 || true
  done
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    process_alive "$pid" || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$dir/libvirtd.pid"
}
