package sweep

import "golang.org/x/sys/unix"

// pseudoMagic are the file systems that hold no one's files: the kernel's
// views (/proc, /sys, cgroups, …), where reading can block or never end.
// /dev is a tmpfs like /tmp: its devices are skipped as special files.
var pseudoMagic = map[int64]bool{
	unix.PROC_SUPER_MAGIC: true, unix.SYSFS_MAGIC: true, unix.DEVPTS_SUPER_MAGIC: true,
	unix.CGROUP_SUPER_MAGIC: true, unix.CGROUP2_SUPER_MAGIC: true, unix.DEBUGFS_MAGIC: true,
	unix.TRACEFS_MAGIC: true, unix.SECURITYFS_MAGIC: true, unix.PSTOREFS_MAGIC: true,
	unix.BPF_FS_MAGIC: true, unix.HUGETLBFS_MAGIC: true, unix.BINFMTFS_MAGIC: true,
	0x62656570: true, 0x65735543: true, 0x19800202: true, // configfs, fusectl, mqueue
	unix.AUTOFS_SUPER_MAGIC: true, unix.EFIVARFS_MAGIC: true, unix.NSFS_MAGIC: true,
}

// pseudoFS reports whether dir is on such a file system.
func pseudoFS(dir string) bool {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return false
	}
	return pseudoMagic[int64(st.Type)] //nolint:unconvert // Type's width differs by architecture
}
