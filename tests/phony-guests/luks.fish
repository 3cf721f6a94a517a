# A Debian-like guest installed with "encrypted LVM": /boot on ext4, then a
# LUKS1 volume (passphrase phonykey) holding the volume group luks-vg with
# the root and swap.  Few PBKDF iterations keep opening it fast under TCG.
# The key goes to cryptsetup-open on the command line: this script is for
# our guestfish only.  make-image runs it in a directory of host-side
# inputs (dpkg-status, elf-x86_64) on a blank 64 MiB disk.
run

part-init /dev/sda mbr
part-add /dev/sda p 2048 34815
part-add /dev/sda p 34816 -1
part-set-bootable /dev/sda 1 true
mkfs ext4 /dev/sda1
set-uuid /dev/sda1 4f5a6b7c-8d9e-4fa0-b1c2-d3e4f5a6b7c8
command "dash -c 'printf phonykey | cryptsetup luksFormat --batch-mode --type luks1 --pbkdf-force-iterations 1000 --uuid 5a6b7c8d-9eaf-4b0c-9d2e-3f4a5b6c7d8e --key-file - /dev/sda2'"
cryptsetup-open /dev/sda2 phonykey cryptsetup-build

pvcreate /dev/mapper/cryptsetup-build
vgcreate luks-vg /dev/mapper/cryptsetup-build
lvcreate root luks-vg 24
lvcreate swap_1 luks-vg 4
mkfs ext4 /dev/luks-vg/root
mkswap /dev/luks-vg/swap_1

mount /dev/luks-vg/root /
mkdir /boot
mount /dev/sda1 /boot
write /boot/vmlinuz-6.1.0-18-amd64 "phony kernel\n"
mkdir-p /usr/bin
ln-s usr/bin /bin
upload elf-x86_64 /usr/bin/bash
chmod 0755 /usr/bin/bash
mkdir-p /etc
mkdir-p /var/lib/dpkg
write /etc/hostname "luks-phony\n"
write /etc/debian_version "12.5\n"
write /etc/os-release "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n"
write /etc/crypttab "sda2_crypt UUID=5a6b7c8d-9eaf-4b0c-9d2e-3f4a5b6c7d8e none luks,discard\n"
write /etc/fstab "/dev/mapper/luks--vg-root / ext4 errors=remount-ro 0 1\nUUID=4f5a6b7c-8d9e-4fa0-b1c2-d3e4f5a6b7c8 /boot ext4 defaults 0 2\n/dev/mapper/luks--vg-swap_1 none swap sw 0 0\n"
upload dpkg-status /var/lib/dpkg/status
umount-all

vg-activate-all false
cryptsetup-close /dev/mapper/cryptsetup-build
