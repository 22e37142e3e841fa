/* cli/main.c: the conmux binary. */
#include "cli.h"

int
main(int argc, char **argv)
{
	return (cli_main(argc, argv));
}
