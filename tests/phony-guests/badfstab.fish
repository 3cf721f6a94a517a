# A Debian-like guest whose /etc/fstab names, besides its real root and
# /boot, devices that do not exist: an unknown UUID, a disk it does not
# have (/dev/vdz9) and a missing label.  Inspection drops the UUID and the
# label and keeps /dev/vdz9 as /dev/sdz9, as libguestfs does.  make-image runs this script in a directory of host-side inputs
# (dpkg-status, elf-x86_64) on a blank 64 MiB disk.
run

part-init /dev/sda mbr
part-add /dev/sda p 2048 34815
part-add /dev/sda p 34816 -1
mkfs ext4 /dev/sda1
set-uuid /dev/sda1 7b2d3f4e-5a6b-4c7d-9e8f-0a1b2c3d4e5f
mkfs ext4 /dev/sda2 label:root

mount /dev/sda2 /
mkdir /boot
mkdir-p /usr/bin
ln-s usr/bin /bin
upload elf-x86_64 /usr/bin/bash
chmod 0755 /usr/bin/bash
mkdir-p /etc
mkdir-p /var/lib/dpkg
write /etc/hostname "badfstab-phony\n"
write /etc/debian_version "12.5\n"
write /etc/os-release "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n"
write /etc/fstab "LABEL=root / ext4 errors=remount-ro 0 1\nUUID=7b2d3f4e-5a6b-4c7d-9e8f-0a1b2c3d4e5f /boot ext4 defaults 0 2\nUUID=00000000-dead-beef-0000-000000000000 /var ext4 defaults 0 2\n/dev/vdz9 /srv ext4 defaults 0 2\nLABEL=nothere /data xfs defaults 0 2\n"
upload dpkg-status /var/lib/dpkg/status
umount-all
