/* cli/config.c: the conmux.conf parser (defaults for the CLI and console). */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "keymaps.h"

/* Longer lines are an error rather than silently cut (as keymaps). */
#define CLI_CONFIG_LINE_MAX 1024
#define CLI_CONFIG_FILE_MAX (1 << 20)

void
cli_config_init(struct cli_config *c)
{
	memset(c, 0, sizeof *c);
	c->confirm = c->read_only = c->colour = -1;
}

void
cli_config_fini(struct cli_config *c)
{
	free(c->runtime);
	free(c->conmon);
	free(c->criu);
	free(c->keys);
	free(c->detach_keys);
	free(c->log_level);
	cli_config_init(c);
}

static int
cli_config_bool(const char *v, int *out)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};

	for (size_t i = 0; i < CX_ARRAY_LEN(yes); i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return (*out = 1, 0);
		if (strcasecmp(v, no[i]) == 0)
			return (*out = 0, 0);
	}
	return (-1);
}

/* "~/x" is $HOME/x, as a user writes paths in a dotfile. */
static char *
cli_config_path_value(const char *v)
{
	const char *home = getenv("HOME");

	if (v[0] == '~' && v[1] == '/' && home != NULL && *home != '\0')
		return (cx_asprintf("%s%s", home, v + 1));
	return (cx_strdup(v));
}

/*
 * Split "KEY = VALUE" (value quoted or not, comments after it) in place.
 * Returns 1 for a setting, 0 for a blank or comment line, -1 with *why.
 */
static int
cli_config_split(char *line, char **key, char **value, const char **why)
{
	char *p = line, *end;

	p += strspn(p, " \t");
	if (*p == '\0' || *p == '#')
		return (0);
	*key = p;
	p += strcspn(p, " \t=");
	end = p;
	p += strspn(p, " \t");
	if (*p != '=')
		return (*why = "expected KEY = VALUE", -1);
	*end = '\0';
	p++;
	p += strspn(p, " \t");
	if (*p == '\'' || *p == '"') {
		char q = *p++;

		*value = p;
		if ((end = strchr(p, q)) == NULL)
			return (*why = "unterminated quote", -1);
		*end++ = '\0';
		end += strspn(end, " \t");
		if (*end != '\0' && *end != '#')
			return (*why = "text after the quoted value", -1);
		return (1);
	}
	*value = p;
	/* An unquoted value ends at a comment; trailing blanks are not in it. */
	end = p + strcspn(p, "#");
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*end = '\0';
	if (**value == '\0')
		return (*why = "empty value (quote it: \"\")", -1);
	return (1);
}

/* The settings: where each goes and how its value is checked. */
enum cli_config_kind {
	CLI_CONFIG_PATH,   /* a command or a file; "~/" is $HOME */
	CLI_CONFIG_DETACH, /* Podman's detach-key spec; "" disables */
	CLI_CONFIG_LEVEL,  /* a log level */
	CLI_CONFIG_BOOL,   /* yes/no */
};
static const struct cli_config_key {
	const char *name;
	enum cli_config_kind kind;
	size_t off;
} cli_config_keys[] = {
    {"colour", CLI_CONFIG_BOOL, offsetof(struct cli_config, colour)},
    {"color", CLI_CONFIG_BOOL, offsetof(struct cli_config, colour)},
    {"confirm", CLI_CONFIG_BOOL, offsetof(struct cli_config, confirm)},
    {"conmon", CLI_CONFIG_PATH, offsetof(struct cli_config, conmon)},
    {"criu", CLI_CONFIG_PATH, offsetof(struct cli_config, criu)},
    {"detach-keys", CLI_CONFIG_DETACH,
	offsetof(struct cli_config, detach_keys)},
    {"keys", CLI_CONFIG_PATH, offsetof(struct cli_config, keys)},
    {"log-level", CLI_CONFIG_LEVEL, offsetof(struct cli_config, log_level)},
    {"read-only", CLI_CONFIG_BOOL, offsetof(struct cli_config, read_only)},
    {"runtime", CLI_CONFIG_PATH, offsetof(struct cli_config, runtime)},
};

/* One setting into *c; -1 with err (no position: the caller adds it). */
static int
cli_config_set(struct cli_config *c, const char *key, const char *value,
    struct cx_error *err)
{
	const struct cli_config_key *k = NULL;
	unsigned char keys[KM_DETACH_MAX];
	enum cx_log_level lvl;
	char **str;
	size_t n;

