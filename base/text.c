/* base/text.c: time formatting and sanitizing text for the terminal. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "cx.h"

int64_t
cx_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
}

/*
 * Civil dates by arithmetic (H. Hinnant's algorithms), not gmtime_r and
 * timegm: glibc's first conversion reads /etc/localtime (tzset), which every
 * state write and read would pay for a UTC it does not need.
 */
static int64_t
cx_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

static void
cx_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

void
cx_time_rfc3339(int64_t ns, char *buf, size_t size)
{
	int64_t sec = ns / 1000000000, frac = ns % 1000000000, days, y, rem;
	int m, d;

	if (frac < 0) {
		frac += 1000000000;
		sec--;
	}
	days = sec / 86400;
	rem = sec % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	cx_civil_from_days(days, &y, &m, &d);
	snprintf(buf, size, "%04lld-%02d-%02dT%02d:%02d:%02d.%09lldZ",
	    (long long)y, m, d, (int)(rem / 3600), (int)(rem / 60 % 60),
	    (int)(rem % 60), (long long)frac);
}

static bool
cx_digits(const char *p, size_t n, int *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return (false);
		*v = *v * 10 + (p[i] - '0');
	}
	return (true);
}

int
cx_time_parse_rfc3339n(const char *p, size_t n, int64_t *ns)
{
	int y, mo, d, h, mi, s, oh = 0, om = 0, frac = 0;
	size_t i = 19, digits = 0;
	int64_t off = 0, t;

	if (n < 20 || p[4] != '-' || p[7] != '-' || p[10] != 'T' ||
	    p[13] != ':' || p[16] != ':' || !cx_digits(p, 4, &y) ||
	    !cx_digits(p + 5, 2, &mo) || !cx_digits(p + 8, 2, &d) ||
	    !cx_digits(p + 11, 2, &h) || !cx_digits(p + 14, 2, &mi) ||
	    !cx_digits(p + 17, 2, &s))
		return (-1);
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
		return (-1);
	if (p[i] == '.') {
		for (i++; i < n && p[i] >= '0' && p[i] <= '9'; i++, digits++) {
			if (digits < 9)
				frac = frac * 10 + (p[i] - '0');
		}
		if (digits == 0)
			return (-1);
		for (; digits < 9; digits++)
			frac *= 10;
	}
	if (i + 1 == n && (p[i] == 'Z' || p[i] == 'z')) {
		off = 0;
	} else if (i + 6 == n && (p[i] == '+' || p[i] == '-') &&
	    p[i + 3] == ':' && cx_digits(p + i + 1, 2, &oh) &&
	    cx_digits(p + i + 4, 2, &om) && oh <= 23 && om <= 59) {
		off = (int64_t)(oh * 3600 + om * 60) * (p[i] == '+' ? 1 : -1);
	} else {
		return (-1);
	}
	/* past 2262 the nanoseconds do not fit: refused, not wrapped */
	if (__builtin_mul_overflow((cx_days_from_civil(y, mo, d) * 86400 +
	    h * 3600 + mi * 60 + s) - off, 1000000000, &t) ||
	    __builtin_add_overflow(t, frac, &t))
		return (-1);
	*ns = t;
	return (0);
}

int
cx_time_parse_rfc3339(const char *s, int64_t *ns)
{
	struct tm tm = {0};
	const char *p;
	int64_t frac = 0, off = 0, t;
	int digits = 0;

	/* the shape we and conmon write; strptime for any other */
	if (cx_time_parse_rfc3339n(s, strlen(s), ns) == 0)
		return (0);
	p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (p == NULL)
		return (-1);
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, digits++) {
			if (digits < 9)
				frac = frac * 10 + (*p - '0');
		}
		if (digits == 0)
			return (-1);
		for (int i = digits; i < 9; i++)
			frac *= 10;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int hh, mm;

		if (sscanf(p + 1, "%2d:%2d", &hh, &mm) != 2 || hh > 23 ||
		    mm > 59 || strlen(p) != 6)
			return (-1);
		off = (hh * 3600 + mm * 60) * (*p == '+' ? 1 : -1);
		p += 6;
	} else {
		return (-1);
	}
	if (*p != '\0')
		return (-1);
	if (__builtin_mul_overflow((cx_days_from_civil(tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday) * 86400 + tm.tm_hour * 3600 +
	    tm.tm_min * 60 + tm.tm_sec) - off, 1000000000, &t) ||
	    __builtin_add_overflow(t, frac, &t))
		return (-1);
	*ns = t;
	return (0);
}

