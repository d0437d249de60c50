/*
 * kestrel/tty.h — terminals (lab 9; docs/tty.md): the tty core
 * (kernel/drivers/tty/tty_io.c, tty_ioctl.c), job control
 * (tty_jobctrl.c), the N_TTY line discipline (n_tty.c over
 * n_tty_edit.c), and two drivers: the serial port (serial_tty.c) and
 * pseudo-terminals (pty.c, with devpts in kernel/fs/devpts.c).
 *
 *	 write(2) ─> tty_write ─> ldisc->write (OPOST) ─> driver->write ─> UART / pty peer
 *	 read(2)  <─ tty_read  <─ ldisc->read  <─ input buffer <─ ldisc->receive_buf <─ IRQ / pty peer
 *
 * A struct tty_struct is one terminal: its termios, window size, line
 * discipline state, foreground process group and session, and for a pty
 * its other half (@link).  Device numbers (Linux's
 * Documentation/admin-guide/devices.txt): 4:64 ttyS0, 5:0 /dev/tty (the
 * caller's controlling terminal), 5:1 /dev/console (ttyS0, never made
 * controlling by open), 5:2 /dev/ptmx, 136:N /dev/pts/N.
 *
 * Locking (the keys of the field comments):
 *   (L) tty->lock, a spinlock taken with interrupts off: the line
 *       discipline's buffers, termios, winsize, flow state; the serial
 *       receive interrupt takes it.  Never held while calling the driver
 *       or sending a signal.
 *   (T) tasklist_lock: @pgrp and @session, and signal->tty of every
 *       process (they belong with the process groups).
 *   (M) tty_mutex (tty_io.c): @count, @flags' opening and closing, the
 *       pty table.
 */
#ifndef KESTREL_TTY_H
#define KESTREL_TTY_H

#include <kestrel/n_tty_edit.h>
#include <kestrel/spinlock.h>
#include <kestrel/types.h>
#include <kestrel/wait.h>
#include <uapi/asm-generic/ioctls.h>
#include <uapi/asm-generic/termbits.h>

struct file;
struct inode;
struct iov_iter;
struct poll_table_struct;
struct task;
struct tty_struct;

/**
 * struct tty_operations - what a tty driver does (called without L)
 * @open: a file opened the tty (after the core counted it); 0 or -errno
 * @close: a file of it was closed (@count already dropped)
 * @write: send @len bytes already output-processed; returns the bytes
 *         taken (a pty takes what its peer has room for).  Never sleeps.
 * @write_room: bytes @write would take now
 * @set_termios: the termios changed (@old: before)
 * @unthrottle: a reader made room in the input buffer (a pty wakes its
 *         peer's writers)
 * @ioctl: driver ioctls (ptmx: TIOCGPTN, TIOCSPTLCK…), or -ENOIOCTLCMD
 */
struct tty_operations {
	int (*open)(struct tty_struct *tty, struct file *file);
	void (*close)(struct tty_struct *tty, struct file *file);
	size_t (*write)(struct tty_struct *tty, const unsigned char *buf,
			size_t len);
	size_t (*write_room)(struct tty_struct *tty);
	void (*set_termios)(struct tty_struct *tty, const struct termios *old);
	void (*unthrottle)(struct tty_struct *tty);
	long (*ioctl)(struct tty_struct *tty, unsigned int cmd,
		      unsigned long arg);
};

#define ENOIOCTLCMD	515	/* a driver does not know the ioctl (kernel-internal) */

/* tty_driver->subtype */
enum tty_subtype { TTY_SERIAL, PTY_MASTER, PTY_SLAVE };

/**
 * struct tty_driver - a kind of terminal: a range of device numbers
 * @name: "ttyS", "ptm", "pts"
 * @major, @minor_start, @num: its device numbers
 * @subtype: serial, or which half of a pty
 * @init_termios: what a new tty of this driver starts with
 * @ops: its operations
 * @other: a pty half's other driver
 */
struct tty_driver {
	const char *name;
	unsigned int major, minor_start, num;
	enum tty_subtype subtype;
	struct termios init_termios;
	const struct tty_operations *ops;
	struct tty_driver *other;
};

