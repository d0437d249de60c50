/*
 * kestrel/syscalls.h — the system calls' entry points, with their types.
 *
 * Every function named in the third column of the arch's syscall.tbl is
 * declared here, so that its definition is checked against one prototype
 * (the generated table calls them all through one type: asm/syscall.h).
 * The parameters are those of the Linux man page of the call; pointers
 * into user space are __user and reach memory only through
 * kestrel/uaccess.h.  Each returns its result or -errno.  Where each is
 * implemented is said in its group's comment.
 */
#ifndef KESTREL_SYSCALLS_H
#define KESTREL_SYSCALLS_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>

struct __kernel_old_timeval;
struct __kernel_timespec;
struct clone_args;
struct iovec;
struct new_utsname;
struct rlimit;
struct rlimit64;
struct robust_list_head;
struct rusage;
struct siginfo_chld;
struct sysinfo;
struct timezone;
struct tms;

typedef int pid_t;

/* Console I/O until lab 8's files (kernel/fs/console.c). */
long sys_read(unsigned int fd, char __user *buf, size_t count);
long sys_write(unsigned int fd, const char __user *buf, size_t count);
long sys_readv(unsigned long fd, const struct iovec __user *vec,
	       unsigned long vlen);
long sys_writev(unsigned long fd, const struct iovec __user *vec,
		unsigned long vlen);
long sys_ioctl(unsigned int fd, unsigned int cmd, unsigned long arg);

/* Memory (kernel/mm/mmap.c). */
long sys_brk(unsigned long brk);
long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot,
	      unsigned long flags, unsigned long fd, unsigned long off);
long sys_munmap(unsigned long addr, size_t len);
long sys_mprotect(unsigned long start, size_t len, unsigned long prot);
long sys_mremap(unsigned long addr, unsigned long old_len,
		unsigned long new_len, unsigned long flags,
		unsigned long new_addr);
long sys_madvise(unsigned long start, size_t len, int advice);

/* Processes (kernel/task/fork.c, exec.c, exit.c). */
long sys_fork(void);
long sys_vfork(void);
long sys_clone(unsigned long flags, unsigned long newsp,
	       int __user *parent_tid, int __user *child_tid,
	       unsigned long tls);
long sys_clone3(struct clone_args __user *uargs, size_t size);
long sys_execve(const char __user *filename,
		const char __user *const __user *argv,
		const char __user *const __user *envp);
long sys_exit(int error_code);
long sys_exit_group(int error_code);
long sys_wait4(pid_t pid, int __user *stat_addr, int options,
	       struct rusage __user *ru);
long sys_waitid(int which, pid_t pid, struct siginfo_chld __user *infop,
		int options, struct rusage __user *ru);
long sys_set_tid_address(int __user *tidptr);
long sys_set_robust_list(struct robust_list_head __user *head, size_t len);
long sys_get_robust_list(int pid, struct robust_list_head __user *__user *head,
			 size_t __user *len);
long sys_futex(u32 __user *uaddr, int op, u32 val,
	       const struct __kernel_timespec __user *utime,
	       u32 __user *uaddr2, u32 val3);
long sys_arch_prctl(int code, unsigned long addr);
long sys_rt_sigprocmask(int how, const u64 __user *set, u64 __user *oset,
			size_t sigsetsize);

/* Identity, limits, information (kernel/task/sys.c). */
long sys_getpid(void);
long sys_getppid(void);
long sys_gettid(void);
long sys_getuid(void);
long sys_geteuid(void);
long sys_getgid(void);
long sys_getegid(void);
long sys_setuid(unsigned int uid);
long sys_setgid(unsigned int gid);
long sys_setreuid(unsigned int ruid, unsigned int euid);
long sys_setregid(unsigned int rgid, unsigned int egid);
long sys_setresuid(unsigned int ruid, unsigned int euid, unsigned int suid);
long sys_setresgid(unsigned int rgid, unsigned int egid, unsigned int sgid);
long sys_getresuid(unsigned int __user *ruid, unsigned int __user *euid,
		   unsigned int __user *suid);
long sys_getresgid(unsigned int __user *rgid, unsigned int __user *egid,
		   unsigned int __user *sgid);
long sys_getgroups(int size, unsigned int __user *list);
long sys_setgroups(int size, const unsigned int __user *list);
long sys_uname(struct new_utsname __user *name);
long sys_prctl(int option, unsigned long a2, unsigned long a3,
	       unsigned long a4, unsigned long a5);
long sys_getrlimit(unsigned int resource, struct rlimit __user *rlim);
long sys_setrlimit(unsigned int resource, const struct rlimit __user *rlim);
long sys_prlimit64(pid_t pid, unsigned int resource,
		   const struct rlimit64 __user *new_rlim,
		   struct rlimit64 __user *old_rlim);
long sys_getrusage(int who, struct rusage __user *ru);
long sys_sysinfo(struct sysinfo __user *info);
long sys_times(struct tms __user *tbuf);
long sys_getrandom(char __user *buf, size_t count, unsigned int flags);
long sys_sched_yield(void);
long sys_pause(void);

/* Time (kernel/time/posix.c). */
long sys_clock_gettime(int which, struct __kernel_timespec __user *tp);
long sys_clock_getres(int which, struct __kernel_timespec __user *tp);
long sys_gettimeofday(struct __kernel_old_timeval __user *tv,
		      struct timezone __user *tz);
long sys_time(long __user *tloc);
long sys_nanosleep(const struct __kernel_timespec __user *rqtp,
		   struct __kernel_timespec __user *rmtp);
long sys_clock_nanosleep(int which, int flags,
			 const struct __kernel_timespec __user *rqtp,
			 struct __kernel_timespec __user *rmtp);

#endif
