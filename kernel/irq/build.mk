# kernel/irq: interrupt lines, request_irq/free_irq, dispatch (lab 4).
obj-y += kernel/irq/manage.o
