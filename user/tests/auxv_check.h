/*
 * auxv_check.h — the body of auxv.c and auxv-pie.c: the same checks on
 * a program loaded at its link address (ET_EXEC) and on a static PIE
 * (ET_DYN, loaded at a bias).
 *
 * It looks at what the kernel put on the initial stack (System V ABI
 * AMD64 §3.4.1, figure 3.9) directly, not through the C library: argc at
 * the stack pointer, then argv, NULL, envp, NULL, the auxiliary vector.
 * It prints everything (ARGV, ENVP and AUXV lines) for the grader, which
 * compares the arguments and environment with the command line it gave
 * and the addresses with the binary's headers, and checks in KTAP what
 * it can see from inside:
 *
 *	layout      envp follows argv's NULL; auxv follows envp's NULL
 *	alignment   the initial stack pointer (&argc) is 16-byte aligned
 *	entry       AT_ENTRY is the address of _start
 *	phdr        AT_PHDR/AT_PHENT/AT_PHNUM describe the loaded program
 *	            headers (found from __ehdr_start, the ELF header in memory)
 *	values      AT_PAGESZ 4096, AT_CLKTCK 100, ids 0, AT_SECURE 0,
 *	            AT_BASE 0 (no interpreter), AT_PLATFORM "x86_64",
 *	            AT_EXECFN the path exec'd (argv[0], or for a #! script
 *	            the script's path), AT_HWCAP = CPUID.1:EDX
 *	random      AT_RANDOM points at 16 bytes on the stack, not all zero
 *	complete    every key Linux gives is present (AT_MINSIGSTKSZ …)
 */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ktap.h"
#include "testlib.h"

extern char _start[];
extern const Elf64_Ehdr __ehdr_start;

static int g_argc;
static char **g_argv, **g_envp;
static Elf64_auxv_t *g_auxv;

static const struct { unsigned long type; const char *name; } aux_names[] = {
	{ AT_PHDR, "AT_PHDR" }, { AT_PHENT, "AT_PHENT" }, { AT_PHNUM, "AT_PHNUM" },
	{ AT_PAGESZ, "AT_PAGESZ" }, { AT_BASE, "AT_BASE" }, { AT_FLAGS, "AT_FLAGS" },
	{ AT_ENTRY, "AT_ENTRY" }, { AT_UID, "AT_UID" }, { AT_EUID, "AT_EUID" },
	{ AT_GID, "AT_GID" }, { AT_EGID, "AT_EGID" }, { AT_PLATFORM, "AT_PLATFORM" },
	{ AT_HWCAP, "AT_HWCAP" }, { AT_CLKTCK, "AT_CLKTCK" }, { AT_SECURE, "AT_SECURE" },
	{ AT_RANDOM, "AT_RANDOM" }, { AT_HWCAP2, "AT_HWCAP2" }, { AT_EXECFN, "AT_EXECFN" },
	{ AT_MINSIGSTKSZ, "AT_MINSIGSTKSZ" },
};

static const char *aux_name(unsigned long type)
{
	for (size_t i = 0; i < sizeof(aux_names) / sizeof(aux_names[0]); i++)
		if (aux_names[i].type == type)
			return aux_names[i].name;
	return NULL;
}

/* The value of auxv entry @type, and whether it is there. */
static int aux_get(unsigned long type, unsigned long *val)
{
	for (Elf64_auxv_t *a = g_auxv; a->a_type != AT_NULL; a++)
		if (a->a_type == type) {
			*val = a->a_un.a_val;
			return 1;
		}
	return 0;
}

static unsigned long aux(unsigned long type)
{
	unsigned long v = 0xdeadbeef;

	aux_get(type, &v);
	return v;
}

static void dump(void)
{
	char line[512];

	printf("ARGC %d\n", g_argc);
	for (int i = 0; i < g_argc; i++)
		printf("ARGV %d %s\n", i, g_argv[i]);
	for (char **e = g_envp; *e; e++)
		printf("ENVP %s\n", *e);
	for (Elf64_auxv_t *a = g_auxv; a->a_type != AT_NULL; a++) {
		const char *name = aux_name(a->a_type);

		snprintf(line, sizeof(line), "AUXV %s 0x%lx", name ? name : "?",
			 (unsigned long)a->a_un.a_val);
		puts(line);
	}
	fflush(stdout);
}

