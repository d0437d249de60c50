/*
 * 8250.c — the 16550 UART on COM1: the kernel console, and keyboard input.
 *
 * The PC's serial port is a National Semiconductor 16550 (an 8250 with a
 * FIFO) at I/O port 0x3f8.  QEMU connects it to its -serial backend, which
 * `make qemu` attaches to your terminal.  Output is polled: wait until the
 * transmit holding register is empty, write one byte — it must work from
 * an oops, with interrupts off.  Input arrives by interrupt (lab 4): the
 * UART raises ISA IRQ 4 when a byte is received, and the handler moves
 * every byte waiting in its FIFO into a ring buffer that readers drain.
 *
 * Registers (offsets from the base port; PC16550D data sheet, table II):
 *	0 THR/RBR  transmit / receive (DLL when LCR.DLAB = 1)
 *	1 IER      interrupt enable (DLM when LCR.DLAB = 1): bit 0 ERBFI,
 *	           "received data available" (and the FIFO's timeout)
 *	2 IIR/FCR  interrupt identification (read): bit 0 = 1 "no interrupt
 *	           pending"; FIFO control (write)
 *	3 LCR      line control: word length, stop bits, parity, DLAB (bit 7)
 *	4 MCR      modem control: DTR, RTS, and OUT2 (bit 3), which on a PC
 *	           connects the UART's interrupt output to the IRQ line
 *	5 LSR      line status: bit 0 DR "data ready", bit 5 THRE
 *
 * The ring buffer: RX_BUF_SIZE bytes, head written by the interrupt
 * handler, tail by readers, both under rx_lock with interrupts off.  When
 * it is full new bytes are dropped and counted (a reader that never reads
 * must not make the handler spin or the line storm).
 */
#include <asm/io.h>
#include <kestrel/errno.h>
#include <kestrel/irq.h>
#include <kestrel/irqflags.h>
#include <kestrel/printk.h>
#include <kestrel/serial.h>
#include <kestrel/wait.h>
#include <kestrel/spinlock.h>
#include <kestrel/string.h>
#include <uapi/linux/serial.h>

#define COM1		0x3f8
#define COM1_IRQ	4
#define UART_THR	0
#define UART_RBR	0
#define UART_DLL	0
#define UART_IER	1
#define UART_DLM	1
#define UART_IIR	2
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5

#define LCR_8N1		0x03		/* 8 data bits, no parity, 1 stop bit */
#define LCR_DLAB	0x80		/* divisor latch access */
#define FCR_ENABLE	0x07		/* FIFOs on, cleared; trigger: 1 byte */
#define MCR_DTR_RTS_OUT2 0x0b
#define IER_ERBFI	0x01		/* interrupt on received data */
#define IIR_NO_INT	0x01		/* no interrupt pending */
#define LSR_DR		0x01
#define LSR_THRE	0x20
#define UART_CLOCK_DIV	1		/* 115200 / 115200: the divisor */
#define UART_BASE_BAUD	115200		/* 1.8432 MHz clock / 16 */
#define UART_FIFO_SIZE	16		/* bytes: the 16550's FIFOs (data sheet) */

#define RX_BUF_SIZE	1024		/* bytes; a power of two */
#define RX_DRAIN_MAX	256		/* bytes per interrupt, at most */

static struct {
	u8 buf[RX_BUF_SIZE];
	unsigned int head, tail;	/* free-running; index mod size */
	u64 dropped;
	spinlock_t lock;
	bool irq_on;			/* input arrives by interrupt */
} rx = { .lock = SPINLOCK_INIT };

static void serial_putc(char c)
{
	while (!(inb(COM1 + UART_LSR) & LSR_THRE))
		;
	outb(COM1 + UART_THR, c);
}

void serial_write(const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		serial_putc(buf[i]);
}

static void serial_console_write(struct console *con, const char *s,
				 size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

static struct console serial_console = {
	.name = "ttyS0",
	.write = serial_console_write,
};

void serial_console_init(void)
{
	outb(COM1 + UART_IER, 0);		/* no interrupts yet */
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, UART_CLOCK_DIV & 0xff);
	outb(COM1 + UART_DLM, UART_CLOCK_DIV >> 8);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, FCR_ENABLE);
	outb(COM1 + UART_MCR, MCR_DTR_RTS_OUT2);
	register_console(&serial_console);
}

/* ---- input ---- */

/* Append @c to the ring buffer, or count it dropped.  rx.lock held. */
static void rx_push(u8 c)
{
	if (rx.head - rx.tail == RX_BUF_SIZE) {
		rx.dropped++;
		return;
	}
	rx.buf[rx.head++ % RX_BUF_SIZE] = c;
}

/**
 * serial_rx_interrupt - COM1's interrupt handler (IRQ 4), interrupts off.
 * If the UART has an interrupt pending (IIR), move every received byte
 * (while LSR.DR) into the ring buffer, at most RX_DRAIN_MAX per call, and
 * return IRQ_HANDLED; otherwise IRQ_NONE.  Reading RBR is what clears
 * the UART's request.
 */
