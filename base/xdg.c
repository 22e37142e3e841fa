/* base/xdg.c: where the user's configuration files are (XDG base dirs). */
#include <stdlib.h>

#include "cx.h"

char *
cx_config_path(const char *name)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	/* The spec: a relative path in XDG_CONFIG_HOME is invalid, ignore it. */
	if (xdg != NULL && xdg[0] == '/')
		return (cx_asprintf("%s/conmux/%s", xdg, name));
	if (home != NULL && home[0] == '/')
		return (cx_asprintf("%s/.config/conmux/%s", home, name));
	return (NULL);
}
