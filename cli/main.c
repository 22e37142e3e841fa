/* cli/main.c: the conmux binary. */
#include "cli.h"
#include "tui.h"

int
main(int argc, char **argv)
{
	tui_register();
	return (cli_main(argc, argv));
}
