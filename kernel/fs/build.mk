# kernel/fs: files.  Until lab 8's VFS: the initrd as a store of programs,
# and the console as file descriptors 0, 1 and 2 (lab 6).
obj-y += kernel/fs/initrd.o
obj-y += kernel/fs/console.o
