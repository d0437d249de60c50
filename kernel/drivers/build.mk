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
# Lab 8: the memory devices and the console as character devices.
obj-y += kernel/drivers/char/mem.o
obj-y += kernel/drivers/tty/serial_tty.o
