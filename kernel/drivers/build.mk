# kernel/drivers: device drivers.
obj-y += kernel/drivers/serial/8250.o
