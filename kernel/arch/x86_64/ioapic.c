/*
 * ioapic.c — device interrupt lines: the legacy 8259 PICs, switched off,
 * and the I/O APIC that replaces them (asm/io_apic.h).
 *
 * The 8259 pair.  A PC still starts with two Intel 8259A PICs, master and
 * slave (cascaded on the master's input 2), delivering IRQs 0–15 on
 * vectors 0x08–0x0f and 0x70–0x77 — the first range right on top of the
 * CPU exceptions.  Even masked, a PIC can raise a *spurious* IRQ 7 (15)
 * when a line drops before the CPU acknowledges it.  So they are
 * re-initialized to vectors 0x20–0x2f, where anything they send is
 * recognisable, and every line is masked (Intel 8259A datasheet,
 * "Initialization Command Words" and "Operation Command Words"):
 *
 *	ICW1 0x11  to the command port: start initialization, ICW4 follows
 *	ICW2       to the data port: the vector of input 0 (0x20, 0x28)
 *	ICW3       master: a slave on input 2 (0x04); slave: "I am 2" (0x02)
 *	ICW4 0x01  8086 mode
 *	OCW1 0xff  to the data port: mask every input
 *	OCW3 0x0b  to the command port: the next read returns the ISR
 *	OCW2 0x20  to the command port: non-specific EOI
 *
 * The I/O APIC (Intel 82093AA datasheet §3).  Two memory-mapped registers
 * give indirect access to all others: write a register index to IOREGSEL
 * (offset 0x00), then read or write it through IOWIN (offset 0x10).
 *
 *	index 0x00      IOAPICID: bits 27:24 the I/O APIC's ID      §3.2.1
 *	index 0x01      IOAPICVER: bits 7:0 version, bits 23:16 the
 *	                number of redirection entries minus one      §3.2.2
 *	index 0x10+2n   redirection entry n, bits 31:0               §3.2.4
 *	index 0x11+2n   redirection entry n, bits 63:32
 *
 * A redirection entry (§3.2.4):
 *
 *	 7:0  vector           10:8 delivery mode (000 fixed)
 *	11    destination mode (0 physical: bits 63:56 are an APIC ID)
 *	12    delivery status (read-only)   13 polarity (1 = active low)
 *	14    remote IRR (read-only)        15 trigger (1 = level)
 *	16    mask (1 = masked)             63:56 destination APIC ID
 *
 * Locking: the IOREGSEL/IOWIN pair is a two-step access, so every access
 * to an I/O APIC holds ioapic_lock with interrupts off; the pins and
 * their modes are otherwise set only by arch_irq_activate (irq.c).
 */
#include <asm/io.h>
#include <asm/io_apic.h>
#include <asm/irq_vectors.h>
#include <kestrel/acpi.h>
#include <kestrel/errno.h>
#include <kestrel/io.h>
#include <kestrel/percpu.h>
#include <kestrel/printk.h>
#include <kestrel/spinlock.h>

/* ---- the 8259 pair ---- */

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1
#define PIC_ICW1_INIT	0x11	/* edge triggered, cascade, ICW4 needed */
#define PIC_ICW4_8086	0x01
#define PIC_OCW3_ISR	0x0b	/* next read of the command port: ISR */
#define PIC_EOI		0x20
#define PIC_CASCADE_IR	2	/* the slave hangs on the master's input 2 */

void i8259_disable(void)
{
	outb(PIC1_CMD, PIC_ICW1_INIT);
	outb(PIC2_CMD, PIC_ICW1_INIT);
	outb(PIC1_DATA, ISA_IRQ_VECTOR_BASE);
	outb(PIC2_DATA, ISA_IRQ_VECTOR_BASE + 8);
	outb(PIC1_DATA, 1 << PIC_CASCADE_IR);
	outb(PIC2_DATA, PIC_CASCADE_IR);
	outb(PIC1_DATA, PIC_ICW4_8086);
	outb(PIC2_DATA, PIC_ICW4_8086);
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
}

/*
 * Every input is masked, so vectors 0x20–0x2f can only be spurious
 * interrupts: IRQ 7 of either PIC with its in-service bit clear.  A
 * spurious IRQ 15 still passed through the master's input 2, which is in
 * service there and needs its EOI.  Counted as spurious either way.
 */
