/*
 * n_tty_edit.c — the pure half of the N_TTY line discipline: what one
 * typed byte does to the input buffer and the echo, and what output
 * processing does to one written byte (kestrel/n_tty_edit.h has the
 * picture of the buffer).
 *
 * It touches nothing but the struct n_tty_edit it is given, so it
 * compiles on the host too (kernel/tests/host/n_tty_test.c) and its
 * caller, n_tty.c, decides about locks, sleeping, signals and devices.
 *
 * A typed byte goes through, in this order (termios(3), Linux's n_tty):
 *  1. ISTRIP; a byte after VLNEXT is taken literally (step 4);
 *  2. receive_signal_char: IXON's VSTOP/VSTART, ISIG's VINTR, VQUIT,
 *     VSUSP — the caller is told (N_TTY_*) and sends the signal;
 *  3. IGNCR, ICRNL, INLCR;
 *  4. receive_canon_char (ICANON): VERASE, VKILL, VWERASE, VREPRINT,
 *     VLNEXT, VEOF; anything else is stored by put_char, which also ends
 *     a canonical line at '\n', VEOL, VEOL2 and echoes.
 *
 * A control character is echoed as ^X (0x7f as ^?) with ECHOCTL.  Visual
 * erase (ECHOE) backs over what the echo drew: "\b \b" per column, two
 * for a ^X, the tab's width for a tab (recomputed from the column where
 * the line started), nothing for a UTF-8 continuation byte.
 */
#include <kestrel/n_tty_edit.h>

#define SIGINT	2
#define SIGQUIT	3
#define SIGTSTP	20	/* signal(7), x86_64 numbers */

enum erase_kind { ERASE, WERASE, KILL };

#define I(t, f)	((t)->c_iflag & (f))
#define L(t, f)	((t)->c_lflag & (f))
#define O(t, f)	((t)->c_oflag & (f))

#define IDX(i)	((i) % N_TTY_BUF_SIZE)

/* Is @c the control character @v of @t (and not disabled)? */
static bool is_cc(const struct termios *t, unsigned char c, int v)
{
	return t->c_cc[v] && c == t->c_cc[v];
}

static bool is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static bool is_continuation(const struct termios *t, unsigned char c)
{
	return I(t, IUTF8) && (c & 0xc0) == 0x80;
}

void n_tty_edit_init(struct n_tty_edit *ed)
{
	ed->read_tail = ed->canon_head = ed->head = 0;
	ed->echo_head = ed->echo_tail = 0;
	ed->column = ed->canon_column = 0;
	ed->lnext = false;
	ed->sig = 0;
}

/* --- echo ------------------------------------------------------------------ */

static void echo_raw(struct n_tty_edit *ed, unsigned char c)
{
	if (ed->echo_head - ed->echo_tail < N_TTY_ECHO_SIZE)
		ed->echo[ed->echo_head++ % N_TTY_ECHO_SIZE] = c;
}

static void echo_str(struct n_tty_edit *ed, const char *s)
{
	while (*s)
		echo_raw(ed, *s++);
}

/* Echo @c as typed: ^X for a control character under ECHOCTL. */
static void echo_char(struct n_tty_edit *ed, const struct termios *t,
		      unsigned char c)
{
	if (L(t, ECHOCTL) && is_ctl(c) && c != '\t' && c != '\n') {
		echo_raw(ed, '^');
		echo_raw(ed, c ^ 0x40);
	} else {
		echo_raw(ed, c);
	}
}

/* Columns the echo of @c takes when it starts at column @col. */
static unsigned int echo_width(const struct termios *t, unsigned char c,
			       unsigned int col)
{
	if (c == '\t')
		return 8 - (col & 7);
	if (is_ctl(c))
		return L(t, ECHOCTL) ? 2 : 0;
	return is_continuation(t, c) ? 0 : 1;
}

/* The column after the echo of the line being typed up to index @end. */
static unsigned int line_column(const struct n_tty_edit *ed,
				const struct termios *t, unsigned int end)
{
	unsigned int col = ed->canon_column, i;

	for (i = ed->canon_head; i != end; i++)
		col += echo_width(t, ed->buf[IDX(i)], col);
	return col;
}

