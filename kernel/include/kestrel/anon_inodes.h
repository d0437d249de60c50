/*
 * kestrel/anon_inodes.h — files without a name (kernel/fs/file_table.c):
 * what epoll_create1(2), eventfd(2) and timerfd_create(2) return.
 */
#ifndef KESTREL_ANON_INODES_H
#define KESTREL_ANON_INODES_H

struct file;
struct file_operations;

/**
 * anon_inode_getfile - a new file named "anon_inode:@name" with @fops and
 * private_data @priv, opened with the O_ACCMODE and O_NONBLOCK bits of
 * @flags.  ERR_PTR(-ENOMEM, -ENFILE).  (@name must live for ever: a
 * string literal.)  ->release is called at the last close; when making
 * the file fails, the caller still owns @priv.
 */
struct file *anon_inode_getfile(const char *name,
				const struct file_operations *fops,
				void *priv, int flags);

/** anon_inode_getfd - the same, installed at the lowest free descriptor
 *  (O_CLOEXEC in @flags honoured); the descriptor or -errno. */
int anon_inode_getfd(const char *name, const struct file_operations *fops,
		     void *priv, int flags);

/** anon_inodes_init - the internal file system (vfs_init). */
void anon_inodes_init(void);

#endif
