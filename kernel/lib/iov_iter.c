/*
 * iov_iter.c — moving bytes between the kernel and the buffers of one
 * read or write, user or kernel memory alike (kestrel/uio.h).
 *
 * Every helper walks the segments from the current one, copies as much
 * of each as is asked for and fits, and stops early at a user address
 * that faults: the caller sees a short count, which read(2) and write(2)
 * report as a partial transfer (or EFAULT when nothing moved).
 */
#include <kestrel/errno.h>
#include <kestrel/slab.h>
#include <kestrel/string.h>
#include <kestrel/uaccess.h>
#include <kestrel/uio.h>

void iov_iter_init(struct iov_iter *i, bool user, const struct iovec *iov,
		   unsigned long nr_segs, size_t count)
{
	i->user = user;
	i->iov = iov;
	i->nr_segs = nr_segs;
	i->iov_offset = 0;
	i->count = count;
}

void iov_iter_init_single(struct iov_iter *i, bool user, void *buf,
			  size_t len, struct iovec *iov)
{
	iov->iov_base = buf;
	iov->iov_len = len;
	iov_iter_init(i, user, iov, 1, len);
}

void iov_iter_advance(struct iov_iter *i, size_t n)
{
	size_t step;

	n = MIN(n, i->count);
	i->count -= n;
	while (n && i->nr_segs) {
		step = MIN(n, i->iov->iov_len - i->iov_offset);
		i->iov_offset += step;
		n -= step;
		if (i->iov_offset == i->iov->iov_len) {
			i->iov++;
			i->nr_segs--;
			i->iov_offset = 0;
		}
	}
}

/* The next contiguous piece of at most @n bytes: its address and length. */
static size_t iter_piece(struct iov_iter *i, size_t n, char **base)
{
	while (i->nr_segs && i->iov_offset == i->iov->iov_len) {
		i->iov++;		/* skip empty segments */
		i->nr_segs--;
		i->iov_offset = 0;
	}
	if (!i->nr_segs || !i->count)
		return 0;
	*base = (char *)i->iov->iov_base + i->iov_offset;
	return MIN(MIN(n, i->count), i->iov->iov_len - i->iov_offset);
}

size_t copy_to_iter(const void *src, size_t n, struct iov_iter *i)
{
	size_t done = 0, len, left;
	char *base;

	while (done < n && (len = iter_piece(i, n - done, &base))) {
		if (i->user)
			left = copy_to_user((void __user *)base,
					    (const char *)src + done, len);
		else
			left = (memcpy(base, (const char *)src + done, len), 0);
		iov_iter_advance(i, len - left);
		done += len - left;
		if (left)
			break;
	}
	return done;
}

size_t copy_from_iter(void *dst, size_t n, struct iov_iter *i)
{
	size_t done = 0, len, left;
	char *base;

	while (done < n && (len = iter_piece(i, n - done, &base))) {
		if (i->user)
			left = copy_from_user((char *)dst + done,
					      (const void __user *)base, len);
		else
			left = (memcpy((char *)dst + done, base, len), 0);
		iov_iter_advance(i, len - left);
		done += len - left;
		if (left)
			break;
	}
	return done;
}

size_t iov_iter_zero(size_t n, struct iov_iter *i)
{
	size_t done = 0, len, left;
	char *base;

	while (done < n && (len = iter_piece(i, n - done, &base))) {
		if (i->user)
			left = clear_user((void __user *)base, len);
		else
			left = (memset(base, 0, len), 0);
		iov_iter_advance(i, len - left);
		done += len - left;
		if (left)
			break;
	}
	return done;
}

long import_iovec(const struct iovec __user *uvec, unsigned long nr,
		  struct iovec *fast, struct iovec **out, struct iov_iter *i)
{
	struct iovec *iov = fast;
	size_t total = 0;
	unsigned long k;

	*out = NULL;
	if (nr > UIO_MAXIOV)
		return -EINVAL;
	if (nr > UIO_FASTIOV) {
		iov = kmalloc(nr * sizeof(*iov), GFP_KERNEL);
		if (!iov)
			return -ENOMEM;
		*out = iov;
	}
	if (nr && copy_from_user(iov, uvec, nr * sizeof(*iov)))
		goto fault;
	for (k = 0; k < nr; k++) {
		if ((ssize_t)iov[k].iov_len < 0)
			goto invalid;
		if (!access_ok(iov[k].iov_base, iov[k].iov_len))
			goto fault;	/* a kernel address: EFAULT at once */
		/* Linux clamps the total, rather than failing, past MAX_RW_COUNT. */
		if (iov[k].iov_len > MAX_RW_COUNT - total)
			iov[k].iov_len = MAX_RW_COUNT - total;
		total += iov[k].iov_len;
	}
	iov_iter_init(i, true, iov, nr, total);
	return total;
invalid:
	kfree(*out);
	*out = NULL;
	return -EINVAL;
fault:
	kfree(*out);
	*out = NULL;
	return -EFAULT;
}
