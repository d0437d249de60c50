/*
 * kernel/lib/vsnprintf.c — printf-style formatting into a bounded buffer.
 *
 * What: vsnprintf and snprintf, the kernel's only formatter; printk, panic
 * and every "%"-using function build on them.  The format language is the
 * C11 subset listed in kestrel/sprintf.h, with C11's meaning for every flag,
 * width and precision (ISO C11 §7.21.6.1), and glibc's answers where C
 * leaves a choice: %p prints "0x" and lower-case hex or "(nil)", and %s of
 * NULL prints "(null)".
 *
 * How: the format is read left to right.  Ordinary characters are copied;
 * a '%' starts a conversion specification, which is parsed into a struct
 * fmt_spec (flags, width, precision, length modifier, conversion) and then
 * handed to the emitter for its kind: integer, string, character, pointer.
 * All output goes through struct outbuf, which stores the characters that
 * fit, keeps the last byte for the NUL and counts every character of the
 * full result.  So no emitter needs to think about truncation, and the count
 * is the return value, as C99 requires.  An integer field is laid out as
 *
 *	[spaces] [sign or "0x"] [zeros] digits [spaces]
 *
 * where the zeros come from the precision or from the '0' flag, the leading
 * spaces from the width, and the trailing spaces from the width with '-'.
 *
 * Rules: no allocation, no locks, no floating point; safe in any context,
 * including interrupt handlers and panic.  The file also compiles on the
 * host, where kernel/tests/host/vsnprintf_test.c compares it with the C
 * library's snprintf on tens of thousands of generated formats.
 *
 * Lab 1: the body of vsnprintf and all its helpers are the student's
 * exercise; with SOL < 1 only a stub that copies the format is compiled.
 */
#include <stdarg.h>
#include <kestrel/compiler.h>
#include <kestrel/sprintf.h>
#include <kestrel/string.h>
#include <kestrel/types.h>

#if SOL >= 1

/* Widths and precisions saturate at INT_MAX instead of overflowing. */
#define FIELD_MAX	__INT_MAX__

/* The flags, in the order of the characters of flag_chars. */
enum {
	FL_LEFT = 1 << 0,	/* '-': pad on the right */
	FL_ZERO = 1 << 1,	/* '0': pad numbers with leading zeros */
	FL_PLUS = 1 << 2,	/* '+': signed numbers always get a sign */
	FL_SPACE = 1 << 3,	/* ' ': a space where a '+' would go */
	FL_ALT = 1 << 4,	/* '#': "0x" on hex, a leading 0 on octal */
};

static const char flag_chars[] = "-0+ #";

enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z };

/* One parsed conversion specification, such as "%-#8.3llx". */
struct fmt_spec {
	unsigned int flags;	/* FL_* */
	unsigned int width;	/* minimum field width, characters */
	int precision;		/* -1 when none was given */
	enum length length;	/* the argument's type, for integers */
	char conv;		/* conversion character; '\0' if fmt ended */
};

/* The destination, and the length of the full result so far. */
struct outbuf {
	char *buf;
	size_t size;		/* capacity of buf, bytes, including the NUL */
	size_t len;		/* characters produced, stored or not */
};

static void out_char(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)	/* the last byte is the NUL's */
		o->buf[o->len] = c;
	o->len++;
}

static void out_mem(struct outbuf *o, const char *s, size_t n)
{
	while (n-- > 0)
		out_char(o, *s++);
}

static void out_repeat(struct outbuf *o, char c, size_t n)
{
	while (n-- > 0)
		out_char(o, c);
}

/* A decimal number at *p, advancing *p; saturates instead of overflowing. */
static int parse_number(const char **p)
{
	int n = 0;

	for (; **p >= '0' && **p <= '9'; (*p)++) {
		if (n > (FIELD_MAX - 9) / 10)
			n = FIELD_MAX;
		else
			n = n * 10 + (**p - '0');
	}
	return n;
}

