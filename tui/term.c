/*
 * tui/term.c: the terminal. Curses on stdin/stdout, signals through the
 * loop (resize, hangup, suspend), and on a crash the terminal put back with
 * async-signal-safe calls before the signal goes on to whoever had it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "internal.h"

static const int tui_fatal_sigs[] = {
    SIGSEGV,
    SIGABRT,
    SIGBUS,
    SIGFPE,
    SIGILL,
    SIGQUIT,
};

static struct termios tui_saved_tio;
static char tui_reset[256]; /* rmcup, cnorm, sgr0, rmkx: computed at start */
static size_t tui_reset_len;
static struct sigaction tui_prev[NSIG]; /* the handlers we replaced */

/*
 * Put the terminal back, then hand the signal to whoever had it before us
 * (the default action, or a sanitizer). Async-signal-safe calls only.
 */
static void
tui_fatal_signal(int sig)
{
	tcsetattr(STDIN_FILENO, TCSANOW, &tui_saved_tio);
	if (write(STDOUT_FILENO, tui_reset, tui_reset_len) == -1) {
		/* nothing better to do */
	}
	sigaction(sig, &tui_prev[sig], NULL);
	raise(sig);
}

static void
tui_reset_add(const char *cap)
{
	const char *s = tigetstr(cap);
	size_t n;

	if (s == NULL || s == (const char *)-1)
		return;
	n = strlen(s);
	if (tui_reset_len + n > sizeof tui_reset)
		return;
	memcpy(tui_reset + tui_reset_len, s, n);
	tui_reset_len += n;
}

void
tui_handle_closed(uv_handle_t *h)
{
	struct tui *t = h->data;

	t->nopen--;
}

static void
tui_winch_cb(uv_signal_t *s, int signum)
{
	struct tui *t = s->data;
	struct winsize ws;

	(void)signum;
	if (t->attach != NULL) {
		/* the attach view resizes the container; we redraw on return */
		t->redraw_all = true;
		return;
	}
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == -1 || ws.ws_row == 0 ||
	    ws.ws_col == 0)
		return;
	resizeterm(ws.ws_row, ws.ws_col);
	t->redraw_all = true;
	t->dirty = true; /* layout and drawing happen in tui_redraw_cb */
}

/* SSH dropped, kill, ^C: leave; the containers keep running. */
static void
tui_quit_cb(uv_signal_t *s, int signum)
{
	struct tui *t = s->data;

	log_info("signal %d: leaving the console", signum);
	tui_attach_abort(t);
	tui_quit(t, 0);
}

static void
tui_tstp_cb(uv_signal_t *s, int signum)
{
	struct tui *t = s->data;

	(void)signum;
	endwin();
	/* Stop for real, as tmux's client does: default action, raised. */
	uv_signal_stop(&t->sig_tstp);
	raise(SIGTSTP);
	/* Here once continued. */
	uv_signal_start(&t->sig_tstp, tui_tstp_cb, SIGTSTP);
	t->redraw_all = true;
	t->dirty = true;
}

static void
tui_cont_cb(uv_signal_t *s, int signum)
{
	struct tui *t = s->data;

	(void)signum;
	t->redraw_all = true;
	t->dirty = true;
}

/* SIGUSR1 with CONMUX_COUNTERS set: the counters, written atomically. */
static void
tui_usr1_cb(uv_signal_t *s, int signum)
{
	struct tui *t = s->data;
	const struct tui_counters *c = &t->cnt;
	char buf[512];
	int n;

	(void)signum;
	t->cnt.dumps++;
	n = snprintf(buf, sizeof buf,
	    "turns %llu\nframes %llu\npane_frames %llu\nticks %llu\n"
	    "msg_expiries %llu\npane_timer_arms %llu\ndumps %llu\n",
	    (unsigned long long)c->turns, (unsigned long long)c->frames,
	    (unsigned long long)c->pane_frames, (unsigned long long)c->ticks,
	    (unsigned long long)c->msg_expiries,
	    (unsigned long long)c->pane_timer_arms,
	    (unsigned long long)c->dumps);
	if (cx_write_file_replace(t->cnt_path, buf, (size_t)n, 0600, NULL) != 0)
		log_warn("counters: cannot write %s", t->cnt_path);
}

