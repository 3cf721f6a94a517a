# Two operating systems on one disk, each root with its own /etc/fstab: a
# Debian-like root on /dev/sda1 and a Fedora-like one on /dev/sda2, sharing
# nothing.  make-image runs this script in a directory of host-side inputs
# (dpkg-status, rpmdb.sqlite, elf-x86_64) on a blank 128 MiB disk.
run

part-init /dev/sda mbr
part-add /dev/sda p 2048 124927
part-add /dev/sda p 124928 -1
mkfs ext4 /dev/sda1
set-uuid /dev/sda1 6a1c2e0b-3d4f-4a5b-8c6d-7e8f9a0b1c2d
mkfs ext4 /dev/sda2
set-uuid /dev/sda2 0f9e8d7c-6b5a-4493-8271-605f4e3d2c1b

# Debian on sda1
mount /dev/sda1 /
mkdir-p /usr/bin
ln-s usr/bin /bin
upload elf-x86_64 /usr/bin/bash
chmod 0755 /usr/bin/bash
mkdir-p /etc
mkdir-p /var/lib/dpkg
write /etc/hostname "debian-twoos\n"
write /etc/debian_version "12.5\n"
write /etc/os-release "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n"
write /etc/fstab "UUID=6a1c2e0b-3d4f-4a5b-8c6d-7e8f9a0b1c2d / ext4 errors=remount-ro 0 1\n"
upload dpkg-status /var/lib/dpkg/status
umount /

# Fedora on sda2
mount /dev/sda2 /
mkdir-p /usr/bin
ln-s usr/bin /bin
upload elf-x86_64 /usr/bin/bash
chmod 0755 /usr/bin/bash
mkdir-p /etc
write /etc/hostname "fedora-twoos\n"
write /etc/fedora-release "Fedora release 38 (Thirty Eight)\n"
ln-s fedora-release /etc/redhat-release
write /etc/os-release "NAME=\"Fedora Linux\"\nVERSION=\"38 (Server Edition)\"\nID=fedora\nVERSION_ID=38\nPRETTY_NAME=\"Fedora Linux 38 (Server Edition)\"\n"
write /etc/fstab "UUID=0f9e8d7c-6b5a-4493-8271-605f4e3d2c1b / ext4 defaults 1 1\n"
mkdir-p /usr/lib/sysimage/rpm
upload rpmdb.sqlite /usr/lib/sysimage/rpm/rpmdb.sqlite
mkdir-p /var/lib
ln-s ../../usr/lib/sysimage/rpm /var/lib/rpm
umount-all
