/*
 * cli/session.h: the command line's policy around a terminal session
 * (session/ts.h): which signals are proxied, how the end is reported, the
 * exit code, running the loop until it is over.
 */
#ifndef CLI_SESSION_H
#define CLI_SESSION_H

#include "cli.h"
#include "ts.h"

struct cli_session_opts {
	const char *detach;  /* detach keys spec; NULL: ctrl-p,ctrl-q */
	bool want_stdin;     /* forward our stdin */
	bool detach_only;    /* read keys only to detach (--no-stdin) */
	bool sig_proxy;      /* forward signals to the container (Podman) */
	bool quiet_attach;   /* no "attached to" line */
	const char *record;  /* asciicast v2 of the output, or NULL */
};

struct cli_session {
	struct cli *cli;
	struct cli_session_opts o;
	unsigned char keys[KM_DETACH_MAX];
	size_t nkeys;
	struct ts *ts;
	struct ts_stdio *io;
	struct ts_rec *rec;
	uv_signal_t sigs[8];
	int nsigs;
	bool ended, counted;
	bool term_in;        /* stdin was a terminal at the start (a hangup ends that) */
	int sig_code;        /* 128 + N when a signal ended the session */
	char *err;           /* set when the session could not start */
	int nclosing;
};

/* Parse the detach keys; -1 with err set (the caller reports). */
int cli_session_init(struct cli_session *, struct cli *,
    const struct cli_session_opts *, struct cx_error *);
/* Attach to c now (also from inside the loop: run's before_start). */
int cli_session_attach(struct cli_session *, const struct rt_container *c,
    struct cx_error *);
/* Exec in c; connects when conmon runs the process. */
int cli_session_exec(struct cli_session *, const struct rt_container *c,
    const struct rt_exec_opts *, struct cx_error *);
/* Raw mode, stdin, signals; run the loop until the end; report; release.
 * Returns the exit code (Podman's: the process's, 0 detached, 125 ours). */
int cli_session_run(struct cli_session *);
/* Release without running (a failure before the session ran). */
void cli_session_fini(struct cli_session *);

#endif
