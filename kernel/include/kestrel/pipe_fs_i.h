/*
 * kestrel/pipe_fs_i.h — pipes and FIFOs (kernel/fs/pipe.c).
 *
 * A pipe is a ring buffer of bytes in the kernel with two ends: what is
 * written to one end is read from the other, in order (pipe(7)).  pipe(2)
 * makes one with two new files on an internal file system (pipefs); a
 * FIFO (mkfifo(3), a file of type S_IFIFO on any file system) is the same
 * buffer reached by opening a name.  The rules pipe(7) states, which the
 * code keeps:
 *   - capacity 64 KiB (F_GETPIPE_SZ; F_SETPIPE_SZ changes it);
 *   - a write of at most PIPE_BUF (4096) bytes is atomic: it waits until
 *     it fits whole, and is never interleaved with other writers';
 *   - reading an empty pipe blocks while a writer exists, and returns 0
 *     (end of file) once every write end is closed;
 *   - writing when no reader exists fails with EPIPE and sends the
 *     writer SIGPIPE;
 *   - O_NONBLOCK turns every wait into EAGAIN;
 *   - poll/select/epoll see POLLIN (data), POLLOUT (room for PIPE_BUF
 *     bytes), POLLHUP (no writer left), POLLERR (no reader left).
 */
#ifndef KESTREL_PIPE_FS_I_H
#define KESTREL_PIPE_FS_I_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>

struct file;
struct inode;
struct pipe_inode_info;

#define PIPE_DEF_SIZE	(64 * 1024)	/* bytes of a new pipe */
#define PIPE_MAX_SIZE	(1024 * 1024)	/* F_SETPIPE_SZ's limit (pipe-max-size) */

/**
 * create_pipe_files - a new pipe and its two ends: @res[0] for reading,
 * @res[1] for writing, with O_NONBLOCK and O_DIRECT from @flags.  0 or
 * -ENOMEM, -ENFILE.  For pipe2(2) and the kernel's own tests.
 */
int create_pipe_files(struct file **res, int flags);

/** free_pipe_info - free @pipe and its buffer (the inode is going). */
void free_pipe_info(struct pipe_inode_info *pipe);

/** pipe_fcntl - F_GETPIPE_SZ / F_SETPIPE_SZ on a pipe end; -EBADF if
 *  @file is not a pipe. */
long pipe_fcntl(struct file *file, unsigned int cmd, unsigned long arg);

/** pipefs_init - the internal file system pipe(2)'s files live on. */
void pipefs_init(void);

#endif
