/*
 * futex.c — futex(2): sleeping on a word of user memory, and waking the
 * sleepers (kestrel/futex.h tells the idea).
 *
 * Operations (futex(2)): FUTEX_WAIT and FUTEX_WAIT_BITSET sleep if the
 * word still holds the expected value; FUTEX_WAKE and FUTEX_WAKE_BITSET
 * wake up to N sleepers whose bitset shares a bit with the waker's;
 * FUTEX_REQUEUE and FUTEX_CMP_REQUEUE wake some and move the others to a
 * second word's queue (glibc's condition variables broadcast that way).
 * FUTEX_PRIVATE_FLAG names the word by (mm, address) without looking at
 * the mapping; FUTEX_CLOCK_REALTIME makes WAIT_BITSET's absolute
 * timeout a wall-clock time.  The PI and WAKE_OP operations are not
 * implemented: ENOSYS, as on a Linux built without them.
 *
 * The race every futex implementation exists to close: user space reads
 * the word, sees "locked", calls FUTEX_WAIT — and in between the owner
 * unlocks and calls FUTEX_WAKE, which finds nobody queued.  The waiter
 * would then sleep for ever.  So FUTEX_WAIT reads the word *again* with
 * the queue's lock held, and queues itself before releasing the lock;
 * FUTEX_WAKE takes the same lock.  Either the waker runs first and the
 * waiter sees the new value (EAGAIN), or the waiter is queued first and
 * the waker finds it.  DOC: futex-wait-race.
 *
 * Reading user memory under a spinlock must not sleep, so the read is
 * done with page faults disabled (pagefault_disable): if the page is not
 * present, the read fails at once, the lock is dropped, the page is
 * brought in with an ordinary get_user(), and the whole thing is retried.
 *
 * Hash buckets: 256, each a spinlock (interrupts off) and a list of
 * struct futex_q, one per sleeping task, living on that task's stack.
 * A waker takes q off the list and sets q->woken under the bucket lock
 * before waking the task, so a waiter returning from schedule() knows
 * whether it was woken, timed out, or killed.
 *
 * A signal ends a wait: without a timeout it returns -ERESTARTSYS
 * (restarted after a handler with SA_RESTART, EINTR after one without);
 * with a timeout it records the deadline in current->restart_block and
 * returns -ERESTART_RESTARTBLOCK — EINTR after any handler, and after a
 * stop and continue the wait goes on until the same deadline
 * (kestrel/restart_block.h), as Linux's futex_wait_restart.
 */
#include <kestrel/errno.h>
#include <kestrel/fs.h>
#include <kestrel/futex.h>
#include <kestrel/jiffies.h>
#include <kestrel/ktime.h>
#include <kestrel/mman.h>
#include <kestrel/mutex.h>
#include <kestrel/process.h>
#include <kestrel/sched.h>
#include <kestrel/signal.h>
#include <kestrel/spinlock.h>
#include <kestrel/syscalls.h>
#include <kestrel/uaccess.h>
#include <uapi/linux/futex.h>
#include <uapi/linux/time_types.h>

#define FUTEX_HASH_BITS	8
#define ROBUST_LIST_LIMIT	2048	/* entries walked at exit, at most */

struct futex_key {
	unsigned long space;	/* the mm, or the shmem_object */
	unsigned long offset;	/* the address, or page index << 12 | offset */
};

struct futex_q {
	struct list_head list;	/* on its bucket (bucket lock) */
	struct task *task;	/* the sleeper */
	struct futex_key key;	/* which word */
	u32 bitset;		/* WAIT_BITSET's mask (all ones for WAIT) */
	bool woken;		/* a waker took it off the list */
};

struct futex_bucket {
	spinlock_t lock;
	struct list_head chain;
};

static struct futex_bucket buckets[1 << FUTEX_HASH_BITS];

static struct futex_bucket *bucket_of(const struct futex_key *key)
{
	unsigned long h = key->space ^ (key->offset * 0x9e3779b97f4a7c15UL);
	struct futex_bucket *b = &buckets[(h >> 32) & ((1 << FUTEX_HASH_BITS) - 1)];

	if (!b->chain.next) {	/* first use: the table is in bss */
		spin_lock_init(&b->lock);
		list_init(&b->chain);
	}
	return b;
}

static bool same_key(const struct futex_key *a, const struct futex_key *b)
{
	return a->space == b->space && a->offset == b->offset;
}