/* --- storing ----------------------------------------------------------------- */

/* Does @c end a canonical line? */
static bool is_line_end(const struct termios *t, unsigned char c)
{
	return c == '\n' || is_cc(t, c, VEOL) ||
	       (L(t, IEXTEN) && is_cc(t, c, VEOL2));
}

/* Store @c with @flags; false when there is no room.  The last free byte
 * of a canonical buffer is kept for the end of the line (or a user could
 * type a line that never ends). */
static bool store(struct n_tty_edit *ed, const struct termios *t,
		  unsigned char c, unsigned char flags)
{
	unsigned int used = ed->head - ed->read_tail;

	if (used >= N_TTY_BUF_SIZE ||
	    (L(t, ICANON) && !(flags & N_TTY_EOL) && used >= N_TTY_BUF_SIZE - 1))
		return false;
	if (ed->head == ed->canon_head)
		ed->canon_column = ed->column;	/* a new line starts here */
	ed->buf[IDX(ed->head)] = c;
	ed->flags[IDX(ed->head)] = flags;
	ed->head++;
	if (!L(t, ICANON) || (flags & N_TTY_EOL))
		ed->canon_head = ed->head;
	return true;
}

/* An ordinary byte: store it, end a canonical line, echo. */
static int put_char(struct n_tty_edit *ed, const struct termios *t,
		    unsigned char c)
{
	bool eol = L(t, ICANON) && is_line_end(t, c);

	if (!store(ed, t, c, eol ? N_TTY_EOL : 0))
		return 0;
	if (c == '\n' && (L(t, ECHO) || (L(t, ICANON) && L(t, ECHONL))))
		echo_raw(ed, '\n');
	else if (L(t, ECHO))
		echo_char(ed, t, c);
	return 0;
}

/* --- editing ------------------------------------------------------------------ */

static bool is_word_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

/* Back the echo over the byte at index @i (the last one of the line). */
static void echo_erase(struct n_tty_edit *ed, const struct termios *t,
		       unsigned int i)
{
	unsigned int n = line_column(ed, t, i + 1) - line_column(ed, t, i);

	if (ed->buf[IDX(i)] == '\t') {
		while (n--)
			echo_raw(ed, '\b');
		return;
	}
	while (n--)
		echo_str(ed, "\b \b");
}

/*
 * VERASE (one character: with IUTF8 its continuation bytes and the lead
 * byte), VWERASE (the non-word bytes before the cursor, then the word),
 * VKILL (the whole line), never past canon_head.  Echo: ECHOE backs over
 * what is erased; without ECHOE the VERASE byte is echoed; VKILL without
 * ECHOKE echoes the VKILL byte and, with ECHOK, a newline.
 */
static void erase(struct n_tty_edit *ed, const struct termios *t,
		  unsigned char typed, enum erase_kind kind)
{
#if SOL >= 9
	bool seen_word = false;
	unsigned char c;

	if (ed->head == ed->canon_head)
		return;
	if (kind == KILL && (!L(t, ECHO) || !L(t, ECHOKE) || !L(t, ECHOE))) {
		ed->head = ed->canon_head;
		if (L(t, ECHO)) {
			echo_char(ed, t, typed);
			if (L(t, ECHOK))
				echo_raw(ed, '\n');
		}
		return;
	}
	while (ed->head != ed->canon_head) {
		c = ed->buf[IDX(ed->head - 1)];
		if (kind == WERASE) {
			if (is_word_char(c))
				seen_word = true;
			else if (seen_word)
				break;
		}
		if (L(t, ECHO) && L(t, ECHOE))
			echo_erase(ed, t, ed->head - 1);
		ed->head--;
		if (kind == ERASE && !is_continuation(t, c))
			break;
	}
	if (kind == ERASE && L(t, ECHO) && !L(t, ECHOE))
		echo_char(ed, t, typed);
#else
	/*
	 * LAB 9: remove the last character of the line being typed (never
	 * before ed->canon_head): one for ERASE (with IUTF8, its UTF-8
	 * continuation bytes too), the non-word bytes then the word for
	 * WERASE (is_word_char), everything for KILL.  With ECHO and ECHOE
	 * back the echo over each byte (echo_erase); see the comment above
	 * for ECHOK/ECHOKE and ERASE without ECHOE.
	 */
	(void)ed;
	(void)t;
	(void)typed;
	(void)kind;
	(void)is_word_char;
	(void)echo_erase;
#endif
}

