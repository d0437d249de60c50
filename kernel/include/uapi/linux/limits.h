/*
 * uapi/linux/limits.h — sizes of names and paths, and the pipe write
 * that is atomic.  Source: Linux include/uapi/linux/limits.h; pipe(7)
 * ("PIPE_BUF"), path_resolution(7).
 */
#ifndef UAPI_LINUX_LIMITS_H
#define UAPI_LINUX_LIMITS_H

#define NAME_MAX	255	/* bytes in a file name, without the NUL */
#define PATH_MAX	4096	/* bytes in a path, with the NUL */
#define PIPE_BUF	4096	/* bytes a pipe writes atomically */
#define NGROUPS_MAX	65536

#endif
