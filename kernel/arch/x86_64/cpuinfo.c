/*
 * cpuinfo.c — /proc/cpuinfo's paragraph for the boot CPU, from CPUID
 * (Intel SDM vol. 2A, "CPUID—CPU Identification": leaves 0, 1,
 * 0x80000001–4 and 0x80000008; the flag names are Linux's,
 * arch/x86/include/asm/cpufeatures.h).  The format is Linux's
 * (arch/x86/kernel/cpu/proc.c prints "name\t: value"), which programs
 * such as nproc and lscpu parse.  The clock rate is measured once
 * against ktime: the TSC over 10 ms.
 */
#include <asm/processor.h>
#include <asm/timex.h>
#include <kestrel/cpuinfo.h>
#include <kestrel/ktime.h>
#include <kestrel/sprintf.h>
#include <kestrel/string.h>

struct flag {
	u8 reg;		/* 0: leaf 1 EDX, 1: leaf 1 ECX, 2: 0x80000001 EDX, 3: ECX */
	u8 bit;
	const char *name;
};

static const struct flag flags[] = {
	{ 0, 0, "fpu" }, { 0, 1, "vme" }, { 0, 2, "de" }, { 0, 3, "pse" },
	{ 0, 4, "tsc" }, { 0, 5, "msr" }, { 0, 6, "pae" }, { 0, 7, "mce" },
	{ 0, 8, "cx8" }, { 0, 9, "apic" }, { 0, 11, "sep" }, { 0, 12, "mtrr" },
	{ 0, 13, "pge" }, { 0, 14, "mca" }, { 0, 15, "cmov" }, { 0, 16, "pat" },
	{ 0, 17, "pse36" }, { 0, 19, "clflush" }, { 0, 23, "mmx" },
	{ 0, 24, "fxsr" }, { 0, 25, "sse" }, { 0, 26, "sse2" }, { 0, 28, "ht" },
	{ 2, 11, "syscall" }, { 2, 20, "nx" }, { 2, 26, "pdpe1gb" },
	{ 2, 27, "rdtscp" }, { 2, 29, "lm" },
	{ 1, 0, "pni" }, { 1, 1, "pclmulqdq" }, { 1, 9, "ssse3" },
	{ 1, 12, "fma" }, { 1, 13, "cx16" }, { 1, 19, "sse4_1" },
	{ 1, 20, "sse4_2" }, { 1, 21, "x2apic" }, { 1, 22, "movbe" },
	{ 1, 23, "popcnt" }, { 1, 25, "aes" }, { 1, 26, "xsave" },
	{ 1, 28, "avx" }, { 1, 29, "f16c" }, { 1, 30, "rdrand" },
	{ 1, 31, "hypervisor" }, { 3, 0, "lahf_lm" }, { 3, 5, "abm" },
};

static unsigned long cpu_khz(void)
{
	static unsigned long khz;
	u64 t0, c0, t1, c1;

	if (khz || !clock_ready())
		return khz;
	t0 = ktime_get();
	c0 = get_cycles();
	while ((t1 = ktime_get()) - t0 < 10 * NSEC_PER_MSEC)
		cpu_relax();
	c1 = get_cycles();
	khz = (c1 - c0) * 1000000ULL / (t1 - t0) / 1000;
	return khz;
}

static int cpu_model_name(char *name)
{
	u32 r[12], a, b, c, d;
	unsigned int i;

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a < 0x80000004)
		return 0;
	for (i = 0; i < 3; i++)
		cpuid(0x80000002 + i, 0, &r[4 * i], &r[4 * i + 1],
		      &r[4 * i + 2], &r[4 * i + 3]);
	memcpy(name, r, 48);
	name[48] = '\0';
	while (*name == ' ')
		memmove(name, name + 1, strlen(name));
	return 1;
}

int arch_show_cpuinfo(char *buf, size_t len, unsigned int cpu)
{
	u32 a, b, c, d, regs[4] = { 0 }, ext = 0, level;
	char vendor[13], model[49] = "unknown";
	unsigned int family, mdl, i;
	unsigned long khz = cpu_khz();
	int n;

	cpuid(0, 0, &level, &b, &c, &d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	vendor[12] = '\0';
	cpuid(1, 0, &a, &b, &regs[1], &regs[0]);
	family = (a >> 8) & 0xf;
	mdl = (a >> 4) & 0xf;
	if (family == 0xf)
		family += (a >> 20) & 0xff;
	if (family >= 6)
		mdl += ((a >> 16) & 0xf) << 4;
	cpuid(0x80000000, 0, &ext, &b, &c, &d);
	if (ext >= 0x80000001)
		cpuid(0x80000001, 0, &a, &b, &regs[3], &regs[2]);
	cpu_model_name(model);
	n = snprintf(buf, len,
		     "processor\t: %u\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n"
		     "model name\t: %s\nstepping\t: %u\ncpu MHz\t\t: %lu.%03lu\n"
		     "physical id\t: 0\nsiblings\t: 1\ncore id\t\t: %u\ncpu cores\t: 1\n"
		     "apicid\t\t: %u\nfpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: %u\n"
		     "wp\t\t: yes\nflags\t\t:",
		     cpu, vendor, family, mdl, model, a & 0xf, khz / 1000, khz % 1000,
		     cpu, cpu, level);
	for (i = 0; i < ARRAY_SIZE(flags) && n < (int)len; i++)
		if (regs[flags[i].reg] & (1U << flags[i].bit))
			n += snprintf(buf + n, len - n, " %s", flags[i].name);
	if (n < (int)len)
		n += snprintf(buf + n, len - n,
			      "\nbogomips\t: %lu.%02lu\nclflush size\t: 64\ncache_alignment\t: 64\n"
			      "address sizes\t: 40 bits physical, 48 bits virtual\npower management:\n\n",
			      khz / 500, (khz / 5) % 100);
	return MIN(n, (int)len);
}
