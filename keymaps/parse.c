/* keymaps/parse.c: key names, sequences, binding tables and keymap files. */
#include "keymaps.h"

#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "cx.h"

/* A keymap file is a few hundred lines; anything much bigger is a mistake. */
#define KM_FILE_MAX (1024 * 1024)
/* bind MODE KEYS ACTION NOTE, plus one to notice a word too many. */
#define KM_WORDS_MAX 6

#define KM_MOD_CTRL 0x1
#define KM_MOD_META 0x2
#define KM_MOD_SHIFT 0x4

const char *const km_modes[] = {"attach", "details", "list", "logs", "pane",
    "prefix", NULL};

/* Named keys, looked up regardless of case; canonical is NULL for itself. */
static const struct km_name {
	const char *name;
	const char *canonical;
} km_names[] = {
    {"Enter", NULL},
    {"Escape", NULL},
    {"Tab", NULL},
    {"BTab", NULL},
    {"Space", NULL},
    {"BSpace", NULL},
    {"Up", NULL},
    {"Down", NULL},
    {"Left", NULL},
    {"Right", NULL},
    {"Home", NULL},
    {"End", NULL},
    {"PageUp", NULL},
    {"PPage", "PageUp"},
    {"PgUp", "PageUp"},
    {"PageDown", NULL},
    {"NPage", "PageDown"},
    {"PgDn", "PageDown"},
    {"DC", NULL},
    {"Delete", "DC"},
    {"IC", NULL},
    {"Insert", "IC"},
    {"F1", NULL},
    {"F2", NULL},
    {"F3", NULL},
    {"F4", NULL},
    {"F5", NULL},
    {"F6", NULL},
    {"F7", NULL},
    {"F8", NULL},
    {"F9", NULL},
    {"F10", NULL},
    {"F11", NULL},
    {"F12", NULL},
};

struct km_seq {
	char keys[KM_SEQ_MAX][KM_KEY_MAX];
	int n;
};

struct km_binding {
	const char *mode; /* one of km_modes */
	struct km_seq seq;
	char *keys; /* canonical names joined with spaces */
	char *action;
	char *note;          /* NULL if none */
	unsigned long order; /* when it was bound, for km_keys_for_action */
};

struct km_table {
	struct km_binding *v; /* sorted by mode, action, keys */
	size_t n, cap;
	char **actions; /* NULL: any well-formed action name */
	unsigned long next_order;
};

/*
 * Length of the well-formed UTF-8 character at s (len bytes available), with
 * its code point in *cp, or 0. Overlongs and surrogates are not well-formed.
 */
static size_t
km_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (len == 0)
		return (0);
	if (s[0] < 0x80) {
		*cp = s[0];
		return (1);
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return (0);
	if (n > len)
		return (0);
	c = s[0] & (0xff >> (n + 1));
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return (0);
	*cp = c;
	return (n);
}

/*
 * Text from a keymap file ends up on screen (notes in the help overlay) and
 * in messages, so it must not carry control characters or broken UTF-8.
 */
static int
km_text_check(const char *s, size_t len, struct cx_error *err)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;

	if (memchr(s, '\0', len) != NULL)
		return (cx_error_set(err, EINVAL, "NUL byte"));
	while (i < len) {
		n = km_utf8_decode(p + i, len - i, &cp);
		if (n == 0)
			return (cx_error_set(err, EINVAL, "invalid UTF-8"));
		if ((cp < 0x20 && cp != '\t') || (cp >= 0x7f && cp < 0xa0))
			return (cx_error_set(err, EINVAL,
			    "control character 0x%02x", (unsigned)cp));
		i += n;
	}
	return (0);
}

/* A name from outside, made safe to put in a message. */
static char *
km_quote(const char *s)
{
	return (cx_sanitize(s, strlen(s)));
}

static const char *
km_name_find(const char *s)
{
	size_t i;

	for (i = 0; i < CX_ARRAY_LEN(km_names); i++) {
		if (strcasecmp(s, km_names[i].name) == 0)
			return (km_names[i].canonical != NULL
			        ? km_names[i].canonical
			        : km_names[i].name);
	}
	return (NULL);
}

