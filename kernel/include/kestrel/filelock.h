/*
 * kestrel/filelock.h — advisory file locks (kernel/fs/locks.c): fcntl(2)
 * record locks (F_GETLK, F_SETLK, F_SETLKW), open file description locks
 * (F_OFD_*), flock(2), and the hooks that drop them when files close.
 * The byte-range arithmetic is kernel/fs/lockrange.c's; docs/vfs.md
 * §"File locks" tells the story.
 */
#ifndef KESTREL_FILELOCK_H
#define KESTREL_FILELOCK_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>

struct file;
struct flock;

/**
 * fcntl_getlk - fcntl(@cmd F_GETLK or F_OFD_GETLK): the first lock that
 * would stop the lock *@ufl describes, written back into *@ufl (l_whence
 * SEEK_SET, l_pid the holder's, -1 for an open file description's), or
 * l_type F_UNLCK if none would.  May sleep (the locks' mutex).  Returns
 * 0; -EFAULT; -EINVAL for a bad l_type (F_UNLCK included), l_whence, a
 * range before byte 0, or F_OFD_GETLK with l_pid not 0; -EOVERFLOW.
 * Source: fcntl(2).
 */
long fcntl_getlk(struct file *file, unsigned int cmd,
		 struct flock __user *ufl);

/**
 * fcntl_setlk - fcntl(@cmd F_SETLK, F_SETLKW or the F_OFD_ ones): lock or
 * unlock the range *@ufl describes, owned by the calling process
 * (POSIX) or by @file (OFD).  F_*SETLKW waits, interruptibly, for the
 * conflicting locks to go.  Returns 0; -EAGAIN on a conflict without
 * waiting; -EDEADLK when waiting would close a cycle of POSIX owners;
 * -ERESTARTSYS when a signal interrupted the wait (EINTR, or restarted
 * under SA_RESTART: signal(7)); -EBADF for F_RDLCK without read access
 * or F_WRLCK without write access; -EINVAL, -EOVERFLOW, -EFAULT as for
 * fcntl_getlk; -ENOMEM.  Source: fcntl(2).
 */
long fcntl_setlk(struct file *file, unsigned int cmd,
		 struct flock __user *ufl);

/**
 * locks_remove_posix - @owner (a descriptor table) closes a descriptor
 * of @file: drop every POSIX lock @owner holds on @file's inode, through
 * whichever descriptor it was taken (fcntl(2): "all of the process's
 * locks on that file are released").  Wakes waiters.  May sleep.
 */
void locks_remove_posix(struct file *file, const void *owner);

/**
 * locks_remove_file - the last reference to @file goes (fput): drop its
 * open file description locks and its flock.  May sleep.
 */
void locks_remove_file(struct file *file);

/**
 * locks_show - /proc/locks: one line per lock held, in Linux's format
 * ("1: POSIX  ADVISORY  WRITE 42 00:0f:7 0 EOF"; proc(5)), each through
 * @emit(@arg, line, length).  May sleep.
 */
void locks_show(void (*emit)(void *arg, const char *line, size_t len),
		void *arg);

#endif
