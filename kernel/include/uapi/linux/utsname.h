/*
 * uapi/linux/utsname.h — what uname(2) fills in.
 *
 * struct new_utsname is the layout of x86_64's uname(2) (system call 63):
 * six NUL-terminated strings of 65 bytes.  The C libraries check
 * `release` for a minimum kernel version, so Kestrel reports one like
 * Linux's.  Source: Linux include/uapi/linux/utsname.h; uname(2).
 */
#ifndef UAPI_LINUX_UTSNAME_H
#define UAPI_LINUX_UTSNAME_H

#define __NEW_UTS_LEN	64

struct new_utsname {
	char sysname[__NEW_UTS_LEN + 1];
	char nodename[__NEW_UTS_LEN + 1];
	char release[__NEW_UTS_LEN + 1];
	char version[__NEW_UTS_LEN + 1];
	char machine[__NEW_UTS_LEN + 1];
	char domainname[__NEW_UTS_LEN + 1];
};

#endif
