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
/* kernel/task/utsname.c */
long sys_uname(struct new_utsname __user *name);
long sys_sethostname(const char __user *name, int len);
long sys_setdomainname(const char __user *name, int len);
/* kernel/task/priority.c */
long sys_getpriority(int which, int who);
long sys_setpriority(int which, int who, int niceval);
long sys_sched_getaffinity(pid_t pid, unsigned int len,
			   unsigned long __user *user_mask_ptr);
long sys_sched_setaffinity(pid_t pid, unsigned int len,
			   const unsigned long __user *user_mask_ptr);
long sys_ioprio_set(int which, int who, int ioprio);
long sys_ioprio_get(int which, int who);
/* kernel/core/syslog.c */
long sys_syslog(int type, char __user *buf, int len);
/* kernel/task/reboot.c */
long sys_reboot(int magic1, int magic2, unsigned int cmd, void __user *arg);
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

/*
 * Files (lab 8, kernel/fs/): open and close (open.c, fd_syscalls.c),
 * reading and writing (rw_syscalls.c), names (namecalls.c), attributes
 * (attr.c, stat.c), directories (readdir.c), descriptors (fd_syscalls.c),
 * pipes (pipe.c), polling (select.c, eventpoll.c, eventfd.c, timerfd.c),
 * mounts (mount.c).
 */
struct epoll_event;
struct linux_dirent64;
struct pollfd;
struct stat;
struct statfs;
struct statx;
struct itimerspec;
typedef long long loff_t;
typedef unsigned short umode_t;

long sys_open(const char __user *filename, int flags, umode_t mode);
long sys_openat(int dfd, const char __user *filename, int flags, umode_t mode);
long sys_creat(const char __user *pathname, umode_t mode);
long sys_close(unsigned int fd);
long sys_lseek(unsigned int fd, loff_t offset, unsigned int whence);
long sys_pread64(unsigned int fd, char __user *buf, size_t count, loff_t pos);
long sys_pwrite64(unsigned int fd, const char __user *buf, size_t count,
		  loff_t pos);
long sys_preadv(unsigned long fd, const struct iovec __user *vec,
		unsigned long vlen, unsigned long pos_l, unsigned long pos_h);
long sys_pwritev(unsigned long fd, const struct iovec __user *vec,
		 unsigned long vlen, unsigned long pos_l, unsigned long pos_h);
long sys_sendfile64(int out_fd, int in_fd, loff_t __user *offset, size_t count);
long sys_copy_file_range(int fd_in, loff_t __user *off_in, int fd_out,
			 loff_t __user *off_out, size_t len, unsigned int flags);
long sys_ftruncate(unsigned int fd, loff_t length);
long sys_truncate(const char __user *path, long length);
long sys_fsync(unsigned int fd);
long sys_fdatasync(unsigned int fd);
long sys_sync(void);
long sys_syncfs(int fd);
long sys_newstat(const char __user *filename, struct stat __user *statbuf);
long sys_newlstat(const char __user *filename, struct stat __user *statbuf);
long sys_newfstat(unsigned int fd, struct stat __user *statbuf);
long sys_newfstatat(int dfd, const char __user *filename,
		    struct stat __user *statbuf, int flag);
long sys_statx(int dfd, const char __user *filename, unsigned int flags,
	       unsigned int mask, struct statx __user *buffer);
long sys_statfs(const char __user *path, struct statfs __user *buf);
long sys_fstatfs(unsigned int fd, struct statfs __user *buf);
long sys_getdents64(unsigned int fd, struct linux_dirent64 __user *dirent,
		    unsigned int count);
long sys_mkdir(const char __user *pathname, umode_t mode);
long sys_mkdirat(int dfd, const char __user *pathname, umode_t mode);
long sys_mknod(const char __user *filename, umode_t mode, unsigned int dev);
long sys_mknodat(int dfd, const char __user *filename, umode_t mode,
		 unsigned int dev);