void i8259_spurious(unsigned int vector)
{
	this_cpu()->irq_spurious++;
	if (vector == ISA_IRQ_VECTOR_BASE + 15) {
		outb(PIC2_CMD, PIC_OCW3_ISR);
		if (!(inb(PIC2_CMD) & 0x80))
			outb(PIC1_CMD, PIC_EOI);
	}
}

/* ---- the I/O APICs ---- */

#define IOREGSEL		0x00
#define IOWIN			0x10
#define IOAPIC_REG_ID		0x00
#define IOAPIC_REG_VER		0x01
#define IOAPIC_REDTBL(pin)	(0x10 + 2 * (pin))

#define IOAPIC_DM_FIXED		(0ULL << 8)
#define IOAPIC_DEST_PHYSICAL	(0ULL << 11)
#define IOAPIC_ACTIVE_LOW	(1ULL << 13)
#define IOAPIC_LEVEL		(1ULL << 15)
#define IOAPIC_MASKED		(1ULL << 16)
#define IOAPIC_DEST_SHIFT	56

struct ioapic {
	void *regs;		/* IOREGSEL at +0, IOWIN at +0x10 (uncached) */
	u32 id;
	u32 gsi_base;		/* GSI of pin 0 */
	unsigned int nr_pins;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static unsigned int nr_ioapics;
static spinlock_t ioapic_lock = SPINLOCK_INIT;

/* The two-step access; caller holds ioapic_lock. */
static u32 ioapic_read(struct ioapic *io, u32 reg)
{
	writel(reg, (char *)io->regs + IOREGSEL);
	return readl((char *)io->regs + IOWIN);
}

static void ioapic_write(struct ioapic *io, u32 reg, u32 val)
{
	writel(reg, (char *)io->regs + IOREGSEL);
	writel(val, (char *)io->regs + IOWIN);
}

/* The I/O APIC that has the pin of @gsi, and the pin; NULL if none. */
static struct ioapic *gsi_to_ioapic(unsigned int gsi, unsigned int *pin)
{
	unsigned int i;

