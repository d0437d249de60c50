# kernel/drivers: device drivers.
obj-y += kernel/drivers/serial/8250.o
# Lab 4: serial input and the echo loop, ACPI tables and poweroff, the RTC.
obj-y += kernel/drivers/serial/echo.o
obj-y += kernel/drivers/acpi/tables.o
obj-y += kernel/drivers/acpi/madt.o
obj-y += kernel/drivers/acpi/sleep.o
obj-y += kernel/drivers/acpi/acpi_ktest.o
obj-y += kernel/drivers/rtc/rtc-cmos.o
obj-y += kernel/drivers/rtc/lib.o
# Lab 8: the memory devices.  Lab 9: the tty layer (the console is a
# tty from lab 6 on: console_file()).
obj-y += kernel/drivers/char/mem.o
obj-y += kernel/drivers/tty/tty_io.o kernel/drivers/tty/tty_ioctl.o
obj-y += kernel/drivers/tty/tty_jobctrl.o kernel/drivers/tty/n_tty.o
obj-y += kernel/drivers/tty/n_tty_edit.o kernel/drivers/tty/serial_tty.o
obj-y += kernel/drivers/tty/pty.o