/* VREPRINT: ^R, a new line, and the line typed so far again. */
static void reprint(struct n_tty_edit *ed, const struct termios *t,
		    unsigned char typed)
{
	unsigned int i;

	if (!L(t, ECHO))
		return;
	echo_char(ed, t, typed);
	echo_raw(ed, '\n');
	for (i = ed->canon_head; i != ed->head; i++)
		echo_char(ed, t, ed->buf[IDX(i)]);
}

/*
 * IXON's flow characters and ISIG's signal characters.  A signal
 * character is echoed (^C), flushes the input unless NOFLSH, and is
 * reported with N_TTY_SIGNAL and ed->sig; it also restarts stopped
 * output.  Returns the N_TTY_* actions, or -1 when @c is none of these.
 */
static int receive_signal_char(struct n_tty_edit *ed, const struct termios *t,
			       unsigned char c)
{
#if SOL >= 9
	int sig = 0;

	if (I(t, IXON) && is_cc(t, c, VSTOP))
		return N_TTY_STOP;
	if (I(t, IXON) && is_cc(t, c, VSTART))
		return N_TTY_START;
	if (!L(t, ISIG))
		return -1;
	if (is_cc(t, c, VINTR))
		sig = SIGINT;
	else if (is_cc(t, c, VQUIT))
		sig = SIGQUIT;
	else if (is_cc(t, c, VSUSP))
		sig = SIGTSTP;
	if (!sig)
		return -1;
	if (!L(t, NOFLSH))
		n_tty_flush_input(ed);
	if (L(t, ECHO))
		echo_char(ed, t, c);
	ed->sig = sig;
	return N_TTY_SIGNAL | (I(t, IXON) ? N_TTY_START : 0);
#else
	/*
	 * LAB 9: with IXON, VSTOP and VSTART give N_TTY_STOP and
	 * N_TTY_START.  With ISIG, VINTR, VQUIT and VSUSP (is_cc) mean
	 * SIGINT, SIGQUIT, SIGTSTP: flush the input unless NOFLSH, echo the
	 * byte (echo_char) if ECHO, put the signal in ed->sig and return
	 * N_TTY_SIGNAL.  Anything else: -1.
	 */
	(void)ed;
	(void)t;
	(void)c;
	return -1;
#endif
}

/* Canonical mode's special characters; true when @c was one. */
static bool receive_canon_char(struct n_tty_edit *ed, const struct termios *t,
			       unsigned char c)
{
#if SOL >= 9
	if (is_cc(t, c, VERASE)) {
		erase(ed, t, c, ERASE);
	} else if (is_cc(t, c, VKILL)) {
		erase(ed, t, c, KILL);
	} else if (L(t, IEXTEN) && is_cc(t, c, VWERASE)) {
		erase(ed, t, c, WERASE);
	} else if (L(t, IEXTEN) && is_cc(t, c, VREPRINT)) {
		reprint(ed, t, c);
	} else if (L(t, IEXTEN) && is_cc(t, c, VLNEXT)) {
		ed->lnext = true;
		if (L(t, ECHO) && L(t, ECHOCTL))
			echo_str(ed, "^\b");
	} else if (is_cc(t, c, VEOF)) {
		store(ed, t, c, N_TTY_EOL | N_TTY_EOF);
	} else {
		return false;
	}
	return true;
#else
	/*
	 * LAB 9: VERASE, VKILL and (with IEXTEN) VWERASE call erase();
	 * with IEXTEN, VREPRINT calls reprint() and VLNEXT sets ed->lnext
	 * (echo "^\b" with ECHO and ECHOCTL); VEOF is stored with
	 * N_TTY_EOL | N_TTY_EOF (store), which ends the line without
	 * giving the reader a byte.  Return true for these, false for
	 * anything else (put_char stores it).
	 */
	(void)ed;
	(void)t;
	(void)c;
	(void)erase;
	(void)reprint;
	return false;
#endif
}

