# A Windows-like phony guest, just enough to fool inspection: an MBR disk
# with one NTFS partition at 1 MiB holding the SOFTWARE and SYSTEM registry
# hives and System32/cmd.exe.  make-image runs this script in a directory
# of host-side inputs (SOFTWARE, SYSTEM: hives that make-hive filled;
# cmd.exe: a PE header) on a blank 48 MiB disk.
run

part-init /dev/sda mbr
part-add /dev/sda p 2048 -1
part-set-bootable /dev/sda 1 true
# 0x07: NTFS
part-set-mbr-id /dev/sda 1 0x07
# make-image then sets the disk signature that SYSTEM's MountedDevices
# names for C: (windows-system.reg): no call sets it, and parted picks one
# at random.

mkfs ntfs /dev/sda1
set-label /dev/sda1 Windows
mount /dev/sda1 /

mkdir-p /Windows/System32/Config
mkdir-p /Windows/System32/drivers/etc
mkdir-p "/Program Files/7-Zip"
mkdir-p "/Program Files/Mozilla Firefox"
mkdir-p /Users/Phony/Documents
mkdir-p /ProgramData
upload SOFTWARE /Windows/System32/Config/SOFTWARE
upload SYSTEM /Windows/System32/Config/SYSTEM
upload cmd.exe /Windows/System32/cmd.exe
write /Windows/System32/drivers/etc/hosts "127.0.0.1 localhost\r\n"

# For virt-win-reg: the other hives of System32\Config, and the NTUSER.DAT
# of the user that SOFTWARE's ProfileList names.
upload DEFAULT /Windows/System32/Config/DEFAULT
upload SAM /Windows/System32/Config/SAM
upload SECURITY /Windows/System32/Config/SECURITY
upload NTUSER.DAT /Users/Phony/NTUSER.DAT

umount-all