long sys_rmdir(const char __user *pathname);
long sys_unlink(const char __user *pathname);
long sys_unlinkat(int dfd, const char __user *pathname, int flag);
long sys_rename(const char __user *oldname, const char __user *newname);
long sys_renameat(int olddfd, const char __user *oldname, int newdfd,
		  const char __user *newname);
long sys_renameat2(int olddfd, const char __user *oldname, int newdfd,
		   const char __user *newname, unsigned int flags);
long sys_link(const char __user *oldname, const char __user *newname);
long sys_linkat(int olddfd, const char __user *oldname, int newdfd,
		const char __user *newname, int flags);
long sys_symlink(const char __user *old, const char __user *new);
long sys_symlinkat(const char __user *oldname, int newdfd,
		   const char __user *newname);
long sys_readlink(const char __user *path, char __user *buf, int bufsiz);
long sys_readlinkat(int dfd, const char __user *path, char __user *buf,
		    int bufsiz);
long sys_chdir(const char __user *filename);
long sys_fchdir(unsigned int fd);
long sys_chroot(const char __user *filename);
long sys_getcwd(char __user *buf, unsigned long size);
long sys_umask(int mask);
long sys_chmod(const char __user *filename, umode_t mode);
long sys_fchmod(unsigned int fd, umode_t mode);
long sys_fchmodat(int dfd, const char __user *filename, umode_t mode);
long sys_chown(const char __user *filename, unsigned int user,
	       unsigned int group);
long sys_lchown(const char __user *filename, unsigned int user,
		unsigned int group);
long sys_fchown(unsigned int fd, unsigned int user, unsigned int group);
long sys_fchownat(int dfd, const char __user *filename, unsigned int user,
		  unsigned int group, int flag);
long sys_access(const char __user *filename, int mode);
long sys_faccessat(int dfd, const char __user *filename, int mode);
long sys_faccessat2(int dfd, const char __user *filename, int mode, int flags);
long sys_utimensat(int dfd, const char __user *filename,
		   struct __kernel_timespec __user *utimes, int flags);
long sys_dup(unsigned int fildes);
long sys_dup2(unsigned int oldfd, unsigned int newfd);
long sys_dup3(unsigned int oldfd, unsigned int newfd, int flags);
long sys_fcntl(unsigned int fd, unsigned int cmd, unsigned long arg);
long sys_pipe(int __user *fildes);
long sys_pipe2(int __user *fildes, int flags);
long sys_poll(struct pollfd __user *ufds, unsigned int nfds, int timeout);
long sys_ppoll(struct pollfd __user *ufds, unsigned int nfds,
	       struct __kernel_timespec __user *tsp, const void __user *sigmask,
	       size_t sigsetsize);
long sys_select(int n, unsigned long __user *inp, unsigned long __user *outp,
		unsigned long __user *exp, struct __kernel_old_timeval __user *tvp);
long sys_pselect6(int n, unsigned long __user *inp, unsigned long __user *outp,
		  unsigned long __user *exp, struct __kernel_timespec __user *tsp,
		  void __user *sig);
long sys_epoll_create(int size);
long sys_epoll_create1(int flags);
long sys_epoll_ctl(int epfd, int op, int fd, struct epoll_event __user *event);
long sys_epoll_wait(int epfd, struct epoll_event __user *events,
		    int maxevents, int timeout);
long sys_epoll_pwait(int epfd, struct epoll_event __user *events,
		     int maxevents, int timeout, const void __user *sigmask,
		     size_t sigsetsize);
long sys_eventfd(unsigned int count);
long sys_eventfd2(unsigned int count, int flags);
long sys_timerfd_create(int clockid, int flags);
long sys_timerfd_settime(int ufd, int flags,
			 const struct itimerspec __user *utmr,
			 struct itimerspec __user *otmr);
long sys_timerfd_gettime(int ufd, struct itimerspec __user *otmr);
long sys_memfd_create(const char __user *uname, unsigned int flags);
long sys_mount(char __user *dev_name, char __user *dir_name,
	       char __user *type, unsigned long flags, void __user *data);
long sys_umount(char __user *name, int flags);

#endif