/* Name the word at @uaddr.  0, -EINVAL (misaligned), -EFAULT. */
static int get_futex_key(u32 __user *uaddr, bool private, struct futex_key *key)
{
	unsigned long addr = (unsigned long)uaddr;
	struct mm *mm = current->mm;
	struct vm_area *vma;

	if (addr % sizeof(u32))
		return -EINVAL;
	if (!access_ok(uaddr, sizeof(u32)))
		return -EFAULT;
	key->space = (unsigned long)mm;
	key->offset = addr;
	if (private)
		return 0;
	mutex_lock(&mm->mmap_lock);
	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr) {
		mutex_unlock(&mm->mmap_lock);
		return -EFAULT;
	}
	if (vma->vm_shared) {
		key->space = (unsigned long)vma->vm_shared;
		key->offset = ((vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT))
			       << PAGE_SHIFT) | (addr & (PAGE_SIZE - 1));
	} else if (vma->vm_file && (vma->vm_flags & VM_SHARED)) {
		/* The file's page cache: the same word in every process. */
		key->space = (unsigned long)vma->vm_file->f_inode->i_mapping;
		key->offset = ((vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT))
			       << PAGE_SHIFT) | (addr & (PAGE_SIZE - 1));
	}
	mutex_unlock(&mm->mmap_lock);
	return 0;
}

/* Read the word with page faults off (a bucket lock may be held). */
static int read_word_atomic(u32 __user *uaddr, u32 *val)
{
	int err;

	pagefault_disable();
	err = get_user(*val, uaddr);
	pagefault_enable();
	return err;
}

/* A relative or absolute timeout in jiffies from now (MAX_SCHEDULE_TIMEOUT
 * for none); -EINVAL for a malformed timespec, -EFAULT. */