static const char *parse_flags(const char *p, unsigned int *flags)
{
	const char *f;

	/* strchr would also find the NUL, so test for it first. */
	while (*p != '\0' && (f = strchr(flag_chars, *p)) != NULL) {
		*flags |= 1u << (f - flag_chars);
		p++;
	}
	return p;
}

static const char *parse_width(const char *p, struct fmt_spec *spec,
			       va_list *ap)
{
	int w;

	if (*p != '*') {
		spec->width = parse_number(&p);
		return p;
	}
	/* C11: a negative '*' width is a '-' flag and a positive width. */
	w = va_arg(*ap, int);
	if (w < 0) {
		spec->flags |= FL_LEFT;
		/* In unsigned arithmetic, so that INT_MIN does not overflow. */
		spec->width = 0u - (unsigned int)w;
	} else {
		spec->width = w;
	}
	return p + 1;
}

static const char *parse_precision(const char *p, struct fmt_spec *spec,
				   va_list *ap)
{
	int n;

	spec->precision = -1;
	if (*p != '.')
		return p;
	p++;
	if (*p != '*') {
		spec->precision = parse_number(&p);	/* "." alone means 0 */
		return p;
	}
	/* C11: a negative '*' precision counts as if none were given. */
	n = va_arg(*ap, int);
	spec->precision = n < 0 ? -1 : n;
	return p + 1;
}

static const char *parse_length(const char *p, enum length *len)
{
	if (p[0] == 'h' && p[1] == 'h') {
		*len = LEN_HH;
		return p + 2;
	}
	if (p[0] == 'l' && p[1] == 'l') {
		*len = LEN_LL;
		return p + 2;
	}
	switch (*p) {
	case 'h':
		*len = LEN_H;
		return p + 1;
	case 'l':
		*len = LEN_L;
		return p + 1;
	case 'z':
		*len = LEN_Z;
		return p + 1;
	default:
		*len = LEN_NONE;
		return p;
	}
}

/*
 * Parse the specification after a '%'.  A '*' takes its int argument now,
 * since C puts those arguments before the value.  Returns a pointer to the
 * conversion character (which is '\0' if the format ends early).
 */
static const char *parse_spec(const char *p, struct fmt_spec *spec,
			      va_list *ap)
{
	spec->flags = 0;
	p = parse_flags(p, &spec->flags);
	p = parse_width(p, spec, ap);
	p = parse_precision(p, spec, ap);
	p = parse_length(p, &spec->length);
	spec->conv = *p;
	return p;
}

/*
 * Take an integer argument of the type the length modifier names.  Values
 * narrower than int arrive promoted to int (C11 §6.5.2.2), and C says to
 * convert them back before printing, hence the casts on hh and h.
 */
static unsigned long long fetch_unsigned(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static long long fetch_signed(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:
		return va_arg(*ap, ssize_t);
	default:
		return va_arg(*ap, int);
	}
}

/* Write the digits of @v into @tmp, least significant first; the count. */
static size_t to_digits(char *tmp, unsigned long long v, unsigned int base,
			bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v != 0);
	return n;
}

/*
 * How many zeros go between the prefix and the @nd digits in @tmp: enough
 * to reach the precision, and for "%#o" enough that the first one is a 0.
 */
static size_t precision_zeros(const struct fmt_spec *spec, const char *tmp,
			      size_t nd)
{
	size_t zeros = 0;

	if (spec->precision > 0 && (size_t)spec->precision > nd)
		zeros = spec->precision - nd;
	if ((spec->flags & FL_ALT) && spec->conv == 'o' && zeros == 0 &&
	    (nd == 0 || tmp[nd - 1] != '0'))
		zeros = 1;
	return zeros;
}

/*
 * Lay out one integer field, [spaces] [prefix] [zeros] digits [spaces];
 * @v is the magnitude and @prefix the sign, "0x", "0X" or "".
 */
