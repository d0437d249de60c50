obj-y += kernel/lib/string.o kernel/lib/vsnprintf.o
obj-y += kernel/lib/vsnprintf_ktest.o
# Lab 6: checked user-memory copies; the ELF and cpio parsers (host-tested).
obj-y += kernel/lib/usercopy.o kernel/lib/elf.o kernel/lib/cpio.o
obj-y += kernel/lib/usercopy_ktest.o
# Lab 8: the iterator over read/write buffers, DEFLATE and gzip (host-tested).
obj-y += kernel/lib/iov_iter.o kernel/lib/inflate.o