static irqreturn_t serial_rx_interrupt(int irq, void *dev)
{
#if SOL >= 4
	unsigned int n = 0;
	unsigned long flags;

	(void)irq;
	(void)dev;
	if (inb(COM1 + UART_IIR) & IIR_NO_INT)
		return IRQ_NONE;
	flags = spin_lock_irqsave(&rx.lock);
	while (n++ < RX_DRAIN_MAX && (inb(COM1 + UART_LSR) & LSR_DR))
		rx_push(inb(COM1 + UART_RBR));
	spin_unlock_irqrestore(&rx.lock, flags);
	return IRQ_HANDLED;
#else
	/*
	 * LAB 4: if IIR (inb(COM1 + UART_IIR)) has IIR_NO_INT set, the
	 * interrupt was not ours: return IRQ_NONE.  Otherwise, holding
	 * rx.lock (spin_lock_irqsave), read a byte from RBR and rx_push()
	 * it while LSR has LSR_DR set — but at most RX_DRAIN_MAX bytes, so a
	 * stuck UART cannot keep the CPU here — and return IRQ_HANDLED.
	 * Until this works, typed characters are never echoed.
	 */
	(void)irq;
	(void)dev;
	(void)rx_push;		/* the helper above is yours to use */
	return IRQ_NONE;
#endif
}

static DECLARE_WAIT_QUEUE_HEAD(rx_wait);	/* readers waiting for bytes */
static void (*rx_receiver)(void);		/* the tty layer, once it reads */

/* The registered handler: take the bytes, then hand them to the tty
 * layer or wake whoever waits. */
static irqreturn_t serial_interrupt(int irq, void *dev)
{
	irqreturn_t ret = serial_rx_interrupt(irq, dev);
	void (*receiver)(void) = __atomic_load_n(&rx_receiver, __ATOMIC_ACQUIRE);

	if (ret == IRQ_HANDLED && receiver)
		receiver();
	else if (ret == IRQ_HANDLED)
		wake_up(&rx_wait);
	return ret;
}

void serial_set_receiver(void (*receiver)(void))
{
	unsigned long flags;

	local_irq_save(flags);
	__atomic_store_n(&rx_receiver, receiver, __ATOMIC_RELEASE);
	receiver();		/* what arrived before */
	local_irq_restore(flags);
}

int serial_read_byte(void)
{
	unsigned long flags = spin_lock_irqsave(&rx.lock);
	int c = -1;

	if (rx.head != rx.tail)
		c = rx.buf[rx.tail++ % RX_BUF_SIZE];
	spin_unlock_irqrestore(&rx.lock, flags);
	return c;
}

/* DOC: wait-readable */
void serial_wait_readable(void)
{
	/*
	 * wait_event tests the condition after queueing this task, so a byte
	 * that arrives between the test and the sleep wakes it (see
	 * kernel/sched/wait.c, DOC: wakeup-race).  The idle task — the
	 * console loop itself before lab 5 — cannot sleep: its schedule()
	 * halts with `sti; hlt` until the next interrupt and looks again.
	 */
	wait_event(rx_wait, __atomic_load_n(&rx.head, __ATOMIC_ACQUIRE) != rx.tail);
}

bool serial_rx_pending(void)
{
	return __atomic_load_n(&rx.head, __ATOMIC_ACQUIRE) != rx.tail;
}

struct wait_queue_head *serial_rx_waitqueue(void)
{
	return &rx_wait;
}

void serial_describe(struct serial_struct *ss)
{
	memset(ss, 0, sizeof(*ss));
	ss->type = PORT_16550A;
	ss->line = 0;
	ss->port = COM1;
	ss->irq = COM1_IRQ;
	ss->xmit_fifo_size = UART_FIFO_SIZE;
	ss->baud_base = UART_BASE_BAUD;
	ss->io_type = UPIO_PORT;
}

bool serial_rx_ready(void)
{
	return rx.irq_on;
}

u64 serial_rx_dropped(void)
{
	return rx.dropped;
}

int serial_irq_init(void)
{
	int err = request_irq(COM1_IRQ, serial_interrupt, 0, "ttyS0", &rx);
	const struct irq_desc *desc = irq_to_desc(COM1_IRQ);
	unsigned int n;

	if (err) {
		pr_warn("serial: ttyS0 has no receive interrupt (error %d); no console input\n",
			err);
		return err;
	}
	/* Drop what arrived before, then let the UART interrupt. */
	for (n = 0; n < RX_BUF_SIZE && (inb(COM1 + UART_LSR) & LSR_DR); n++)
		inb(COM1 + UART_RBR);
	outb(COM1 + UART_IER, IER_ERBFI);
	rx.irq_on = true;
	pr_info("serial: ttyS0 receives by interrupt (IRQ %u, vector 0x%x)\n",
		COM1_IRQ, desc->vector);
	return 0;
}