static void
tui_signal_start(struct tui *t, uv_signal_t *h, uv_signal_cb cb, int sig)
{
	uv_signal_init(t->loop, h);
	h->data = t;
	t->nopen++;
	uv_signal_start(h, cb, sig);
}

/* Stray writes to stderr would tear the screen: send them to a file. */
static void
tui_stderr_redirect(struct tui *t)
{
	cx_autofree char *path = NULL;
	int fd;

	t->saved_stderr = -1;
	if (t->rt == NULL)
		return;
	path = cx_asprintf("%s/console.log", rt_run_dir(t->rt));
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	t->saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	dup2(fd, STDERR_FILENO); /* cx_log writes to fd 2 too */
	close(fd);
}

static void
tui_stderr_restore(struct tui *t)
{
	if (t->saved_stderr < 0)
		return;
	dup2(t->saved_stderr, STDERR_FILENO);
	close(t->saved_stderr);
	t->saved_stderr = -1;
}

void
tui_term_suspend(struct tui *t)
{
	if (!t->started)
		return;
	uv_poll_stop(&t->input_poll);
	def_prog_mode();
	endwin();
	/* the container's stderr is the user's to see now */
	tui_stderr_restore(t);
}

/*
 * Raw at once after curses stepped aside for a session: endwin() leaves
 * the shell's cooked mode, and keys typed before the session sets its own
 * raw mode would be echoed by the kernel and held in the line buffer,
 * read by the list after detach instead of by the container.
 */
void
tui_term_raw(struct tui *t)
{
	struct termios tio;

	if (!t->started || tcgetattr(STDIN_FILENO, &tio) != 0)
		return;
	cfmakeraw(&tio);
	(void)tcsetattr(STDIN_FILENO, TCSANOW, &tio);
}

void
tui_term_resume(struct tui *t)
{
	if (!t->started)
		return;
	tui_stderr_redirect(t);
	reset_prog_mode();
	clearok(curscr, TRUE);
	uv_poll_start(&t->input_poll, UV_READABLE | UV_DISCONNECT,
	    tui_input_cb);
}

static void
tui_timer_init(struct tui *t, uv_timer_t *h)
{
	uv_timer_init(t->loop, h);
	h->data = t;
	t->nopen++;
}

