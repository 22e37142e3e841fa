/* tui/tui.h: the console, as the command line sees it (no curses here). */
#ifndef TUI_TUI_H
#define TUI_TUI_H

#include <stdbool.h>
#include <uv.h>

struct rt;

struct tui_opts {
	const char *keys_path; /* NULL: the default keymap file, if any */
	bool read_only, no_confirm;
	bool no_colour;          /* as NO_COLOR (conmux.conf's colour = no) */
	const char *detach_keys; /* attach's detach keys; NULL: ctrl-p,ctrl-q */
	const char *engine;      /* only this engine's containers; NULL: all */
};

#define TUI_EXIT_ERROR 125 /* as Podman's own errors */

/*
 * Run the console on loop and rt (rt_load already done) until the user
 * quits or the terminal goes away. Returns the exit code: 0, or 125 when
 * it cannot start (a bad keymap file, no terminal), after printing why on
 * stderr without ever having started curses. Containers are never
 * signalled on the way out. Before returning, the event callback is unset
 * and every handle of the console is closed; the caller closes rt.
 */
int tui_console(uv_loop_t *, struct rt *, const struct tui_opts *);

#endif
