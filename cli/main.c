/* cli/main.c: the conmux binary. */
#include <errno.h>
#include <fcntl.h>

#include "cli.h"

/*
 * A closed stdin, stdout or stderr (a CI job, a cron line with <&-) would be
 * taken by the next descriptor we open: a socket answered as if it were the
 * terminal, or closed by libuv as stdio (it asserts). /dev/null holds them.
 */
static void
std_fds_hold(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) < 0)
			break; /* nothing to hold them with: carry on */
	}
}

int
main(int argc, char **argv)
{
	std_fds_hold();
	return (cli_main(argc, argv));
}
