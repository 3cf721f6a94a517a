#!/usr/bin/env bats
# inspect-get-icon on a writable overlay of the debian guest: the logo it
# ships, the favicon and the optional arguments, and the files a hostile
# guest may put where the logo should be (each gives no icon, never a hang
# nor a file from outside the guest).  One appliance launch for all.
load helpers

GF="$BUILD/guestfish"

@test "inspect-get-icon: the logo, the favicon, and hostile files in the logo's place" {
  local t=$BATS_TEST_TMPDIR root=/dev/debian-vg/root logo=/usr/share/pixmaps/debian-logo.png
  local source sum
  source=$(phony_image debian)
  sum=$(sha256sum < "$source")
  qemu-img create -q -f qcow2 -F raw -b "$source" "$t/debian.qcow2"
  logo_png debian_logo_png > "$t/debian.png"
  logo_png fedora_logo_png > "$t/fedora.png"   # 48x48: a stand-in favicon
  # 2049 bytes: one more than Debian's cap, still a PNG by its header.
  { cat "$t/debian.png"; head -c $((2049 - $(stat -c %s "$t/debian.png"))) /dev/zero; } > "$t/big.png"
  # A PNG header that claims 8x8: below the 16x16 libguestfs accepts.
  { head -c 16 "$t/debian.png"; printf '\0\0\0\010\0\0\0\010'; tail -c +25 "$t/debian.png"; } > "$t/tiny.png"
  printf 'GIF89a not a PNG at all\n' > "$t/gif"
  cd "$t"
  # guestfish ends every result with a newline, a buffer too: head drops it.
  "$GF" -a debian.qcow2 -i <<EOF > "$t/out" 2> "$t/err"
inspect-get-icon $root | head -c -1 > got.logo
inspect-get-icon $root highquality:true | head -c -1 > got.hq
upload fedora.png /etc/favicon.png
inspect-get-icon $root | head -c -1 > got.favicon
inspect-get-icon $root favicon:false | head -c -1 > got.nofavicon
inspect-get-icon $root highquality:true | head -c -1 > got.hq-favicon
rm /etc/favicon.png
upload big.png $logo
inspect-get-icon $root | head -c -1 > got.big
upload tiny.png $logo
inspect-get-icon $root | head -c -1 > got.tiny
upload gif $logo
inspect-get-icon $root | head -c -1 > got.gif
rm $logo
command "mkfifo /sysroot$logo"
inspect-get-icon $root | head -c -1 > got.fifo
rm $logo
mkdir $logo
inspect-get-icon $root | head -c -1 > got.dir
rmdir $logo
ln-s /proc/self/environ $logo
inspect-get-icon $root | head -c -1 > got.proc
rm $logo
ln-s ../../../../../../etc/passwd $logo
inspect-get-icon $root | head -c -1 > got.escape
rm $logo
upload debian.png /usr/share/real-logo.png
ln-s ../real-logo.png $logo
inspect-get-icon $root | head -c -1 > got.symlink
EOF
  [ ! -s "$t/err" ] || { cat "$t/err"; false; }
  cmp "$t/debian.png" "$t/got.logo"
  cmp "$t/debian.png" "$t/got.hq"            # Debian's logo passes for high quality
  cmp "$t/fedora.png" "$t/got.favicon"       # the favicon comes first
  cmp "$t/debian.png" "$t/got.nofavicon"
  cmp "$t/debian.png" "$t/got.hq-favicon"    # a favicon is never high quality
  cmp "$t/debian.png" "$t/got.symlink"       # a link inside the guest is followed
  for bad in big tiny gif fifo dir proc escape; do
    [ ! -s "$t/got.$bad" ] || { echo "an icon from the $bad case" >&2; false; }
  done
  # The source image is untouched: the writes went to the overlay.
  [ "$(sha256sum < "$source")" = "$sum" ]
}

@test "inspect-get-icon: before inspect-os, or on a filesystem that is not a root, is an error" {
  run "$GF" --ro -a "$(phony_image debian)" run : inspect-get-icon /dev/sda1
  [ "$status" -eq 1 ]
  [[ "$output" == *"inspect_get_icon: no inspection data: call inspect_os first"* ]]
  run "$GF" --ro -a "$(phony_image debian)" run : inspect-os : inspect-get-icon /dev/sda1
  [ "$status" -eq 1 ]
  [[ "$output" == *"inspect_get_icon: /dev/sda1: not a root filesystem found by inspect_os"* ]]
}
