/*
 * fpu.c — x87/SSE state of user tasks (kestrel/fpu.h tells the policy).
 *
 * The state is saved with FXSAVE64 and restored with FXRSTOR64: 512 bytes,
 * 16-byte aligned, holding the x87 registers, the 16 XMM registers and
 * MXCSR (Intel SDM vol. 1 §10.5 "FXSAVE and FXRSTOR", table 10-2).
 * Kestrel does not enable XSAVE (CR4.OSXSAVE stays 0), so CPUID tells
 * user programs that AVX cannot be used (CPUID.1:ECX.OSXSAVE = 0) and
 * FXSAVE covers every register they may touch.  Enabling SSE for user
 * mode takes CR4.OSFXSR and CR4.OSXMMEXCPT (SDM vol. 3A §2.5 and §13.1.3)
 * and CR0.EM = 0, CR0.MP = 1, CR0.TS = 0.
 *
 * A new program starts from the state FNINIT gives plus MXCSR's reset
 * value (SDM vol. 1 §8.1.5, §10.2.3.1): FCW 0x037f, MXCSR 0x1f80 (all
 * exceptions masked, round to nearest), every register zero.
 *
 * Ownership.  fpu_owner (per CPU) is the task whose state is in the
 * registers.  Switching to user task T: if T is the owner, nothing; else
 * save the owner's registers to its area, load T's.  A task that exits
 * stops being the owner (fpu_release), so the pointer never dangles.
 */
#include <asm/processor.h>
#include <kestrel/fpu.h>
#include <kestrel/errno.h>
#include <kestrel/irqflags.h>
#include <kestrel/printk.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>

#define FXSAVE_SIZE	512
#define X86_CR0_MP	(1UL << 1)
#define X86_CR0_EM	(1UL << 2)
#define X86_CR0_TS	(1UL << 3)
#define X86_CR4_OSFXSR	(1UL << 9)
#define X86_CR4_OSXMMEXCPT (1UL << 10)

struct fxregs {
	u16 fcw, fsw;
	u8 ftw, reserved0;
	u16 fop;
	u64 rip, rdp;
	u32 mxcsr, mxcsr_mask;
	u8 rest[FXSAVE_SIZE - 32];
} __aligned(16);

_Static_assert(sizeof(struct fxregs) == FXSAVE_SIZE, "FXSAVE area: 512 bytes");

static struct fxregs initial_state;
static struct task *fpu_owner;	/* per CPU (one CPU until lab 11) */
static struct kmem_cache *fpu_cache;

static void fxsave(struct fxregs *fx)
{
	__asm__ __volatile__("fxsave64 %0" : "=m"(*fx));
}

static void fxrstor(const struct fxregs *fx)
{
	__asm__ __volatile__("fxrstor64 %0" : : "m"(*fx));
}

void fpu_init(void)
{
	write_cr0((read_cr0() & ~(X86_CR0_EM | X86_CR0_TS)) | X86_CR0_MP);
	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
	initial_state.fcw = 0x037f;
	initial_state.mxcsr = 0x1f80;
	if (!initial_state.mxcsr_mask) {	/* the CPU's, for fpu_sig_restore */
		static struct fxregs probe;

		fxsave(&probe);
		initial_state.mxcsr_mask = probe.mxcsr_mask;
	}
	if (!fpu_cache)
		fpu_cache = kmem_cache_create("fpu_state", sizeof(struct fxregs), 16, 0);
}

/* The task's save area, allocated on first use; NULL when out of memory. */
static struct fxregs *fpu_area(struct task *p)
{
	if (!p->thread.fpu && fpu_cache)
		p->thread.fpu = kmem_cache_alloc(fpu_cache, GFP_KERNEL);
	return p->thread.fpu;
}

void fpu_switch_to(struct task *next)
{
	struct fxregs *area = next->thread.fpu;

	if (next == fpu_owner || !area)
		return;
	if (fpu_owner && fpu_owner->thread.fpu)
		fxsave(fpu_owner->thread.fpu);
	fxrstor(area);
	fpu_owner = next;
}

int fpu_copy(struct task *child)
{
	struct task *me = current;
	struct fxregs *area = fpu_area(child);
	unsigned long flags;

	if (!area)
		return -ENOMEM;
	flags = arch_local_irq_save();
	if (fpu_owner == me && me->thread.fpu)
		fxsave(me->thread.fpu);	/* the registers are newer than the area */
	memcpy(area, me->thread.fpu ? me->thread.fpu : &initial_state,
	       sizeof(*area));
	arch_local_irq_restore(flags);
	return 0;
}

void fpu_reset_current(void)
{
	struct task *me = current;
	struct fxregs *area = fpu_area(me);
	unsigned long flags;

	if (!area)
		return;		/* it keeps whatever the registers hold */
	memcpy(area, &initial_state, sizeof(*area));
	flags = arch_local_irq_save();
	fxrstor(area);
	fpu_owner = me;
	arch_local_irq_restore(flags);
}

void fpu_release(struct task *p)
{
	unsigned long flags = arch_local_irq_save();

	if (fpu_owner == p)
		fpu_owner = NULL;
	arch_local_irq_restore(flags);
	if (p->thread.fpu) {
		kmem_cache_free(fpu_cache, p->thread.fpu);
		p->thread.fpu = NULL;
	}
}

/*
 * Signal frames (lab 9, arch/x86_64/signal.c) carry the FXSAVE image.
 * fpu_sig_save copies the current task's registers into @buf (512 bytes);
 * fpu_sig_restore loads them back from a copy that came from user space,
 * so MXCSR is masked with the CPU's MXCSR_MASK first: a reserved bit set
 * would make FXRSTOR raise #GP in the kernel (SDM vol. 1 §10.5.1.2).
 */
void fpu_sig_save(void *buf)
{
	struct task *me = current;
	unsigned long flags = arch_local_irq_save();

	if (fpu_owner == me && me->thread.fpu)
		fxsave(me->thread.fpu);
	memcpy(buf, me->thread.fpu ? me->thread.fpu : &initial_state, FXSAVE_SIZE);
	arch_local_irq_restore(flags);
}

int fpu_sig_restore(const void *buf)
{
	struct task *me = current;
	struct fxregs *area = fpu_area(me);
	u32 mask = initial_state.mxcsr_mask ? initial_state.mxcsr_mask : 0xffbf;
	unsigned long flags;

	if (!area)
		return -ENOMEM;
	flags = arch_local_irq_save();
	memcpy(area, buf, FXSAVE_SIZE);
	area->mxcsr &= mask;
	fxrstor(area);
	fpu_owner = me;
	arch_local_irq_restore(flags);
	return 0;
}
