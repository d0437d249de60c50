/*
 * uapi/asm-generic/ioctls.h — the terminal ioctl numbers and struct
 * winsize.  Source: Linux include/uapi/asm-generic/ioctls.h and
 * termios.h; ioctl_tty(2).  (FIONREAD, FIONBIO, FIOCLEX and FIONCLEX,
 * which every file answers, are in uapi/linux/fs.h.)
 */
#ifndef UAPI_ASM_GENERIC_IOCTLS_H
#define UAPI_ASM_GENERIC_IOCTLS_H

#define TCGETS		0x5401
#define TCSETS		0x5402
#define TCSETSW		0x5403
#define TCSETSF		0x5404
#define TCSBRK		0x5409
#define TCXONC		0x540a
#define TCFLSH		0x540b
#define TIOCEXCL	0x540c
#define TIOCNXCL	0x540d
#define TIOCSCTTY	0x540e
#define TIOCGPGRP	0x540f
#define TIOCSPGRP	0x5410
#define TIOCOUTQ	0x5411
#define TIOCSTI		0x5412
#define TIOCGWINSZ	0x5413
#define TIOCSWINSZ	0x5414
#define TIOCGSERIAL	0x541e
#define TIOCNOTTY	0x5422
#define TIOCGETD	0x5424
#define TCSBRKP		0x5425
#define TIOCGSID	0x5429
#define TIOCGPTN	0x80045430	/* _IOR('T', 0x30, unsigned int) */
#define TIOCSPTLCK	0x40045431	/* _IOW('T', 0x31, int) */
#define TIOCGPTLCK	0x80045439	/* _IOR('T', 0x39, int) */

struct winsize {
	unsigned short ws_row;
	unsigned short ws_col;
	unsigned short ws_xpixel;
	unsigned short ws_ypixel;
};

#endif
