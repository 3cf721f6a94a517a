// The disks of a libvirt domain's XML (libvirt_domain.hpp): which <disk>
// elements give an image, with what format, read-only flag and block size,
// and which are refused.
#include <gtest/gtest.h>

#include "errors.hpp"
#include "libvirt_domain.hpp"

namespace {

using vt::libvirt::disks_from_xml;

std::string domain_xml(const std::string& devices) {
  return "<domain type='qemu'><name>g</name><devices>" + devices + "</devices></domain>";
}

std::string no_volumes(const std::string& pool, const std::string& volume) {
  ADD_FAILURE() << "unexpected volume " << pool << "/" << volume;
  return "";
}

TEST(LibvirtDomain, FileAndBlockDisksInOrderWithFormatAndReadOnly) {
  auto disks = disks_from_xml(domain_xml(R"(
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/a.qcow2'/><target dev='vda' bus='virtio'/></disk>
    <disk type='block' device='disk'><driver name='qemu' type='raw'/>
      <source dev='/dev/vg/b'/><target dev='vdb' bus='virtio'/><readonly/></disk>
    <disk type='file' device='disk'><source file='/images/c.img'/><target dev='sda' bus='scsi'/>
      <blockio logical_block_size='4096' physical_block_size='4096'/></disk>)"),
                              no_volumes);
  ASSERT_EQ(disks.size(), 3u);
  EXPECT_EQ(disks[0].path, "/var/lib/libvirt/images/a.qcow2");
  EXPECT_EQ(disks[0].format, "qcow2");
  EXPECT_EQ(disks[0].target, "vda");
  EXPECT_FALSE(disks[0].readonly);
  EXPECT_EQ(disks[0].blocksize, 0);
  EXPECT_EQ(disks[1].path, "/dev/vg/b");
  EXPECT_EQ(disks[1].format, "raw");
  EXPECT_TRUE(disks[1].readonly);
  EXPECT_EQ(disks[2].path, "/images/c.img");
  EXPECT_EQ(disks[2].format, "");  // probed
  EXPECT_EQ(disks[2].blocksize, 4096);
}

TEST(LibvirtDomain, EmptyCdromAndFloppyAreLeftOutAnIsoIsKept) {
  auto disks = disks_from_xml(domain_xml(R"(
    <disk type='file' device='cdrom'><driver name='qemu' type='raw'/><target dev='hdc' bus='ide'/><readonly/></disk>
    <disk type='block' device='floppy'><target dev='fda' bus='fdc'/></disk>
    <disk type='file' device='cdrom'><source file='/isos/install.iso'/><target dev='hdd' bus='ide'/><readonly/></disk>)"),
                              no_volumes);
  ASSERT_EQ(disks.size(), 1u);
  EXPECT_EQ(disks[0].path, "/isos/install.iso");
  EXPECT_TRUE(disks[0].readonly);
}

TEST(LibvirtDomain, VolumeDisksAskTheirPool) {
  auto disks = disks_from_xml(domain_xml(R"(
    <disk type='volume' device='disk'><driver name='qemu' type='qcow2'/>
      <source pool='default' volume='g.qcow2'/><target dev='vda'/></disk>)"),
                              [](const std::string& pool, const std::string& volume) {
                                return "/pools/" + pool + "/" + volume;
                              });
  ASSERT_EQ(disks.size(), 1u);
  EXPECT_EQ(disks[0].path, "/pools/default/g.qcow2");
  EXPECT_EQ(disks[0].format, "qcow2");
}

TEST(LibvirtDomain, NetworkAndOtherDiskTypesAreRefusedByName) {
  try {
    disks_from_xml(domain_xml(R"(
      <disk type='file'><source file='/a.img'/><target dev='vda'/></disk>
      <disk type='network' device='disk'><source protocol='rbd' name='pool/image'>
        <host name='ceph.example' port='6789'/></source><target dev='vdb'/></disk>)"),
                   no_volumes);
    FAIL() << "a network disk was accepted";
  } catch (const vt::Error& e) {
    EXPECT_STREQ(e.what(),
                 "disk vdb: network disks (protocol rbd) are not supported: only image files and host block devices are");
  }
  EXPECT_THROW(disks_from_xml(domain_xml("<disk type='dir'><source dir='/srv'/><target dev='vda'/></disk>"), no_volumes),
               vt::Error);
}

TEST(LibvirtDomain, NoDisksAndBadXml) {
  EXPECT_TRUE(disks_from_xml(domain_xml(""), no_volumes).empty());
  EXPECT_THROW(disks_from_xml("<domain><devices>", no_volumes), vt::Error);
  EXPECT_THROW(disks_from_xml(domain_xml("<disk type='file'><source file='/a'/><blockio logical_block_size='x'/></disk>"),
                              no_volumes),
               vt::Error);
}

}  // namespace
