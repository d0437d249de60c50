/*
 * sysctl — /proc/sys read back and written (proc(5) "/proc/sys",
 * Documentation/admin-guide/sysctl/kernel.rst), and busybox's sysctl
 * and hostname on top of it:
 *
 *   sys_values   kernel/{ostype, osrelease, version, hostname,
 *                domainname} say what uname(2) says, one line each;
 *                pid_max, threads-max, fs/file-max, fs/nr_open,
 *                vm/overcommit_memory are numbers; random/boot_id is a
 *                version-4 UUID that stays, random/uuid one that changes;
 *                the directories list their names; openat relative to
 *                /proc/sys as busybox's sysctl does; ENOENT, ENOTDIR
 *   sys_writes   root writes hostname and domainname (a name from the
 *                nonce; the newline ends it; a long one is cut to 64
 *                bytes); a 0444 file is EACCES even for root; a write at
 *                an offset EINVAL; not root: EACCES for writing, reading
 *                allowed
 *   sys_busybox  busybox sysctl kernel.ostype, sysctl -w kernel.hostname,
 *                sysctl -a (ends, lists kernel.ostype), hostname
 */
#include <ctype.h>
#include <stdbool.h>
#include <sys/utsname.h>

#include "fstest.h"

#define NOBODY	65534
#define UTS_LEN	64	/* __NEW_UTS_LEN */

static char file[4096];

/* The contents of /proc/sys/@name in file[] without its newline; the
 * length read (with the newline), or -1. */
static ssize_t sys_get(const char *name)
{
	char path[128];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/sys/%s", name);
	n = fs_get(path, file, sizeof(file));
	if (n > 0 && file[n - 1] == '\n')
		file[n - 1] = '\0';
	return n;
}

/* Write @text to /proc/sys/@name in one write(2); its result or -1. */
static ssize_t sys_put(const char *name, const char *text)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n;
}

/* Is file[] a positive decimal number? */
static bool file_is_number(void)
{
	size_t i;

	for (i = 0; file[i]; i++)
		if (!isdigit((unsigned char)file[i]))
			return false;
	return i > 0 && file[0] != '0';
}

/* Is @s a version-4 UUID (RFC 4122: 8-4-4-4-12 hex digits)? */
static bool is_uuid4(const char *s)
{
	size_t i;

	if (strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return false;
	}
	return s[14] == '4' && strchr("89ab", s[19]);
}

/* Does directory @path list @name? */
static bool lists(const char *path, const char *name)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool found = false;

	while (d && (e = readdir(d)))
		found |= !strcmp(e->d_name, name);
	if (d)
		closedir(d);
	return found;
}

static void sys_values(struct ktap_ctx *ctx)
{
	static const char *const numbers[] = {
		"kernel/pid_max", "kernel/threads-max", "fs/file-max",
		"fs/nr_open",
	};
	char boot_id[64];
	struct utsname u;
	unsigned int i;
	int dir, fd;

	EXPECT_OK(ctx, uname(&u));
	KT_EXPECT(ctx, sys_get("kernel/ostype") == (ssize_t)strlen(u.sysname) + 1);
	EXPECT_STR(ctx, file, "Linux");
	KT_EXPECT(ctx, sys_get("kernel/osrelease") > 0);
	EXPECT_STR(ctx, file, u.release);
	KT_EXPECT(ctx, sys_get("kernel/version") > 0);
	EXPECT_STR(ctx, file, u.version);
	KT_EXPECT(ctx, sys_get("kernel/hostname") > 0);
	EXPECT_STR(ctx, file, u.nodename);
	KT_EXPECT(ctx, sys_get("kernel/domainname") > 0);
	EXPECT_STR(ctx, file, u.domainname);
	for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		KT_EXPECT(ctx, sys_get(numbers[i]) > 0);
		if (!file_is_number())
			ktap_fail(ctx, __FILE__, __LINE__, "%s is \"%s\", not a number",
				  numbers[i], file);
	}
	KT_EXPECT(ctx, sys_get("fs/nr_open") > 0);
	EXPECT_STR(ctx, file, "1048576");
	KT_EXPECT(ctx, sys_get("vm/overcommit_memory") > 0);
	KT_EXPECT(ctx, !strcmp(file, "0") || !strcmp(file, "1") || !strcmp(file, "2"));

	KT_EXPECT(ctx, sys_get("kernel/random/boot_id") == 37);
	KT_EXPECT(ctx, is_uuid4(file));
	snprintf(boot_id, sizeof(boot_id), "%s", file);
	KT_EXPECT(ctx, sys_get("kernel/random/boot_id") == 37);
	EXPECT_STR(ctx, file, boot_id);
	KT_EXPECT(ctx, sys_get("kernel/random/uuid") == 37);
	KT_EXPECT(ctx, is_uuid4(file));
	snprintf(boot_id, sizeof(boot_id), "%s", file);
	KT_EXPECT(ctx, sys_get("kernel/random/uuid") == 37);
	KT_EXPECT(ctx, strcmp(file, boot_id) != 0);

	KT_EXPECT(ctx, lists("/proc", "sys"));
	KT_EXPECT(ctx, lists("/proc/sys", "kernel") && lists("/proc/sys", "vm"));
	KT_EXPECT(ctx, lists("/proc/sys/kernel", "hostname"));
	KT_EXPECT(ctx, lists("/proc/sys/kernel/random", "boot_id"));
	KT_EXPECT(ctx, lists("/proc/sys/fs", "nr_open"));

	/* busybox sysctl: chdir("/proc/sys"), then "kernel/ostype". */
	dir = open("/proc/sys", O_RDONLY | O_DIRECTORY);
	KT_EXPECT(ctx, dir >= 0);
	fd = openat(dir, "kernel/ostype", O_RDONLY);
	KT_EXPECT(ctx, fd >= 0 && read(fd, file, sizeof(file)) == 6);
	close(fd);
	EXPECT_ERRNO(ctx, openat(dir, "kernel/nosuch", O_RDONLY), ENOENT);
	EXPECT_ERRNO(ctx, openat(dir, "kernel/ostype/x", O_RDONLY), ENOTDIR);
	close(dir);
}

