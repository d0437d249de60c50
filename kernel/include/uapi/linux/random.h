/*
 * uapi/linux/random.h — getrandom(2)'s flags.  Source: Linux
 * include/uapi/linux/random.h; getrandom(2).
 */
#ifndef UAPI_LINUX_RANDOM_H
#define UAPI_LINUX_RANDOM_H

#define GRND_NONBLOCK	0x0001
#define GRND_RANDOM	0x0002
#define GRND_INSECURE	0x0004

#endif
