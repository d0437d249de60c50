/*
 * proctask — /proc/<pid>/task: a directory per thread (proc(5)
 * "/proc/[pid]/task"), checked against what the threads know of
 * themselves (gettid), with busybox's ps -T and top -H on top of it:
 *
 *   task_dirs     three threads wait on a pipe; /proc/self/task lists
 *                 the process's id and theirs, nothing else; each
 *                 task/<tid> has stat (first field the tid), status
 *                 (Pid: the tid, Tgid: the process, Threads: 4), comm,
 *                 cmdline and maps of the process, no "task"; /proc/<tid>
 *                 resolves (Pid: the tid, with a "task") but /proc does
 *                 not list it;
 *                 /proc/<tid>/task lists the same threads; another
 *                 process's id or a name that is not one is ENOENT
 *                 there; a thread that ended is gone
 *   task_busybox  busybox ps -T and top -b -H -n 1 list every tid
 */
#include <pthread.h>
#include <stdbool.h>

#include "fstest.h"

#define NTHREADS	3

static char file[65536], other[65536];
static pid_t tids[NTHREADS];
static pthread_barrier_t started;
static int gate[2];		/* the threads wait for EOF on gate[0] */

static void *waiter(void *arg)
{
	char c;

	tids[(long)arg] = (pid_t)syscall(SYS_gettid);
	pthread_barrier_wait(&started);
	while (read(gate[0], &c, 1) > 0)
		;
	return NULL;
}

static void start_threads(pthread_t *th)
{
	long i;

	pipe(gate);
	pthread_barrier_init(&started, NULL, NTHREADS + 1);
	for (i = 0; i < NTHREADS; i++)
		pthread_create(&th[i], NULL, waiter, (void *)i);
	pthread_barrier_wait(&started);
}

static void stop_threads(pthread_t *th)
{
	int i;

	close(gate[1]);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	close(gate[0]);
}

/* The ids directory @path lists (numbers only), sorted; how many. */
static int list_ids(const char *path, int *ids, int max)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0, i, j, t;

	while (d && (e = readdir(d)))
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9' && n < max)
			ids[n++] = atoi(e->d_name);
	if (d)
		closedir(d);
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && ids[j - 1] > ids[j]; j--)
			t = ids[j], ids[j] = ids[j - 1], ids[j - 1] = t;
	return n;
}

/* Does the "Key:\tvalue" line of file[] say @value? */
static bool status_says(const char *key, long value)
{
	char want[64];

	snprintf(want, sizeof(want), "\n%s:\t%ld\n", key, value);
	return strstr(file, want) != NULL;
}

/* The files of one thread's directory @dir, for thread @tid; "task"
 * is in /proc/<tid>, not in /proc/<pid>/task/<tid> (@has_task). */
static void check_thread_dir(struct ktap_ctx *ctx, const char *dir, int tid,
			     bool has_task)
{
	char path[128], comm[32];
	int id, ppid;
	char state;

	snprintf(path, sizeof(path), "%s/stat", dir);
	KT_EXPECT(ctx, fs_get(path, file, sizeof(file)) > 0);
	EXPECT_EQ(ctx, sscanf(file, "%d (%31[^)]) %c %d", &id, comm, &state, &ppid), 4);
	EXPECT_EQ(ctx, id, tid);
	EXPECT_EQ(ctx, ppid, getppid());
	EXPECT_STR(ctx, comm, "proctask");
	snprintf(path, sizeof(path), "%s/status", dir);
	KT_EXPECT(ctx, fs_get(path, file, sizeof(file)) > 0);
	KT_EXPECT(ctx, status_says("Pid", tid));
	KT_EXPECT(ctx, status_says("Tgid", getpid()));
	KT_EXPECT(ctx, status_says("Threads", NTHREADS + 1));
	snprintf(path, sizeof(path), "%s/comm", dir);
	KT_EXPECT(ctx, fs_get(path, file, sizeof(file)) > 0);
	EXPECT_STR(ctx, file, "proctask\n");
	snprintf(path, sizeof(path), "%s/cmdline", dir);
	KT_EXPECT(ctx, fs_get(path, file, sizeof(file)) > 0);
	KT_EXPECT(ctx, fs_get("/proc/self/cmdline", other, sizeof(other)) > 0);
	EXPECT_STR(ctx, file, other);
	snprintf(path, sizeof(path), "%s/maps", dir);
	KT_EXPECT(ctx, fs_get(path, file, sizeof(file)) > 0);
	KT_EXPECT(ctx, fs_get("/proc/self/maps", other, sizeof(other)) > 0);
	KT_EXPECT(ctx, strchr(file, '\n') &&
		  !strncmp(file, other, strchr(file, '\n') - file));
	snprintf(path, sizeof(path), "%s/task", dir);
	if (has_task)
		EXPECT_OK(ctx, access(path, F_OK));
	else
		EXPECT_ERRNO(ctx, access(path, F_OK), ENOENT);
}