int n_tty_receive_char(struct n_tty_edit *ed, const struct termios *t,
		       unsigned char c)
{
	int act;

	if (I(t, ISTRIP))
		c &= 0x7f;
	if (ed->lnext) {
		ed->lnext = false;
		if (L(t, ECHO) && L(t, ECHOCTL))
			echo_str(ed, "\b");
		return put_char(ed, t, c);
	}
	act = receive_signal_char(ed, t, c);
	if (act >= 0)
		return act;
	if (c == '\r') {
		if (I(t, IGNCR))
			return 0;
		if (I(t, ICRNL))
			c = '\n';
	} else if (c == '\n' && I(t, INLCR)) {
		c = '\r';
	}
	if (L(t, ICANON) && receive_canon_char(ed, t, c))
		return 0;
	return put_char(ed, t, c);
}

/* --- reading ------------------------------------------------------------------ */

bool n_tty_readable(const struct n_tty_edit *ed, const struct termios *t)
{
	if (L(t, ICANON))
		return ed->canon_head != ed->read_tail;
	return ed->head != ed->read_tail;
}

unsigned int n_tty_available(const struct n_tty_edit *ed,
			     const struct termios *t)
{
	unsigned int end = L(t, ICANON) ? ed->canon_head : ed->head, n = 0, i;

	for (i = ed->read_tail; i != end; i++)
		if (!(ed->flags[IDX(i)] & N_TTY_EOF))
			n++;
	return n;
}

size_t n_tty_take(struct n_tty_edit *ed, const struct termios *t,
		  unsigned char *dst, size_t count, bool *line_end)
{
	bool canon = L(t, ICANON);
	unsigned int end = canon ? ed->canon_head : ed->head;
	unsigned char f;
	size_t n = 0;

	*line_end = false;
	while (ed->read_tail != end && n < count) {
		f = canon ? ed->flags[IDX(ed->read_tail)] : 0;
		if (!(f & N_TTY_EOF))
			dst[n++] = ed->buf[IDX(ed->read_tail)];
		ed->read_tail++;
		if (f & N_TTY_EOL) {
			*line_end = true;
			break;
		}
	}
	/* A VEOF right after the last byte taken belongs to this read. */
	if (canon && !*line_end && ed->read_tail != end &&
	    (ed->flags[IDX(ed->read_tail)] & N_TTY_EOF)) {
		ed->read_tail++;
		*line_end = true;
	}
	return n;
}

void n_tty_flush_input(struct n_tty_edit *ed)
{
	ed->read_tail = ed->canon_head = ed->head;
	ed->lnext = false;
}

/* --- output ------------------------------------------------------------------- */

size_t n_tty_opost(const struct termios *t, unsigned int *column,
		   unsigned char c, unsigned char out[2])
{
	if (!O(t, OPOST)) {
		out[0] = c;
		return 1;
	}
	switch (c) {
	case '\n':
		if (O(t, ONLCR)) {
			*column = 0;
			out[0] = '\r';
			out[1] = '\n';
			return 2;
		}
		if (O(t, ONLRET))
			*column = 0;
		break;
	case '\r':
		if (O(t, ONOCR) && *column == 0)
			return 0;
		if (O(t, OCRNL)) {
			c = '\n';
			if (O(t, ONLRET))
				*column = 0;
			break;
		}
		*column = 0;
		break;
	case '\t':
		*column = (*column | 7) + 1;
		break;
	case '\b':
		if (*column)
			(*column)--;
		break;
	default:
		if (!is_ctl(c) && !is_continuation(t, c))
			(*column)++;
		break;
	}
	out[0] = c;
	return 1;
}

size_t n_tty_take_echo(struct n_tty_edit *ed, const struct termios *t,
		       unsigned char *out, size_t max)
{
	size_t n = 0;

	while (ed->echo_tail != ed->echo_head && n + 2 <= max)
		n += n_tty_opost(t, &ed->column,
				 ed->echo[ed->echo_tail++ % N_TTY_ECHO_SIZE],
				 out + n);
	return n;
}
