/*
 * lib.c — calendar arithmetic for the RTC and the wall clock
 * (kestrel/rtc.h).
 *
 * The proleptic Gregorian calendar: a year is a leap year when it is
 * divisible by 4, except centuries, except every fourth century (2000 was
 * one, 2100 will not be).  Unix time counts seconds since 1970-01-01
 * 00:00:00 UTC without leap seconds, so every day has 86,400 of them
 * (POSIX.1-2017, XBD §4.16 "Seconds Since the Epoch").
 *
 * Dates are converted by counting: whole years from 1970, then whole
 * months, then days.  A loop over a few hundred years costs nothing at
 * the rate the kernel converts dates (once at boot, and in tests).
 */
#include <kestrel/rtc.h>

#define SECS_PER_DAY	86400
#define EPOCH_YEAR	1970
#define EPOCH_WDAY	4	/* 1970-01-01 was a Thursday */

static const unsigned char month_days[12] = {
	31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
};

static bool is_leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_year(int year)
{
	return is_leap_year(year) ? 366 : 365;
}

int rtc_days_in_month(int month, int year)
{
	return month_days[month] + (month == 1 && is_leap_year(year));
}

bool rtc_valid_tm(const struct rtc_time *tm)
{
	int year = tm->tm_year + 1900;

	return year >= EPOCH_YEAR && tm->tm_mon >= 0 && tm->tm_mon < 12 &&
	       tm->tm_mday >= 1 &&
	       tm->tm_mday <= rtc_days_in_month(tm->tm_mon, year) &&
	       tm->tm_hour >= 0 && tm->tm_hour < 24 && tm->tm_min >= 0 &&
	       tm->tm_min < 60 && tm->tm_sec >= 0 && tm->tm_sec < 60;
}

time64_t rtc_tm_to_time64(const struct rtc_time *tm)
{
	int year = tm->tm_year + 1900, y, m;
	time64_t days = 0;

	for (y = EPOCH_YEAR; y < year; y++)
		days += days_in_year(y);
	for (m = 0; m < tm->tm_mon; m++)
		days += rtc_days_in_month(m, year);
	days += tm->tm_mday - 1;
	return days * SECS_PER_DAY + tm->tm_hour * 3600 + tm->tm_min * 60 +
	       tm->tm_sec;
}

void rtc_time64_to_tm(time64_t secs, struct rtc_time *tm)
{
	time64_t days = secs / SECS_PER_DAY;
	int rem = secs % SECS_PER_DAY, year = EPOCH_YEAR, mon = 0;

	tm->tm_wday = (days + EPOCH_WDAY) % 7;
	while (days >= days_in_year(year))
		days -= days_in_year(year++);
	tm->tm_yday = days;
	while (days >= rtc_days_in_month(mon, year))
		days -= rtc_days_in_month(mon++, year);
	tm->tm_year = year - 1900;
	tm->tm_mon = mon;
	tm->tm_mday = days + 1;
	tm->tm_hour = rem / 3600;
	tm->tm_min = rem / 60 % 60;
	tm->tm_sec = rem % 60;
}