	for (i = 0; i < nr_ioapics; i++)
		if (gsi >= ioapics[i].gsi_base &&
		    gsi < ioapics[i].gsi_base + ioapics[i].nr_pins) {
			*pin = gsi - ioapics[i].gsi_base;
			return &ioapics[i];
		}
	return NULL;
}

/**
 * ioapic_set_entry - program redirection entry @pin of @io: deliver
 * @vector to the CPU whose APIC ID is @dest, fixed delivery, physical
 * destination, signalling as @mode says, *masked*.  Caller holds
 * ioapic_lock.  The entry is two 32-bit registers; write the half with
 * the mask bit in a state where the pin cannot fire half-programmed.
 */
static void ioapic_set_entry(struct ioapic *io, unsigned int pin, u8 vector,
			     u32 dest, const struct irq_line_mode *mode)
{
#if SOL >= 4
	u64 entry = vector | IOAPIC_DM_FIXED | IOAPIC_DEST_PHYSICAL |
		    IOAPIC_MASKED | ((u64)(dest & 0xff) << IOAPIC_DEST_SHIFT);

	if (mode->level)
		entry |= IOAPIC_LEVEL;
	if (mode->active_low)
		entry |= IOAPIC_ACTIVE_LOW;
	/* Low half first: it carries the mask bit, now set. */
	ioapic_write(io, IOAPIC_REDTBL(pin), (u32)entry);
	ioapic_write(io, IOAPIC_REDTBL(pin) + 1, (u32)(entry >> 32));
#else
	/*
	 * LAB 4: build the 64-bit redirection entry (the table in this
	 * file's head comment; IOAPIC_* constants above): the vector in bits
	 * 7:0, fixed delivery, physical destination mode, IOAPIC_LEVEL and
	 * IOAPIC_ACTIVE_LOW as @mode says, IOAPIC_MASKED, and @dest in bits
	 * 63:56.  Write it with ioapic_write(): the low 32 bits to register
	 * IOAPIC_REDTBL(pin), the high 32 bits to IOAPIC_REDTBL(pin) + 1.
	 * Until this works every pin stays masked: request_irq() succeeds
	 * but no device interrupt ever arrives.
	 */
	(void)io;
	(void)pin;
	(void)vector;
	(void)dest;
	(void)mode;
#endif
}

int ioapic_route(unsigned int gsi, u8 vector, u32 dest,
		 const struct irq_line_mode *mode)
{
	unsigned int pin;
	struct ioapic *io = gsi_to_ioapic(gsi, &pin);
	unsigned long flags;

	if (!io)
		return -ENODEV;
	flags = spin_lock_irqsave(&ioapic_lock);
	ioapic_set_entry(io, pin, vector, dest, mode);
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return 0;
}

static void ioapic_set_mask(unsigned int gsi, bool masked)
{
	unsigned int pin;
	struct ioapic *io = gsi_to_ioapic(gsi, &pin);
	unsigned long flags;
	u32 low;

	if (!io)
		return;
	flags = spin_lock_irqsave(&ioapic_lock);
	low = ioapic_read(io, IOAPIC_REDTBL(pin));
	low = masked ? low | IOAPIC_MASKED : low & ~(u32)IOAPIC_MASKED;
	ioapic_write(io, IOAPIC_REDTBL(pin), low);
	spin_unlock_irqrestore(&ioapic_lock, flags);
}

void ioapic_mask(unsigned int gsi)
{
	ioapic_set_mask(gsi, true);
}

void ioapic_unmask(unsigned int gsi)
{
	ioapic_set_mask(gsi, false);
}

u64 ioapic_read_entry(unsigned int gsi)
{
	unsigned int pin;
	struct ioapic *io = gsi_to_ioapic(gsi, &pin);
	unsigned long flags;
	u64 entry;

	if (!io)
		return 0;
	flags = spin_lock_irqsave(&ioapic_lock);
	entry = ioapic_read(io, IOAPIC_REDTBL(pin)) |
		(u64)ioapic_read(io, IOAPIC_REDTBL(pin) + 1) << 32;
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return entry;
}

unsigned int irq_to_gsi(unsigned int irq, struct irq_line_mode *mode)
{
	unsigned int i, gsi = irq;
	u16 flags = 0;

	if (irq >= NR_ISA_IRQS) {
		/* PCI INTx: level-sensitive, asserted low (PCI 3.0 §2.2.6). */
		mode->level = true;
		mode->active_low = true;
		return gsi;
	}
	for (i = 0; i < acpi_madt.nr_overrides; i++)
		if (acpi_madt.overrides[i].source == irq) {
			gsi = acpi_madt.overrides[i].gsi;
			flags = acpi_madt.overrides[i].flags;
		}
	/* "Conforms to the bus": ISA is edge-triggered, active high. */
	mode->level = (flags & ACPI_TRIGGER_MASK) == ACPI_TRIGGER_LEVEL;
	mode->active_low = (flags & ACPI_POLARITY_MASK) == ACPI_POLARITY_LOW;
	return gsi;
}

/* Map one I/O APIC from the MADT and mask all its pins. */
static bool ioapic_add(const struct acpi_ioapic *a)
{
	struct ioapic *io = &ioapics[nr_ioapics];
	unsigned int pin;
	u32 ver;

	io->regs = ioremap(a->address, IOWIN + 4);
	if (!io->regs) {
		pr_warn("ioapic: cannot map the I/O APIC at 0x%x\n", a->address);
		return false;
	}
	io->gsi_base = a->gsi_base;
	io->id = (ioapic_read(io, IOAPIC_REG_ID) >> 24) & 0xf;
	ver = ioapic_read(io, IOAPIC_REG_VER);
	io->nr_pins = ((ver >> 16) & 0xff) + 1;
	for (pin = 0; pin < io->nr_pins; pin++) {
		ioapic_write(io, IOAPIC_REDTBL(pin), IOAPIC_MASKED);
		ioapic_write(io, IOAPIC_REDTBL(pin) + 1, 0);
	}
	pr_info("ioapic: I/O APIC ID %u at 0x%x: version 0x%x, GSIs %u-%u, all masked\n",
		io->id, a->address, ver & 0xff, io->gsi_base,
		io->gsi_base + io->nr_pins - 1);
	nr_ioapics++;
	return true;
}

int ioapic_init(void)
{
	unsigned int i;

	for (i = 0; i < acpi_madt.nr_ioapics; i++)
		ioapic_add(&acpi_madt.ioapics[i]);
	if (!nr_ioapics)
		pr_warn("ioapic: no I/O APIC (none in the MADT%s); device interrupts are off\n",
			acpi_madt.nr_cpus ? "" : ", or the MADT was not parsed");
	return nr_ioapics;
}