/*
 * Apply the control modifier to *c as a terminal does, and name the result
 * as curses reports it: "C-a" (*c lowered), or a named key (*name) when the
 * control byte is one ("C-i" is Tab). -1 if no control byte exists for *c.
 */
static int
km_key_ctrl(uint32_t *c, unsigned *mods, const char **name)
{
	uint32_t lower = *c | 0x20;

	if (lower >= 'a' && lower <= 'z') {
		/* The terminal sends the same byte for these pairs. */
		if (lower == 'i' || lower == 'm') {
			*mods &= ~KM_MOD_CTRL;
			*name = lower == 'i' ? "Tab" : "Enter";
		}
		*c = lower;
		return (0);
	}
	switch (*c) {
	case '[':
		*mods &= ~KM_MOD_CTRL;
		*name = "Escape";
		return (0);
	case '?':
		*mods &= ~KM_MOD_CTRL;
		*name = "BSpace";
		return (0);
	case '@':
		*name = "Space";
		return (0);
	case '\\':
	case ']':
	case '^':
	case '_':
		return (0);
	}
	return (-1);
}

int
km_key_canonical(const char *in, char *out, size_t outsz)
{
	const char *s = in, *name = NULL;
	char ch[5];
	unsigned mods = 0;
	uint32_t cp;
	size_t len, n;
	int r;

	if (in == NULL || in[0] == '\0')
		return (-1);
	/* A lone character, "-" and "^" included, is that key. */
	if (in[1] != '\0') {
		/* tmux reads "^A" as "C-A". */
		if (s[0] == '^') {
			mods |= KM_MOD_CTRL;
			s++;
		}
		while (s[0] != '\0' && s[1] == '-') {
			switch (s[0]) {
			case 'C':
			case 'c':
				mods |= KM_MOD_CTRL;
				break;
			case 'M':
			case 'm':
				mods |= KM_MOD_META;
				break;
			case 'S':
			case 's':
				mods |= KM_MOD_SHIFT;
				break;
			default:
				return (-1);
			}
			s += 2;
		}
	}
	len = strlen(s);
	n = km_utf8_decode((const unsigned char *)s, len, &cp);
	if (n != 0 && n == len) {
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			return (-1);
		if (cp == ' ')
			name = "Space";
		else if (mods & KM_MOD_SHIFT)
			return (-1); /* shift is in the character: "G" */
		else if ((mods & KM_MOD_CTRL) &&
		    km_key_ctrl(&cp, &mods, &name) != 0)
			return (-1);
		if (name == NULL) {
			memcpy(ch, s, n);
			ch[n] = '\0';
			if (n == 1)
				ch[0] = (char)cp;
		}
	} else {
		if ((name = km_name_find(s)) == NULL)
			return (-1);
		if ((mods & KM_MOD_SHIFT) && strcmp(name, "Tab") == 0) {
			mods &= ~KM_MOD_SHIFT;
			name = "BTab";
		}
	}
	r = snprintf(out, outsz, "%s%s%s%s", (mods & KM_MOD_CTRL) ? "C-" : "",
	    (mods & KM_MOD_META) ? "M-" : "", (mods & KM_MOD_SHIFT) ? "S-" : "",
	    name != NULL ? name : ch);
	if (r < 0 || (size_t)r >= outsz)
		return (-1);
	return (0);
}

static bool
km_space(char c)
{
	return (c == ' ' || c == '\t');
}

