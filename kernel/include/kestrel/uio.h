/*
 * kestrel/uio.h — an iterator over the buffers of one read or write
 * (kernel/lib/iov_iter.c).
 *
 * read(2) fills one user buffer, readv(2) several; the kernel's own reads
 * (exec loading a program, the initramfs unpacker writing files, the
 * ktests) use kernel buffers.  File systems see all of these as one
 * struct iov_iter and move bytes with copy_to_iter()/copy_from_iter(),
 * which walk the segments and use the uaccess helpers for user memory —
 * so a driver's read is written once, and a bad user pointer costs a
 * short count, never an oops.  The idea and the names are Linux's
 * (include/linux/uio.h); this is the smallest form of it.
 *
 *	struct iovec iov;
 *	struct iov_iter it;
 *	iov_iter_init_single(&it, true, ubuf, count, &iov);
 *	n = file->f_op->read_iter(file, &it, &pos);
 *
 * Interface rules: the iterator does not own the segment array; the
 * helpers may sleep when the buffers are user memory (page faults), so
 * never call them holding a spinlock.
 */
#ifndef KESTREL_UIO_H
#define KESTREL_UIO_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>
#include <uapi/linux/uio.h>

/**
 * struct iov_iter - where the next bytes of a transfer go or come from
 * @user: the segments are user addresses (else kernel addresses)
 * @iov: the segments; @iov[0] is the current one
 * @nr_segs: segments left, @iov[0] included
 * @iov_offset: bytes of @iov[0] already used
 * @count: bytes left in all segments together
 */
struct iov_iter {
	bool user;
	const struct iovec *iov;
	unsigned long nr_segs;
	size_t iov_offset;
	size_t count;
};

/** iov_iter_init - iterate over @nr_segs segments holding @count bytes. */
void iov_iter_init(struct iov_iter *i, bool user, const struct iovec *iov,
		   unsigned long nr_segs, size_t count);

/** iov_iter_init_single - one buffer @buf of @len bytes; @iov is the
 *  caller's storage for its segment. */
void iov_iter_init_single(struct iov_iter *i, bool user, void *buf,
			  size_t len, struct iovec *iov);

/** iov_iter_count - bytes left to transfer. */
static inline size_t iov_iter_count(const struct iov_iter *i)
{
	return i->count;
}

/**
 * copy_to_iter - copy @n bytes from kernel @src into the buffers and
 * advance.  Returns the bytes copied: less than @n at the end of the
 * buffers or at a user address that faults.  May sleep (user buffers).
 */
size_t copy_to_iter(const void *src, size_t n, struct iov_iter *i);

/** copy_from_iter - copy @n bytes out of the buffers into kernel @dst
 *  and advance; the bytes copied, as copy_to_iter. */
size_t copy_from_iter(void *dst, size_t n, struct iov_iter *i);

/** iov_iter_zero - write @n zero bytes into the buffers; as copy_to_iter. */
size_t iov_iter_zero(size_t n, struct iov_iter *i);

/** iov_iter_advance - skip @n bytes (at most what is left). */
void iov_iter_advance(struct iov_iter *i, size_t n);

/** iov_iter_truncate - make at most @n bytes left (a short transfer). */
static inline void iov_iter_truncate(struct iov_iter *i, size_t n)
{
	if (i->count > n)
		i->count = n;
}

/**
 * import_iovec - copy a user array of @nr iovecs (readv(2) and friends)
 * into @fast (UIO_FASTIOV entries) or a kmalloc'd array stored in *@out,
 * checking each segment (access_ok), and set up @i over them.  Returns
 * the total byte count (clamped to MAX_RW_COUNT) or -EFAULT (the array,
 * or a segment outside user space), -EINVAL (more than UIO_MAXIOV
 * segments, a negative length).  The caller kfree()s *@out
 * (NULL when @fast was used).
 */
#define UIO_FASTIOV	8
long import_iovec(const struct iovec __user *uvec, unsigned long nr,
		  struct iovec *fast, struct iovec **out, struct iov_iter *i);

/* The most one read or write moves (Linux's MAX_RW_COUNT). */
#define MAX_RW_COUNT	0x7ffff000UL

#endif
