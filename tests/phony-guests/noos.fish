# A disk with partitions and filesystems but no operating system: data on
# ext4, a vfat stick-like partition and swap.  Inspection must find no root.
# make-image runs this script on a blank 64 MiB disk.
run

part-init /dev/sda mbr
part-add /dev/sda p 2048 67583
part-add /dev/sda p 67584 100351
part-add /dev/sda p 100352 -1
part-set-mbr-id /dev/sda 3 0x82

mkfs ext4 /dev/sda1 label:data
mkfs vfat /dev/sda2 label:STICK
mkswap /dev/sda3

mount /dev/sda1 /
mkdir-p /photos/2023
mkdir-p /etc-backup
write /photos/2023/README "no operating system here\n"
# An os-release outside /etc and /usr/lib does not make a root.
write /etc-backup/os-release "ID=debian\nVERSION_ID=\"12\"\n"
umount-all
