/* base/text.c: time formatting and sanitizing text for the terminal. */
#include <ctype.h>
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

void
cx_time_rfc3339(int64_t ns, char *buf, size_t size)
{
	time_t sec = (time_t)(ns / 1000000000);
	long frac = (long)(ns % 1000000000);
	struct tm tm;
	char date[32];

	if (frac < 0) {
		frac += 1000000000;
		sec--;
	}
	gmtime_r(&sec, &tm);
	strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%09ldZ", date, frac);
}

int
cx_time_parse_rfc3339(const char *s, int64_t *ns)
{
	struct tm tm = {0};
	const char *p;
	int64_t frac = 0, off = 0, t;
	int digits = 0;

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
	/* past 2262 the nanoseconds do not fit: refused, not wrapped */
	if (__builtin_mul_overflow((int64_t)timegm(&tm) - off, 1000000000,
	    &t) || __builtin_add_overflow(t, frac, &t))
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
