# kernel/init: start_kernel and the order of start-up.
obj-y += kernel/init/main.o
