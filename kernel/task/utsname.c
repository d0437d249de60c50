/*
 * utsname.c — the machine's names: uname(2), sethostname(2),
 * setdomainname(2) (kestrel/utsname.h).
 *
 * One struct new_utsname for the whole machine (Linux keeps one per UTS
 * namespace; Kestrel has no namespaces).  The sysname, release, version
 * and machine never change; the node name starts as "kestrel" (so a
 * shell's prompt has a name before /etc/init.d/rcS sets one from
 * /etc/hostname) and the domain name as "(none)", Linux's default.
 *
 * The rules are sethostname(2)'s and setdomainname(2)'s: only root may
 * change a name (EPERM; Linux asks for CAP_SYS_ADMIN), a length above
 * __NEW_UTS_LEN (64 bytes) or below 0 is EINVAL, and a bad pointer is
 * EFAULT.  The name is copied in before the lock is taken, and set whole
 * under it, so uname(2) never sees half a name.
 *
 * Lock: uts_lock (spinlock, interrupts off) covers uts.
 */
#include <kestrel/errno.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/spinlock.h>
#include <kestrel/string.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <kestrel/utsname.h>

static struct new_utsname uts = {	/* uts_lock */
	.sysname = "Linux",
	.nodename = "kestrel",
	.release = "6.1.0-kestrel",
	.version = "#1 SMP PREEMPT Kestrel 0.1.0",
	.machine = "x86_64",
	.domainname = "(none)",
};
static spinlock_t uts_lock = SPINLOCK_INIT;

void utsname_read(struct new_utsname *out)
{
	unsigned long flags = spin_lock_irqsave(&uts_lock);

	*out = uts;
	spin_unlock_irqrestore(&uts_lock, flags);
}

int utsname_set(bool domain, const char *name, size_t len)
{
	char *field = domain ? uts.domainname : uts.nodename;
	unsigned long flags;

	if (len > __NEW_UTS_LEN)
		return -EINVAL;
	flags = spin_lock_irqsave(&uts_lock);
	memcpy(field, name, len);
	memset(field + len, 0, __NEW_UTS_LEN + 1 - len);
	spin_unlock_irqrestore(&uts_lock, flags);
	return 0;
}

long sys_uname(struct new_utsname __user *name)
{
	struct new_utsname copy;

	utsname_read(&copy);
	return copy_to_user(name, &copy, sizeof(copy)) ? -EFAULT : 0;
}

/* sethostname(2) and setdomainname(2): root only, 0 … 64 bytes. */
static long set_name(bool domain, const char __user *name, int len)
{
	char buf[__NEW_UTS_LEN];

	if (current->cred->euid != 0)
		return -EPERM;
	if (len < 0 || len > __NEW_UTS_LEN)
		return -EINVAL;
	if (copy_from_user(buf, name, len))
		return -EFAULT;
	return utsname_set(domain, buf, len);
}

long sys_sethostname(const char __user *name, int len)
{
	return set_name(false, name, len);
}

long sys_setdomainname(const char __user *name, int len)
{
	return set_name(true, name, len);
}