static long timeout_jiffies(const struct __kernel_timespec __user *utime,
			    bool absolute, bool realtime)
{
	struct __kernel_timespec ts;
	u64 ns, now;

	if (!utime)
		return MAX_SCHEDULE_TIMEOUT;
	if (copy_from_user(&ts, utime, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long long)NSEC_PER_SEC)
		return -EINVAL;
	ns = (u64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	if (absolute) {
		now = realtime ? ktime_get_real() : ktime_get();
		ns = ns > now ? ns - now : 0;
	}
	if (ns / TICK_NSEC >= (u64)MAX_SCHEDULE_TIMEOUT - 1)
		return MAX_SCHEDULE_TIMEOUT;
	return ns ? (long)((ns + TICK_NSEC - 1) / TICK_NSEC) + 1 : 0;
}

/* Queue @q on its bucket if the word still holds @val.  Returns 0 with
 * @q queued, the task TASK_INTERRUPTIBLE; or -EAGAIN, -EFAULT. */
static int queue_if_value(u32 __user *uaddr, u32 val, struct futex_q *q)
{
	struct futex_bucket *b = bucket_of(&q->key);
	unsigned long flags;
	u32 cur;
	int err;

	for (;;) {
		flags = spin_lock_irqsave(&b->lock);
		err = read_word_atomic(uaddr, &cur);
		if (!err)
			break;
		spin_unlock_irqrestore(&b->lock, flags);
		if (get_user(cur, uaddr))	/* bring the page in, may sleep */
			return -EFAULT;
	}
	/* DOC: futex-wait-race */
	if (cur != val) {
		spin_unlock_irqrestore(&b->lock, flags);
		return -EAGAIN;
	}
	list_add_tail(&q->list, &b->chain);
	set_current_state(TASK_INTERRUPTIBLE);
	spin_unlock_irqrestore(&b->lock, flags);
	return 0;
}

static long futex_wait_restart(struct restart_block *rb);

static long futex_wait(u32 __user *uaddr, bool private, u32 val,
		       long timeout, u32 bitset)
{
	struct restart_block *rb = &current->restart_block;
	struct futex_q q = { .task = current, .bitset = bitset };
	struct futex_bucket *b;
	unsigned long flags;
	long ret;

	if (!bitset)
		return -EINVAL;
	ret = get_futex_key(uaddr, private, &q.key);
	if (ret)
		return ret;
	ret = queue_if_value(uaddr, val, &q);
	if (ret)
		return ret;
	if (!__atomic_load_n(&q.woken, __ATOMIC_ACQUIRE) && !signal_pending(current))
		timeout = timeout ? schedule_timeout(timeout) : 0;
	__set_current_state(TASK_RUNNING);
	b = bucket_of(&q.key);
	flags = spin_lock_irqsave(&b->lock);
	if (q.woken)
		ret = 0;
	else {
		list_del(&q.list);
		ret = signal_pending(current) ? -ERESTARTSYS :
		      timeout == 0 ? -ETIMEDOUT : -EINTR;
	}
	spin_unlock_irqrestore(&b->lock, flags);
	if (ret != -ERESTARTSYS || timeout == MAX_SCHEDULE_TIMEOUT)
		return ret;
	/* A timed wait goes on, if at all, until the same deadline. */
	rb->futex.uaddr = uaddr;
	rb->futex.val = val;
	rb->futex.bitset = bitset;
	rb->futex.private = private;
	rb->futex.expires = jiffies + timeout;
	return set_restart_fn(rb, futex_wait_restart);
}

static long futex_wait_restart(struct restart_block *rb)
{
	u64 now = jiffies;

	return futex_wait(rb->futex.uaddr, rb->futex.private, rb->futex.val,
			  rb->futex.expires > now ? (long)(rb->futex.expires - now) : 0,
			  rb->futex.bitset);
}

/* Wake up to @nr waiters of @key whose bitset meets @bitset.  (bucket lock) */
static int wake_locked(struct futex_bucket *b, const struct futex_key *key,
		       int nr, u32 bitset)
{
	struct futex_q *q, *next;
	int woken = 0;

	list_for_each_entry_safe(q, next, &b->chain, list) {
		if (woken >= nr)
			break;
		if (!same_key(&q->key, key) || !(q->bitset & bitset))
			continue;
		list_del(&q->list);
		__atomic_store_n(&q->woken, true, __ATOMIC_RELEASE);
		wake_up_process(q->task);
		woken++;
	}
	return woken;
}

static long futex_wake(u32 __user *uaddr, bool private, int nr, u32 bitset)
{
	struct futex_key key;
	struct futex_bucket *b;
	unsigned long flags;
	long ret;

	if (!bitset)
		return -EINVAL;
	ret = get_futex_key(uaddr, private, &key);
	if (ret)
		return ret;
	b = bucket_of(&key);
	flags = spin_lock_irqsave(&b->lock);
	ret = wake_locked(b, &key, nr, bitset);
	spin_unlock_irqrestore(&b->lock, flags);
	return ret;
}

int futex_wake_address(u32 __user *uaddr, int nr)
{
	long ret = futex_wake(uaddr, false, nr, FUTEX_BITSET_MATCH_ANY);

	return ret < 0 ? 0 : ret;
}

/* Lock two buckets in address order (one if they are the same). */
static unsigned long lock_two(struct futex_bucket *a, struct futex_bucket *b)
{
	unsigned long flags = arch_local_irq_save();

	if (a == b) {
		spin_lock(&a->lock);
	} else {
		spin_lock(a < b ? &a->lock : &b->lock);
		spin_lock(a < b ? &b->lock : &a->lock);
	}
	return flags;
}

static void unlock_two(struct futex_bucket *a, struct futex_bucket *b,
		       unsigned long flags)
{
	if (a != b)
		spin_unlock(&b->lock);
	spin_unlock(&a->lock);
	arch_local_irq_restore(flags);
}

/* Move up to @nr waiters of @from's key to @to.  (both bucket locks) */
static int requeue_locked(struct futex_bucket *b1, const struct futex_key *k1,
			  struct futex_bucket *b2, const struct futex_key *k2,
			  int nr)
{
	struct futex_q *q, *next;
	int moved = 0;

	list_for_each_entry_safe(q, next, &b1->chain, list) {
		if (moved >= nr)
			break;
		if (!same_key(&q->key, k1))
			continue;
		list_del(&q->list);
		q->key = *k2;
		list_add_tail(&q->list, &b2->chain);
		moved++;
	}
	return moved;
}

static long futex_requeue(u32 __user *uaddr, bool private, int nr_wake,
			  int nr_requeue, u32 __user *uaddr2, bool cmp, u32 val3)
{
	struct futex_key k1, k2;
	struct futex_bucket *b1, *b2;
	unsigned long flags;
	long ret;
	u32 cur;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	if ((ret = get_futex_key(uaddr, private, &k1)) ||
	    (ret = get_futex_key(uaddr2, private, &k2)))
		return ret;
	b1 = bucket_of(&k1);
	b2 = bucket_of(&k2);
	for (;;) {
		flags = lock_two(b1, b2);
		if (!cmp || !read_word_atomic(uaddr, &cur))
			break;
		unlock_two(b1, b2, flags);
		if (get_user(cur, uaddr))
			return -EFAULT;
	}
	if (cmp && cur != val3) {
		unlock_two(b1, b2, flags);
		return -EAGAIN;
	}
	ret = wake_locked(b1, &k1, nr_wake, FUTEX_BITSET_MATCH_ANY);
	ret += requeue_locked(b1, &k1, b2, &k2, nr_requeue);
	unlock_two(b1, b2, flags);
	return ret;
}

long sys_futex(u32 __user *uaddr, int op, u32 val,
	       const struct __kernel_timespec __user *utime,
	       u32 __user *uaddr2, u32 val3)
{
	bool private = op & FUTEX_PRIVATE_FLAG;
	bool realtime = op & FUTEX_CLOCK_REALTIME;
	int cmd = op & FUTEX_CMD_MASK;
	long timeout;

	if (realtime && cmd != FUTEX_WAIT_BITSET)
		return -ENOSYS;	/* Linux: only WAIT_BITSET takes the flag */
	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		timeout = timeout_jiffies(utime, cmd == FUTEX_WAIT_BITSET, realtime);
		if (timeout < 0)
			return timeout;
		return futex_wait(uaddr, private, val, timeout,
				  cmd == FUTEX_WAIT ? FUTEX_BITSET_MATCH_ANY : val3);
	case FUTEX_WAKE:
		return futex_wake(uaddr, private, (int)MIN(val, 0x7fffffffU),
				  FUTEX_BITSET_MATCH_ANY);
	case FUTEX_WAKE_BITSET:
		return futex_wake(uaddr, private, (int)MIN(val, 0x7fffffffU), val3);
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		/* The fourth argument is a count here, not a timespec. */
		return futex_requeue(uaddr, private, (int)val,
				     (int)(unsigned long)utime, uaddr2,
				     cmd == FUTEX_CMP_REQUEUE, val3);
	default:
		return -ENOSYS;
	}
}

