# kernel/time: clocks, the tick, kernel timers (lab 4).
obj-y += kernel/time/timekeeping.o
obj-y += kernel/time/tick.o
obj-y += kernel/time/timer.o
obj-y += kernel/time/time_ktest.o
# Lab 6: clocks and sleeps for user space.
obj-y += kernel/time/posix.o