char *
cx_sanitize(const char *s, size_t len)
{
	/* Worst case: every byte becomes \xNN. */
	char *out = cx_malloc(len * 4 + 1), *o = out;
	mbstate_t mbs;
	size_t i = 0;

	memset(&mbs, 0, sizeof mbs);
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80) {
			switch (c) {
			case '\n': *o++ = '\\'; *o++ = 'n'; break;
			case '\t': *o++ = '\\'; *o++ = 't'; break;
			case '\r': *o++ = '\\'; *o++ = 'r'; break;
			default:
				if (c < 0x20 || c == 0x7f)
					o += sprintf(o, "\\x%02x", c);
				else
					*o++ = (char)c;
			}
			i++;
			continue;
		}
		/* Accept well-formed UTF-8 sequences that are printable. */
		size_t n = 0;
		if ((c & 0xe0) == 0xc0 && c >= 0xc2)
			n = 2;
		else if ((c & 0xf0) == 0xe0)
			n = 3;
		else if ((c & 0xf8) == 0xf0 && c <= 0xf4)
			n = 4;
		bool ok = n > 0 && i + n <= len;
		uint32_t cp = 0;
		if (ok) {
			cp = c & (0xff >> (n + 1));
			for (size_t k = 1; k < n; k++) {
				unsigned char cc = (unsigned char)s[i + k];
				if ((cc & 0xc0) != 0x80) {
					ok = false;
					break;
				}
				cp = (cp << 6) | (cc & 0x3f);
			}
		}
		/* Overlongs, surrogates, C1 controls and bidi overrides. */
		if (ok && ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
		    (cp >= 0x80 && cp < 0xa0) || (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069)))
			ok = false;
		if (!ok) {
			o += sprintf(o, "\\x%02x", c);
			i++;
			continue;
		}
		memcpy(o, s + i, n);
		o += n;
		i += n;
	}
	*o = '\0';
	return (out);
}

char *
cx_strip_escapes(const char *s, size_t len)
{
	cx_autofree char *text = cx_malloc(len + 1);
	size_t i = 0, n = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i++];

		if (c == '\t') {
			text[n++] = ' ';
			continue;
		}
		if (c != 0x1b) {
			if (c >= 0x20 && c != 0x7f)
				text[n++] = (char)c;
			continue;
		}
		if (i >= len)
			break;
		c = (unsigned char)s[i++];
		if (c == '[') {
			/* CSI: parameters and intermediates, then one final byte */
			while (i < len && ((unsigned char)s[i] < 0x40 ||
			    (unsigned char)s[i] > 0x7e))
				i++;
			i += i < len;
		} else if (c == ']' || c == 'P' || c == 'X' || c == '^' ||
		    c == '_') {
			/* a string: to BEL (OSC) or ST (ESC \\) */
			while (i < len && s[i] != '\a' && !(s[i] == 0x1b &&
			    i + 1 < len && s[i + 1] == '\\'))
				i++;
			i += i < len ? (s[i] == '\a' ? 1 : 2) : 0;
		} else if (c >= 0x20 && c <= 0x2f) {
			/* ESC, intermediates, a final byte: ESC ( B and the like */
			while (i < len && (unsigned char)s[i] >= 0x20 &&
			    (unsigned char)s[i] <= 0x2f)
				i++;
			i += i < len;
		}
		/* else ESC and one byte (ESC =, ESC 7): both gone */
	}
	return (cx_sanitize(text, n));
}