/* Parse a space-separated key sequence into canonical names. */
static int
km_seq_parse(const char *s, struct km_seq *seq, struct cx_error *err)
{
	struct km_seq tmp = {.n = 0};
	size_t len;

	for (;;) {
		cx_autofree char *word = NULL;
		cx_autofree char *shown = NULL;

		while (km_space(*s))
			s++;
		if (*s == '\0')
			break;
		len = strcspn(s, " \t");
		if (tmp.n == KM_SEQ_MAX)
			return (cx_error_set(err, EINVAL,
			    "key sequence too long (at most %d keys)",
			    KM_SEQ_MAX));
		word = cx_strndup(s, len);
		if (km_key_canonical(word, tmp.keys[tmp.n], KM_KEY_MAX) != 0) {
			shown = km_quote(word);
			return (cx_error_set(
			    err, EINVAL, "unknown key '%s'", shown));
		}
		tmp.n++;
		s += len;
	}
	if (tmp.n == 0)
		return (cx_error_set(err, EINVAL, "missing keys"));
	*seq = tmp;
	return (0);
}

static bool
km_seq_valid(const char *s)
{
	struct km_seq seq;

	return (km_seq_parse(s, &seq, NULL) == 0);
}

static char *
km_seq_join(const struct km_seq *seq)
{
	char buf[KM_SEQ_MAX * KM_KEY_MAX];
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < seq->n; i++) {
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s",
		    i > 0 ? " " : "", seq->keys[i]);
	}
	return (cx_strdup(buf));
}

/* The static name of mode, or NULL if it is not one. */
static const char *
km_mode_find(const char *mode)
{
	size_t i;

	if (mode == NULL)
		return (NULL);
	for (i = 0; km_modes[i] != NULL; i++) {
		if (strcmp(mode, km_modes[i]) == 0)
			return (km_modes[i]);
	}
	return (NULL);
}

static int
km_mode_check(const char *mode, const char **out, struct cx_error *err)
{
	cx_autofree char *shown = NULL;

	if ((*out = km_mode_find(mode)) != NULL)
		return (0);
	shown = km_quote(mode);
	return (cx_error_set(err, EINVAL, "unknown mode '%s'", shown));
}

static int
km_action_check(
    const struct km_table *t, const char *action, struct cx_error *err)
{
	cx_autofree char *shown = NULL;
	const char *p;
	size_t i;

	if (t->actions != NULL) {
		for (i = 0; t->actions[i] != NULL; i++) {
			if (strcmp(action, t->actions[i]) == 0)
				return (0);
		}
		shown = km_quote(action);
		return (
		    cx_error_set(err, EINVAL, "unknown action '%s'", shown));
	}
	/* Without the tui's list, at least keep names to what it could use. */
	for (p = action; *p != '\0'; p++) {
		if (strchr("abcdefghijklmnopqrstuvwxyz"
		           "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
		        *p) == NULL)
			break;
	}
	if (*action == '\0' || *p != '\0') {
		shown = km_quote(action);
		return (
		    cx_error_set(err, EINVAL, "bad action name '%s'", shown));
	}
	return (0);
}

static void
km_binding_fini(struct km_binding *b)
{
	free(b->keys);
	free(b->action);
	free(b->note);
}

static int
km_binding_cmp(const struct km_binding *a, const struct km_binding *b)
{
	int r;

	if ((r = strcmp(a->mode, b->mode)) != 0)
		return (r);
	if ((r = strcmp(a->action, b->action)) != 0)
		return (r);
	return (strcmp(a->keys, b->keys));
}

static ssize_t
km_table_find(const struct km_table *t, const char *mode, const char *keys)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (t->v[i].mode == mode && strcmp(t->v[i].keys, keys) == 0)
			return ((ssize_t)i);
	}
	return (-1);
}

static void
km_table_remove(struct km_table *t, size_t i)
{
	km_binding_fini(&t->v[i]);
	memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof t->v[0]);
	t->n--;
}