/**
 * struct tty_ldisc_ops - a line discipline (only N_TTY exists: c_line 0)
 * @open, @close: the tty gets or loses the discipline
 * @read, @write: a read(2)/write(2) of a tty file; bytes or -errno
 * @poll: POLLIN/POLLOUT/POLLHUP now, after poll_wait on the tty's queues
 * @receive_buf: bytes arrived from the driver; any context (the serial
 *         receive interrupt); never sleeps
 * @set_termios: the termios changed (canonical ↔ raw moves the line)
 * @flush_input: TCIFLUSH
 * @chars_in_buffer: FIONREAD's answer
 */
struct tty_ldisc_ops {
	const char *name;
	int (*open)(struct tty_struct *tty);
	void (*close)(struct tty_struct *tty);
	ssize_t (*read)(struct tty_struct *tty, struct file *file,
			struct iov_iter *to);
	ssize_t (*write)(struct tty_struct *tty, struct file *file,
			 struct iov_iter *from);
	unsigned int (*poll)(struct tty_struct *tty, struct file *file,
			     struct poll_table_struct *pt);
	void (*receive_buf)(struct tty_struct *tty, const unsigned char *buf,
			    size_t len);
	void (*set_termios)(struct tty_struct *tty, const struct termios *old);
	void (*flush_input)(struct tty_struct *tty);
	unsigned int (*chars_in_buffer)(struct tty_struct *tty);
};

/* tty->flags */
#define TTY_HUPPED	0x1	/* hung up: reads give 0, writes EIO */
#define TTY_PTY_LOCK	0x2	/* pty slave locked (TIOCSPTLCK) */
#define TTY_OTHER_CLOSED 0x4	/* a pty's peer is closed: reads give EIO */
#define TTY_STOPPED	0x8	/* output suspended (IXON ^S, TCOOFF) */

/**
 * struct tty_struct - one terminal
 * @driver, @ops: (const) its driver and the driver's operations
 * @ldisc: (const) its line discipline (n_tty_ldisc)
 * @index: (const) which of the driver's lines (ttyS0: 0, pts/3: 3)
 * @count: (M) open files of it
 * @flags: (L) TTY_* above
 * @hangup_gen: (L) bumped by each hangup; a file opened before it is
 *          hung up (tty_file.gen)
 * @termios: (L) the settings
 * @winsize: (L) the window size (TIOCGWINSZ)
 * @ed: (L) N_TTY's buffers (kestrel/n_tty_edit.h)
 * @lock: the (L) lock
 * @read_wait: readers and pollers wait for input here
 * @write_wait: writers wait for room or for output to restart here
 * @pgrp: (T) the foreground process group (0: none)
 * @session: (T) the session it controls (0: none)
 * @link: (const) a pty's other half
 * @driver_data: the driver's (pty: its struct pty_pair)
 */
struct tty_struct {
	struct tty_driver *driver;
	const struct tty_operations *ops;
	const struct tty_ldisc_ops *ldisc;
	unsigned int index;
	int count;
	unsigned int flags;
	unsigned int hangup_gen;
	struct termios termios;
	struct winsize winsize;
	struct n_tty_edit ed;
	spinlock_t lock;
	struct wait_queue_head read_wait;
	struct wait_queue_head write_wait;
	int pgrp, session;
	struct tty_struct *link;
	void *driver_data;
};

/**
 * struct tty_file - a struct file's private_data on a tty
 * @tty: the terminal
 * @gen: tty->hangup_gen at open: an older file is hung up
 * @console: opened as /dev/console: never hung up, never made
 *           controlling by open (Linux's redirected console)
 */
struct tty_file {
	struct tty_struct *tty;
	unsigned int gen;
	bool console;
};

/* The N_TTY line discipline (n_tty.c). */
extern const struct tty_ldisc_ops n_tty_ldisc;

/* Linux's default settings (tty_std_termios): cooked, echoing, 38400
 * baud; c_cc = INTR ^C, QUIT ^\, ERASE DEL, KILL ^U, EOF ^D, TIME 0,
 * MIN 1, START ^Q, STOP ^S, SUSP ^Z, REPRINT ^R, DISCARD ^O, WERASE ^W,
 * LNEXT ^V.  Source: Linux drivers/tty/tty_io.c tty_std_termios,
 * include/asm-generic/termios.h INIT_C_CC. */
extern const struct termios tty_std_termios;

/* --- the core (tty_io.c) -------------------------------------------------- */

