/*
 * main.c — start_kernel, the first C function, and the order of start-up.
 *
 * head.S calls start_kernel on the boot CPU with the boot page tables, a
 * 16 KiB stack, interrupts off and no other CPU running.  The order below
 * matters, and each step says what it needs:
 *
 *  1. per-CPU area      this_cpu() works (printk uses it)
 *  2. serial console    printk output is visible from here on
 *  3. traps             any CPU exception now prints an oops
 *     scheduler         sched_init: this code becomes the boot CPU's idle
 *                       task, so `current` is valid (lab 5)
 *  4. boot information  the command line, memory map, initrd, RSDP
 *  5. banner, command line, memory map printed
 *  6. in-kernel tests, when the command line asks for them (they exit QEMU)
 *  7. rest_init: the console runs in a kernel thread, and start_kernel
 *     becomes what sched_init made it, the idle task (lab 5)
 *
 * Later labs insert memory management, interrupts, the scheduler and the
 * first user process between 5 and 6.
 */
#include <asm/processor.h>
#include <asm/setup.h>
#include <kestrel/acpi.h>
#include <kestrel/boot.h>
#include <kestrel/cmdline.h>
#include <kestrel/fs.h>
#include <kestrel/irq.h>
#include <kestrel/ktest.h>
#include <kestrel/ktime.h>
#include <kestrel/kthread.h>
#include <kestrel/mm.h>
#include <kestrel/percpu.h>
#include <kestrel/pgtable.h>
#include <kestrel/printk.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/serial.h>
#include <kestrel/string.h>
#include <kestrel/vmalloc.h>

#define KESTREL_VERSION	"0.1.0"
#define KESTREL_ARCH	"x86_64"

void start_kernel(unsigned long boot_arg0, unsigned long boot_arg1);

const char *boot_mem_type_name(u32 type)
{
	switch (type) {
	case BOOT_MEM_USABLE:
		return "usable";
	case BOOT_MEM_ACPI_RECLAIM:
		return "ACPI data";
	case BOOT_MEM_ACPI_NVS:
		return "ACPI NVS";
	case BOOT_MEM_BAD:
		return "unusable";
	default:
		return "reserved";
	}
}

static void print_memory_map(const struct boot_info *bi)
{
	u64 usable = 0;
	unsigned int i;

	pr_info("Physical memory map from the boot loader:\n");
	for (i = 0; i < bi->nr_mem; i++) {
		const struct boot_mem_range *r = &bi->mem[i];

		pr_info("  [mem 0x%016llx-0x%016llx] %s\n",
			(unsigned long long)r->base,
			(unsigned long long)(r->base + r->len - 1),
			boot_mem_type_name(r->type));
		if (r->type == BOOT_MEM_USABLE)
			usable += r->len;
	}
	pr_info("Memory: %lluK usable RAM\n", (unsigned long long)usable >> 10);
}

static void print_banner(const struct boot_info *bi)
{
	pr_notice("Kestrel " KESTREL_VERSION " (" KESTREL_ARCH ") booted via %s%s%s\n",
		  bi->protocol, bi->loader ? " by " : "",
		  bi->loader ? bi->loader : "");
	pr_notice("Command line: %s\n", bi->cmdline);
}

static int console_thread(void *unused)
{
	(void)unused;
	console_echo_loop();
}

/*
 * The end of start-up (lab 5): the console loop moves into a kernel
 * thread, and the code that ran start-up so far becomes what sched_init()
 * made it — the boot CPU's idle task.  In the stages before lab 5 there
 * are no threads (kthread_create fails), and the boot CPU runs the
 * console loop itself, as lab 4 left it.
 */
static void __noreturn rest_init(void)
{
	struct task *console;

	/* Lab 8: the file tree — a tmpfs root with the initramfs unpacked
	 * into it, /dev, /proc, /tmp — before the first process looks. */
	vfs_init();
	/* Lab 6: pid 1, the first user process, when the initrd holds one;
	 * it owns the console.  Otherwise the console echoes, as in lab 5. */
	if (user_init_start())
		cpu_idle();
	console = kthread_create(console_thread, NULL, "console");

	if (IS_ERR(console))
		console_echo_loop();
	pr_info("sched: console echo in kernel thread \"%s\" (pid %d); start_kernel is now %s, the idle task of CPU 0\n",
		console->comm, console->pid, current->comm);
	wake_up_process(console);
	cpu_idle();
}

void start_kernel(unsigned long boot_arg0, unsigned long boot_arg1)
{
	static char cmdline[BOOT_CMDLINE_MAX];
	int err;

	percpu_init(0);
	serial_console_init();
	arch_trap_init();
	sched_init();

	err = arch_parse_boot_info(&boot_info, boot_arg0, boot_arg1);
	print_banner(&boot_info);
	if (err)
		pr_err("boot: incomplete boot information from %s (error %d)\n",
		       boot_info.protocol, err);
	memcpy(cmdline, boot_info.cmdline, sizeof(cmdline));
	cmdline_parse(cmdline);
	print_memory_map(&boot_info);
	mm_init(&boot_info);
	paging_init();
	vmalloc_init();
	acpi_init();
	irq_init();
	time_init();
	serial_irq_init();
	local_irq_enable();

	ktest_run_cmdline();

	pr_notice("Kestrel: boot complete\n");
	rest_init();
}
