obj-y += kernel/lib/string.o kernel/lib/vsnprintf.o
obj-y += kernel/lib/vsnprintf_ktest.o