static void emit_integer(struct outbuf *o, const struct fmt_spec *spec,
			 unsigned long long v, const char *prefix)
{
	char tmp[24];		/* 64 bits take 22 octal digits */
	unsigned int base = spec->conv == 'o' ? 8 :
			    spec->conv == 'x' || spec->conv == 'X' ? 16 : 10;
	size_t nd = 0, zeros, plen = strlen(prefix), pad = 0;

	/* C11: a zero value with precision 0 has no digits at all. */
	if (v != 0 || spec->precision != 0)
		nd = to_digits(tmp, v, base, spec->conv == 'X');
	zeros = precision_zeros(spec, tmp, nd);
	if (spec->width > plen + zeros + nd)
		pad = spec->width - (plen + zeros + nd);
	/* '0' turns the padding into zeros; '-' or a precision cancel it. */
	if ((spec->flags & (FL_ZERO | FL_LEFT)) == FL_ZERO &&
	    spec->precision < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!(spec->flags & FL_LEFT))
		out_repeat(o, ' ', pad);
	out_mem(o, prefix, plen);
	out_repeat(o, '0', zeros);
	while (nd > 0)
		out_char(o, tmp[--nd]);
	if (spec->flags & FL_LEFT)
		out_repeat(o, ' ', pad);
}

/* %d %i %u %o %x %X: fetch the argument, choose the prefix, lay it out. */
static void format_integer(struct outbuf *o, const struct fmt_spec *spec,
			   va_list *ap)
{
	const char *prefix = "";
	unsigned long long v;
	long long s;

	if (spec->conv != 'd' && spec->conv != 'i') {
		v = fetch_unsigned(spec->length, ap);
		/* '#' adds 0x to hex, but not to a zero (C11). */
		if ((spec->flags & FL_ALT) && v != 0 && spec->conv != 'u')
			prefix = spec->conv == 'x' ? "0x" :
				 spec->conv == 'X' ? "0X" : "";
		emit_integer(o, spec, v, prefix);
		return;
	}
	s = fetch_signed(spec->length, ap);
	/* Negate in unsigned arithmetic: -LLONG_MIN does not fit in s64. */
	v = s < 0 ? 0ull - (unsigned long long)s : (unsigned long long)s;
	if (s < 0)
		prefix = "-";
	else if (spec->flags & FL_PLUS)
		prefix = "+";
	else if (spec->flags & FL_SPACE)
		prefix = " ";
	emit_integer(o, spec, v, prefix);
}

/* @n characters of @s, padded with spaces to the width ('0' is ignored). */
static void emit_padded(struct outbuf *o, const struct fmt_spec *spec,
			const char *s, size_t n)
{
	size_t pad = spec->width > n ? spec->width - n : 0;

	if (!(spec->flags & FL_LEFT))
		out_repeat(o, ' ', pad);
	out_mem(o, s, n);
	if (spec->flags & FL_LEFT)
		out_repeat(o, ' ', pad);
}

static void format_string(struct outbuf *o, const struct fmt_spec *spec,
			  const char *s)
{
	size_t n;

	/*
	 * NULL is glibc's "(null)"; like glibc, print nothing rather than a
	 * misleading "(nu" when the precision would cut it.
	 */
	if (s == NULL)
		s = spec->precision < 0 || spec->precision >= 6 ? "(null)" : "";
	/* With a precision, s need not be NUL-terminated: never read past. */
	if (spec->precision < 0)
		n = strlen(s);
	else
		n = strnlen(s, spec->precision);
	emit_padded(o, spec, s, n);
}

/* %p: as glibc, "0x" and lower-case hex or "(nil)"; only '-' and width. */
static void format_pointer(struct outbuf *o, const struct fmt_spec *spec,
			   const void *p)
{
	struct fmt_spec hex = {
		.flags = spec->flags & FL_LEFT,
		.width = spec->width,
		.precision = -1,
		.conv = 'x',
	};

	if (p == NULL)
		emit_padded(o, &hex, "(nil)", 5);
	else
		emit_integer(o, &hex, (uintptr_t)p, "0x");
}

