/* cli/session.h: an interactive session on an attach socket (attach, run, exec). */
#ifndef CLI_SESSION_H
#define CLI_SESSION_H

#include <termios.h>

#include "cli.h"
#include "keymaps.h"

struct cli_session;
struct cli_outbuf {
	struct cli_session *s;
	int fd;
	char *buf;
	size_t len;
	size_t dropped;
	uv_poll_t poll;
	bool can_poll, polling;
	int saved_flags;
};

struct cli_session {
	struct cli *cli;
	char id[RT_ID_LEN + 1];
	char name[RT_NAME_MAX + 1];
	const char *bundle;
	char *bundle_own;
	bool tty;          /* the session has a pty: raw mode, resizes */
	bool want_stdin;   /* forward our stdin */
	bool detach_only;  /* read keys only to detach (watching, read-only) */
	bool sig_proxy;
	struct rt_attach *a;
	struct km_detach det;
	char *detach_desc;
	uv_poll_t in;
	bool in_started;
	uv_signal_t winch, hup, term, intr;
	bool sigs_started;
	struct cli_outbuf out[2];
	bool out_ready;
	struct termios saved;
	bool raw;
	/* outcome */
	bool done, detached, eof;
	int code;
	struct cx_error err;
	/* exec sessions: the exit arrives through the session, not a wait */
	bool exec;
	void (*on_eof)(struct cli_session *);
	/*
	 * Set by a caller already inside the loop (the console): called when
	 * the session ends, instead of stopping a nested run.
	 */
	void (*on_done)(struct cli_session *);
	void *data;
	int nclosing;
	void (*closed)(struct cli_session *); /* after cli_session_close */
};

void cli_session_init(struct cli_session *, struct cli *,
    const struct rt_container *, const char *detach_spec);
/* Connect to bundle's attach socket and size the pty. */
int cli_session_connect(struct cli_session *, const char *bundle,
    struct cx_error *);
/* Raw mode, stdin, SIGWINCH; then run the loop until the session ends. */
void cli_session_run(struct cli_session *);
/* The same without running the loop: on_done reports the end. */
void cli_session_start(struct cli_session *);
/* Restore the terminal and release everything (runs the loop until done). */
void cli_session_fini(struct cli_session *);
/* The same from inside the loop: s->closed runs once handles are closed. */
void cli_session_close(struct cli_session *);
void cli_session_finish(struct cli_session *, int code);
int cli_session_winsize(unsigned *rows, unsigned *cols);
/* Restore the terminal, say how it ended (detached, exited), release. */
void cli_session_fini_report(struct cli_session *);
/* Set by cmd-attach.c: prints how a session ended. */
void cli_session_report_fn(struct cli_session *);

#endif