/**
 * tty_register_driver - serve @driver's device numbers as tty character
 * devices; 0 or -errno (register_chrdev's).  Boot time.
 */
int tty_register_driver(struct tty_driver *driver);

/**
 * tty_init_dev - a new tty_struct for line @index of @driver, with the
 * driver's initial termios, 80×24 and N_TTY; NULL without memory.  The
 * caller holds tty_mutex and sets @count.  Sleeps (GFP_KERNEL).
 */
struct tty_struct *tty_init_dev(struct tty_driver *driver, unsigned int index);

/** tty_free - free what tty_init_dev made (count 0, no peer left). */
void tty_free(struct tty_struct *tty);

/**
 * tty_file_tty - the tty behind @file, or NULL if @file is no tty
 * (how ioctls on other files get ENOTTY).
 */
struct tty_struct *tty_file_tty(struct file *file);

/**
 * tty_hung_up_file - @file was opened before its tty's last hangup.
 */
bool tty_hung_up_file(struct file *file);

/**
 * tty_hangup - the line is gone (a pty master closed, the session leader
 * of a serial line exited): the files open on it now are hung up (reads
 * give 0, writes -EIO; /dev/console files excepted), the session loses
 * it as controlling terminal and its leader gets SIGHUP and SIGCONT, and
 * every waiter wakes.  Process context; takes T and L.
 */
void tty_hangup(struct tty_struct *tty);

/**
 * tty_write_raw - send @len bytes to the driver as they are (echo,
 * already processed), waiting for nobody: what the driver does not take
 * is dropped.  Any context; L not held.
 */
void tty_write_raw(struct tty_struct *tty, const unsigned char *buf,
		   size_t len);

/** tty_mutex_lock / tty_mutex_unlock - the (M) lock.  Sleep. */
void tty_mutex_lock(void);
void tty_mutex_unlock(void);

/**
 * tty_open_file - finish an open(2) of @tty on @file: allocate the
 * tty_file, count the open, call the driver's open, and, unless @noctty
 * or O_NOCTTY, make the tty the caller's controlling terminal if it may
 * (tty_open_ctty).  @console: opened as /dev/console.  Called with
 * tty_mutex held.  0 or -errno (-ENOMEM, the driver's).
 */
int tty_open_file(struct tty_struct *tty, struct file *file, bool console,
		  bool noctty);

/** tty_fops - the file operations of every tty character device. */
extern const struct file_operations tty_fops;

/* --- ioctls (tty_ioctl.c) --------------------------------------------------- */

/**
 * tty_ioctl - ioctl(2) on a tty file: termios (TCGETS, TCSETS*),
 * TCSBRK, TCXONC, TCFLSH, window size, job control (TIOCSCTTY,
 * TIOCNOTTY, TIOCGPGRP, TIOCSPGRP, TIOCGSID), TIOCOUTQ, FIONREAD,
 * TIOCSTI, TIOCGETD, and the driver's own (pty).  Returns 0, a value,
 * or -errno as Linux: -ENOTTY for an unknown command, -EFAULT, -EINVAL,
 * -EPERM, -EIO on a hung-up file.  Source: ioctl_tty(2), ioctl_tty.2's
 * "Controlling terminal" and "Process group and session ID".
 */
long tty_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/** tty_set_termios - install @t (under L), tell the ldisc and driver. */
void tty_set_termios(struct tty_struct *tty, const struct termios *t);

/**
 * tty_set_winsize - TIOCSWINSZ: store @ws and, if it changed, send
 * SIGWINCH to the foreground process group.  Process context.
 */
void tty_set_winsize(struct tty_struct *tty, const struct winsize *ws);

/* --- job control (tty_jobctrl.c) ------------------------------------------- */

/**
 * tty_check_change - may the caller change @tty or (with @sig SIGTTIN)
 * read it?  Yes (0) unless @tty is the caller's controlling terminal and
 * the caller's process group is not its foreground group.  Then: a
 * caller ignoring or blocking @sig gets 0 for SIGTTOU (POSIX lets it
 * through) and -EIO for SIGTTIN; an orphaned group gets -EIO; otherwise
 * the whole group gets @sig and the call -ERESTARTSYS (it restarts once
 * the group is continued in the foreground).  Source: POSIX 2017
 * §11.1.4 (Terminal Access Control).  Process context; takes T.
 */
