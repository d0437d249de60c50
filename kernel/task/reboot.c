/*
 * reboot.c — reboot(2): how user space ends the machine (busybox's
 * `poweroff`, `reboot` and `halt`, or its init when told to).
 *
 * The rules are reboot(2)'s: only a privileged caller (uid 0 here,
 * standing in for CAP_SYS_BOOT) may call it, else EPERM; the two magic
 * numbers must match, else EINVAL; an unknown command is EINVAL.  The
 * caller is expected to have synced and stopped what it cares about: like
 * Linux, the kernel does not ask other processes to end.
 */
#include <kestrel/errno.h>
#include <kestrel/printk.h>
#include <kestrel/process.h>
#include <kestrel/reboot.h>
#include <kestrel/sched.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <uapi/linux/reboot.h>

#define RESTART2_ARG_MAX	256	/* bytes of RESTART2's string, with NUL */

static bool magic2_ok(unsigned int magic2)
{
	return magic2 == LINUX_REBOOT_MAGIC2 || magic2 == LINUX_REBOOT_MAGIC2A ||
	       magic2 == LINUX_REBOOT_MAGIC2B || magic2 == LINUX_REBOOT_MAGIC2C;
}

long sys_reboot(int magic1, int magic2, unsigned int cmd, void __user *arg)
{
	char why[RESTART2_ARG_MAX];
	long len;

	if (current->cred->euid != 0)
		return -EPERM;
	if ((unsigned int)magic1 != LINUX_REBOOT_MAGIC1 || !magic2_ok(magic2))
		return -EINVAL;

	switch (cmd) {
	case LINUX_REBOOT_CMD_POWER_OFF:
		machine_power_off();
	case LINUX_REBOOT_CMD_RESTART:
		machine_restart();
	case LINUX_REBOOT_CMD_RESTART2:
		len = strncpy_from_user(why, arg, sizeof(why) - 1);
		if (len < 0)
			return -EFAULT;
		why[len] = '\0';
		pr_emerg("reboot: restart command '%s'\n", why);
		machine_restart();
	case LINUX_REBOOT_CMD_HALT:
		machine_halt();
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;	/* no keyboard: Ctrl-Alt-Del cannot happen */
	case LINUX_REBOOT_CMD_SW_SUSPEND:
		return -ENOSYS;	/* as Linux built without hibernation */
	default:
		return -EINVAL;	/* KEXEC too: no image can be loaded */
	}
}
