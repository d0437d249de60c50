/*
 * exec — execve(2) from a running process (lab 7): programs and static
 * PIEs, #! scripts, the errors Linux gives, vfork + exec, and exec from
 * a multi-threaded process.
 *
 * Each case forks a child that execs; the child's exit status says what
 * happened (exechelper exits with its argc, or 0/1 for a pid check).  The
 * files come from the grader's initrd (grade/userprog.py): /hello,
 * /auxv-pie, /exechelper, a #! script "/script" → "#!/auxv script-arg",
 * "/script2" → "#!/script" (two levels), "/loop1" ↔ "/loop2" (#! loops),
 * "/notelf" (text), "/empty", and /bin/hello, a symbolic link.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "testlib.h"

static char *const no_env[] = { NULL };

/* Fork, exec @path with @argv in the child; the child's wait status
 * (exec failing makes the child exit with 200 + errno). */
static int spawn(const char *path, char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execve(path, argv, no_env);
		_exit(200 + errno);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static void static_programs(struct ktap_ctx *ctx)
{
	char *hello[] = { "hello", NULL };
	char *helper[] = { "exechelper", "argecho", "a", "b", NULL };

	EXPECT_EQ(ctx, spawn("/hello", hello), 0);
	EXPECT_EQ(ctx, spawn("/bin/hello", hello), 0);	/* through a symlink */
	EXPECT_EQ(ctx, spawn("/exechelper", helper), 4 << 8);
}

static void static_pie(struct ktap_ctx *ctx)
{
	char *argv[] = { "/auxv-pie", "from-exec", NULL };
	int status = spawn("/auxv-pie", argv);

	/* auxv-pie checks its own auxv and exits 0 when all is right. */
	EXPECT_EQ(ctx, status, 0);
}

static void script(struct ktap_ctx *ctx)
{
	char *argv[] = { "/script2", "x", "y", NULL };

	/* /script2 → /script → "/auxv script-arg /script /script2 x y":
	 * six arguments for auxv, which exits 0 if its checks pass. */
	EXPECT_EQ(ctx, spawn("/script2", argv), 0);
}

static void errors(struct ktap_ctx *ctx)
{
	char *argv[] = { "x", NULL };

	EXPECT_EQ(ctx, spawn("/nope", argv), (200 + ENOENT) << 8);
	EXPECT_EQ(ctx, spawn("/notelf", argv), (200 + ENOEXEC) << 8);
	EXPECT_EQ(ctx, spawn("/empty", argv), (200 + ENOEXEC) << 8);
	EXPECT_EQ(ctx, spawn("/bin", argv), (200 + EACCES) << 8);
	EXPECT_EQ(ctx, spawn("/loop1", argv), (200 + ELOOP) << 8);
	EXPECT_ERRNO(ctx, execve("", argv, no_env), ENOENT);
	EXPECT_ERRNO(ctx, execve("/hello", (char **)BAD_UNMAPPED, no_env), EFAULT);
	EXPECT_ERRNO(ctx, execve("/hello", argv, (char **)BAD_KERNEL), EFAULT);
}

static void too_big(struct ktap_ctx *ctx)
{
	size_t n = 3 << 20;	/* more than a quarter of the 8 MiB stack limit */
	char *big = malloc(n + 1);
	char *argv[] = { "x", big, NULL };

	memset(big, 'a', n);
	big[n] = '\0';
	EXPECT_ERRNO(ctx, execve("/hello", argv, no_env), E2BIG);
	free(big);
}

static void vfork_exec(struct ktap_ctx *ctx)
{
	char *argv[] = { "exechelper", "argecho", "v", NULL };
	int status;
	pid_t pid = vfork();

	if (pid == 0) {
		execve("/exechelper", argv, no_env);
		_exit(127);
	}
	/* We run again once the child exec'd: its memory is its own. */
	EXPECT_EQ(ctx, waitpid(pid, &status, 0), pid);
	EXPECT_EQ(ctx, status, 3 << 8);
}

static void *sleeper(void *arg)
{
	(void)arg;
	while (pause() == -1)	/* until killed by the exec */
		;
	return NULL;
}

static void *exec_from_thread(void *arg)
{
	char pidbuf[16];
	char *argv[] = { "exechelper", "expect-pid", pidbuf, NULL };

	snprintf(pidbuf, sizeof(pidbuf), "%d", (int)(long)arg);
	execve("/exechelper", argv, no_env);
	_exit(127);
}

/* A non-main thread execs while two others sleep: they are killed, the
 * process keeps its pid, and the new program runs alone. */
static void threaded_child(void *arg)
{
	pthread_t th;

	(void)arg;
	if (pthread_create(&th, NULL, sleeper, NULL) ||
	    pthread_create(&th, NULL, sleeper, NULL) ||
	    pthread_create(&th, NULL, exec_from_thread, (void *)(long)getpid()))
		_exit(98);
	for (;;)
		pause();
}

static void exec_multithreaded(struct ktap_ctx *ctx)
{
	EXPECT_EQ(ctx, run_child(threaded_child, NULL), 0);
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(static_programs), KTAP_CASE(static_pie), KTAP_CASE(script),
		KTAP_CASE(errors), KTAP_CASE(too_big), KTAP_CASE(vfork_exec),
		KTAP_CASE(exec_multithreaded),
	};

	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
