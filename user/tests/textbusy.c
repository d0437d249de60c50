/*
 * textbusy — ETXTBSY (lab 8): a program that runs cannot be opened for
 * writing (open(2)) nor truncated (truncate(2)); a file open for writing
 * cannot be executed (execve(2)); both end with the last user.  Run as
 * init by lab 8's grader; copies itself to /tmp and runs the copy with
 * the argument "pause", which waits until killed.
 */
#include <signal.h>

#include "fstest.h"

static const char *copy = "/tmp/textbusy-copy";

/* Copy /proc/self/exe to @to (mode 0755); 0 or -1. */
static int copy_self(const char *to)
{
	static char buf[65536];
	int in = open("/proc/self/exe", O_RDONLY);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ssize_t n = 0;

	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			n = -1;
	close(in);
	close(out);
	return in >= 0 && out >= 0 && n == 0 ? 0 : -1;
}

/* The copy runs in a child (in pause()): no writer may open it. */
static void running_program(struct ktap_ctx *ctx)
{
	char comm[64];
	int status;
	pid_t pid;

	KT_EXPECT(ctx, copy_self(copy) == 0);
	pid = fork();
	if (pid == 0) {
		execl(copy, copy, "pause", (char *)NULL);
		_exit(127);
	}
	/* Once it sleeps as the copy, its exec is complete. */
	for (;;) {
		snprintf(comm, sizeof(comm), "/proc/%d/comm", pid);
		if (fs_get(comm, comm, sizeof(comm)) > 0 &&
		    !strcmp(comm, "textbusy-copy\n") && task_asleep(pid))
			break;
		usleep(5000);
	}
	EXPECT_ERRNO(ctx, open(copy, O_WRONLY), ETXTBSY);
	EXPECT_ERRNO(ctx, open(copy, O_RDWR | O_TRUNC), ETXTBSY);
	EXPECT_ERRNO(ctx, truncate(copy, 0), ETXTBSY);
	int fd = open(copy, O_RDONLY);	/* reading is fine */
	KT_EXPECT(ctx, fd >= 0);
	close(fd);
	EXPECT_OK(ctx, kill(pid, SIGKILL));
	EXPECT_EQ(ctx, waitpid(pid, &status, 0), pid);
	fd = open(copy, O_WRONLY);	/* it ended: writers again */
	KT_EXPECT(ctx, fd >= 0);
	close(fd);
	EXPECT_OK(ctx, truncate(copy, 0));
	unlink(copy);
}

/* A file open for writing cannot be run; once closed, it can. */
static void exec_writable(struct ktap_ctx *ctx)
{
	char *argv[] = { (char *)copy, "exit", NULL }, *envp[] = { NULL };
	int fd, status;
	pid_t pid;

	KT_EXPECT(ctx, copy_self(copy) == 0);
	fd = open(copy, O_WRONLY);
	KT_EXPECT(ctx, fd >= 0);
	EXPECT_ERRNO(ctx, execve(copy, argv, envp), ETXTBSY);
	close(fd);
	pid = fork();
	if (pid == 0) {
		execve(copy, argv, envp);
		_exit(127);
	}
	EXPECT_EQ(ctx, waitpid(pid, &status, 0), pid);
	KT_EXPECT(ctx, WIFEXITED(status) && WEXITSTATUS(status) == 42);
	unlink(copy);
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(running_program), KTAP_CASE(exec_writable),
	};

	if (argc == 2 && !strcmp(argv[1], "pause")) {
		for (;;)
			pause();
	}
	if (argc == 2 && !strcmp(argv[1], "exit"))
		return 42;
	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
