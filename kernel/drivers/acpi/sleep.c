/*
 * sleep.c — turning the machine off and resetting it through ACPI.
 *
 * Both are written in the FADT ("FACP", ACPI 6.5 §5.2.9), the table of the
 * fixed power-management hardware.  The fields Kestrel reads (byte offsets
 * into the table; the 64-bit X_ fields win when present and nonzero):
 *
 *	 40 DSDT (u32)          48 SMI_CMD (u32)   52 ACPI_ENABLE (u8)
 *	 64 PM1a_CNT_BLK (u32)  68 PM1b_CNT_BLK (u32, 0: none)
 *	 89 PM1_CNT_LEN (u8)   108 CENTURY (u8: the RTC's CMOS index)
 *	112 flags (u32): bit 10 RESET_REG_SUP, bit 20 HW_REDUCED_ACPI
 *	116 RESET_REG (GAS)    128 RESET_VALUE (u8)
 *	140 X_DSDT (u64)       172 X_PM1a_CNT_BLK (GAS)
 *	184 X_PM1b_CNT_BLK (GAS)
 *	244 SLEEP_CONTROL_REG (GAS, hardware-reduced machines only)
 *
 * Soft off, S5 (§7.4.2.6, §16.1): the OS writes the sleep type SLP_TYP of
 * S5 and the SLP_EN bit to the PM1 control register(s) (§4.8.3.2.1):
 *
 *	PM1 control, 16 bits: bit 0 SCI_EN (ACPI mode is on) … bits 12:10
 *	SLP_TYP, bit 13 SLP_EN (write-only: "go to sleep now")
 *
 * SLP_TYP is not in any table: it is the first two integers of the \_S5
 * object in the DSDT, which is AML bytecode meant for an interpreter.
 * Kestrel has none; it finds the object's bytes instead (find_s5 below)
 * and reads the package by the AML grammar (§20.2):
 *
 *	DefName    := NameOp (0x08) NameString DataRefObject      §20.2.5.1
 *	NameString := ['\'] {'^'} "_S5_"                           §20.2.2
 *	DefPackage := PackageOp (0x12) PkgLength NumElements (u8)
 *	              PackageElementList                          §20.2.5.4
 *	PkgLength  := lead byte, bits 7:6 = N more bytes (0–3)     §20.2.4
 *	integers   := ZeroOp 0x00 | OneOp 0x01 | BytePrefix 0x0a b |
 *	              WordPrefix 0x0b w | DWordPrefix 0x0c d |
 *	              QWordPrefix 0x0e q | OnesOp 0xff              §20.2.3
 *
 * (A full OS would first run \_PTS(5), "prepare to sleep", §7.4.1; without
 * an interpreter it cannot, and QEMU's machines need nothing from it.)
 *
 * Reset (§4.8.3.6): when flag RESET_REG_SUP is set, writing RESET_VALUE to
 * the register RESET_REG describes resets the machine.  On QEMU's q35 it
 * is I/O port 0xcf9, value 0x0f; its PM1a control is port 0x604 and \_S5
 * is {0, 0}.  Under `-no-reboot` both end QEMU.
 */
#include <asm/io.h>
#include <kestrel/errno.h>
#include <kestrel/io.h>
#include <kestrel/ktime.h>
#include <kestrel/printk.h>
#include <kestrel/string.h>
#include "internal.h"

#define FADT_RESET_REG_SUP	(1U << 10)
#define FADT_HW_REDUCED		(1U << 20)

#define PM1_SCI_EN		(1U << 0)
#define PM1_SLP_TYP_SHIFT	10
#define PM1_SLP_TYP_MASK	(7U << PM1_SLP_TYP_SHIFT)
#define PM1_SLP_EN		(1U << 13)
/* Sleep control register of hardware-reduced ACPI, §4.8.3.7. */
#define SLEEP_CTL_TYP_SHIFT	2
#define SLEEP_CTL_EN		(1U << 5)

#define AML_NAME_OP		0x08
#define AML_PACKAGE_OP		0x12
#define AML_ROOT_CHAR		'\\'
#define AML_PARENT_PREFIX	'^'

