/*
 * uapi/linux/reboot.h — the arguments of reboot(2): two magic numbers
 * that guard against a stray call, and the commands.  Source: reboot(2);
 * Linux include/uapi/linux/reboot.h.
 */
#ifndef UAPI_LINUX_REBOOT_H
#define UAPI_LINUX_REBOOT_H

#define LINUX_REBOOT_MAGIC1	0xfee1dead
#define LINUX_REBOOT_MAGIC2	672274793	/* 0x28121969 */
#define LINUX_REBOOT_MAGIC2A	85072278	/* 0x05121996 */
#define LINUX_REBOOT_MAGIC2B	369367448	/* 0x16041998 */
#define LINUX_REBOOT_MAGIC2C	537993216	/* 0x20112000 */

#define LINUX_REBOOT_CMD_RESTART	0x01234567
#define LINUX_REBOOT_CMD_HALT		0xcdef0123
#define LINUX_REBOOT_CMD_CAD_ON		0x89abcdef
#define LINUX_REBOOT_CMD_CAD_OFF	0x00000000
#define LINUX_REBOOT_CMD_POWER_OFF	0x4321fedc
#define LINUX_REBOOT_CMD_RESTART2	0xa1b2c3d4
#define LINUX_REBOOT_CMD_SW_SUSPEND	0xd000fce2
#define LINUX_REBOOT_CMD_KEXEC		0x45584543

#endif
