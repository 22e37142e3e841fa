/* tui/tui.h: the console, as the command line sees it (no curses here). */
#ifndef TUI_TUI_H
#define TUI_TUI_H

struct cli;

/*
 * Run the console on cli's loop and runtime (rt_load already done) until
 * the user quits or the terminal goes away. Returns the exit code: 0, or
 * 125 when it cannot start (a bad keymap file, no terminal), after printing
 * why on stderr without ever having started curses. Containers are never
 * signalled on the way out. Before returning, the event callback is unset
 * and every handle of the console is closed; the caller closes cli->rt.
 */
int tui_console(struct cli *cli, int argc, char **argv);

/*
 * Make `conmux` (no command) and `conmux console` open the console: sets
 * cli_console_fn. A constructor does this too, but a static archive member
 * is linked only when something refers to it, so main() calls this.
 */
void tui_register(void);

#endif
