/* cli/template.c: a small Go-template subset for --format (see template.h). */
#include "template.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A literal (field == -1) or a field's value. */
struct cli_tpl_node {
	char *text;
	long field;
};

struct cli_tpl {
	struct cli_tpl_node *v;
	size_t n;
	bool table;
	const struct cli_tpl_field *fields;
};

static void
cli_tpl_push(struct cli_tpl *t, char *text, long field)
{
	t->v = realloc(t->v, (t->n + 1) * sizeof *t->v);
	if (t->v == NULL)
		abort();
	t->v[t->n].text = text;
	t->v[t->n].field = field;
	t->n++;
}

/* Literal text with \t and \n made real, as Podman does for --format. */
static char *
cli_tpl_unescape(const char *s, size_t len)
{
	char *out = cx_calloc(1, len + 1);
	size_t j = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len && (s[i + 1] == 't' ||
		    s[i + 1] == 'n')) {
			out[j++] = s[i + 1] == 't' ? '\t' : '\n';
			i++;
		} else {
			out[j++] = s[i];
		}
	}
	return (out);
}

static int
cli_tpl_error(struct cx_error *err, const char *text, const char *why,
    const char *what, size_t wlen)
{
	cx_autofree char *t = cx_sanitize(text, strlen(text));
	cx_autofree char *w = cx_sanitize(what, wlen);

	return (cx_error_set(err, EINVAL, "invalid format \"%s\": %s%s", t,
	    why, w));
}

/* "{{ .A.B }}" between the braces: the field, or -1 with err set. */
static long
cli_tpl_action(const char *text, const char *a, size_t len,
    const struct cli_tpl_field *fields, size_t nfields, struct cx_error *err)
{
	while (len > 0 && (*a == ' ' || *a == '\t')) {
		a++;
		len--;
	}
	while (len > 0 && (a[len - 1] == ' ' || a[len - 1] == '\t'))
		len--;
	if (len < 2 || a[0] != '.')
		return (cli_tpl_error(err, text, "not a field: ", a, len));
	for (size_t i = 0; i < nfields; i++)
		if (strlen(fields[i].name) == len - 1 &&
		    memcmp(fields[i].name, a + 1, len - 1) == 0)
			return ((long)i);
	return (cli_tpl_error(err, text, "unknown field ", a, len));
}

struct cli_tpl *
cli_tpl_parse(const char *text, const struct cli_tpl_field *fields,
    size_t nfields, struct cx_error *err)
{
	struct cli_tpl *t = cx_calloc(1, sizeof *t);
	const char *p = text;

	t->fields = fields;
	if (strncmp(p, "table ", 6) == 0 || strcmp(p, "table") == 0) {
		t->table = true;
		p += p[5] == '\0' ? 5 : 6;
	}
	while (*p != '\0') {
		const char *open = strstr(p, "{{"), *close;
		long f;

		if (open == NULL) {
			cli_tpl_push(t, cli_tpl_unescape(p, strlen(p)), -1);
			break;
		}
		if (open > p)
			cli_tpl_push(t, cli_tpl_unescape(p, (size_t)(open - p)),
			    -1);
		if ((close = strstr(open + 2, "}}")) == NULL) {
			cli_tpl_error(err, text, "unclosed action", "", 0);
			cli_tpl_free(t);
			return (NULL);
		}
		f = cli_tpl_action(text, open + 2, (size_t)(close - open - 2),
		    fields, nfields, err);
		if (f < 0) {
			cli_tpl_free(t);
			return (NULL);
		}
		cli_tpl_push(t, NULL, f);
		p = close + 2;
	}
	return (t);
}

void
cli_tpl_free(struct cli_tpl *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].text);
	free(t->v);
	free(t);
}

bool
cli_tpl_is_table(const struct cli_tpl *t)
{
	return (t->table);
}

/* Append s to the growing buffer *buf of length *len. */
static void
cli_tpl_cat(char **buf, size_t *len, const char *s)
{
	size_t n = strlen(s);

	*buf = realloc(*buf, *len + n + 1);
	if (*buf == NULL)
		abort();
	memcpy(*buf + *len, s, n + 1);
	*len += n;
}

/* In a table, blanks between fields separate columns. */
static bool
cli_tpl_blank(const char *s)
{
	return (s[strspn(s, " \t")] == '\0');
}

static char *
cli_tpl_render(const struct cli_tpl *t, cli_tpl_value_fn value,
    const void *obj)
{
	char *buf = cx_calloc(1, 1);
	size_t len = 0;

	for (size_t i = 0; i < t->n; i++) {
		const struct cli_tpl_node *nd = &t->v[i];

		if (nd->field < 0) {
			if (!t->table || !cli_tpl_blank(nd->text))
				cli_tpl_cat(&buf, &len, nd->text);
			else if (i > 0 && i + 1 < t->n)
				cli_tpl_cat(&buf, &len, "\t");
			continue;
		}
		if (t->table && i > 0 && t->v[i - 1].field >= 0)
			cli_tpl_cat(&buf, &len, "\t");
		if (value != NULL) {
			cx_autofree char *v = value((size_t)nd->field, obj);

			cli_tpl_cat(&buf, &len, v ? v : "");
		} else {
			const struct cli_tpl_field *f = &t->fields[nd->field];

			if (f->header != NULL) {
				cli_tpl_cat(&buf, &len, f->header);
			} else {
				cx_autofree char *h = cx_strdup(f->name);

				for (char *q = h; *q; q++)
					if (*q >= 'a' && *q <= 'z')
						*q = (char)(*q - 32);
				cli_tpl_cat(&buf, &len, h);
			}
		}
	}
	return (buf);
}

char *
cli_tpl_expand(const struct cli_tpl *t, cli_tpl_value_fn value,
    const void *obj)
{
	return (cli_tpl_render(t, value, obj));
}

char *
cli_tpl_header(const struct cli_tpl *t)
{
	return (cli_tpl_render(t, NULL, NULL));
}

/* Width of column col of line, or -1 when the line has no such column. */
static long
cli_tpl_cell(const char *line, size_t col, const char **start)
{
	const char *p = line;

	for (size_t c = 0; c < col; c++) {
		p = strchr(p, '\t');
		if (p == NULL)
			return (-1);
		p++;
	}
	*start = p;
	return ((long)strcspn(p, "\t"));
}

void
cli_tpl_table(FILE *out, char *const *lines, size_t n)
{
	size_t ncols = 0;
	size_t *w;

	for (size_t i = 0; i < n; i++) {
		size_t c = 1;

		for (const char *p = lines[i]; (p = strchr(p, '\t')); p++)
			c++;
		if (c > ncols)
			ncols = c;
	}
	w = cx_calloc(ncols + 1, sizeof *w);
	for (size_t i = 0; i < n; i++)
		for (size_t c = 0; c < ncols; c++) {
			const char *s = NULL;
			long l = cli_tpl_cell(lines[i], c, &s);

			if (l > (long)w[c])
				w[c] = (size_t)l;
		}
	for (size_t i = 0; i < n; i++) {
		for (size_t c = 0; c < ncols; c++) {
			const char *s = NULL;
			long l = cli_tpl_cell(lines[i], c, &s);
			bool last = cli_tpl_cell(lines[i], c + 1, &s) < 0;

			cli_tpl_cell(lines[i], c, &s);
			if (l < 0)
				break;
			fwrite(s, 1, (size_t)l, out);
			if (last)
				break;
			fprintf(out, "%*s", (int)(w[c] - (size_t)l + 2), "");
		}
		fputc('\n', out);
	}
	free(w);
}