/* --- robust futexes ------------------------------------------------------ */

long sys_set_robust_list(struct robust_list_head __user *head, size_t len)
{
	if (len != sizeof(struct robust_list_head))
		return -EINVAL;
	current->robust_list = head;
	return 0;
}

long sys_get_robust_list(int pid, struct robust_list_head __user *__user *head,
			 size_t __user *len)
{
	if (pid && pid != current->pid)
		return -ESRCH;	/* other threads' lists: not supported */
	if (put_user((struct robust_list_head *)current->robust_list, head) ||
	    put_user(sizeof(struct robust_list_head), len))
		return -EFAULT;
	return 0;
}

/* The lock word at @uaddr was held by @tid, which is exiting: mark it
 * FUTEX_OWNER_DIED (keeping FUTEX_WAITERS) and wake one waiter. */
static void robust_release(u32 __user *uaddr, pid_t tid)
{
	u32 cur, want;
	int tries;

	for (tries = 0; tries < 16; tries++) {
		if (get_user(cur, uaddr) || (cur & FUTEX_TID_MASK) != (u32)tid)
			return;
		want = (cur & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
		if (!access_ok(uaddr, sizeof(u32)) ||
		    raw_cmpxchg_user_4(&cur, uaddr, cur, want))
			return;
		if ((cur & FUTEX_TID_MASK) == (u32)tid) {
			if (cur & FUTEX_WAITERS)
				futex_wake_address(uaddr, 1);
			return;
		}
	}
}

void exit_robust_list(struct task *me)
{
	struct robust_list_head __user *head = me->robust_list;
	struct robust_list __user *entry, *pending;
	long offset;
	int n;

	if (!head || get_user(entry, &head->list.next) ||
	    get_user(offset, &head->futex_offset) ||
	    get_user(pending, &head->list_op_pending))
		return;
	for (n = 0; entry != &head->list && n < ROBUST_LIST_LIMIT; n++) {
		struct robust_list __user *next;

		if (get_user(next, &entry->next))
			return;
		if (entry != pending)
			robust_release((u32 __user *)((char __user *)entry + offset),
				       me->pid);
		entry = next;
	}
	if (pending)
		robust_release((u32 __user *)((char __user *)pending + offset), me->pid);
	me->robust_list = NULL;
}
