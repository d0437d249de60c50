/*
 * reboot — reboot(2)'s checks, then the machine turned off from user space.
 *
 * The cases `errors`, `unprivileged` and `cad` return; `power_off` does
 * not: the grader reads the kernel's `reboot: Power down` and QEMU's exit
 * status instead of a result line.  Errors come from reboot(2): EPERM for
 * a caller without CAP_SYS_BOOT (here: not uid 0) whatever its arguments,
 * then EINVAL for a bad magic number or command, EFAULT for RESTART2's
 * string at a bad address.
 */
#include "testlib.h"

/* reboot(2); Linux include/uapi/linux/reboot.h (musl has no linux/ headers). */
#define LINUX_REBOOT_MAGIC1		0xfee1deadUL
#define LINUX_REBOOT_MAGIC2		672274793UL
#define LINUX_REBOOT_MAGIC2A		85072278UL
#define LINUX_REBOOT_MAGIC2B		369367448UL
#define LINUX_REBOOT_MAGIC2C		537993216UL
#define LINUX_REBOOT_CMD_CAD_OFF	0x00000000UL
#define LINUX_REBOOT_CMD_CAD_ON		0x89abcdefUL
#define LINUX_REBOOT_CMD_POWER_OFF	0x4321fedcUL
#define LINUX_REBOOT_CMD_RESTART2	0xa1b2c3d4UL

#define NOBODY	65534

static long reboot_(unsigned long m1, unsigned long m2, unsigned long cmd, void *arg)
{
	return syscall(SYS_reboot, m1, m2, cmd, arg);
}

static void errors(struct ktap_ctx *ctx)
{
	EXPECT_ERRNO(ctx, reboot_(0xdeadbeef, LINUX_REBOOT_MAGIC2,
				  LINUX_REBOOT_CMD_POWER_OFF, NULL), EINVAL);
	EXPECT_ERRNO(ctx, reboot_(LINUX_REBOOT_MAGIC1, 12345,
				  LINUX_REBOOT_CMD_POWER_OFF, NULL), EINVAL);
	EXPECT_ERRNO(ctx, reboot_(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
				  0x12345678, NULL), EINVAL);
	EXPECT_ERRNO(ctx, reboot_(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2C,
				  LINUX_REBOOT_CMD_RESTART2, BAD_KERNEL), EFAULT);
}

static void as_nobody(void *arg)
{
	(void)arg;
	if (setuid(NOBODY) != 0)
		_exit(2);
	errno = 0;
	if (reboot_(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		    LINUX_REBOOT_CMD_POWER_OFF, NULL) != -1 || errno != EPERM)
		_exit(1);
	/* EPERM comes first: bad magic from an unprivileged caller too. */
	if (reboot_(0, 0, 0, NULL) != -1 || errno != EPERM)
		_exit(1);
}

static void unprivileged(struct ktap_ctx *ctx)
{
	int status = run_child(as_nobody, NULL);

	KT_EXPECT(ctx, WIFEXITED(status));
	EXPECT_EQ(ctx, WEXITSTATUS(status), 0);
}

/* Ctrl-Alt-Del on or off: accepted (there is no keyboard to press it). */
static void cad(struct ktap_ctx *ctx)
{
	EXPECT_OK(ctx, reboot_(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2A,
			       LINUX_REBOOT_CMD_CAD_OFF, NULL));
	EXPECT_OK(ctx, reboot_(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2B,
			       LINUX_REBOOT_CMD_CAD_ON, NULL));
}

static void power_off(struct ktap_ctx *ctx)
{
	printf("reboot-test: powering off\n");
	fflush(stdout);
	reboot_(LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		LINUX_REBOOT_CMD_POWER_OFF, NULL);
	ktap_fail(ctx, __FILE__, __LINE__, "reboot(POWER_OFF) returned: %s",
		  strerror(errno));
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(errors), KTAP_CASE(unprivileged), KTAP_CASE(cad),
		KTAP_CASE(power_off),
	};

	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
