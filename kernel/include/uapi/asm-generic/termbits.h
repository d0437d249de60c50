/*
 * uapi/asm-generic/termbits.h — struct termios and its flag bits, as
 * x86_64 Linux's TCGETS/TCSETS exchange them.  Source: Linux
 * include/uapi/asm-generic/termbits.h and termbits-common.h; termios(3).
 *
 * The kernel's termios is not the C library's: glibc's struct termios
 * has 32 control characters and two speed fields after them, and
 * tcgetattr() copies from this shorter one (4 flag words, c_line, 19
 * control characters: 36 bytes).
 */
#ifndef UAPI_ASM_GENERIC_TERMBITS_H
#define UAPI_ASM_GENERIC_TERMBITS_H

typedef unsigned char cc_t;
typedef unsigned int speed_t;
typedef unsigned int tcflag_t;

#define NCCS 19
struct termios {
	tcflag_t c_iflag;		/* input modes */
	tcflag_t c_oflag;		/* output modes */
	tcflag_t c_cflag;		/* control modes */
	tcflag_t c_lflag;		/* local modes */
	cc_t c_line;			/* line discipline (0: N_TTY) */
	cc_t c_cc[NCCS];		/* control characters */
};

/* c_cc indexes; a value of 0 (_POSIX_VDISABLE) disables the character */
#define VINTR		0
#define VQUIT		1
#define VERASE		2
#define VKILL		3
#define VEOF		4
#define VTIME		5
#define VMIN		6
#define VSWTC		7
#define VSTART		8
#define VSTOP		9
#define VSUSP		10
#define VEOL		11
#define VREPRINT	12
#define VDISCARD	13
#define VWERASE		14
#define VLNEXT		15
#define VEOL2		16

/* c_iflag */
#define IGNBRK	0x0001
#define BRKINT	0x0002
#define IGNPAR	0x0004
#define PARMRK	0x0008
#define INPCK	0x0010
#define ISTRIP	0x0020
#define INLCR	0x0040
#define IGNCR	0x0080
#define ICRNL	0x0100
#define IUCLC	0x0200
#define IXON	0x0400
#define IXANY	0x0800
#define IXOFF	0x1000
#define IMAXBEL	0x2000
#define IUTF8	0x4000

/* c_oflag */
#define OPOST	0x0001
#define OLCUC	0x0002
#define ONLCR	0x0004
#define OCRNL	0x0008
#define ONOCR	0x0010
#define ONLRET	0x0020

/* c_cflag */
#define CBAUD	0x0000100f
#define B38400	0x0000000f
#define B115200	0x00001002
#define CSIZE	0x00000030
#define CS8	0x00000030
#define CSTOPB	0x00000040
#define CREAD	0x00000080
#define PARENB	0x00000100
#define HUPCL	0x00000400
#define CLOCAL	0x00000800

/* c_lflag */
#define ISIG	0x00001
#define ICANON	0x00002
#define ECHO	0x00008
#define ECHOE	0x00010
#define ECHOK	0x00020
#define ECHONL	0x00040
#define NOFLSH	0x00080
#define TOSTOP	0x00100
#define ECHOCTL	0x00200
#define ECHOPRT	0x00400
#define ECHOKE	0x00800
#define FLUSHO	0x01000
#define PENDIN	0x04000
#define IEXTEN	0x08000
#define EXTPROC	0x10000

/* TCXONC arguments (tcflow) */
#define TCOOFF		0
#define TCOON		1
#define TCIOFF		2
#define TCION		3

/* TCFLSH arguments (tcflush) */
#define TCIFLUSH	0
#define TCOFLUSH	1
#define TCIOFLUSH	2

#endif
