/*
 * kestrel/rtc.h — the battery-backed real-time clock, and calendar dates.
 *
 * The RTC keeps the date and time while the machine is off; the kernel
 * reads it once at boot to start the wall clock (kernel/time/
 * timekeeping.c) and otherwise keeps time with its own clocks.  On a PC
 * it is the MC146818-compatible CMOS clock (drivers/rtc/rtc-cmos.c); QEMU
 * sets it to the host's time in UTC.
 *
 * struct rtc_time is the broken-down date of C's struct tm, with its
 * quirks: months count from 0, years from 1900.
 */
#ifndef KESTREL_RTC_H
#define KESTREL_RTC_H

#include <kestrel/ktime.h>
#include <kestrel/types.h>

struct rtc_time {
	int tm_sec;	/* 0–59 */
	int tm_min;	/* 0–59 */
	int tm_hour;	/* 0–23 */
	int tm_mday;	/* 1–31 */
	int tm_mon;	/* 0–11 */
	int tm_year;	/* years since 1900 */
	int tm_wday;	/* 0–6, Sunday = 0 */
	int tm_yday;	/* 0–365 */
};

/**
 * rtc_read_time - read the date and time (UTC) from the RTC into @tm.
 * Waits, at most a few milliseconds, for an update cycle to end.  Returns
 * 0, or -EIO when the clock never settles or reads as nonsense.
 * Context: any; takes rtc_lock with interrupts off.
 */
int rtc_read_time(struct rtc_time *tm);

/** rtc_valid_tm - whether every field of @tm is in range (1970 on). */
bool rtc_valid_tm(const struct rtc_time *tm);

/** rtc_tm_to_time64 - seconds since 1970-01-01 00:00:00 UTC of @tm. */
time64_t rtc_tm_to_time64(const struct rtc_time *tm);

/** rtc_time64_to_tm - the date of @secs (≥ 0) seconds since the epoch. */
void rtc_time64_to_tm(time64_t secs, struct rtc_time *tm);

/** rtc_days_in_month - days in month @month (0–11) of @year (e.g. 2024). */
int rtc_days_in_month(int month, int year);

#endif
