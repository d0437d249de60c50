/*
 * mem.c — the memory character devices, major 1 (Linux's numbers,
 * Documentation/admin-guide/devices.txt; null(4), zero(4), full(4),
 * random(4)):
 *
 *	1:3  /dev/null     reads end at once (0), writes vanish
 *	1:5  /dev/zero     reads give zero bytes, writes vanish
 *	1:7  /dev/full     reads give zero bytes, writes fail with ENOSPC
 *	1:8  /dev/random   reads give random bytes (get_random_bytes),
 *	1:9  /dev/urandom  writes are accepted (and ignored: no entropy pool)
 *	1:11 /dev/kmsg     reads give the kernel log, one record per line
 *	                   from where this open stopped; writes are printed
 *	                   (at the level a "<N>" prefix gives)
 *
 * Seeking any of them succeeds and leaves the offset at 0 (null(4):
 * "lseek on /dev/null … always succeeds"), except kmsg (SEEK_SET 0 and
 * SEEK_END only, as in Linux).
 */
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/printk.h>
#include <kestrel/random.h>
#include <kestrel/sched.h>
#include <kestrel/slab.h>
#include <kestrel/uio.h>

#define KMSG_CHUNK	1024	/* bytes of log read at a time */

static loff_t null_lseek(struct file *file, loff_t offset, int whence)
{
	file->f_pos = 0;
	return 0;
}

static ssize_t read_null(struct file *file, struct iov_iter *to, loff_t *pos)
{
	return 0;
}

static ssize_t write_null(struct file *file, struct iov_iter *from,
			  loff_t *pos)
{
	size_t n = iov_iter_count(from);

	iov_iter_advance(from, n);
	return n;
}

static ssize_t read_zero(struct file *file, struct iov_iter *to, loff_t *pos)
{
	size_t want = iov_iter_count(to), n = iov_iter_zero(want, to);

	return n ? (ssize_t)n : -EFAULT;
}

static ssize_t write_full(struct file *file, struct iov_iter *from,
			  loff_t *pos)
{
	return -ENOSPC;
}

static ssize_t read_random(struct file *file, struct iov_iter *to, loff_t *pos)
{
	char buf[256];
	size_t done = 0, n, copied;

	while (iov_iter_count(to)) {
		n = MIN(sizeof(buf), iov_iter_count(to));
		get_random_bytes(buf, n);
		copied = copy_to_iter(buf, n, to);
		done += copied;
		if (copied < n)
			return done ? (ssize_t)done : -EFAULT;
		if (signal_pending(current))
			break;
	}
	return done;
}

/* /dev/kmsg: the log from this open's position on. */
static ssize_t read_kmsg(struct file *file, struct iov_iter *to, loff_t *pos)
{
	char *buf = kmalloc(KMSG_CHUNK, GFP_KERNEL);
	size_t n, copied;

	if (!buf)
		return -ENOMEM;
	n = log_buf_read(buf, MIN((size_t)KMSG_CHUNK, iov_iter_count(to)), *pos);
	if (!n && (file->f_flags & O_NONBLOCK)) {
		kfree(buf);
		return -EAGAIN;
	}
	copied = copy_to_iter(buf, n, to);
	kfree(buf);
	*pos += copied;
	return copied || !n ? (ssize_t)copied : -EFAULT;
}

static ssize_t write_kmsg(struct file *file, struct iov_iter *from,
			  loff_t *pos)
{
	char buf[256];
	size_t n = copy_from_iter(buf, MIN(sizeof(buf) - 1, iov_iter_count(from)),
				  from);

	const char *text = buf;
	char level = 0;
	unsigned int prio = 0;

	if (!n)
		return -EFAULT;
	buf[n] = '\0';
	/* A "<N>" prefix gives the level, N & 7 (the facility above it is
	 * not kept), as Linux's /dev/kmsg takes it. */
	if (buf[0] == '<') {
		for (text = buf + 1; *text >= '0' && *text <= '9'; text++)
			prio = prio * 10 + (*text - '0');
		if (text > buf + 1 && *text == '>') {
			level = '0' + (prio & 7);
			text++;
		} else {
			text = buf;
		}
	}
	if (level)
		printk("%c%c%s", KERN_SOH[0], level, text);
	else
		printk("%s", text);
	return n;
}

static loff_t kmsg_lseek(struct file *file, loff_t offset, int whence)
{
	if (offset)
		return -ESPIPE;
	if (whence != SEEK_SET && whence != SEEK_END)
		return -EINVAL;
	file->f_pos = 0;
	return 0;
}

static const struct file_operations null_fops = {
	.llseek = null_lseek, .read_iter = read_null, .write_iter = write_null,
};
static const struct file_operations zero_fops = {
	.llseek = null_lseek, .read_iter = read_zero, .write_iter = write_null,
};
static const struct file_operations full_fops = {
	.llseek = null_lseek, .read_iter = read_zero, .write_iter = write_full,
};
static const struct file_operations random_fops = {
	.llseek = null_lseek, .read_iter = read_random, .write_iter = write_null,
};
static const struct file_operations kmsg_fops = {
	.llseek = kmsg_lseek, .read_iter = read_kmsg, .write_iter = write_kmsg,
};

/* Open of major 1: the minor picks the device. */
static int memory_open(struct inode *inode, struct file *file)
{
	switch (MINOR(inode->i_rdev)) {
	case 3:
		file->f_op = &null_fops;
		break;
	case 5:
		file->f_op = &zero_fops;
		break;
	case 7:
		file->f_op = &full_fops;
		break;
	case 8:
	case 9:
		file->f_op = &random_fops;
		break;
	case 11:
		file->f_op = &kmsg_fops;
		break;
	default:
		return -ENXIO;
	}
	return 0;
}

static const struct file_operations memory_fops = {
	.open = memory_open,
};

void chr_mem_init(void)
{
	register_chrdev(1, 0, 256, "mem", &memory_fops);
}