/* Add a checked binding, replacing the one of the same keys. */
static void
km_table_put(struct km_table *t, const char *mode, const struct km_seq *seq,
    const char *action, const char *note)
{
	struct km_binding b = {.mode = mode, .seq = *seq};
	ssize_t old;
	size_t i;

	b.keys = km_seq_join(seq);
	b.action = cx_strdup(action);
	b.note = note != NULL && *note != '\0' ? cx_strdup(note) : NULL;
	b.order = t->next_order++;
	if ((old = km_table_find(t, mode, b.keys)) != -1)
		km_table_remove(t, (size_t)old);
	if (t->n == t->cap) {
		t->cap = t->cap == 0 ? 64 : t->cap * 2;
		t->v = cx_realloc(t->v, t->cap * sizeof t->v[0]);
	}
	for (i = 0; i < t->n && km_binding_cmp(&t->v[i], &b) < 0; i++)
		;
	memmove(&t->v[i + 1], &t->v[i], (t->n - i) * sizeof t->v[0]);
	t->v[i] = b;
	t->n++;
}

struct km_table *
km_table_new(void)
{
	return (cx_calloc(1, sizeof(struct km_table)));
}

static void
km_table_clear(struct km_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		km_binding_fini(&t->v[i]);
	free(t->v);
	cx_strv_free(t->actions);
	memset(t, 0, sizeof *t);
}

void
km_table_free(struct km_table *t)
{
	if (t == NULL)
		return;
	km_table_clear(t);
	free(t);
}

static struct km_table *
km_table_copy(const struct km_table *t)
{
	struct km_table *c = km_table_new();
	size_t i;

	c->n = c->cap = t->n;
	c->next_order = t->next_order;
	c->v = cx_calloc(t->n > 0 ? t->n : 1, sizeof c->v[0]);
	for (i = 0; i < t->n; i++) {
		c->v[i] = t->v[i];
		c->v[i].keys = cx_strdup(t->v[i].keys);
		c->v[i].action = cx_strdup(t->v[i].action);
		c->v[i].note =
		    t->v[i].note != NULL ? cx_strdup(t->v[i].note) : NULL;
	}
	km_table_set_actions(c, (const char *const *)t->actions);
	return (c);
}

void
km_table_set_actions(struct km_table *t, const char *const *names)
{
	size_t i;

	cx_strv_free(t->actions);
	t->actions = NULL;
	if (names == NULL)
		return;
	/* An empty list still means "this set", not "anything". */
	t->actions = cx_calloc(1, sizeof(char *));
	for (i = 0; names[i] != NULL; i++)
		cx_strv_push(&t->actions, names[i]);
}

int
km_table_bind(struct km_table *t, const char *mode, const char *keys,
    const char *action, const char *note, struct cx_error *err)
{
	struct km_seq seq;
	const char *m;

	if (km_mode_check(mode, &m, err) != 0 ||
	    km_seq_parse(keys, &seq, err) != 0 ||
	    km_action_check(t, action, err) != 0)
		return (-1);
	if (note != NULL && km_text_check(note, strlen(note), err) != 0)
		return (cx_error_wrap(err, "note"));
	km_table_put(t, m, &seq, action, note);
	return (0);
}

int
km_table_unbind(struct km_table *t, const char *mode, const char *keys,
    struct cx_error *err)
{
	cx_autofree char *joined = NULL;
	struct km_seq seq;
	const char *m;
	ssize_t i;

	if (km_mode_check(mode, &m, err) != 0 ||
	    km_seq_parse(keys, &seq, err) != 0)
		return (-1);
	joined = km_seq_join(&seq);
	if ((i = km_table_find(t, m, joined)) != -1)
		km_table_remove(t, (size_t)i);
	return (0);
}

/*
 * Split line (NUL-terminated, modified in place) into words. Quotes group
 * words only at the start of a word, so "don't" in a note needs no care.
 */
static int
km_line_split(char *line, char **w, size_t *nw, struct cx_error *err)
{
	char *p = line, *end;
	size_t n = 0;

	for (;;) {
		while (km_space(*p))
			p++;
		if (*p == '\0' || *p == '#')
			break;
		if (*p == '\'' || *p == '"') {
			if ((end = strchr(p + 1, *p)) == NULL)
				return (cx_error_set(
				    err, EINVAL, "unterminated quote"));
			if (end[1] != '\0' && !km_space(end[1]))
				return (cx_error_set(
				    err, EINVAL, "text after closing quote"));
			p++;
		} else {
			end = p + strcspn(p, " \t");
		}
		if (n < KM_WORDS_MAX)
			w[n] = p;
		n++;
		if (*end == '\0') {
			p = end;
		} else {
			*end = '\0';
			p = end + 1;
		}
	}
	*nw = n;
	return (0);
}

