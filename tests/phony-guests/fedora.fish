# A Fedora-like phony guest, just enough to fool inspection: a GPT disk
# with an EFI system partition, /boot on ext4 and an LVM volume group
# holding an xfs root and swap.  The rpm database is the sqlite one that
# Fedora has used since release 33, kept in /usr/lib/sysimage/rpm with
# /var/lib/rpm a symbolic link to it, as since release 36.  make-image runs
# this script in a directory of host-side inputs (rpmdb.sqlite, elf-x86_64)
# on a blank 384 MiB disk: xfs refuses filesystems below 300 MiB.
run

part-init /dev/sda gpt
part-add /dev/sda p 2048 34815
part-add /dev/sda p 34816 100351
part-add /dev/sda p 100352 -34
part-set-gpt-type /dev/sda 1 C12A7328-F81F-11D2-BA4B-00A0C93EC93B
part-set-gpt-type /dev/sda 2 0FC63DAF-8483-4772-8E79-3D69D8477DE4
part-set-gpt-type /dev/sda 3 E6D6D379-F507-44C2-A23C-238F2A3DF928
part-set-name /dev/sda 1 "EFI System Partition"

pvcreate /dev/sda3
vgcreate fedora /dev/sda3
lvcreate root fedora 304
lvcreate swap fedora 8

mkfs vfat /dev/sda1 label:EFI
mkfs ext4 /dev/sda2
set-uuid /dev/sda2 b5e0a9d2-6c4f-4f3e-8a1d-2e9c7b6f5a30
mkfs xfs /dev/fedora/root
mkswap /dev/fedora/swap

mount /dev/fedora/root /
mkdir /boot
mount /dev/sda2 /boot
mkdir /boot/efi
mount /dev/sda1 /boot/efi
mkdir-p /boot/efi/EFI/fedora
write /boot/vmlinuz-6.2.9-300.fc38.x86_64 "phony kernel\n"
write /boot/initramfs-6.2.9-300.fc38.x86_64.img "phony initramfs\n"

mkdir-p /usr/bin
mkdir-p /usr/sbin
mkdir-p /usr/lib64
ln-s usr/bin /bin
ln-s usr/sbin /sbin
ln-s usr/lib /lib
ln-s usr/lib64 /lib64
upload elf-x86_64 /usr/bin/bash
upload elf-x86_64 /usr/bin/ls
chmod 0755 /usr/bin/bash
chmod 0755 /usr/bin/ls
# The logo inspect_get_icon returns for Fedora.
mkdir-p /usr/share/icons/hicolor/96x96/apps
upload fedora-logo-icon.png /usr/share/icons/hicolor/96x96/apps/fedora-logo-icon.png

mkdir-p /etc/sysconfig
mkdir-p /root
mkdir-p /home/phony
mkdir-p /var/log
mkdir-p /tmp
chmod 01777 /tmp
write /etc/hostname "fedora-phony.example.org\n"
write /etc/fedora-release "Fedora release 38 (Thirty Eight)\n"
ln-s fedora-release /etc/redhat-release
ln-s fedora-release /etc/system-release
write /etc/os-release "NAME=\"Fedora Linux\"\nVERSION=\"38 (Workstation Edition)\"\nID=fedora\nVERSION_ID=38\nVERSION_CODENAME=\"\"\nPLATFORM_ID=\"platform:f38\"\nPRETTY_NAME=\"Fedora Linux 38 (Workstation Edition)\"\nCPE_NAME=\"cpe:/o:fedoraproject:fedora:38\"\nVARIANT=\"Workstation Edition\"\nVARIANT_ID=workstation\n"
write /etc/fstab "#\n# /etc/fstab\n#\n/dev/mapper/fedora-root /                       xfs     defaults        0 0\nUUID=b5e0a9d2-6c4f-4f3e-8a1d-2e9c7b6f5a30 /boot                   ext4    defaults        1 2\nLABEL=EFI               /boot/efi               vfat    umask=0077,shortname=winnt 0 2\n/dev/mapper/fedora-swap none                    swap    defaults        0 0\n"
write /etc/machine-id "9c2e5b7a1f3d4c6e8b0a2d4f6e8c0b1a\n"

mkdir-p /usr/lib/sysimage/rpm
upload rpmdb.sqlite /usr/lib/sysimage/rpm/rpmdb.sqlite
mkdir-p /var/lib
ln-s ../../usr/lib/sysimage/rpm /var/lib/rpm

umount-all