int
tui_term_start(struct tui *t, struct cx_error *err)
{
	const char *term = getenv("TERM");
	const char *nc = getenv("NO_COLOR");
	struct sigaction sa;
	int fl;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return (cx_error_set(err, ENOTTY,
		    "the console needs a terminal on stdin and stdout"));
	if (term == NULL || *term == '\0')
		return (cx_error_set(err, EINVAL, "TERM is not set"));
	if (tcgetattr(STDIN_FILENO, &tui_saved_tio) != 0)
		return (
		    cx_error_set(err, errno, "terminal: %s", strerror(errno)));

	/*
	 * Our handlers first: curses installs its own for WINCH, TSTP, INT
	 * and TERM only where none exists yet, so this way they stay ours.
	 */
	tui_signal_start(t, &t->sig_winch, tui_winch_cb, SIGWINCH);
	tui_signal_start(t, &t->sig_hup, tui_quit_cb, SIGHUP);
	tui_signal_start(t, &t->sig_term, tui_quit_cb, SIGTERM);
	tui_signal_start(t, &t->sig_int, tui_quit_cb, SIGINT);
	tui_signal_start(t, &t->sig_tstp, tui_tstp_cb, SIGTSTP);
	tui_signal_start(t, &t->sig_cont, tui_cont_cb, SIGCONT);
	t->cnt_path = getenv("CONMUX_COUNTERS");
	if (t->cnt_path != NULL && t->cnt_path[0] != '\0')
		tui_signal_start(t, &t->sig_usr1, tui_usr1_cb, SIGUSR1);

	tui_stderr_redirect(t);
	t->scr = newterm(term, stdout, stdin);
	if (t->scr == NULL) {
		tui_stderr_restore(t);
		cx_error_set(err, EINVAL, "cannot use the terminal '%s'", term);
		tui_term_stop(t); /* closes the signal handles */
		return (-1);
	}
	set_term(t->scr);
	t->started = true;
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	notimeout(stdscr, FALSE);
	leaveok(stdscr, TRUE);
	curs_set(0);
	/*
	 * No peeking at stdin between lines of an update: the loop reads
	 * keys, and a frame half drawn helps nobody (one poll(2) saved every
	 * few lines too).
	 */
	typeahead(-1);
	/*
	 * Until the first endwin, ncurses 6.4 flushes its output after every
	 * cursor move (lib_mvcur.c: "_endwin == ewInitial"), so a frame left
	 * in dozens of write(2)s. Suspended once now, the first doupdate
	 * resumes it: a frame is then one write (or a few, when large).
	 */
	def_prog_mode();
	endwin();
	t->color = (nc == NULL || *nc == '\0') && !t->no_colour;
	wg_theme_default(&t->theme, t->color);

	tui_reset_len = 0;
	tui_reset_add("rmcup");
	tui_reset_add("cnorm");
	tui_reset_add("sgr0");
	tui_reset_add("rmkx");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler =
	    tui_fatal_signal; /* after newterm: reset string known */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < CX_ARRAY_LEN(tui_fatal_sigs); i++)
		sigaction(tui_fatal_sigs[i], &sa, &tui_prev[tui_fatal_sigs[i]]);

	uv_poll_init(t->loop, &t->input_poll, STDIN_FILENO);
	t->input_poll.data = t;
	t->nopen++;
	/*
	 * uv_poll_init made the tty non-blocking, and stdout shares it:
	 * curses' writes must not fail with EAGAIN. Polling needs no more.
	 */
	if ((fl = fcntl(STDIN_FILENO, F_GETFL)) != -1)
		fcntl(STDIN_FILENO, F_SETFL, fl & ~O_NONBLOCK);
	uv_poll_start(
	    &t->input_poll, UV_READABLE | UV_DISCONNECT, tui_input_cb);

	uv_prepare_init(t->loop, &t->redraw);
	t->redraw.data = t;
	t->nopen++;
	uv_prepare_start(&t->redraw, tui_redraw_cb);
	tui_timer_init(t, &t->tick);
	tui_timer_init(t, &t->msg_timer);
	tui_timer_init(t, &t->info_timer);
	tui_timer_init(t, &t->pane_timer);
	t->dirty = true;
	return (0);
}

static void
tui_close(uv_handle_t *h)
{
	if (h->loop != NULL && !uv_is_closing(h))
		uv_close(h, tui_handle_closed);
}

void
tui_term_stop(struct tui *t)
{
	if (t->started) {
		endwin();
		for (size_t i = 0; i < CX_ARRAY_LEN(tui_fatal_sigs); i++)
			sigaction(tui_fatal_sigs[i],
			    &tui_prev[tui_fatal_sigs[i]], NULL);
		delscreen(t->scr);
		t->scr = NULL;
		t->started = false;
		tui_stderr_restore(t);
	}
	/* Handles that were never initialised have no loop. */
	tui_close((uv_handle_t *)&t->sig_winch);
	tui_close((uv_handle_t *)&t->sig_hup);
	tui_close((uv_handle_t *)&t->sig_term);
	tui_close((uv_handle_t *)&t->sig_int);
	tui_close((uv_handle_t *)&t->sig_tstp);
	tui_close((uv_handle_t *)&t->sig_cont);
	tui_close((uv_handle_t *)&t->sig_usr1);
	tui_close((uv_handle_t *)&t->input_poll);
	tui_close((uv_handle_t *)&t->redraw);
	tui_close((uv_handle_t *)&t->tick);
	tui_close((uv_handle_t *)&t->msg_timer);
	tui_close((uv_handle_t *)&t->info_timer);
	tui_close((uv_handle_t *)&t->pane_timer);
}
