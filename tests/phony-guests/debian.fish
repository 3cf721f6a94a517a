# A Debian-like phony guest, just enough to fool inspection: an MBR disk
# with /boot on ext4 and an LVM volume group, as Debian's installer lays
# it out, holding an ext4 root and swap.  make-image runs this script in a
# directory of host-side inputs (dpkg-status, elf-x86_64) on a blank 64 MiB
# disk.
run

part-init /dev/sda mbr
part-add /dev/sda p 2048 34815
part-add /dev/sda p 34816 -1
part-set-bootable /dev/sda 1 true
# 0x8e: Linux LVM
part-set-mbr-id /dev/sda 2 0x8e

pvcreate /dev/sda2
vgcreate debian-vg /dev/sda2
lvcreate root debian-vg 32
lvcreate swap_1 debian-vg 8

mkfs ext4 /dev/sda1
# fstab names /boot by this UUID
set-uuid /dev/sda1 3f2c9a52-1d6e-4c1b-9b0e-0d6b1e5a7c41
mkfs ext4 /dev/debian-vg/root
mkswap /dev/debian-vg/swap_1 uuid:8d7b1f0e-4a36-4d55-a0c2-5b7e6c9d2f13

mount /dev/debian-vg/root /
mkdir /boot
mount /dev/sda1 /boot
mkdir /boot/grub
write /boot/grub/grub.cfg "# phony\n"
write /boot/vmlinuz-6.1.0-18-amd64 "phony kernel\n"
write /boot/initrd.img-6.1.0-18-amd64 "phony initrd\n"

# usrmerge, as Debian 12 ships
mkdir-p /usr/bin
mkdir-p /usr/sbin
mkdir-p /usr/lib/x86_64-linux-gnu
mkdir-p /usr/lib64
ln-s usr/bin /bin
ln-s usr/sbin /sbin
ln-s usr/lib /lib
ln-s usr/lib64 /lib64
upload elf-x86_64 /usr/bin/bash
upload elf-x86_64 /usr/bin/ls
chmod 0755 /usr/bin/bash
chmod 0755 /usr/bin/ls
# The logo inspect_get_icon returns for Debian.
mkdir-p /usr/share/pixmaps
upload debian-logo.png /usr/share/pixmaps/debian-logo.png

mkdir-p /etc/default
mkdir-p /root
mkdir-p /home/phony
mkdir-p /var/lib/dpkg
mkdir-p /var/log
mkdir-p /tmp
chmod 01777 /tmp
write /etc/hostname "debian-phony\n"
write /etc/debian_version "12.5\n"
write /etc/os-release "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL=\"https://www.debian.org/\"\n"
write /etc/fstab "# /etc/fstab: static file system information.\n/dev/mapper/debian--vg-root /               ext4    errors=remount-ro 0       1\nUUID=3f2c9a52-1d6e-4c1b-9b0e-0d6b1e5a7c41 /boot           ext4    defaults        0       2\n/dev/mapper/debian--vg-swap_1 none            swap    sw              0       0\n"
write /etc/machine-id "4a1f0c3e9b2d4e7f8a6b5c0d1e2f3a4b\n"
write /etc/default/locale "LANG=en_US.UTF-8\n"
upload dpkg-status /var/lib/dpkg/status

umount-all
