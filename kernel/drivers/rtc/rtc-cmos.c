/*
 * rtc-cmos.c — the PC's CMOS real-time clock (kestrel/rtc.h).
 *
 * The clock is a Motorola MC146818A (or a chipset's copy of it) behind two
 * I/O ports: write a register index to 0x70, then read or write the
 * register at 0x71.  Bit 7 of the index port masks the NMI on PCs; it is
 * left 0.  The registers (MC146818A data sheet, "Address Map" and
 * "Registers"):
 *
 *	0x00 seconds  0x02 minutes  0x04 hours  0x06 day of week
 *	0x07 day of month  0x08 month  0x09 year (two digits)
 *	0x0a register A: bit 7 UIP, "update in progress"
 *	0x0b register B: bit 2 DM (1: binary, 0: BCD), bit 1 24/12 (1: 24 h)
 *	century: a register chosen by the chipset, named by the FADT's
 *	CENTURY field (ACPI 6.5 §5.2.9; 0x32 on PCs); without one, 20xx
 *
 * Once a second the clock spends about 2 ms updating these registers and
 * reading then can return a mix of old and new values.  UIP goes to 1 at
 * least 244 µs before an update starts, so: wait for UIP = 0, read
 * everything, and read again until two passes agree (an update between
 * them would show).  Values are BCD unless DM is set (0x59 means 59); in
 * 12-hour mode bit 7 of the hours marks PM and 12 o'clock reads as 12.
 *
 * Locking: rtc_lock, interrupts off, around the index/data pairs.
 */
#include <asm/io.h>
#include <kestrel/acpi.h>
#include <kestrel/errno.h>
#include <kestrel/rtc.h>
#include <kestrel/spinlock.h>
#include <kestrel/string.h>

#define RTC_INDEX	0x70
#define RTC_DATA	0x71
#define RTC_SECONDS	0x00
#define RTC_MINUTES	0x02
#define RTC_HOURS	0x04
#define RTC_MDAY	0x07
#define RTC_MONTH	0x08
#define RTC_YEAR	0x09
#define RTC_REG_A	0x0a
#define RTC_REG_B	0x0b
#define RTC_A_UIP	0x80
#define RTC_B_24H	0x02
#define RTC_B_BINARY	0x04
#define RTC_HOURS_PM	0x80

#define RTC_UIP_POLLS	100000	/* port reads: well over the 2 ms update */
#define RTC_READ_TRIES	5

static spinlock_t rtc_lock = SPINLOCK_INIT;

struct cmos_regs {
	u8 sec, min, hour, mday, mon, year, century, reg_b;
};

static u8 cmos_read(u8 index)
{
	outb(RTC_INDEX, index);
	return inb(RTC_DATA);
}

/* One pass over the registers, after the update flag clears. */
static bool cmos_read_regs(struct cmos_regs *r, u8 century_index)
{
	unsigned long flags = spin_lock_irqsave(&rtc_lock);
	unsigned int i;

	for (i = 0; i < RTC_UIP_POLLS; i++)
		if (!(cmos_read(RTC_REG_A) & RTC_A_UIP))
			break;
	r->sec = cmos_read(RTC_SECONDS);
	r->min = cmos_read(RTC_MINUTES);
	r->hour = cmos_read(RTC_HOURS);
	r->mday = cmos_read(RTC_MDAY);
	r->mon = cmos_read(RTC_MONTH);
	r->year = cmos_read(RTC_YEAR);
	r->century = century_index ? cmos_read(century_index) : 0;
	r->reg_b = cmos_read(RTC_REG_B);
	spin_unlock_irqrestore(&rtc_lock, flags);
	return i < RTC_UIP_POLLS;
}

/* A register's value: BCD (0x59 is 59) unless register B says binary. */
static int rtc_value(u8 v, bool bcd)
{
	return bcd ? (v >> 4) * 10 + (v & 0xf) : v;
}

static void cmos_to_tm(const struct cmos_regs *r, struct rtc_time *tm)
{
	bool bcd = !(r->reg_b & RTC_B_BINARY);
	int century = r->century ? rtc_value(r->century, bcd) : 20;

	tm->tm_sec = rtc_value(r->sec, bcd);
	tm->tm_min = rtc_value(r->min, bcd);
	tm->tm_hour = rtc_value(r->hour & ~RTC_HOURS_PM, bcd);
	if (!(r->reg_b & RTC_B_24H)) {	/* 12-hour mode: 12 AM is 0 h */
		tm->tm_hour %= 12;
		if (r->hour & RTC_HOURS_PM)
			tm->tm_hour += 12;
	}
	tm->tm_mday = rtc_value(r->mday, bcd);
	tm->tm_mon = rtc_value(r->mon, bcd) - 1;
	tm->tm_year = century * 100 + rtc_value(r->year, bcd) - 1900;
	tm->tm_wday = tm->tm_yday = 0;
}

int rtc_read_time(struct rtc_time *tm)
{
	struct cmos_regs a, b;
	u8 century = acpi_rtc_century();
	unsigned int tries;

	for (tries = 0; tries < RTC_READ_TRIES; tries++) {
		if (!cmos_read_regs(&a, century) ||
		    !cmos_read_regs(&b, century))
			continue;
		if (memcmp(&a, &b, sizeof(a)) == 0)
			break;
	}
	if (tries == RTC_READ_TRIES)
		return -EIO;
	cmos_to_tm(&a, tm);
	if (!rtc_valid_tm(tm))
		return -EIO;
	rtc_time64_to_tm(rtc_tm_to_time64(tm), tm);	/* fill wday, yday */
	return 0;
}