	for (size_t i = 0; i < CX_ARRAY_LEN(cli_config_keys); i++)
		if (strcmp(cli_config_keys[i].name, key) == 0)
			k = &cli_config_keys[i];
	if (k == NULL)
		return (cx_error_set(err, EINVAL, "unknown setting '%s'", key));
	if (k->kind == CLI_CONFIG_BOOL) {
		if (cli_config_bool(value, (int *)((char *)c + k->off)) != 0)
			return (cx_error_set(err, EINVAL, "%s '%s': yes or no",
			    key, value));
		return (0);
	}
	str = (char **)((char *)c + k->off);
	switch (k->kind) {
	case CLI_CONFIG_DETACH:
		/* Checked now, so a typo is told before any attach. */
		if (km_detach_parse(value, keys, &n, err) != 0)
			return (-1);
		break;
	case CLI_CONFIG_LEVEL:
		if (cx_log_level_parse(value, &lvl) != 0)
			return (cx_error_set(err, EINVAL, "log-level '%s': one "
			    "of error, warning, info, debug", value));
		break;
	default:
		if (*value == '\0')
			return (cx_error_set(err, EINVAL, "%s: empty value",
			    key));
		break;
	}
	free(*str);
	*str = k->kind == CLI_CONFIG_PATH ? cli_config_path_value(value) :
	    cx_strdup(value);
	return (0);
}

static void
cli_config_move(struct cli_config *dst, struct cli_config *src)
{
	cli_config_fini(dst);
	*dst = *src;
	cli_config_init(src);
}

static char *
cli_config_dup(const char *s)
{
	return (s != NULL ? cx_strdup(s) : NULL);
}

int
cli_config_parse(struct cli_config *cfg, const char *name, const char *buf,
    size_t len, struct cx_error *err)
{
	struct cli_config c;
	size_t off = 0;
	unsigned lineno = 0;

	/* Work on a copy: a bad line leaves *cfg as it was. */
	c = *cfg;
	c.runtime = cli_config_dup(cfg->runtime);
	c.conmon = cli_config_dup(cfg->conmon);
	c.criu = cli_config_dup(cfg->criu);
	c.keys = cli_config_dup(cfg->keys);
	c.detach_keys = cli_config_dup(cfg->detach_keys);
	c.log_level = cli_config_dup(cfg->log_level);
	while (off < len) {
		cx_autoerr struct cx_error e = CX_ERROR_INIT;
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t raw = nl != NULL ? (size_t)(nl - (buf + off)) : len - off;
		size_t n = raw;
		char line[CLI_CONFIG_LINE_MAX + 1];
		const char *why = NULL;
		char *key, *value;
		int r;

		lineno++;
		if (n > 0 && buf[off + n - 1] == '\r')
			n--;
		if (n > CLI_CONFIG_LINE_MAX)
			why = "line too long";
		else if (memchr(buf + off, '\0', n) != NULL)
			why = "NUL byte in line";
		if (why == NULL) {
			memcpy(line, buf + off, n);
			line[n] = '\0';
			r = cli_config_split(line, &key, &value, &why);
			if (r == 1 && cli_config_set(&c, key, value, &e) != 0) {
				cx_error_set(err, EINVAL, "%s:%u: %s", name,
				    lineno, e.msg);
				cli_config_fini(&c);
				return (-1);
			}
		}
		if (why != NULL) {
			cx_error_set(err, EINVAL, "%s:%u: %s", name, lineno,
			    why);
			cli_config_fini(&c);
			return (-1);
		}
		off += raw + (nl != NULL ? 1 : 0);
	}
	cli_config_move(cfg, &c);
	return (0);
}

int
cli_config_load(struct cli_config *cfg, const char *path,
    struct cx_error *err)
{
	cx_autofree char *buf = NULL;
	size_t len;

	buf = cx_read_file(path, CLI_CONFIG_FILE_MAX, &len, err);
	if (buf == NULL)
		return (-1);
	return (cli_config_parse(cfg, path, buf, len, err));
}

static bool
cli_config_env_set(const char *name)
{
	const char *v = getenv(name);

	return (v != NULL && *v != '\0');
}

int
cli_config_apply(struct cli *cli, struct cli_config *conf,
    bool log_level_given, struct cx_error *err)
{
	cx_autofree char *path = cx_config_path("conmux.conf");
	cx_autoerr struct cx_error e = CX_ERROR_INIT;

	if (path == NULL)
		return (0);
	if (cli_config_load(conf, path, &e) != 0) {
		if (e.code == ENOENT)
			return (0); /* no file: the built-in defaults */
		cx_error_move(err, &e);
		return (-1);
	}
	/* The command line first, then the environment, then the file. */
	if (cli->cfg.runtime == NULL && !cli_config_env_set("CONMUX_RUNTIME"))
		cli->cfg.runtime = conf->runtime;
	if (cli->cfg.conmon == NULL)
		cli->cfg.conmon = conf->conmon;
	if (cli->cfg.criu == NULL && !cli_config_env_set("CONMUX_CRIU"))
		cli->cfg.criu = conf->criu;
	if (cli->keys_path == NULL)
		cli->keys_path = conf->keys;
	if (!log_level_given && conf->log_level != NULL) {
		enum cx_log_level lvl;

		if (cx_log_level_parse(conf->log_level, &lvl) == 0)
			cx_log_set_level(lvl);
	}
	cli->detach_keys = conf->detach_keys;
	if (conf->confirm == 0)
		cli->no_confirm = true;
	if (conf->read_only == 1)
		cli->read_only = true;
	if (conf->colour == 0)
		cli->no_colour = true;
	return (0);
}
