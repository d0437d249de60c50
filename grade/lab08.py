"""Lab 8 (files): the VFS — dentry cache, path walk, mounts, permissions —
tmpfs as the root, the initramfs unpacked into it (gzip too), devtmpfs,
procfs, pipes, descriptor tables, poll/select/epoll, and the file system
calls with Linux's errno values.

The VFS is tested twice: from inside by ktests (kernel/fs/*_ktest.c),
through the same kernel calls the system calls use, and from outside by
static musl programs in user/tests/ (files, dirs, perms, fds, pipes,
procfs, mounts), run as init from the grader's initrd (grade/userprog.py),
each case reporting in KTAP with this run's nonce.  One boot uses a
gzip-compressed initrd, so the unpacker's inflate is on the path of the
programs themselves.  In the stage before this lab the file tree is not
there ("VFS: the file tree is not available yet"), the programs fail at
their first file operation, and so do these tests.
"""

import gzip
import os
import re

from gradelib import build_dir, check, run_ktests, test
from userprog import (CANNOT_RUN, INIT_END_RE, Run, check_all_ok, check_cases, check_exit_ok,
                      user_initrd)

KTEST_CASES = {
    "vfs": ["vfs_tree", "vfs_errno", "vfs_symlinks", "vfs_mounts",
            "vfs_negative_dentry", "vfs_permissions"],
    "tmpfs": ["tmpfs_files", "tmpfs_links", "tmpfs_rename", "tmpfs_bigdir",
              "tmpfs_page_cache"],
    "initramfs": ["initramfs_unpack", "initramfs_gzip"],
}
THROUGHPUT_RE = re.compile(r"^# pipe: 64 MiB in (\d+) ms \((\d+) MB/s\)")
KTEST_SECS = 120	# tmpfs_bigdir makes and removes 10 000 files


# --- helpers ----------------------------------------------------------------

# The stage before this lab says so at boot: its tests end there, at once.
NO_VFS = CANNOT_RUN + [r"VFS: the file tree is not available", r"VFS: cannot mount"]


def run_prog(t, prog, cases=(), secs=120, gzipped=False):
    """Boot with @prog as init (its @cases after "--") from the test
    initrd, or its gzip-compressed copy, and wait until it ends."""
    words = [f"rdinit=/{prog}", f"KTEST_NONCE={t.nonce}"]
    if cases:
        words += ["--"] + list(cases)
    con = t.boot_pvh(append=" ".join(words),
                     initrd=gzip_initrd() if gzipped else user_initrd())
    m = con.expect(INIT_END_RE, secs, what=f"{prog} to run as init and end "
                   "(`Kestrel: init (pid 1) exited …`)", too_late=NO_VFS)
    try:
        con.expect_exit(10, what="QEMU to power off after init ended")
    except Exception:
        pass	# the report is complete; how QEMU ends does not matter
    return Run(con, m)


def run_cases(t, prog, cases, secs=120, gzipped=False):
    """Run the named cases of @prog as init: each must pass, the program
    must exit with 0."""
    run = run_prog(t, prog, cases, secs, gzipped)
    check_cases(t, run, cases)
    check_exit_ok(run, prog)
    return run


def gzip_initrd():
    """The test initrd compressed with gzip (made once per build)."""
    plain = user_initrd()
    out = os.path.join(build_dir(), "grade", "user-initrd.cpio.gz")
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(plain):
        with open(plain, "rb") as f, gzip.open(out + ".tmp", "wb", compresslevel=6) as g:
            g.write(f.read())
        os.replace(out + ".tmp", out)
    return out


# --- inside: the ktests -------------------------------------------------------

@test(6, "ktests: the tree at boot, the path walk's errno values, 40 symlinks and ELOOP, mounts both ways, negative dentries, permissions")
def vfs_ktests(t):
    run_ktests(t, KTEST_CASES["vfs"], secs=KTEST_SECS)


@test(5, "ktests: tmpfs files (sparse, truncate, unlinked while open), links, rename in all cases, a 10 000-entry directory, the page cache")
def tmpfs_ktests(t):
    run_ktests(t, KTEST_CASES["tmpfs"], secs=KTEST_SECS)


@test(3, "ktests: a newc archive of every entry type and hard links unpacked; the same inside gzip; damage detected")
def initramfs_ktests(t):
    run_ktests(t, KTEST_CASES["initramfs"], secs=KTEST_SECS)


# --- outside: the system calls ----------------------------------------------

@test(4, "a gzip-compressed initramfs is unpacked into the tmpfs root: /dev, /proc, /tmp are there; stat and devices work")
def gzip_initramfs(t):
    run = run_cases(t, "files", ["stat_family", "devices"], gzipped=True)
    check(any("initramfs: unpacked" in l and "gzip" in l for l in run.lines),
          "the kernel's line `initramfs: unpacked N entries (… gzip) into the root`",
          "no such line")


@test(6, "files: open flags, read/write/pread/readv/lseek, truncation and sparse files, unlinked files, stat/statx/statfs, sendfile, memfd")
def files(t):
    run_cases(t, "files", ["open_close", "open_flags", "read_write", "truncate_sparse",
                           "unlinked_open", "sync_calls", "sendfile_copy", "memfd"])