/*
 * Format the specification that starts at the '%' at @start, taking its
 * arguments from @ap.  Returns where the rest of the format begins.
 */
static const char *format_one(struct outbuf *o, const char *start,
			      va_list *ap)
{
	struct fmt_spec spec;
	const char *p = parse_spec(start + 1, &spec, ap);
	char c;

	switch (spec.conv) {
	case 'd': case 'i': case 'u': case 'o': case 'x': case 'X':
		format_integer(o, &spec, ap);
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		emit_padded(o, &spec, &c, 1);
		break;
	case 's':
		format_string(o, &spec, va_arg(*ap, const char *));
		break;
	case 'p':
		format_pointer(o, &spec, va_arg(*ap, const void *));
		break;
	case '%':
		out_char(o, '%');
		break;
	case '\0':
		/* The format ends inside the specification: copy it. */
		out_mem(o, start, p - start);
		return p;
	default:
		/* An unknown conversion is copied through, to be noticed. */
		out_mem(o, start, p + 1 - start);
		break;
	}
	return p + 1;
}

#endif /* SOL >= 1 */

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
#if SOL >= 1
	struct outbuf o = { .buf = buf, .size = size, .len = 0 };
	va_list ap;

	/*
	 * The helpers share one argument list through a va_list pointer.  On
	 * x86_64 va_list is an array, so the parameter args is really a
	 * pointer and &args has the wrong type; a local copy has the right one.
	 */
	va_copy(ap, args);
	while (*fmt != '\0') {
		if (*fmt == '%')
			fmt = format_one(&o, fmt, &ap);
		else
			out_char(&o, *fmt++);
	}
	va_end(ap);
	if (size > 0)
		buf[MIN(o.len, size - 1)] = '\0';
	/* C11 has no int for a longer result; glibc also returns -1. */
	return o.len > FIELD_MAX ? -1 : (int)o.len;
#else
	/*
	 * LAB 1: implement vsnprintf (read kestrel/sprintf.h first).
	 *
	 * Copy ordinary characters of @fmt to @buf; each '%' starts a
	 * conversion specification: flags, width, precision, length, then
	 * the conversion character.
	 *   flags:      '-' pad on the right, '0' pad numbers with zeros,
	 *               '+' and ' ' sign of positive signed numbers,
	 *               '#' "0x"/"0X" on nonzero hex, a leading 0 on octal
	 *   width:      digits, or '*' to take an int argument
	 *               (a negative one means '-' and its absolute value)
	 *   precision:  '.' then digits or '*' (negative '*' = none given);
	 *               the minimum number of digits of an integer (then
	 *               '0' is ignored; 0 with precision 0 prints nothing),
	 *               the maximum number of characters of a string
	 *   length:     hh h (none) l ll z — the argument is a char, short,
	 *               int, long, long long or size_t (ssize_t for %d)
	 *   conversion: d i u o x X c s p %, where %p prints "0x" and hex,
	 *               or "(nil)" for NULL, and %s of NULL prints "(null)";
	 *               copy an unknown conversion to the output unchanged
	 *
	 * Never write more than @size bytes, always end with a NUL when
	 * @size > 0, and return the length the whole result would have had
	 * (without the NUL), even if it did not fit.  Write small static
	 * helpers, e.g. one that appends a character and counts it.  No
	 * floating point, no allocation.  Test on the host first:
	 * make host-test compares your code with the C library's snprintf.
	 *
	 * Until then, this stub copies the format without converting anything.
	 */
	size_t len = strlen(fmt);

	(void)args;
	if (size > 0) {
		size_t n = MIN(len, size - 1);

		memcpy(buf, fmt, n);
		buf[n] = '\0';
	}
	return (int)len;
#endif
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(buf, size, fmt, args);
	va_end(args);
	return n;
}