int tty_check_change(struct tty_struct *tty, int sig);

/**
 * tty_signal_pgrp - send @sig to every process of @tty's foreground
 * group (ISIG's characters, SIGWINCH).  Any context; takes T.
 */
void tty_signal_pgrp(struct tty_struct *tty, int sig);

/**
 * tty_open_ctty - open(2) without O_NOCTTY: a session leader without a
 * controlling terminal acquires @tty if no session has it (POSIX 2017
 * §11.1.3).  Takes T.
 */
void tty_open_ctty(struct tty_struct *tty);

/**
 * tiocsctty - TIOCSCTTY: make @tty the caller's controlling terminal.
 * 0 if it already is; -EPERM if the caller leads no session or has
 * another one, or if @tty belongs to another session and @arg is not 1
 * from root (who steals it).  Takes T.
 */
long tiocsctty(struct tty_struct *tty, struct file *file, int arg);

/**
 * tiocnotty - TIOCNOTTY: give up @tty as controlling terminal; a session
 * leader disassociates the whole session (disassociate_ctty).  -ENOTTY
 * if it is not the caller's.
 */
long tiocnotty(struct tty_struct *tty);

/**
 * tiocspgrp / tiocgpgrp / tiocgsid - TIOCSPGRP, TIOCGPGRP, TIOCGSID on
 * @real (a pty master answers for its slave; @tty is the file's).
 * -ENOTTY when @real is not the caller's controlling terminal (only
 * TIOCGPGRP on a master is allowed); TIOCSPGRP: -EINVAL for a negative
 * group, -ESRCH if no such group, -EPERM if in another session, and
 * SIGTTOU for a background caller (tty_check_change).
 */
long tiocspgrp(struct tty_struct *tty, struct tty_struct *real,
	       int __user *arg);
long tiocgpgrp(struct tty_struct *tty, struct tty_struct *real,
	       int __user *arg);
long tiocgsid(struct tty_struct *tty, struct tty_struct *real,
	      int __user *arg);

/**
 * disassociate_ctty - the caller's session leader exits (@on_exit) or
 * gives the terminal up (TIOCNOTTY): a serial line is hung up on exit;
 * otherwise the foreground group gets SIGHUP and SIGCONT; the tty
 * forgets the session and every process of the session its controlling
 * terminal.  Process context; takes T.
 */
void disassociate_ctty(bool on_exit);

/* --- drivers ------------------------------------------------------------------ */

/**
 * console_file - a struct file on the console tty that needs no file
 * system: descriptors 0, 1 and 2 of a process without a descriptor table
 * (the stages before lab 8's VFS).  It is never freed.
 */
struct file *console_file(void);

/**
 * tty_console_init - the serial driver (ttyS0, /dev/console, /dev/tty)
 * and the pty drivers; boot, after the VFS's caches.
 */
void tty_console_init(void);

/** serial_tty_lookup - the ttyS0 tty, made on first use (tty_mutex held). */
struct tty_struct *serial_tty_lookup(void);

/**
 * pty_init - register /dev/ptmx (5:2) and the slaves (136:N); boot.
 */
void pty_init(void);

/**
 * ptmx_open - open(2) of /dev/ptmx: a new pty pair, the file on its
 * master; the slave appears as /dev/pts/N, locked.  0, -ENOSPC when all
 * NR_PTYS are in use, -ENOMEM.
 */
int ptmx_open(struct inode *inode, struct file *file);

/**
 * pty_slave_open_check - may a slave be opened now? -EIO while locked
 * (TIOCSPTLCK) or after its master closed.  tty_mutex held.
 */
int pty_slave_open_check(struct tty_struct *slave);

/**
 * pty_lookup_slave - the slave tty of pty @index if its master is open,
 * else NULL.  tty_mutex held.
 */
struct tty_struct *pty_lookup_slave(unsigned int index);

/* --- devpts (kernel/fs/devpts.c) ----------------------------------------------- */

/**
 * devpts_pty_new - create /dev/pts/@index (136:@index, mode 0620) for a
 * new pty; 0, -ENODEV without devpts, or vfs_mknod's error.  Sleeps.
 */
int devpts_pty_new(unsigned int index);

/** devpts_pty_kill - remove /dev/pts/@index (its master closed).  Sleeps. */
void devpts_pty_kill(unsigned int index);

#endif