@test(5, "names: mkdir/rmdir/unlink/link/symlink/readlink errno values, cwd and getcwd, the *at calls, chroot")
def names(t):
    run_cases(t, "dirs", ["mkdir_rmdir", "links", "symlinks", "cwd", "at_calls", "chroot_"])


@test(4, "rename in all its cases, and a replaced name is never seen missing by another process")
def rename(t):
    run_cases(t, "dirs", ["rename_cases", "rename_atomic"])


@test(3, "getdents64 lists a 10 000-entry directory exactly once through a 1 KiB buffer")
def big_directory(t):
    run_cases(t, "dirs", ["getdents_big"])


@test(4, "permissions: chmod/chown/umask/access/utimensat, and EACCES/EPERM for a user who is not root")
def permissions(t):
    run_cases(t, "perms", ["chmod_chown", "umask_and_access", "utimensat_cases",
                           "unprivileged"])


@test(5, "descriptors: lowest free, dup family, fcntl, ioctl, close-on-exec across execve, EMFILE; execve from the file tree")
def descriptors(t):
    run_cases(t, "fds", ["lowest_fd", "dup_family", "fcntl_cases", "ioctl_cases",
                         "cloexec_exec", "fork_sharing", "emfile", "exec_vfs"])


@test(5, "pipes: EOF, EPIPE, 64 KiB and O_NONBLOCK, PIPE_BUF writes never interleaved, FIFOs")
def pipes(t):
    run_cases(t, "pipes", ["pipe_basic", "pipe_epipe", "pipe_nonblock", "pipe_atomic",
                           "fifo_open"])


@test(2, "a 64 MiB transfer through a pipe arrives intact (its speed is printed)")
def pipe_throughput(t):
    run = run_cases(t, "pipes", ["pipe_throughput"])
    m = next((THROUGHPUT_RE.match(l.strip()) for l in run.lines
              if THROUGHPUT_RE.match(l.strip())), None)
    check(m, "a line `# pipe: 64 MiB in N ms (M MB/s)`", "none")


@test(5, "waiting: poll, select, ppoll, pselect6 with timeouts; epoll level, edge, one-shot; eventfd; timerfd")
def polling(t):
    run_cases(t, "pipes", ["poll_cases", "select_cases", "epoll_cases", "epoll_regular",
                           "eventfd_cases", "timerfd_cases"])


@test(5, "/proc: self, stat, status, cmdline, environ, maps, fd/, exe, cwd; a child's directory; meminfo, uptime, version, mounts…")
def procfs(t):
    check_all_ok(t, run_prog(t, "procfs"), "procfs")


@test(3, "mount/umount2: tmpfs limits, crossing and stacking, busy and lazy umount, bind and read-only mounts, proc and devtmpfs again")
def mounts(t):
    check_all_ok(t, run_prog(t, "mounts"), "mounts")


@test(5, "file mappings: shared both ways, private copy-on-write, rights from the open (EACCES, EPERM), offsets, SIGBUS past the end, fork, msync, /proc/self/maps")
def file_mappings(t):
    run = run_cases(t, "filemap", ["shared_both_ways", "private_cow", "rights", "offsets",
                                   "past_eof", "after_fork", "msync_cases", "proc_maps",
                                   "other_files"])
    check(any("killed by SIGBUS" in l for l in run.lines),
          "the kernel's kill line for the access past the end of the file (`… killed by SIGBUS`)",
          "no such line")


@test(5, "file locks: fcntl record locks per process (F_GETLK with the holder's pid, EAGAIN, split and merge, any close and exit release them, F_SETLKW woken by the unlock, EDEADLK), OFD locks, flock, /proc/locks, the errno of bad requests")
def file_locks(t):
    run_cases(t, "locks", ["posix_basics", "posix_errors", "split_merge", "close_releases",
                           "setlkw_wakes", "deadlock", "ofd_locks", "flock_cases",
                           "proc_locks"])


@test(2, "ETXTBSY: a running program cannot be opened for writing or truncated; a file open for writing cannot be executed")
def text_busy(t):
    run_cases(t, "textbusy", ["running_program", "exec_writable"])


@test(3, "what busybox's hostname, renice, taskset, ionice and dmesg call: sethostname and uname, get/setpriority, affinity, I/O priority, syslog; Linux's errno values")
def machine(t):
    run_cases(t, "machine", ["names", "nice_values", "affinity", "ioprio", "syslog"])


@test(3, "/proc/sys: kernel.{ostype,osrelease,version,hostname,domainname,pid_max,threads-max,random/*}, fs.*, vm.*; hostname written by root only, 0444 files EACCES; busybox sysctl and hostname")
def proc_sys(t):
    run_cases(t, "sysctl", ["sys_values", "sys_writes", "sys_busybox"])


@test(3, "/proc/<pid>/task: a directory per thread (stat, status, comm, cmdline, maps), /proc/<tid> reachable but not listed; busybox ps -T and top -H")
def proc_task(t):
    run_cases(t, "proctask", ["task_dirs", "task_busybox"])


@test(3, "O_TMPFILE: an unnamed file (link count 0, gone at its last close), open(2)'s EINVAL/ENOTDIR/EOPNOTSUPP/EROFS/EACCES, linkat by AT_EMPTY_PATH (root only) and /proc/self/fd, never with O_EXCL")
def tmpfile(t):
    run_cases(t, "tmpfile", ["tmpfile_basic", "tmpfile_errors", "tmpfile_link"])
