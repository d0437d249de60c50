/*
 * sysctl.c — /proc/sys: the few kernel settings programs read, as files
 * (proc(5) "/proc/sys", sysctl(8); the names and modes are Linux's,
 * Documentation/admin-guide/sysctl/{kernel,fs,vm}.rst):
 *
 *	kernel/hostname, domainname   0644  the names of uname(2); root may
 *	                                    write them (utsname_set)
 *	kernel/ostype, osrelease,     0444  uname's sysname, release, version
 *	       version
 *	kernel/pid_max                0444  4194304: Kestrel never reuses a
 *	                                    pid, so it shows Linux's 64-bit
 *	                                    ceiling (Linux: 0644)
 *	kernel/threads-max            0444  threads_limit() (Linux: 0644)
 *	kernel/random/boot_id         0444  a random UUID, fixed at the first
 *	                                    read of this boot
 *	kernel/random/uuid            0444  a new random UUID at every open
 *	fs/file-max                   0444  LONG_MAX: Kestrel has no limit on
 *	                                    open files system-wide (Linux: 0644)
 *	fs/nr_open                    0444  NR_OPEN_MAX (Linux: 0644)
 *	vm/overcommit_memory          0444  1: Kestrel never refuses memory
 *	                                    for want of commit accounting
 *	                                    (Linux: 0644, default 0)
 *
 * Every value is one line ending in '\n'.  A file is read like any other
 * of procfs (a snapshot made at open).  Opening one for writing needs
 * the owner's write bit even for root — Linux's sysctl permission check
 * ignores CAP_DAC_OVERRIDE — so a 0444 file is EACCES for everyone, and
 * a 0644 file (owned by root) EACCES for other users.  A write at
 * offset 0 takes the text up to the first newline or NUL, truncated to
 * what fits (as Linux's proc_dostring does); a write at another offset
 * is EINVAL (Linux appends to the string there).
 */
#include <kestrel/errno.h>
#include <kestrel/fdtable.h>
#include <kestrel/fs.h>
#include <kestrel/process.h>
#include <kestrel/random.h>
#include <kestrel/slab.h>
#include <kestrel/spinlock.h>
#include <kestrel/string.h>
#include <kestrel/utsname.h>

#include "internal.h"

#define SYSCTL_WRITE_MAX	4096	/* bytes one write(2) may set */

/* --- the values ------------------------------------------------------------ */

#define UTS_SHOW(field)							\
static int show_##field(struct proc_buf *m, struct proc_inode *pi)	\
{									\
	struct new_utsname u;						\
									\
	utsname_read(&u);						\
	proc_printf(m, "%s\n", u.field);				\
	return 0;							\
}

UTS_SHOW(nodename)
UTS_SHOW(domainname)
UTS_SHOW(sysname)
UTS_SHOW(release)
UTS_SHOW(version)

/* The length of the first line of @buf (to '\n' or NUL), at most @max. */
static size_t first_line(const char *buf, size_t len, size_t max)
{
	size_t n = 0;

	while (n < len && buf[n] != '\n' && buf[n] != '\0')
		n++;
	return MIN(n, max);
}

static int write_hostname(struct proc_inode *pi, const char *buf, size_t len)
{
	return utsname_set(false, buf, first_line(buf, len, __NEW_UTS_LEN));
}

static int write_domainname(struct proc_inode *pi, const char *buf,
			    size_t len)
{
	return utsname_set(true, buf, first_line(buf, len, __NEW_UTS_LEN));
}

static int show_pid_max(struct proc_buf *m, struct proc_inode *pi)
{
	proc_printf(m, "%d\n", 4 * 1024 * 1024);	/* PID_MAX_LIMIT, 64-bit */
	return 0;
}

static int show_threads_max(struct proc_buf *m, struct proc_inode *pi)
{
	proc_printf(m, "%d\n", threads_limit());
	return 0;
}

