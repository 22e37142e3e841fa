/* runtime/validate.c: container IDs and names, checked before any use. */
#include "parse.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "cx.h"

#define RT_NAME_SHOW_MAX 128 /* bytes of a bad name quoted in an error */

static bool
rt_hex_run(const char *s, size_t min, size_t max)
{
	size_t i;

	if (s == NULL)
		return (false);
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= max)
			return (false);
		if (!((s[i] >= '0' && s[i] <= '9') ||
		        (s[i] >= 'a' && s[i] <= 'f')))
			return (false);
	}
	return (i >= min);
}

bool
rt_id_valid(const char *s)
{
	return (rt_hex_run(s, 64, 64));
}

bool
rt_prefix_valid(const char *s)
{
	return (rt_hex_run(s, 1, 64));
}

static bool
rt_name_char(char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return (true);
	return (!first && (c == '_' || c == '.' || c == '-'));
}

int
rt_name_check(const char *s, struct cx_error *err)
{
	cx_autofree char *shown = NULL;
	size_t len, i;

	if (s == NULL)
		s = "";
	/* Bounded: the name may be anything, of any length. */
	for (len = 0; len <= RT_NAME_SHOW_MAX && s[len] != '\0'; len++)
		;
	if (len >= 1 && len <= 64) {
		for (i = 0; i < len; i++) {
			if (!rt_name_char(s[i], i == 0))
				break;
		}
		if (i == len)
			return (0);
	}
	if (err == NULL)
		return (-1);
	shown = cx_sanitize(s, len > RT_NAME_SHOW_MAX ? RT_NAME_SHOW_MAX : len);
	return (cx_error_set(err, EINVAL,
	    "invalid name '%s%s': must match [a-zA-Z0-9][a-zA-Z0-9_.-]* "
	    "(at most 64 characters)",
	    shown, len > RT_NAME_SHOW_MAX ? "..." : ""));
}

/* Fill buf from getrandom(2), falling back to /dev/urandom; false if both fail.
 */
static bool
rt_random_fill(unsigned char *buf, size_t len)
{
	size_t got = 0;
	cx_autoclose int fd = -1;

	while (got < len) {
		ssize_t n = getrandom(buf + got, len - got, 0);

		if (n == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		got += (size_t)n;
	}
	if (got == len)
		return (true);
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return (false);
	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return (false);
		got += (size_t)n;
	}
	return (true);
}

void
rt_id_generate(char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[32];
	size_t i;

	/* Without randomness, IDs would collide: nothing sensible to do. */
	if (!rt_random_fill(raw, sizeof raw))
		abort();
	for (i = 0; i < sizeof raw; i++) {
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 0xf];
	}
	out[64] = '\0';
}