struct acpi_table_fadt {
	struct acpi_table_header header;
	u32 firmware_ctrl, dsdt;
	u8 reserved0, pm_profile;
	u16 sci_int;
	u32 smi_cmd;
	u8 acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
	u32 pm1a_evt_blk, pm1b_evt_blk, pm1a_cnt_blk, pm1b_cnt_blk;
	u32 pm2_cnt_blk, pm_tmr_blk, gpe0_blk, gpe1_blk;
	u8 pm1_evt_len, pm1_cnt_len, pm2_cnt_len, pm_tmr_len;
	u8 gpe0_blk_len, gpe1_blk_len, gpe1_base, cst_cnt;
	u16 p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
	u8 duty_offset, duty_width, day_alrm, mon_alrm, century;
	u16 iapc_boot_arch;
	u8 reserved1;
	u32 flags;
	struct acpi_gas reset_reg;
	u8 reset_value;
	u16 arm_boot_arch;
	u8 minor_version;
	u64 x_firmware_ctrl, x_dsdt;
	struct acpi_gas x_pm1a_evt_blk, x_pm1b_evt_blk;
	struct acpi_gas x_pm1a_cnt_blk, x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk, x_pm_tmr_blk, x_gpe0_blk, x_gpe1_blk;
	struct acpi_gas sleep_control, sleep_status;
} __packed;

#define FADT_OFFSET(field) __builtin_offsetof(struct acpi_table_fadt, field)
_Static_assert(FADT_OFFSET(century) == 108, "FADT layout");
_Static_assert(FADT_OFFSET(x_dsdt) == 140, "FADT layout");
_Static_assert(FADT_OFFSET(sleep_control) == 244, "FADT layout");

/* What acpi_sleep_init() keeps; read-only afterwards. */
static struct {
	struct acpi_gas pm1a, pm1b;	/* PM1 control (pm1b: 0 if none) */
	struct acpi_gas reset;		/* address 0: no reset register */
	struct acpi_gas sleep_control;	/* hardware-reduced only */
	u8 reset_value;
	u32 smi_cmd;
	u8 acpi_enable;
	u8 century;
	bool hw_reduced;
	bool have_s5;
	u8 slp_typa, slp_typb;
} pm;

/* Does the FADT, @len bytes long, reach past field [@off, @off + @size)? */
#define FADT_HAS(len, field)						\
	((len) >= __builtin_offsetof(struct acpi_table_fadt, field) +	\
		  sizeof(((struct acpi_table_fadt *)0)->field))

/* A GAS for a 16-bit I/O port from a legacy 32-bit block field. */
static struct acpi_gas io_gas(u32 port)
{
	return (struct acpi_gas){ .space_id = ACPI_SPACE_IO, .bit_width = 16,
				  .access_size = 2, .address = port };
}

static void gas_write(const struct acpi_gas *g, u32 val)
{
	void *mmio;

	if (g->space_id == ACPI_SPACE_IO) {
		if (g->bit_width == 8)
			outb(g->address, val);
		else if (g->bit_width == 32)
			outl(g->address, val);
		else
			outw(g->address, val);
	} else if (g->space_id == ACPI_SPACE_MEMORY) {
		mmio = ioremap(g->address, 4);
		if (!mmio)
			return;
		if (g->bit_width == 8)
			writeb(val, mmio);
		else if (g->bit_width == 32)
			writel(val, mmio);
		else
			writew(val, mmio);
		iounmap(mmio);
	}
}

static u32 gas_read16(const struct acpi_gas *g)
{
	return g->space_id == ACPI_SPACE_IO ? inw(g->address) : 0;
}

/* ---- finding \_S5 in the DSDT ---- */

/* Decode a PkgLength at @p (§20.2.4); returns its byte count, 0 if bad. */
static size_t pkg_length_bytes(const u8 *p, const u8 *end)
{
	size_t n = 1 + (p[0] >> 6);

	return p + n <= end ? n : 0;
}

