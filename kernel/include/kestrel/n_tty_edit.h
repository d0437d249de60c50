/*
 * kestrel/n_tty_edit.h — the pure half of the N_TTY line discipline:
 * the input buffer, canonical editing, echo and output processing, with
 * no locks, no sleeping and no devices (kernel/drivers/tty/n_tty_edit.c).
 *
 * kernel/drivers/tty/n_tty.c wraps it with a lock, wait queues, signals
 * and the driver; kernel/tests/host/n_tty_test.c runs it on the host.
 * Everything here follows termios(3) ("Canonical and noncanonical mode",
 * "c_iflag", "c_oflag", "c_lflag") and POSIX 2017 §11.1 (General
 * Terminal Interface); where those leave a choice, Linux's n_tty is the
 * model (the word rule of VWERASE, a full canonical buffer still taking
 * the line's end).
 *
 * The input buffer is a ring of N_TTY_BUF_SIZE bytes with three
 * free-running indexes (positions modulo the size):
 *
 *	read_tail          canon_head              head
 *	    |  complete lines  |  the line being typed  |
 *	    v                  v                        v
 *	[ .. r e a d y \n o k \n p a r t i a l ..................... ]
 *
 * Readers take from read_tail.  In canonical mode they see only what is
 * before canon_head (whole lines); editing changes only the bytes after
 * it.  In non-canonical mode canon_head follows head.  Each byte has a
 * flag byte: N_TTY_EOL marks the end of a line (the '\n', VEOL, VEOL2,
 * or VEOF), N_TTY_EOF a VEOF, which ends the line but is not given to
 * the reader (so a VEOF at the start of a line reads as 0 bytes: end of
 * file).
 *
 * Echo goes into a second, smaller ring, unprocessed; the owner drains
 * it through output processing (n_tty_take_echo) and sends it to the
 * device outside its lock.  A full echo ring drops bytes.
 */
#ifndef KESTREL_N_TTY_EDIT_H
#define KESTREL_N_TTY_EDIT_H

#include <kestrel/types.h>
#include <uapi/asm-generic/termbits.h>

#define N_TTY_BUF_SIZE	4096	/* input bytes kept (Linux's N_TTY_BUF_SIZE) */
#define N_TTY_ECHO_SIZE	1024	/* echo bytes waiting for the device */

/* per-byte flags in n_tty_edit.flags[] */
#define N_TTY_EOL	0x1	/* the last byte of a line */
#define N_TTY_EOF	0x2	/* a VEOF: ends the line, never read */

/* what n_tty_receive_char asks its caller to do (a bitmask) */
#define N_TTY_SIGNAL	0x1	/* send ed->sig to the foreground group */
#define N_TTY_STOP	0x2	/* IXON: VSTOP typed, suspend output */
#define N_TTY_START	0x4	/* IXON: VSTART typed (or a signal char) */

/**
 * struct n_tty_edit - the state of one terminal's line discipline
 * @buf, @flags: the input ring and its per-byte N_TTY_EOL/N_TTY_EOF
 * @read_tail, @canon_head, @head: the indexes of the picture above
 * @echo, @echo_head, @echo_tail: the echo ring (raw bytes)
 * @column: the output column (0 = start of line), kept by output
 *          processing; erasing a tab needs it
 * @canon_column: @column when the line being typed began
 * @lnext: the previous byte was VLNEXT: take this one literally
 * @sig: with N_TTY_SIGNAL, the signal (SIGINT, SIGQUIT, SIGTSTP)
 * The owner serializes every call (n_tty.c: tty->lock).
 */
struct n_tty_edit {
	unsigned char buf[N_TTY_BUF_SIZE];
	unsigned char flags[N_TTY_BUF_SIZE];
	unsigned int read_tail, canon_head, head;
	unsigned char echo[N_TTY_ECHO_SIZE];
	unsigned int echo_head, echo_tail;
	unsigned int column, canon_column;
	bool lnext;
	int sig;
};

/** n_tty_edit_init - empty buffers, column 0. */
void n_tty_edit_init(struct n_tty_edit *ed);

/**
 * n_tty_receive_char - one byte typed, under the terminal settings @t:
 * input mapping (ISTRIP, IGNCR, ICRNL, INLCR), ISIG's characters (VINTR,
 * VQUIT, VSUSP: the input is flushed unless NOFLSH), IXON's VSTOP and
 * VSTART, canonical editing (VERASE, VKILL, VWERASE, VREPRINT, VLNEXT,
 * VEOF, VEOL, VEOL2; IUTF8 erases a whole character) and echo (ECHO,
 * ECHOE, ECHOK, ECHOKE, ECHONL, ECHOCTL).  A byte that does not fit is
 * dropped (in canonical mode the last free byte is kept for the end of
 * the line).  Returns the N_TTY_* actions for the caller (0: none).
 */
int n_tty_receive_char(struct n_tty_edit *ed, const struct termios *t,
		       unsigned char c);

/**
 * n_tty_readable - a reader would get something now: in canonical mode a
 * complete line (or a VEOF), otherwise at least one byte.
 */
bool n_tty_readable(const struct n_tty_edit *ed, const struct termios *t);

/**
 * n_tty_available - bytes a reader may take now (FIONREAD): the complete
 * lines in canonical mode (VEOF marks not counted), all input otherwise.
 */
unsigned int n_tty_available(const struct n_tty_edit *ed,
			     const struct termios *t);

/**
 * n_tty_take - move up to @count readable bytes to @dst.  Canonical
 * mode stops after a line's last byte and sets *@line_end (a VEOF is
 * consumed but not copied, so a lone VEOF returns 0 with *@line_end
 * set).  Returns the bytes copied.
 */
size_t n_tty_take(struct n_tty_edit *ed, const struct termios *t,
		  unsigned char *dst, size_t count, bool *line_end);

/** n_tty_flush_input - drop all input, complete lines included (TCIFLUSH). */
void n_tty_flush_input(struct n_tty_edit *ed);

/**
 * n_tty_opost - output processing of one byte @c (OPOST, ONLCR, OCRNL,
 * ONOCR, ONLRET), updating *@column.  Writes 0, 1 or 2 bytes to @out
 * and returns how many.
 */
size_t n_tty_opost(const struct termios *t, unsigned int *column,
		   unsigned char c, unsigned char out[2]);

/**
 * n_tty_take_echo - drain the echo ring through n_tty_opost into @out
 * (at most @max bytes, @max >= 2).  Returns the bytes written; call
 * again until it returns 0.
 */
size_t n_tty_take_echo(struct n_tty_edit *ed, const struct termios *t,
		       unsigned char *out, size_t max);

#endif
