/*
 * tui/screen-help.c: the help overlay, made from the live bindings (a user
 * keymap file included) and their notes, as tmux's list-keys is.
 */
#include <string.h>

#include "internal.h"

static const struct {
	const char *mode;
	const char *section;
} tui_help_sections[] = {
    {"list", "Container list"},
    {"logs", "Logs"},
    {"details", "Details"},
    {"attach", "Attach"},
};

static const char *const tui_help_commands[][2] = {
    {":stop -t N NAME", "Stop (NAME...: default tagged or selected)"},
    {":start NAME", "Start"},
    {":restart -t N NAME", "Restart"},
    {":kill -s SIG NAME", "Send a signal (default SIGKILL)"},
    {":pause / :resume", "Pause or resume"},
    {":rm -f NAME", "Remove (-f: kill it first)"},
    {":logs / :inspect", "Open the logs or the details"},
    {":filter TEXT", "Filter the list (no TEXT: clear)"},
    {":sort [-r] COLUMN", "Sort by name, id, state, status, ..."},
    {":q", "Quit, containers keep running"},
};

/* One section: the bindings of mode, keys of one action joined by '/'. */
static void
tui_help_mode(struct tui *t, const char *mode, const char *section)
{
	char keys[128] = "", text[256] = "";
	const char *m, *k, *a, *note, *last = NULL;
	size_t n = km_table_count(t->keys);

	for (size_t i = 0; i <= n; i++) {
		if (i < n && km_table_get(t->keys, i, &m, &k, &a, &note) != 0)
			continue;
		if (i < n && strcmp(m, mode) != 0)
			continue;
		if (i < n && last != NULL && strcmp(a, last) == 0) {
			size_t len = strlen(keys);

			snprintf(keys + len, sizeof keys - len, "/%s", k);
			continue;
		}
		if (last != NULL)
			wg_help_add(&t->help, section, keys, text);
		if (i == n)
			break;
		last = a;
		snprintf(keys, sizeof keys, "%s", k);
		snprintf(text, sizeof text, "%s%s", note != NULL ? note : a,
		    t->read_only && tui_action_mutates(a) ? " (read-only)"
		                                          : "");
	}
}

void
tui_help_build(struct tui *t)
{
	const char *first = t->screen == TUI_SCREEN_LOGS ? "logs"
	    : t->screen == TUI_SCREEN_DETAILS            ? "details"
	                                                 : "list";

	wg_help_clear(&t->help);
	/* The keys of the screen shown come first. */
	for (size_t i = 0; i < CX_ARRAY_LEN(tui_help_sections); i++) {
		if (strcmp(tui_help_sections[i].mode, first) == 0)
			tui_help_mode(t, first, tui_help_sections[i].section);
	}
	for (size_t i = 0; i < CX_ARRAY_LEN(tui_help_sections); i++) {
		if (strcmp(tui_help_sections[i].mode, first) != 0)
			tui_help_mode(t, tui_help_sections[i].mode,
			    tui_help_sections[i].section);
	}
	wg_help_add(&t->help, "Filter (/)", "typing",
	    "Filters by name, ID, state and command as you type");
	wg_help_add(&t->help, "Filter (/)", "Enter", "Keep the filter");
	wg_help_add(&t->help, "Filter (/)", "Escape", "Clear the filter");
	for (size_t i = 0; i < CX_ARRAY_LEN(tui_help_commands); i++)
		wg_help_add(&t->help, "Command line (:)",
		    tui_help_commands[i][0], tui_help_commands[i][1]);
}