/* Decode one integer data object at *@pp (§20.2.3); false if not one. */
static bool aml_integer(const u8 **pp, const u8 *end, u64 *val)
{
	const u8 *p = *pp;
	size_t n;

	switch (*p) {
	case 0x00: *val = 0; n = 0; break;		/* ZeroOp */
	case 0x01: *val = 1; n = 0; break;		/* OneOp */
	case 0xff: *val = ~0ULL; n = 0; break;		/* OnesOp */
	case 0x0a: n = 1; break;			/* BytePrefix */
	case 0x0b: n = 2; break;			/* WordPrefix */
	case 0x0c: n = 4; break;			/* DWordPrefix */
	case 0x0e: n = 8; break;			/* QWordPrefix */
	default: return false;
	}
	if (p + 1 + n > end)
		return false;
	if (n) {
		*val = 0;
		memcpy(val, p + 1, n);	/* little-endian, like x86 */
	}
	*pp = p + 1 + n;
	return true;
}

/*
 * Is @at (pointing at "_S5_") the name of a DefName?  Walk back over the
 * prefixes '\' and '^' to the NameOp.  Then parse the package after it.
 */
static bool parse_s5_at(const u8 *start, const u8 *at, const u8 *end)
{
	const u8 *p = at - 1;
	u64 a, b;
	size_t n;

	while (p > start && (*p == AML_ROOT_CHAR || *p == AML_PARENT_PREFIX))
		p--;
	if (p < start || *p != AML_NAME_OP)
		return false;
	p = at + 4;
	if (p + 3 > end || *p++ != AML_PACKAGE_OP)
		return false;
	n = pkg_length_bytes(p, end);
	if (!n || p + n + 1 > end)
		return false;
	p += n;
	if (*p++ < 1)			/* NumElements */
		return false;
	if (!aml_integer(&p, end, &a))
		return false;
	if (p >= end || !aml_integer(&p, end, &b))
		b = a;			/* one element: the same for both */
	pm.slp_typa = a & 7;
	pm.slp_typb = b & 7;
	return true;
}

static bool find_s5(const struct acpi_table_header *dsdt)
{
	const u8 *start = (const u8 *)(dsdt + 1);
	const u8 *end = (const u8 *)dsdt + dsdt->length;
	const u8 *p;

	for (p = start + 1; p + 4 <= end; p++)
		if (memcmp(p, "_S5_", 4) == 0 && parse_s5_at(start, p, end))
			return true;
	return false;
}

static void read_dsdt(const struct acpi_table_fadt *f, u32 len)
{
	bool x = FADT_HAS(len, x_dsdt) && f->x_dsdt;
	phys_addr_t pa = x ? f->x_dsdt : f->dsdt;
	const struct acpi_table_header *dsdt = acpi_map_table(pa);

	if (!dsdt || memcmp(dsdt->signature, "DSDT", 4) != 0 ||
	    !acpi_checksum_ok(dsdt, dsdt->length)) {
		pr_warn("acpi: no valid DSDT at 0x%llx: no poweroff\n",
			(unsigned long long)pa);
		return;
	}
	pm.have_s5 = find_s5(dsdt);
	pr_info("acpi: DSDT 0x%016llx %6u bytes: %s SLP_TYPa=%u SLP_TYPb=%u\n",
		(unsigned long long)pa, dsdt->length,
		pm.have_s5 ? "\\_S5" : "no \\_S5 found,", pm.slp_typa,
		pm.slp_typb);
}

static void read_pm1(const struct acpi_table_fadt *f, u32 len)
{
	pm.pm1a = io_gas(f->pm1a_cnt_blk);
	pm.pm1b = io_gas(f->pm1b_cnt_blk);
	if (FADT_HAS(len, x_pm1a_cnt_blk) && f->x_pm1a_cnt_blk.address)
		pm.pm1a = f->x_pm1a_cnt_blk;
	if (FADT_HAS(len, x_pm1b_cnt_blk) && f->x_pm1b_cnt_blk.address)
		pm.pm1b = f->x_pm1b_cnt_blk;
	if (FADT_HAS(len, sleep_control))
		pm.sleep_control = f->sleep_control;
	pm.hw_reduced = f->flags & FADT_HW_REDUCED;
}

