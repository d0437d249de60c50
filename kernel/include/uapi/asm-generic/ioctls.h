/*
 * uapi/asm-generic/ioctls.h — the terminal ioctl numbers Kestrel answers
 * before lab 9's tty layer, and struct winsize.  Source: Linux
 * include/uapi/asm-generic/ioctls.h and termios.h; ioctl_tty(2).
 */
#ifndef UAPI_ASM_GENERIC_IOCTLS_H
#define UAPI_ASM_GENERIC_IOCTLS_H

#define TCGETS		0x5401
#define TCSETS		0x5402
#define TIOCGPGRP	0x540f
#define TIOCSPGRP	0x5410
#define TIOCGWINSZ	0x5413
#define TIOCSWINSZ	0x5414

struct winsize {
	unsigned short ws_row;
	unsigned short ws_col;
	unsigned short ws_xpixel;
	unsigned short ws_ypixel;
};

#endif