static int
km_line_bind(struct km_table *t, char **w, size_t n, struct cx_error *err)
{
	bool w0mode = n > 0 && km_mode_find(w[0]) != NULL;

	switch (n) {
	case 0:
		return (cx_error_set(err, EINVAL, "missing keys"));
	case 1:
		return (cx_error_set(
		    err, EINVAL, w0mode ? "missing keys" : "missing action"));
	case 2:
		if (w0mode)
			return (cx_error_set(err, EINVAL, "missing action"));
		return (km_table_bind(t, "list", w[0], w[1], NULL, err));
	case 3:
		/*
		 * MODE KEYS ACTION or KEYS ACTION NOTE: mode names are never
		 * key names, so this is only ambiguous when both are wrong.
		 */
		if (w0mode || (!km_seq_valid(w[0]) && km_seq_valid(w[1])))
			return (km_table_bind(t, w[0], w[1], w[2], NULL, err));
		return (km_table_bind(t, "list", w[0], w[1], w[2], err));
	case 4:
		return (km_table_bind(t, w[0], w[1], w[2], w[3], err));
	}
	return (cx_error_set(err, EINVAL, "too many words"));
}

static int
km_line_unbind(struct km_table *t, char **w, size_t n, struct cx_error *err)
{
	switch (n) {
	case 0:
		return (cx_error_set(err, EINVAL, "missing keys"));
	case 1:
		if (km_mode_find(w[0]) != NULL)
			return (cx_error_set(err, EINVAL, "missing keys"));
		return (km_table_unbind(t, "list", w[0], err));
	case 2:
		return (km_table_unbind(t, w[0], w[1], err));
	}
	return (cx_error_set(err, EINVAL, "too many words"));
}

/* Apply one line (len bytes, no newline) to t; err lacks the location. */
static int
km_line_apply(
    struct km_table *t, const char *line, size_t len, struct cx_error *err)
{
	char buf[KM_LINE_MAX + 1];
	char *w[KM_WORDS_MAX];
	size_t n = 0;

	if (len > KM_LINE_MAX)
		return (cx_error_set(
		    err, EINVAL, "line too long (over %d bytes)", KM_LINE_MAX));
	/* Files written on Windows end lines with "\r\n". */
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (km_text_check(line, len, err) != 0)
		return (-1);
	memcpy(buf, line, len);
	buf[len] = '\0';
	if (km_line_split(buf, w, &n, err) != 0)
		return (-1);
	if (n == 0)
		return (0);
	if (strcmp(w[0], "bind") == 0)
		return (km_line_bind(t, w + 1, n - 1, err));
	if (strcmp(w[0], "unbind") == 0)
		return (km_line_unbind(t, w + 1, n - 1, err));

	/* KEYS ACTION, in mode list. */
	if (!km_seq_valid(w[0]) && n > 2) {
		cx_autofree char *shown = km_quote(w[0]);

		return (
		    cx_error_set(err, EINVAL, "unknown command '%s'", shown));
	}
	if (n == 1) {
		struct km_seq seq;

		if (km_seq_parse(w[0], &seq, err) != 0)
			return (-1);
		return (cx_error_set(err, EINVAL, "missing action"));
	}
	if (n > 2)
		return (cx_error_set(err, EINVAL, "too many words"));
	return (km_table_bind(t, "list", w[0], w[1], NULL, err));
}

