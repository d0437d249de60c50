/*
 * kestrel/utsname.h — the machine's names: what uname(2) reports, and the
 * host and domain names sethostname(2) and setdomainname(2) change
 * (kernel/task/utsname.c).
 */
#ifndef KESTREL_UTSNAME_H
#define KESTREL_UTSNAME_H

#include <uapi/linux/utsname.h>

/**
 * utsname_read - copy the current names into @out: sysname "Linux",
 * release "6.1.0-kestrel" (high enough for glibc's and musl's minimum),
 * the node (host) name and the domain name as last set (boot:
 * "kestrel" and "(none)", as Linux's defaults are "(none)").  Every
 * string is NUL-terminated.  Context: process or interrupt; takes
 * uts_lock (a spinlock) briefly.
 */
void utsname_read(struct new_utsname *out);

/**
 * utsname_set - set the node name (@domain false) or the domain name
 * (@domain true) to the @len bytes at @name, which need not be
 * NUL-terminated.  Returns 0, or -EINVAL when @len exceeds
 * __NEW_UTS_LEN (64).  No permission check: that is the system call's.
 */
int utsname_set(bool domain, const char *name, size_t len);

#endif
