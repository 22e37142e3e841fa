/* tui/main-hook.c: plug the console into the command line. */
#include "tui.h"

#include "cli.h"

void
tui_register(void)
{
	cli_console_fn = tui_console;
}

/* Linking this member is enough, whoever calls tui_register (or not). */
__attribute__((constructor)) static void
tui_hook_init(void)
{
	tui_register();
}