static void writes_unprivileged(void *arg)
{
	(void)arg;
	if (setgid(NOBODY) || setuid(NOBODY))
		_exit(99);
	errno = 0;
	if (open("/proc/sys/kernel/hostname", O_WRONLY) != -1 || errno != EACCES)
		_exit(1);
	if (open("/proc/sys/kernel/domainname", O_RDWR) != -1 || errno != EACCES)
		_exit(2);
	if (sys_get("kernel/hostname") <= 0)
		_exit(3);
}

static void sys_writes(struct ktap_ctx *ctx)
{
	char host[UTS_LEN + 40], want[UTS_LEN + 1];
	struct utsname u;
	int fd, status;

	snprintf(host, sizeof(host), "k%llx\n", (unsigned long long)ktap_nonce());
	EXPECT_EQ(ctx, sys_put("kernel/hostname", host), strlen(host));
	host[strlen(host) - 1] = '\0';
	EXPECT_OK(ctx, uname(&u));
	EXPECT_STR(ctx, u.nodename, host);
	KT_EXPECT(ctx, sys_get("kernel/hostname") > 0);
	EXPECT_STR(ctx, file, host);

	snprintf(host, sizeof(host), "d%llx.example", (unsigned long long)ktap_nonce());
	EXPECT_EQ(ctx, sys_put("kernel/domainname", host), strlen(host));
	EXPECT_OK(ctx, uname(&u));
	EXPECT_STR(ctx, u.domainname, host);

	/* Longer than 64 bytes: the first 64 are taken (proc_dostring). */
	memset(host, 'z', sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	host[0] = 'a' + ktap_nonce() % 26;
	EXPECT_EQ(ctx, sys_put("kernel/hostname", host), strlen(host));
	snprintf(want, sizeof(want), "%.*s", UTS_LEN, host);
	EXPECT_OK(ctx, uname(&u));
	EXPECT_STR(ctx, u.nodename, want);

	fd = open("/proc/sys/kernel/hostname", O_WRONLY);
	KT_EXPECT(ctx, fd >= 0);
	EXPECT_ERRNO(ctx, pwrite(fd, "x", 1, 1), EINVAL);
	close(fd);

	/* 0444: not even root may open it for writing. */
	EXPECT_ERRNO(ctx, open("/proc/sys/kernel/ostype", O_WRONLY), EACCES);
	EXPECT_ERRNO(ctx, open("/proc/sys/kernel/random/boot_id", O_RDWR), EACCES);
	EXPECT_ERRNO(ctx, open("/proc/sys/fs/nr_open", O_WRONLY | O_TRUNC), EACCES);
	EXPECT_ERRNO(ctx, open("/proc/sys/kernel", O_WRONLY), EISDIR);

	status = run_child(writes_unprivileged, NULL);
	KT_EXPECT(ctx, WIFEXITED(status));
	EXPECT_EQ(ctx, WEXITSTATUS(status), 0);
	EXPECT_OK(ctx, sethostname("kestrel", 7));
}

static char out[65536];

static void sys_busybox(struct ktap_ctx *ctx)
{
	char name[32], set[64], line[64];
	struct utsname u;

	EXPECT_EQ(ctx, run_busybox((char *[]){ "sysctl", "kernel.ostype", NULL },
			       out, sizeof(out)), 0);
	EXPECT_STR(ctx, out, "kernel.ostype = Linux\n");

	snprintf(name, sizeof(name), "b%llx", (unsigned long long)ktap_nonce() % 1000000007);
	snprintf(set, sizeof(set), "kernel.hostname=%s", name);
	EXPECT_EQ(ctx, run_busybox((char *[]){ "sysctl", "-w", set, NULL },
			       out, sizeof(out)), 0);
	EXPECT_OK(ctx, uname(&u));
	EXPECT_STR(ctx, u.nodename, name);
	EXPECT_EQ(ctx, run_busybox((char *[]){ "hostname", NULL }, out, sizeof(out)), 0);
	snprintf(line, sizeof(line), "%s\n", name);
	EXPECT_STR(ctx, out, line);

	EXPECT_EQ(ctx, run_busybox((char *[]){ "sysctl", "-a", NULL }, out, sizeof(out)), 0);
	KT_EXPECT(ctx, strstr(out, "kernel.ostype = Linux\n") != NULL);
	snprintf(line, sizeof(line), "kernel.hostname = %s\n", name);
	KT_EXPECT(ctx, strstr(out, line) != NULL);
	KT_EXPECT(ctx, strstr(out, "fs.nr_open = 1048576\n") != NULL);
	EXPECT_OK(ctx, sethostname("kestrel", 7));
}

int main(int argc, char **argv)
{
	static const struct ktap_case cases[] = {
		KTAP_CASE(sys_values), KTAP_CASE(sys_writes), KTAP_CASE(sys_busybox),
	};

	return ktap_main(argc, argv, cases, KTAP_COUNT(cases));
}
