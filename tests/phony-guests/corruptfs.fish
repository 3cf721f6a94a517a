# A Debian-like guest whose /home, listed in fstab, is an ext2 filesystem
# that blkid still recognises but the kernel cannot mount: its group
# descriptors (block 2 of a 1 KiB-block filesystem) are overwritten with
# the output of yes(1), so every block number in them is out of range.
# The root and /boot are fine.  make-image runs this script in a directory
# of host-side inputs (dpkg-status, elf-x86_64) on a blank 64 MiB disk.
run

part-init /dev/sda mbr
part-add /dev/sda p 2048 34815
part-add /dev/sda p 34816 100351
part-add /dev/sda p 100352 -1
mkfs ext4 /dev/sda1
mkfs ext4 /dev/sda2
mkfs ext2 /dev/sda3 blocksize:1024
set-uuid /dev/sda1 1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5
set-uuid /dev/sda2 2d3e4f5a-6b7c-4d8e-9fa0-b1c2d3e4f5a6
set-uuid /dev/sda3 3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7

mount /dev/sda2 /
mkdir /boot
mkdir /home
mount /dev/sda1 /boot
write /boot/vmlinuz-6.1.0-18-amd64 "phony kernel\n"
mkdir-p /usr/bin
ln-s usr/bin /bin
upload elf-x86_64 /usr/bin/bash
chmod 0755 /usr/bin/bash
mkdir-p /etc
mkdir-p /var/lib/dpkg
write /etc/hostname "corruptfs-phony\n"
write /etc/debian_version "12.5\n"
write /etc/os-release "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n"
write /etc/fstab "UUID=2d3e4f5a-6b7c-4d8e-9fa0-b1c2d3e4f5a6 / ext4 errors=remount-ro 0 1\nUUID=1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5 /boot ext4 defaults 0 2\nUUID=3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7 /home ext2 defaults 0 2\n"
upload dpkg-status /var/lib/dpkg/status
umount-all

command "dash -c 'yes | dd of=/dev/sda3 bs=1024 seek=2 count=1 iflag=fullblock conv=fsync status=none'"