int
km_table_load_buffer(struct km_table *t, const char *name, const char *buf,
    size_t len, struct cx_error *err)
{
	struct km_table *c;
	const char *p = buf, *end = buf + len, *nl;
	unsigned line;

	/* Work on a copy, so that a bad line leaves nothing half-loaded. */
	c = km_table_copy(t);
	for (line = 1; p < end; line++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (km_line_apply(c, p, (size_t)((nl != NULL ? nl : end) - p),
		        err) != 0) {
			km_table_free(c);
			return (cx_error_wrap(err, "%s:%u", name, line));
		}
		p = nl != NULL ? nl + 1 : end;
	}
	km_table_clear(t);
	*t = *c;
	free(c);
	return (0);
}

int
km_table_load_file(struct km_table *t, const char *path, struct cx_error *err)
{
	cx_autofree char *buf = NULL;
	size_t len;

	if ((buf = cx_read_file(path, KM_FILE_MAX, &len, err)) == NULL)
		return (-1);
	return (km_table_load_buffer(t, path, buf, len, err));
}

static bool
km_seq_is_fkey(const struct km_seq *seq)
{
	const char *k = seq->keys[0];

	return (seq->n == 1 && k[0] == 'F' && k[1] >= '1' && k[1] <= '9');
}

int
km_keys_for_action(const struct km_table *t, const char *mode,
    const char *action, bool want_fkey, char *buf, size_t size)
{
	const struct km_binding *pref = NULL, *any = NULL, *b;
	const char *m = km_mode_find(mode);
	size_t i;

	if (m == NULL)
		return (-1);
	for (i = 0; i < t->n; i++) {
		b = &t->v[i];
		if (b->mode != m || strcmp(b->action, action) != 0)
			continue;
		if (any == NULL || b->order < any->order)
			any = b;
		if (km_seq_is_fkey(&b->seq) == want_fkey &&
		    (pref == NULL || b->order < pref->order))
			pref = b;
	}
	if (pref != NULL)
		any = pref;
	if (any == NULL || strlen(any->keys) >= size)
		return (-1);
	memcpy(buf, any->keys, strlen(any->keys) + 1);
	return (0);
}

size_t
km_table_count(const struct km_table *t)
{
	return (t->n);
}

int
km_table_get(const struct km_table *t, size_t i, const char **mode,
    const char **keys, const char **action, const char **note)
{
	if (i >= t->n)
		return (-1);
	if (mode != NULL)
		*mode = t->v[i].mode;
	if (keys != NULL)
		*keys = t->v[i].keys;
	if (action != NULL)
		*action = t->v[i].action;
	if (note != NULL)
		*note = t->v[i].note;
	return (0);
}

void
km_state_reset(struct km_state *st)
{
	memset(st, 0, sizeof *st);
}

enum km_result
km_feed(struct km_state *st, const struct km_table *t, const char *mode,
    const char *key, const char **action)
{
	const struct km_binding *exact = NULL, *b;
	const char *m = km_mode_find(mode);
	bool longer = false;
	size_t i;
	int k;

	*action = NULL;
	/* Keys typed in another view are no prefix of anything here. */
	if (st->mode != m) {
		km_state_reset(st);
		st->mode = m;
	}
	assert(st->n >= 0 && st->n < KM_SEQ_MAX);
	if (m == NULL || key == NULL ||
	    km_key_canonical(key, st->keys[st->n], KM_KEY_MAX) != 0) {
		st->n = 0;
		return (KM_NONE);
	}
	st->n++;
	for (i = 0; i < t->n; i++) {
		b = &t->v[i];
		if (b->mode != m || b->seq.n < st->n)
			continue;
		for (k = 0; k < st->n; k++) {
			if (strcmp(b->seq.keys[k], st->keys[k]) != 0)
				break;
		}
		if (k < st->n)
			continue;
		if (b->seq.n == st->n)
			exact = b;
		else
			longer = true;
	}
	/* A longer binding can only exist while st->n < KM_SEQ_MAX. */
	if (longer)
		return (KM_PENDING);
	st->n = 0;
	if (exact == NULL)
		return (KM_NONE);
	*action = exact->action;
	return (KM_MATCH);
}
