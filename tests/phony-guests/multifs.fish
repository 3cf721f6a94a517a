# A disk with one partition of each filesystem type we care about, for the
# tools that list filesystems: ext2, ext4 with a label, xfs, btrfs with
# subvolumes, vfat, ntfs, swap and a partition with nothing on it.
# make-image runs this script on a blank 512 MiB disk.  Sizes are near each
# mkfs's minimum (xfs: 300 MiB, btrfs: about 110 MiB).
run

part-init /dev/sda gpt
part-add /dev/sda p 2048 18431
part-add /dev/sda p 18432 51199
part-add /dev/sda p 51200 673791
part-add /dev/sda p 673792 935935
part-add /dev/sda p 935936 952319
part-add /dev/sda p 952320 968703
part-add /dev/sda p 968704 985087
part-add /dev/sda p 985088 993279

mkfs ext2 /dev/sda1
mkfs ext4 /dev/sda2 label:DATA
mkfs xfs /dev/sda3 label:xfsdata
mkfs btrfs /dev/sda4 label:pool
mkfs vfat /dev/sda5 label:ESP
mkfs ntfs /dev/sda6 label:Shared
mkswap /dev/sda7 label:swap
# /dev/sda8 stays unformatted

mount /dev/sda1 /
write /ext2-marker "ext2\n"
umount /
mount /dev/sda2 /
write /ext4-marker "ext4\n"
umount /
mount /dev/sda3 /
write /xfs-marker "xfs\n"
umount /
mount /dev/sda4 /
btrfs-subvolume-create /@
btrfs-subvolume-create /@home
btrfs-subvolume-create /@home/snapshots
write /@/btrfs-marker "btrfs @\n"
umount /
mount /dev/sda5 /
write /vfat-marker "vfat\n"
umount /
mount /dev/sda6 /
write /ntfs-marker "ntfs\n"
umount /
