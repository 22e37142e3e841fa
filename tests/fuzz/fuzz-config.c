/* Fuzz target: conmux.conf (cli/config.c), parsed twice on one struct. */
#include <stdint.h>
#include <stdlib.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cx_error err = CX_ERROR_INIT;
	struct cli_config c = CLI_CONFIG_INIT;

	/* Twice: the second run replaces what the first one set. */
	(void)cli_config_parse(&c, "fuzz", (const char *)data, size, &err);
	cx_error_clear(&err);
	(void)cli_config_parse(&c, "fuzz", (const char *)data, size, &err);
	cx_error_clear(&err);
	cli_config_fini(&c);
	return (0);
}
