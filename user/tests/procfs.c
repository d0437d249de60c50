/*
 * procfs — /proc read back and parsed, checked against what the process
 * knows of itself (proc(5)): /proc/self and /proc/<pid>/{stat, status,
 * cmdline, environ, maps, fd/, exe, cwd, root, comm, mounts}, a child's
 * directory appearing and going away, and the files at the top —
 * meminfo, uptime, loadavg, version, mounts, filesystems, stat, cmdline,
 * cpuinfo, devices — in Linux's formats.
 */
#include <stdbool.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>

#include "fstest.h"

#define MIN(a, b)	((a) < (b) ? (a) : (b))

static char file[65536];

/* The contents of @path in file[], or "" (the length, or -1). */
static ssize_t slurp(const char *path)
{
	return fs_get(path, file, sizeof(file));
}

/* The value after "@key:" on its line of file[], or NULL. */
static const char *field(const char *key)
{
	static char value[256];
	size_t len = strlen(key);
	char *p = file, *end;

	while (p && *p) {
		char *q = p + len;

		while (!strncmp(p, key, len) && (*q == ' ' || *q == '\t'))
			q++;		/* cpuinfo pads with tabs */
		if (!strncmp(p, key, len) && *q == ':') {
			p = q + 1;
			while (*p == ' ' || *p == '\t')
				p++;
			end = strchr(p, '\n');
			len = end ? (size_t)(end - p) : strlen(p);
			snprintf(value, sizeof(value), "%.*s", (int)MIN(len, sizeof(value) - 1), p);
			return value;
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return NULL;
}

static void self_link(struct ktap_ctx *ctx)
{
	char buf[64], want[32];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);

	buf[n > 0 ? n : 0] = '\0';
	snprintf(want, sizeof(want), "%d", getpid());
	EXPECT_STR(ctx, buf, want);
	snprintf(want, sizeof(want), "/proc/%d/status", getpid());
	KT_EXPECT(ctx, slurp(want) > 0);
	EXPECT_ERRNO(ctx, open("/proc/999999/status", O_RDONLY), ENOENT);
	EXPECT_ERRNO(ctx, open("/proc/self/nosuch", O_RDONLY), ENOENT);
}

static void stat_and_status(struct ktap_ctx *ctx)
{
	char comm[64], state;
	int pid, ppid, threads;
	const char *v;

	KT_EXPECT(ctx, slurp("/proc/self/stat") > 0);
	EXPECT_EQ(ctx, sscanf(file, "%d (%63[^)]) %c %d", &pid, comm, &state, &ppid), 4);
	EXPECT_EQ(ctx, pid, getpid());
	EXPECT_EQ(ctx, ppid, getppid());
	EXPECT_STR(ctx, comm, "procfs");
	EXPECT_EQ(ctx, state, 'R');
	{	/* 52 fields (proc(5)); the 20th is the number of threads */
		int n = 0;
		char *p = strrchr(file, ')');

		for (; p && *p; p++)
			n += *p == ' ';
		EXPECT_EQ(ctx, n + 1, 51);		/* fields after pid and comm */
		sscanf(strrchr(file, ')') + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u "
		       "%*u %*u %*u %*u %*d %*d %*d %*d %d", &threads);
		EXPECT_EQ(ctx, threads, 1);
	}
	KT_EXPECT(ctx, slurp("/proc/self/status") > 0);
	v = field("Name");
	KT_EXPECT(ctx, v && !strcmp(v, "procfs"));
	v = field("Pid");
	KT_EXPECT(ctx, v && atoi(v) == getpid());
	v = field("PPid");
	KT_EXPECT(ctx, v && atoi(v) == getppid());
	v = field("Uid");
	KT_EXPECT(ctx, v && !strcmp(v, "0\t0\t0\t0"));
	v = field("State");
	KT_EXPECT(ctx, v && !strcmp(v, "R (running)"));
	KT_EXPECT(ctx, field("VmRSS") && atoi(field("VmRSS")) > 0);
	KT_EXPECT(ctx, slurp("/proc/self/comm") > 0 && !strcmp(file, "procfs\n"));
}

static int g_argc;
static char **g_argv;

static void cmdline(struct ktap_ctx *ctx)
{
	ssize_t n = slurp("/proc/self/cmdline"), off = 0;
	int i;

	for (i = 0; i < g_argc && off < n; i++) {
		EXPECT_STR(ctx, file + off, g_argv[i]);
		off += strlen(g_argv[i]) + 1;
	}
	EXPECT_EQ(ctx, off, n);
	n = slurp("/proc/self/environ");
	for (off = 0; off < n && strcmp(file + off, "HOME=/");)
		off += strlen(file + off) + 1;
	KT_EXPECT(ctx, off < n);		/* the kernel gives init HOME=/ */
	if (getenv("KTEST_NONCE")) {
		for (off = 0; off < n && strncmp(file + off, "KTEST_NONCE=", 12);)
			off += strlen(file + off) + 1;
		KT_EXPECT(ctx, off < n && !strcmp(file + off + 12, getenv("KTEST_NONCE")));
	}
}

static void maps(struct ktap_ctx *ctx)
{
	unsigned long start, end, here = (unsigned long)&here, code = (unsigned long)maps;
	bool stack = false, text = false, exe_named = false;
	char perms[8], *line;

	KT_EXPECT(ctx, slurp("/proc/self/maps") > 0);
	for (line = strtok(file, "\n"); line; line = strtok(NULL, "\n")) {
		if (sscanf(line, "%lx-%lx %4s", &start, &end, perms) != 3) {
			ktap_fail(ctx, __FILE__, __LINE__, "bad line %s", line);
			continue;
		}
		if (here >= start && here < end)
			stack = strstr(line, "[stack]") && perms[0] == 'r' && perms[1] == 'w';
		if (code >= start && code < end) {
			text = perms[2] == 'x' && perms[3] == 'p';
			exe_named = strstr(line, "/procfs") != NULL;
		}
	}
	KT_EXPECT(ctx, stack);
	KT_EXPECT(ctx, text);
	KT_EXPECT(ctx, exe_named);
}

static void fd_dir(struct ktap_ctx *ctx)
{
	char path[64], buf[256];
	int fd = open("/dev/null", O_RDONLY), p[2], seen = 0;
	struct dirent *e;
	ssize_t n;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	EXPECT_STR(ctx, buf, "/dev/null");
	EXPECT_OK(ctx, pipe(p));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	n = readlink(path, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	KT_EXPECT(ctx, !strncmp(buf, "pipe:[", 6));
	/* A magic link: opening it opens the pipe itself. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[1]);
	n = open(path, O_WRONLY);
	EXPECT_EQ(ctx, write(n, "via proc", 8), 8);
	EXPECT_EQ(ctx, read(p[0], buf, 8), 8);
	close(n);
	d = opendir("/proc/self/fd");
	while (d && (e = readdir(d)))
		seen += atoi(e->d_name) == fd || atoi(e->d_name) == p[0];
	closedir(d);
	EXPECT_EQ(ctx, seen, 2);
	close(fd);
	close(p[0]);
	close(p[1]);
}

static void exe_cwd_root(struct ktap_ctx *ctx)
{
	char buf[256];
	ssize_t n;

	n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	EXPECT_STR(ctx, buf, "/procfs");
	EXPECT_OK(ctx, chdir("/dev"));
	n = readlink("/proc/self/cwd", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	EXPECT_STR(ctx, buf, "/dev");
	EXPECT_OK(ctx, chdir("/"));
	n = readlink("/proc/self/root", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	EXPECT_STR(ctx, buf, "/");
	KT_EXPECT(ctx, slurp("/proc/self/mounts") > 0 && strstr(file, " /proc proc "));
}

/* A child's /proc/<pid> exists while it lives (or is a zombie), then not. */
static void child_dir(struct ktap_ctx *ctx)
{
	char path[64], comm[32];
	int p[2], status;
	pid_t pid;

	EXPECT_OK(ctx, pipe(p));
	pid = fork();
	if (pid == 0) {
		char c;

		close(p[1]);
		_exit(read(p[0], &c, 1) == 1 ? 0 : 1);	/* until told */
	}
	close(p[0]);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (int tries = 0; tries < 100; tries++) {	/* until it sleeps in read */
		KT_EXPECT(ctx, slurp(path) > 0);
		if (strchr(file, ')') && strchr(file, ')')[2] == 'S')
			break;
		usleep(10000);
	}
	EXPECT_EQ(ctx, sscanf(file, "%*d (%31[^)])", comm), 1);
	EXPECT_STR(ctx, comm, "procfs");
	KT_EXPECT(ctx, strchr(file, ')')[2] == 'S');
	EXPECT_EQ(ctx, write(p[1], "g", 1), 1);
	waitpid(pid, &status, 0);
	EXPECT_ERRNO(ctx, open(path, O_RDONLY), ENOENT);
	close(p[1]);
}

static void global_files(struct ktap_ctx *ctx)
{
	double up1, up2, idle;
	struct utsname u;
	struct sysinfo si;
	unsigned long total;
	int running, all, last;

	KT_EXPECT(ctx, slurp("/proc/meminfo") > 0);
	KT_EXPECT(ctx, !strncmp(file, "MemTotal:       ", 16) && strstr(file, " kB\n"));
	total = strtoul(field("MemTotal"), NULL, 10);
	EXPECT_OK(ctx, sysinfo(&si));
	EXPECT_EQ(ctx, total, si.totalram * si.mem_unit / 1024);
	KT_EXPECT(ctx, field("MemFree") && field("MemAvailable") && field("SwapTotal"));
	KT_EXPECT(ctx, slurp("/proc/uptime") > 0);
	EXPECT_EQ(ctx, sscanf(file, "%lf %lf", &up1, &idle), 2);
	usleep(20000);
	slurp("/proc/uptime");
	sscanf(file, "%lf", &up2);
	KT_EXPECT(ctx, up1 > 0 && up2 >= up1 + 0.01 && idle >= 0);
	KT_EXPECT(ctx, slurp("/proc/loadavg") > 0);
	EXPECT_EQ(ctx, sscanf(file, "%*f %*f %*f %d/%d %d", &running, &all, &last), 3);
	KT_EXPECT(ctx, running >= 1 && all >= running && last >= getpid());
	KT_EXPECT(ctx, slurp("/proc/version") > 0);
	EXPECT_OK(ctx, uname(&u));
	KT_EXPECT(ctx, !strncmp(file, "Linux version ", 14) && strstr(file, u.release));
	KT_EXPECT(ctx, slurp("/proc/mounts") > 0);
	KT_EXPECT(ctx, strstr(file, "devtmpfs /dev devtmpfs rw") &&
		  strstr(file, "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"));
	KT_EXPECT(ctx, slurp("/proc/filesystems") > 0);
	KT_EXPECT(ctx, strstr(file, "nodev\ttmpfs\n") && strstr(file, "nodev\tproc\n") &&
		  strstr(file, "nodev\tsysfs\n") && strstr(file, "nodev\tdevtmpfs\n"));
	KT_EXPECT(ctx, slurp("/proc/stat") > 0);
	KT_EXPECT(ctx, !strncmp(file, "cpu  ", 5) && strstr(file, "\ncpu0 ") &&
		  field("btime") == NULL && strstr(file, "\nbtime ") &&
		  strstr(file, "\nctxt ") && strstr(file, "\nprocesses "));
	KT_EXPECT(ctx, slurp("/proc/cmdline") > 0);
	KT_EXPECT(ctx, strstr(file, "console=ttyS0") && strstr(file, "rdinit=/procfs") &&
		  file[strlen(file) - 1] == '\n');
	KT_EXPECT(ctx, !getenv("KTEST_NONCE") || strstr(file, getenv("KTEST_NONCE")));
	KT_EXPECT(ctx, slurp("/proc/cpuinfo") > 0);
	KT_EXPECT(ctx, !strncmp(file, "processor\t: 0\n", 14) && field("model name") &&
		  field("flags") && strstr(field("flags"), "fpu"));
	KT_EXPECT(ctx, slurp("/proc/devices") > 0);
	KT_EXPECT(ctx, strstr(file, "Character devices:\n") && strstr(file, "  1 mem\n"));
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(self_link), KTAP_CASE(stat_and_status), KTAP_CASE(cmdline),
		KTAP_CASE(maps), KTAP_CASE(fd_dir), KTAP_CASE(exe_cwd_root),
		KTAP_CASE(child_dir), KTAP_CASE(global_files),
	};

	g_argc = argc;
	g_argv = argv;
	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