/* A random (version 4, RFC 4122 variant) UUID, as 36 characters. */
static void uuid_print(struct proc_buf *m, const u8 b[16])
{
	proc_printf(m, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x\n",
		    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8],
		    b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static void uuid_make(u8 b[16])
{
	get_random_bytes(b, 16);
	b[6] = (b[6] & 0x0f) | 0x40;	/* version 4: random (RFC 4122 §4.4) */
	b[8] = (b[8] & 0x3f) | 0x80;	/* variant 10 */
}

static int show_uuid(struct proc_buf *m, struct proc_inode *pi)
{
	u8 b[16];

	uuid_make(b);
	uuid_print(m, b);
	return 0;
}

static int show_boot_id(struct proc_buf *m, struct proc_inode *pi)
{
	static spinlock_t lock = SPINLOCK_INIT;
	static u8 boot_id[16];		/* lock */
	static bool made;		/* lock */
	unsigned long flags = spin_lock_irqsave(&lock);
	u8 b[16];

	if (!made) {
		uuid_make(boot_id);
		made = true;
	}
	memcpy(b, boot_id, sizeof(b));
	spin_unlock_irqrestore(&lock, flags);
	uuid_print(m, b);
	return 0;
}

static int show_file_max(struct proc_buf *m, struct proc_inode *pi)
{
	proc_printf(m, "%ld\n", (long)(~0UL >> 1));
	return 0;
}

static int show_nr_open(struct proc_buf *m, struct proc_inode *pi)
{
	proc_printf(m, "%d\n", NR_OPEN_MAX);
	return 0;
}

static int show_overcommit_memory(struct proc_buf *m, struct proc_inode *pi)
{
	proc_printf(m, "1\n");
	return 0;
}

/* --- the files ------------------------------------------------------------- */

/* open(2): the owner's bits decide, for root too (see the head). */
static int sysctl_open(struct inode *inode, struct file *file)
{
	if ((file->f_mode & FMODE_WRITE) && !(inode->i_mode & S_IWUSR))
		return -EACCES;
	return proc_show_open(inode, file);
}

static ssize_t sysctl_write(struct file *file, struct iov_iter *from,
			    loff_t *pos)
{
	const struct proc_entry *e = PROC_I(file->f_inode)->entry;
	size_t n = MIN(iov_iter_count(from), (size_t)SYSCTL_WRITE_MAX);
	char *buf;
	int err;

	if (*pos != 0)
		return -EINVAL;
	buf = kmalloc(n + 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	err = copy_from_iter(buf, n, from) == n ? 0 : -EFAULT;
	if (!err)
		err = e->write(PROC_I(file->f_inode), buf, n);
	kfree(buf);
	if (err)
		return err;
	*pos += n;
	return n;
}

static const struct file_operations sysctl_fops = {
	.llseek = generic_file_llseek,
	.open = sysctl_open,
	.read_iter = proc_show_read,
	.write_iter = sysctl_write,
	.release = proc_show_release,
};

#define RO(n, fn)	{ n, S_IFREG | 0444, .show = fn, .fop = &sysctl_fops }
#define RW(n, fn, wr)	{ n, S_IFREG | 0644, .show = fn, .fop = &sysctl_fops, \
			  .write = wr }
#define DIR(n, c)	{ n, S_IFDIR | 0555, .iop = &proc_dir_iops, \
			  .fop = &proc_dir_fops, .children = c }

static const struct proc_entry random_entries[] = {
	RO("boot_id", show_boot_id),
	RO("uuid", show_uuid),
	{ NULL },
};

static const struct proc_entry kernel_entries[] = {
	RW("domainname", show_domainname, write_domainname),
	RW("hostname", show_nodename, write_hostname),
	RO("osrelease", show_release),
	RO("ostype", show_sysname),
	RO("pid_max", show_pid_max),
	DIR("random", random_entries),
	RO("threads-max", show_threads_max),
	RO("version", show_version),
	{ NULL },
};

static const struct proc_entry fs_entries[] = {
	RO("file-max", show_file_max),
	RO("nr_open", show_nr_open),
	{ NULL },
};

static const struct proc_entry vm_entries[] = {
	RO("overcommit_memory", show_overcommit_memory),
	{ NULL },
};

const struct proc_entry proc_sys_entries[] = {
	DIR("fs", fs_entries),
	DIR("kernel", kernel_entries),
	DIR("vm", vm_entries),
	{ NULL },
};
