/*
 * tui/input.c: what curses reads becomes key names, spelled as keymaps
 * (and tmux's send-keys) spell them: KEY_UP is "Up", 11 is "C-k".
 */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

/* Reading this many times with nothing to read means the terminal is gone. */
#define TUI_EMPTY_READS_MAX 3

static const struct {
	int code;
	const char *name;
} tui_key_codes[] = {
    {KEY_UP, "Up"},
    {KEY_DOWN, "Down"},
    {KEY_LEFT, "Left"},
    {KEY_RIGHT, "Right"},
    {KEY_HOME, "Home"},
    {KEY_END, "End"},
    {KEY_NPAGE, "PageDown"},
    {KEY_PPAGE, "PageUp"},
    {KEY_DC, "DC"},
    {KEY_IC, "IC"},
    {KEY_BACKSPACE, "BSpace"},
    {KEY_ENTER, "Enter"},
    {KEY_BTAB, "BTab"},
    {KEY_SR, "S-Up"},
    {KEY_SF, "S-Down"},
    {KEY_SLEFT, "S-Left"},
    {KEY_SRIGHT, "S-Right"},
    {KEY_SHOME, "S-Home"},
    {KEY_SEND, "S-End"},
    {KEY_SDC, "S-DC"},
    {KEY_SIC, "S-IC"},
    {KEY_SNEXT, "S-PageDown"},
    {KEY_SPREVIOUS, "S-PageUp"},
};

/* Encode a code point as UTF-8; returns the length, 0 if not encodable. */
static size_t
tui_utf8_encode(unsigned int cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return (1);
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return (2);
	}
	if (cp >= 0xd800 && cp <= 0xdfff)
		return (0);
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return (3);
	}
	if (cp < 0x110000) {
		out[0] = (char)(0xf0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[3] = (char)(0x80 | (cp & 0x3f));
		return (4);
	}
	return (0);
}

static int
tui_key_put(char *buf, size_t size, const char *prefix, const char *s)
{
	int r = snprintf(buf, size, "%s%s", prefix, s);

	return (r < 0 || (size_t)r >= size ? -1 : 0);
}

int
tui_key_name(bool is_code, unsigned int ch, char *buf, size_t size)
{
	char u[5];
	size_t n;

	if (is_code) {
		for (size_t i = 0; i < CX_ARRAY_LEN(tui_key_codes); i++) {
			if ((unsigned int)tui_key_codes[i].code == ch)
				return (tui_key_put(
				    buf, size, "", tui_key_codes[i].name));
		}
		/* xterm reports shift+F1 as F13, and so on. */
		if (ch >= (unsigned int)KEY_F(1) &&
		    ch <= (unsigned int)KEY_F(24)) {
			unsigned int f = ch - (unsigned int)KEY_F0;

			snprintf(u, sizeof u, "F%u", f > 12 ? f - 12 : f);
			return (tui_key_put(buf, size, f > 12 ? "S-" : "", u));
		}
		return (-1); /* KEY_RESIZE, KEY_MOUSE, ... */
	}
	switch (ch) {
	case 0:
		return (tui_key_put(buf, size, "", "C-Space"));
	case 9:
		return (tui_key_put(buf, size, "", "Tab"));
	case 10:
	case 13:
		return (tui_key_put(buf, size, "", "Enter"));
	case 27:
		return (tui_key_put(buf, size, "", "Escape"));
	case 28:
		return (tui_key_put(buf, size, "", "C-\\"));
	case 29:
		return (tui_key_put(buf, size, "", "C-]"));
	case 30:
		return (tui_key_put(buf, size, "", "C-^"));
	case 31:
		return (tui_key_put(buf, size, "", "C-_"));
	case 32:
		return (tui_key_put(buf, size, "", "Space"));
	case 127:
		return (tui_key_put(buf, size, "", "BSpace"));
	}
	if (ch < 27) {
		u[0] = (char)('a' + ch - 1);
		u[1] = '\0';
		return (tui_key_put(buf, size, "C-", u));
	}
	if (ch >= 0x80 && ch < 0xa0)
		return (-1); /* C1 controls are not keys */
	if ((n = tui_utf8_encode(ch, u)) == 0)
		return (-1);
	u[n] = '\0';
	return (tui_key_put(buf, size, "", u));
}