static void layout(struct ktap_ctx *ctx)
{
	EXPECT_EQ(ctx, (long)g_argv[-1], g_argc);	/* argc sits below argv */
	KT_EXPECT(ctx, g_argv[g_argc] == NULL);
	KT_EXPECT(ctx, g_envp == g_argv + g_argc + 1);
}

static void alignment(struct ktap_ctx *ctx)
{
	uintptr_t sp = (uintptr_t)(g_argv - 1);

	if (sp % 16)
		ktap_fail(ctx, __FILE__, __LINE__, "initial RSP %#lx is not 16-byte aligned",
			  (unsigned long)sp);
}

static void entry(struct ktap_ctx *ctx)
{
	EXPECT_EQ(ctx, aux(AT_ENTRY), (unsigned long)_start);
}

static void phdr(struct ktap_ctx *ctx)
{
	const char *base = (const char *)&__ehdr_start;

	EXPECT_EQ(ctx, aux(AT_PHDR), (unsigned long)(base + __ehdr_start.e_phoff));
	EXPECT_EQ(ctx, aux(AT_PHENT), sizeof(Elf64_Phdr));
	EXPECT_EQ(ctx, aux(AT_PHNUM), __ehdr_start.e_phnum);
}

/* AT_EXECFN is the path execve was given: argv[0] for a program run
 * directly, a later argument (the script) for a #! script. */
static int execfn_in_argv(const char *execfn)
{
	for (int i = 0; i < g_argc; i++)
		if (strcmp(execfn, g_argv[i]) == 0)
			return 1;
	return 0;
}

static void values(struct ktap_ctx *ctx)
{
	unsigned int a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	EXPECT_EQ(ctx, aux(AT_PAGESZ), 4096);
	EXPECT_EQ(ctx, aux(AT_CLKTCK), 100);
	EXPECT_EQ(ctx, aux(AT_UID), 0);
	EXPECT_EQ(ctx, aux(AT_EUID), 0);
	EXPECT_EQ(ctx, aux(AT_GID), 0);
	EXPECT_EQ(ctx, aux(AT_EGID), 0);
	EXPECT_EQ(ctx, aux(AT_SECURE), 0);
	EXPECT_EQ(ctx, aux(AT_BASE), 0);
	EXPECT_EQ(ctx, aux(AT_HWCAP), d);
	KT_EXPECT(ctx, strcmp((const char *)aux(AT_PLATFORM), "x86_64") == 0);
	KT_EXPECT(ctx, execfn_in_argv((const char *)aux(AT_EXECFN)));
}

static void random_bytes(struct ktap_ctx *ctx)
{
	const unsigned char *r = (const unsigned char *)aux(AT_RANDOM);
	int nonzero = 0;

	/* On the stack, above the vectors. */
	KT_EXPECT(ctx, (uintptr_t)r > (uintptr_t)g_envp);
	KT_EXPECT(ctx, (uintptr_t)r < 0x7ffffffff000UL);
	for (int i = 0; i < 16; i++)
		nonzero += r[i] != 0;
	KT_EXPECT(ctx, nonzero > 4);
}

static void complete(struct ktap_ctx *ctx)
{
	unsigned long v;

	for (size_t i = 0; i < sizeof(aux_names) / sizeof(aux_names[0]); i++)
		if (!aux_get(aux_names[i].type, &v))
			ktap_fail(ctx, __FILE__, __LINE__, "%s missing", aux_names[i].name);
}

int main(int argc, char **argv, char **envp)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(layout), KTAP_CASE(alignment), KTAP_CASE(entry),
		KTAP_CASE(phdr), KTAP_CASE(values), KTAP_CASE(random_bytes),
		KTAP_CASE(complete),
	};
	char **e = envp;

	g_argc = argc;
	g_argv = argv;
	g_envp = envp;
	while (*e)
		e++;
	g_auxv = (Elf64_auxv_t *)(e + 1);
	dump();
	/* No case names on this command line: the arguments are data. */
	return ktap_main(1, argv, cases, KTAP_COUNT(cases));
}
