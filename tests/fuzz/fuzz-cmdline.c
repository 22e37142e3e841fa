/* Fuzz target: the console's ':' command line (tui_cmd_parse). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../tui/internal.h" /* the tui one, not runtime's */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cx_error err = CX_ERROR_INIT;
	struct tui_cmd cmd;
	char *line = strndup((const char *)data, size);

	memset(&cmd, 0, sizeof cmd);
	if (tui_cmd_parse(line, &cmd, &err) == 0) {
		(void)tui_cmd_empty(&cmd);
		tui_cmd_fini(&cmd);
	} else if (err.msg == NULL) {
		abort(); /* a failure always says why */
	}
	cx_error_clear(&err);
	free(line);
	return (0);
}
