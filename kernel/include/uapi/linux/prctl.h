/*
 * uapi/linux/prctl.h — the prctl(2) options Kestrel knows.  Source: Linux
 * include/uapi/linux/prctl.h; prctl(2).
 */
#ifndef UAPI_LINUX_PRCTL_H
#define UAPI_LINUX_PRCTL_H

#define PR_SET_PDEATHSIG	1
#define PR_GET_PDEATHSIG	2
#define PR_GET_DUMPABLE		3
#define PR_SET_DUMPABLE		4
#define PR_SET_NAME		15	/* the thread's comm, 16 bytes */
#define PR_GET_NAME		16
#define PR_CAPBSET_READ		23
#define PR_SET_CHILD_SUBREAPER	36
#define PR_GET_CHILD_SUBREAPER	37
#define PR_SET_NO_NEW_PRIVS	38
#define PR_GET_NO_NEW_PRIVS	39

#endif