int
tui_key_meta(const char *name, char *buf, size_t size)
{
	char tmp[KM_KEY_MAX + 2];

	/* "M-" goes in front of "C-": keymaps puts it in tmux's order. */
	if (snprintf(tmp, sizeof tmp, "M-%s", name) >= (int)sizeof tmp)
		return (-1);
	if (strncmp(name, "M-", 2) == 0 || strstr(name, "-M-") != NULL ||
	    strcmp(name, "Escape") == 0)
		return (-1);
	return (km_key_canonical(tmp, buf, size));
}

/* Extended curses codes for modified keys ("kUP5" is C-Up), by name. */
static int
tui_key_extended(int code, char *buf, size_t size)
{
	static const struct {
		const char *cap;
		const char *name;
	} caps[] = {
	    {"kUP", "Up"},
	    {"kDN", "Down"},
	    {"kLFT", "Left"},
	    {"kRIT", "Right"},
	    {"kHOM", "Home"},
	    {"kEND", "End"},
	    {"kNXT", "PageDown"},
	    {"kPRV", "PageUp"},
	    {"kDC", "DC"},
	    {"kIC", "IC"},
	};
	static const char *const mods[] = {
	    NULL,
	    NULL,
	    "S-",
	    "M-",
	    "M-S-",
	    "C-",
	    "C-S-",
	    "C-M-",
	    "C-M-S-",
	};
	const char *kn = keyname(code);
	char tmp[KM_KEY_MAX + 8];

	if (kn == NULL)
		return (-1);
	for (size_t i = 0; i < CX_ARRAY_LEN(caps); i++) {
		size_t l = strlen(caps[i].cap);
		int d;

		if (strncmp(kn, caps[i].cap, l) != 0 || kn[l] < '2' ||
		    kn[l] > '8' || kn[l + 1] != '\0')
			continue;
		d = kn[l] - '0';
		snprintf(tmp, sizeof tmp, "%s%s", mods[d], caps[i].name);
		return (km_key_canonical(tmp, buf, size));
	}
	return (-1);
}

static int
tui_input_read(char *name, size_t size)
{
	wint_t wc;
	int r;

	for (;;) {
		r = wget_wch(stdscr, &wc);
		if (r == ERR)
			return (-1);
		if (tui_key_name(
		        r == KEY_CODE_YES, (unsigned int)wc, name, size) == 0)
			return (0);
		if (r == KEY_CODE_YES &&
		    tui_key_extended((int)wc, name, size) == 0)
			return (0);
		/* Not a key (KEY_RESIZE, say): read on. */
	}
}

/*
 * Not a key more once one quit or gave the terminal away (A, E, an
 * engine's exec): what follows is typed for the container, and its
 * session reads it from the terminal itself.
 */
static bool
tui_keys_ours(const struct tui *t)
{
	return (!t->quit && t->attach == NULL && !t->engine_exec);
}

void
tui_input_cb(uv_poll_t *p, int status, int events)
{
	struct tui *t = p->data;
	char name[KM_KEY_MAX], next[KM_KEY_MAX], meta[KM_KEY_MAX];
	int keys = 0, avail = 0;

	if (status < 0 || (events & UV_DISCONNECT)) {
		tui_quit(t, 0); /* the terminal hung up */
		return;
	}
	while (tui_keys_ours(t) && tui_input_read(name, sizeof name) == 0) {
		keys++;
		/*
		 * ESC and a key in the same read is how terminals send
		 * Meta (tmux does the same). curses already waited
		 * ESCDELAY for more after a lone ESC.
		 */
		if (strcmp(name, "Escape") == 0 &&
		    tui_input_read(next, sizeof next) == 0) {
			if (tui_key_meta(next, meta, sizeof meta) == 0) {
				tui_key(t, meta);
			} else {
				tui_key(t, name);
				if (tui_keys_ours(t))
					tui_key(t, next);
			}
			continue;
		}
		tui_key(t, name);
	}
	if (keys > 0) {
		t->empty_reads = 0;
		return;
	}
	/* Readable with nothing to read: end of file (the pty is gone). */
	if ((ioctl(STDIN_FILENO, FIONREAD, &avail) != 0 || avail == 0) &&
	    ++t->empty_reads >= TUI_EMPTY_READS_MAX)
		tui_quit(t, 0);
}