static void task_dirs(struct ktap_ctx *ctx)
{
	int ids[16], want[NTHREADS + 1], n, i, status, child_gate[2];
	char path[128];
	pthread_t th[NTHREADS];
	pid_t child;

	start_threads(th);
	want[0] = getpid();
	for (i = 0; i < NTHREADS; i++)
		want[i + 1] = tids[i];
	n = list_ids("/proc/self/task", ids, 16);
	EXPECT_EQ(ctx, n, NTHREADS + 1);
	for (i = 0; i < n && i <= NTHREADS; i++)	/* tids grow: sorted */
		EXPECT_EQ(ctx, ids[i], want[i]);

	snprintf(path, sizeof(path), "/proc/self/task/%d", getpid());
	check_thread_dir(ctx, path, getpid(), false);
	for (i = 0; i < NTHREADS; i++) {
		snprintf(path, sizeof(path), "/proc/self/task/%d", tids[i]);
		check_thread_dir(ctx, path, tids[i], false);
	}

	/* /proc/<tid>: reachable, the thread's view, not listed. */
	snprintf(path, sizeof(path), "/proc/%d", tids[1]);
	check_thread_dir(ctx, path, tids[1], true);
	n = list_ids("/proc", ids, 16);
	for (i = 0; i < n; i++)
		KT_EXPECT(ctx, ids[i] != tids[0] && ids[i] != tids[1] && ids[i] != tids[2]);
	snprintf(path, sizeof(path), "/proc/%d/task", tids[2]);
	EXPECT_EQ(ctx, list_ids(path, ids, 16), NTHREADS + 1);

	/* Another process's id is no thread of ours. */
	pipe(child_gate);
	child = fork();
	if (child == 0) {
		char c;

		close(child_gate[1]);
		read(child_gate[0], &c, 1);
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/self/task/%d", child);
	EXPECT_ERRNO(ctx, access(path, F_OK), ENOENT);
	snprintf(path, sizeof(path), "/proc/%d/task", child);
	KT_EXPECT(ctx, list_ids(path, ids, 16) == 1 && ids[0] == child);
	close(child_gate[1]);
	close(child_gate[0]);
	waitpid(child, &status, 0);
	EXPECT_ERRNO(ctx, access("/proc/self/task/abc", F_OK), ENOENT);
	EXPECT_ERRNO(ctx, access("/proc/self/task/0", F_OK), ENOENT);
	EXPECT_ERRNO(ctx, open("/proc/self/task", O_WRONLY), EISDIR);

	stop_threads(th);
	/* A joined thread may still be finishing its exit: a few yields. */
	snprintf(path, sizeof(path), "/proc/self/task/%d", tids[0]);
	for (i = 0; i < 1000 && access(path, F_OK) == 0; i++)
		sched_yield();
	EXPECT_ERRNO(ctx, access(path, F_OK), ENOENT);
	EXPECT_EQ(ctx, list_ids("/proc/self/task", ids, 16), 1);
}

/* Does a line of @out start (after blanks) with the number @id? */
static bool lists_id(const char *out, int id)
{
	const char *line = out;

	while (line && *line) {
		while (*line == ' ')
			line++;
		if (atoi(line) == id)
			return true;
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	return false;
}

static void task_busybox(struct ktap_ctx *ctx)
{
	pthread_t th[NTHREADS];
	int i;

	start_threads(th);
	EXPECT_EQ(ctx, run_busybox((char *[]){ "ps", "-T", NULL }, file, sizeof(file)), 0);
	for (i = 0; i < NTHREADS; i++)
		if (!lists_id(file, tids[i]))
			ktap_fail(ctx, __FILE__, __LINE__, "ps -T does not list %d:\n%s",
				  tids[i], file);
	EXPECT_EQ(ctx, run_busybox((char *[]){ "top", "-b", "-H", "-n", "1", NULL },
			       file, sizeof(file)), 0);
	for (i = 0; i < NTHREADS; i++)
		if (!lists_id(file, tids[i]))
			ktap_fail(ctx, __FILE__, __LINE__, "top -H does not list %d:\n%s",
				  tids[i], file);
	stop_threads(th);
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(task_dirs), KTAP_CASE(task_busybox),
	};

	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
