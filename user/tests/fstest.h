/*
 * fstest.h — helpers of the file-system tests (files, dirs, perms, fds,
 * pipes, procfs, mounts in user/tests/): making and reading small files,
 * removing a tree, a scratch directory per case under /tmp, a task's
 * state from /proc, busybox run with its output captured.  Header-only,
 * like testlib.h, which it includes.
 *
 * Every case works in a directory of its own, fs_scratch(ctx, "name")
 * → /tmp/<prog>-<name>-<pid>, and removes it at the end (fs_rm_rf), so
 * cases can run in any order or alone.
 */
#ifndef KESTREL_USER_FSTEST_H
#define KESTREL_USER_FSTEST_H

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "testlib.h"

/* Make @path with @text (mode 0644); 0 or -1. */
static inline int fs_put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Read up to @len - 1 bytes of @path into @buf, NUL-terminated; the
 * count, or -1. */
static inline ssize_t fs_get(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, total = 0;

	if (fd < 0)
		return -1;
	while ((size_t)total < len - 1 &&
	       (n = read(fd, buf + total, len - 1 - total)) > 0)
		total += n;
	close(fd);
	buf[total] = '\0';
	return total;
}

/* Remove @path and everything under it (no symlinks followed). */
static inline void fs_rm_rf(const char *path)
{
	struct stat st;
	struct dirent *e;
	char sub[1024];
	DIR *d;

	if (lstat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	chmod(path, 0755);
	d = opendir(path);
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (strlen(path) + strlen(e->d_name) + 2 > sizeof(sub))
			continue;
		strcpy(sub, path);
		strcat(sub, "/");
		strcat(sub, e->d_name);
		fs_rm_rf(sub);
	}
	if (d)
		closedir(d);
	rmdir(path);
}

/* A fresh directory /tmp/@tag-<pid> in @buf (64 bytes); "" on failure. */
static inline const char *fs_scratch(char *buf, const char *tag)
{
	snprintf(buf, 64, "/tmp/%s-%d", tag, getpid());
	fs_rm_rf(buf);
	if (mkdir(buf, 0755) != 0)
		buf[0] = '\0';
	return buf;
}

/* "@dir/@name" in @out (256 bytes). */
static inline const char *fs_at(char *out, const char *dir, const char *name)
{
	size_t d = strlen(dir), n = strlen(name);

	if (d + 1 + n >= 256)
		d = n = 0;		/* too long: "/" names nothing useful */
	memmove(out, dir, d);
	out[d] = '/';
	memcpy(out + d + 1, name, n + 1);
	return out;
}

/* EXPECT_STR - two strings must be equal. */
#define EXPECT_STR(ctx, got, want)						\
	do {									\
		const char *g_ = (got), *w_ = (want);				\
		if (strcmp(g_, w_))						\
			ktap_fail(ctx, __FILE__, __LINE__, "%s = \"%s\", want \"%s\"", \
				  #got, g_, w_);				\
	} while (0)

/* Is @pid asleep (state S in /proc/<pid>/stat, proc(5))? */
static inline int task_asleep(pid_t pid)
{
	char p[32], buf[256], *s;

	snprintf(p, sizeof(p), "/proc/%d/stat", pid);
	if (fs_get(p, buf, sizeof(buf)) <= 0)
		return 0;
	s = strrchr(buf, ')');
	return s && s[1] == ' ' && s[2] == 'S';
}

/*
 * run_busybox - run /bin/busybox with @argv, its output and errors in
 * @out (@len bytes with the NUL); returns its wait status, or -1.
 */
static inline int run_busybox(char *const argv[], char *out, size_t len)
{
	int p[2], status;
	size_t total = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		execv("/bin/busybox", argv);
		_exit(127);
	}
	close(p[1]);
	while (total < len - 1 && (n = read(p[0], out + total, len - 1 - total)) > 0)
		total += n;
	out[total] = '\0';
	close(p[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

#endif