void acpi_sleep_init(const struct acpi_table_header *hdr)
{
	const struct acpi_table_fadt *f = (const void *)hdr;
	u32 len = hdr->length;

	if (!FADT_HAS(len, flags)) {
		pr_warn("acpi: FADT too short (%u bytes)\n", len);
		return;
	}
	read_pm1(f, len);
	pm.smi_cmd = f->smi_cmd;
	pm.acpi_enable = f->acpi_enable;
	pm.century = f->century;
	if (FADT_HAS(len, reset_value) && (f->flags & FADT_RESET_REG_SUP)) {
		pm.reset = f->reset_reg;
		pm.reset_value = f->reset_value;
	}
	pr_info("acpi: FADT: PM1a control 0x%llx, PM1b 0x%llx, reset register %s 0x%llx value 0x%x, century index 0x%x\n",
		(unsigned long long)pm.pm1a.address,
		(unsigned long long)pm.pm1b.address,
		pm.reset.space_id == ACPI_SPACE_IO ? "I/O" : "memory",
		(unsigned long long)pm.reset.address, pm.reset_value,
		pm.century);
	read_dsdt(f, len);
}

u8 acpi_rtc_century(void)
{
	return pm.century;
}

bool acpi_s5_sleep_type(u8 *slp_typa, u8 *slp_typb)
{
	*slp_typa = pm.slp_typa;
	*slp_typb = pm.slp_typb;
	return pm.have_s5;
}

/* Spin for about @ms milliseconds (a bounded count when time is not up). */
static void settle(unsigned int ms)
{
	unsigned int i;

	for (i = 0; i < ms; i++)
		if (clock_ready())
			mdelay(1);
		else
			inb(0x80);	/* the POST port: about a microsecond */
}

/* Switch to ACPI mode if the firmware left the machine in legacy mode. */
static void acpi_enable_mode(void)
{
	unsigned int i;

	if (pm.hw_reduced || (gas_read16(&pm.pm1a) & PM1_SCI_EN) ||
	    !pm.smi_cmd || !pm.acpi_enable)
		return;
	outb(pm.smi_cmd, pm.acpi_enable);
	for (i = 0; i < 300 && !(gas_read16(&pm.pm1a) & PM1_SCI_EN); i++)
		settle(1);
}

int acpi_power_off(void)
{
	u32 a, b;

	if (!pm.have_s5 || (pm.hw_reduced ? !pm.sleep_control.address :
					    !pm.pm1a.address))
		return -ENODEV;
	if (pm.hw_reduced) {
		gas_write(&pm.sleep_control,
			  (pm.slp_typa << SLEEP_CTL_TYP_SHIFT) | SLEEP_CTL_EN);
	} else {
		acpi_enable_mode();
		a = gas_read16(&pm.pm1a) & ~(PM1_SLP_TYP_MASK | PM1_SLP_EN);
		gas_write(&pm.pm1a, a | (pm.slp_typa << PM1_SLP_TYP_SHIFT));
		if (pm.pm1b.address) {
			b = gas_read16(&pm.pm1b) &
			    ~(PM1_SLP_TYP_MASK | PM1_SLP_EN);
			gas_write(&pm.pm1b, b | PM1_SLP_EN |
				  (pm.slp_typb << PM1_SLP_TYP_SHIFT));
		}
		/* SLP_EN last, on PM1a: the write that starts the change. */
		gas_write(&pm.pm1a, a | (pm.slp_typa << PM1_SLP_TYP_SHIFT) |
					PM1_SLP_EN);
	}
	settle(500);
	return -EIO;
}

int acpi_reset(void)
{
	if (!pm.reset.address || (pm.reset.space_id != ACPI_SPACE_IO &&
				  pm.reset.space_id != ACPI_SPACE_MEMORY))
		return -ENODEV;
	gas_write(&pm.reset, pm.reset_value);
	settle(500);
	return -EIO;
}
