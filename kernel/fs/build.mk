# kernel/fs: files.  Lab 6 reads programs straight from the initrd
# (initrd.c); lab 8 is the VFS: the dcache, inodes, mounts, the path walk, open files,
# tmpfs (the root), the initramfs unpacked into it, devtmpfs, procfs,
# sysfs, pipes, descriptor tables, poll.  docs/vfs.md is the map.
obj-y += kernel/fs/initrd.o
obj-y += kernel/fs/dcache.o kernel/fs/inode.o kernel/fs/super.o
obj-y += kernel/fs/namespace.o kernel/fs/namei.o kernel/fs/path.o kernel/fs/dirops.o
obj-y += kernel/fs/namecalls.o kernel/fs/file_table.o kernel/fs/open.o
obj-y += kernel/fs/read_write.o kernel/fs/readdir.o kernel/fs/stat.o
obj-y += kernel/fs/libfs.o kernel/fs/char_dev.o kernel/fs/fs_struct.o
obj-y += kernel/fs/fdtable.o kernel/fs/pipe.o
obj-y += kernel/fs/tmpfs.o kernel/fs/tmpfs_file.o
obj-y += kernel/fs/sysfs.o kernel/fs/devpts.o kernel/fs/initramfs.o kernel/fs/initramfs_parse.o
obj-y += kernel/fs/init.o kernel/fs/mount.o kernel/fs/attr.o
obj-y += kernel/fs/fd_syscalls.o kernel/fs/rw_syscalls.o kernel/fs/select.o
obj-y += kernel/fs/eventpoll.o kernel/fs/eventfd.o
obj-y += kernel/fs/timerfd.o kernel/fs/memfd.o
obj-y += kernel/fs/proc/root.o kernel/fs/proc/base.o kernel/fs/proc/fd.o
obj-y += kernel/fs/proc/info.o kernel/fs/proc/sysctl.o kernel/fs/proc/task.o
obj-y += kernel/fs/vfs_ktest.o kernel/fs/tmpfs_ktest.o kernel/fs/initramfs_ktest.o
obj-y += kernel/fs/exec_file.o
obj-y += kernel/fs/locks.o kernel/fs/lockrange.o
