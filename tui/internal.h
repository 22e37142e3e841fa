/* tui/internal.h: what the files of the console share (not a public header). */
#ifndef TUI_INTERNAL_H
#define TUI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <curses.h>
#include <uv.h>

#include "cx.h"
#include "keymaps.h"
#include "parse.h"
#include "runtime.h"
#include "tui.h"
#include "widgets.h"

/* ---- model.c: a copy of the containers, filtered, sorted and tagged ---- */

enum tui_col {
	TUI_COL_NAME,
	TUI_COL_ID,
	TUI_COL_STATE,
	TUI_COL_STATUS,
	TUI_COL_PID,
	TUI_COL_COMMAND,
	TUI_COL_CREATED,
	TUI_COL_ENGINE, /* conmux, podman, cri-o (issue 10) */
	TUI_COL_BASE, /* the columns above are always there; these with stats */
	TUI_COL_CPU = TUI_COL_BASE,
	TUI_COL_MEM,
	TUI_COL_PIDS,
	TUI_COL_IO,
	TUI_COL_COUNT,
};

#define TUI_HIST 60 /* seconds of CPU and memory the details view shows */

/* A container's resource use, kept across its row's updates. */
struct tui_usage {
	struct rt_stats last;  /* the last reading (for the next CPU %) */
	double cpu;            /* percent of one CPU; < 0 unknown */
	int64_t mem, mem_limit, pids;
	uint64_t blk_read, blk_write;
	float hist_cpu[TUI_HIST];
	int64_t hist_mem[TUI_HIST];
	int hist_n, hist_pos;  /* how many, and where the next goes */
};

/* What the console shows of one container, copied out of an event. */
struct tui_row {
	char id[RT_ID_LEN + 1];
	char *name;    /* sanitized */
	char *command; /* arguments joined with spaces, sanitized */
	enum rt_state state;
	bool broken, oom_killed, checkpointed, has_exit_code;
	enum rt_engine engine;
	bool foreign;  /* another engine's, or another conmux root's */
	int exit_code;
	pid_t pid;
	int64_t created_at, started_at, finished_at, state_since;
	bool tagged;
	struct tui_usage use;
};

struct tui_model {
	struct tui_row *rows; /* in arrival order */
	size_t n, cap;
	size_t *view; /* indices into rows: filtered, then sorted */
	size_t nview;
	bool stale;   /* view must be rebuilt before use */
	char *filter; /* NULL: no filter */
	enum tui_col sort;
	bool reverse;
	int64_t now;    /* "now" for relative times in cells */
	char cell[512]; /* the last cell formatted */
};

void tui_model_init(struct tui_model *m);
void tui_model_fini(struct tui_model *m);
/* Insert or update the row of c (everything is copied). */
void tui_model_update(struct tui_model *m, const struct rt_container *c);
/* Drop the row with this id, if any. */
void tui_model_remove(struct tui_model *m, const char *id);
/* Any row (filtered out or not) by full id; NULL if none. */
struct tui_row *tui_model_find(struct tui_model *m, const char *id);
/*
 * By name, full id or unique id prefix, among all rows, as rt_lookup does.
 * NULL with err set ("no such container 'x'", "ambiguous ...") otherwise.
 */
struct tui_row *tui_model_lookup(
    struct tui_model *m, const char *ref, struct cx_error *err);
/* Substring filter (case-insensitive); NULL or "" clears it. */
void tui_model_set_filter(struct tui_model *m, const char *text);
const char *tui_model_filter(const struct tui_model *m);
void tui_model_set_sort(struct tui_model *m, enum tui_col col, bool reverse);
/* The next sort column (wraps around), keeping the direction. */
void tui_model_sort_next(struct tui_model *m);
/* Rows shown (after the filter), and row i of them. */
size_t tui_model_count(struct tui_model *m);
struct tui_row *tui_model_row(struct tui_model *m, size_t i);
/* Index among the rows shown of the row with this id, or WG_NONE. */
size_t tui_model_index(struct tui_model *m, const char *id);
/* Tags: toggle one, count them, clear them. */
bool tui_model_tag_toggle(struct tui_model *m, const char *id);
size_t tui_model_tagged(const struct tui_model *m);
void tui_model_tag_clear(struct tui_model *m);
/* Rows in each state, indexed by enum rt_state. */
void tui_model_counts(const struct tui_model *m, size_t counts[], size_t n);
/* The text of one cell, in m->cell (valid until the next call). */
const char *tui_model_cell(struct tui_model *m, size_t row, enum tui_col col);

/* Record a reading of row id's cgroup (the CPU % from the last one). */
void tui_usage_add(struct tui_usage *u, const struct rt_stats *st);

/* Pure helpers, exposed for the unit tests. */
bool tui_row_matches(const struct tui_row *r, const char *filter);
int tui_row_compare(
    const struct tui_row *a, const struct tui_row *b, enum tui_col col);
void tui_row_status(
    const struct tui_row *r, int64_t now, char *buf, size_t size);
/* "12s ago", "3m ago", ...; "" for 0. */
void tui_fmt_ago(int64_t then, int64_t now, char *buf, size_t size);
const char *tui_col_name(enum tui_col col);
/* Column by (case-insensitive) name; -1 if none. */
int tui_col_parse(const char *name, enum tui_col *col);

/* ---- ops.c: container operations, run asynchronously ---- */

enum tui_verb {
	TUI_VERB_START,
	TUI_VERB_STOP,
	TUI_VERB_RESTART,
	TUI_VERB_KILL,
	TUI_VERB_PAUSE,
	TUI_VERB_RESUME,
	TUI_VERB_REMOVE,
	TUI_VERB_CHECKPOINT,
	TUI_VERB_RESTORE,
};

struct tui_opgroup;

/* One operation on one container. */
struct tui_op_req {
	enum tui_verb verb;
	struct tui_opgroup *group; /* the batch it belongs to (one message) */
	char id[RT_ID_LEN + 1];
	char name[RT_NAME_MAX + 1];
	int sig;     /* kill */
	int timeout; /* stop, restart: < 0 for the container's own */
	bool force;  /* remove */
	struct rt_checkpoint_opts cr; /* checkpoint */
};

/* The same operation on several containers (tagged, or the selection). */
struct tui_batch {
	enum tui_verb verb;
	int sig;
	int timeout;
	bool force;
	struct rt_checkpoint_opts cr;
	size_t n;
	struct tui_target {
		char id[RT_ID_LEN + 1];
		char name[RT_NAME_MAX + 1];
	} * v;
};

struct tui;

#define TUI_PANES_MAX 8
enum tui_layout { TUI_LAYOUT_AUTO, TUI_LAYOUT_SIDE, TUI_LAYOUT_STACKED };
struct tui_pane;

/* "stop", "kill", ... */
const char *tui_verb_name(enum tui_verb verb);
void tui_batch_init(struct tui_batch *b, enum tui_verb verb);
void tui_batch_fini(struct tui_batch *b);
void tui_batch_add(struct tui_batch *b, const char *id, const char *name);
/* "web-1" or "3 containers (web-1, web-2, web-3)", for messages. Heap. */
char *tui_batch_describe(const struct tui_batch *b);
/*
 * Start b's operation on each container through t->op_run. The outcome of
 * each arrives later on the message line; failures to start are shown now.
 */
void tui_batch_run(struct tui *t, const struct tui_batch *b);
/* The real t->op_run: the rt_ call for req->verb. */
int tui_op_run_rt(
    struct tui *t, const struct tui_op_req *req, struct cx_error *err);
/* Whether an operation of ours on this container is in flight. */
bool tui_op_pending(const struct tui *t, const char *id);
/* Forget the operations in flight: their callbacks will only free them. */
void tui_ops_detach(struct tui *t);

/* ---- cmdline.c: the ':' command line ---- */

struct tui_cmd {
	const char *action; /* an action name, or NULL */
	bool has_verb;      /* or a container operation */
	enum tui_verb verb;
	int sig;
	int timeout;
	bool force;
	char **refs; /* NULL-terminated names or ids; NULL: the selection */
	char *arg;   /* filter text, sort column */
};

/*
 * Parse one command line ("stop -t 1 web-1", "kill -s HUP web", "rm -f x",
 * "q"). On success *cmd is filled (tui_cmd_fini frees it; an empty line
 * gives a command for which tui_cmd_empty is true). On failure *cmd holds
 * nothing to free and err says why ("unknown command 'x'").
 */
int tui_cmd_parse(const char *line, struct tui_cmd *cmd, struct cx_error *err);
void tui_cmd_fini(struct tui_cmd *cmd);
/* Whether the line held no command at all. */
bool tui_cmd_empty(const struct tui_cmd *cmd);
/* Whether every command names an existing action (a unit test). */
bool tui_cmd_table_valid(void);
/* Run a parsed command (the selection is the default target). */
int tui_cmd_run(struct tui *t, const struct tui_cmd *cmd, struct cx_error *err);

/* ---- input.c: curses codes to key names ---- */

/*
 * The canonical key name (as keymaps spells it) of what wget_wch returned:
 * is_code for KEY_CODE_YES, else a character. -1 for what is not a key
 * (KEY_RESIZE, KEY_MOUSE, C1 controls, unknown codes).
 */
int tui_key_name(bool is_code, unsigned int ch, char *buf, size_t size);
/* "M-" + name when that is a key name, else -1 (for ESC then a key). */
int tui_key_meta(const char *name, char *buf, size_t size);
void tui_input_cb(uv_poll_t *p, int status, int events);

/* ---- key.c: one key name to its effect ---- */

/* Route one key: dialog, help, prompt, or the keymap then an action. */
void tui_key(struct tui *t, const char *name);

/* ---- action.c: the action table ---- */

struct tui_action {
	const char *name;
	int (*fn)(struct tui *, struct cx_error *);
};

const struct tui_action *tui_action_find(const char *name);
/* Action i of the table (sorted by name), NULL past the end. */
const struct tui_action *tui_action_at(size_t i);
/* Whether the action changes containers (refused when read-only). */
bool tui_action_mutates(const char *name);
/* Every name, NULL-terminated (static), for km_table_set_actions. */
const char *const *tui_action_names(void);
/* Run an action by name; an error is shown on the message line. */
void tui_action_run(struct tui *t, const char *name);
/*
 * Start verb on the targets (tagged rows, the selection, or the container
 * of the screen shown), asking first unless no_confirm or !confirm.
 */
int tui_act_containers(
    struct tui *t, enum tui_verb verb, bool confirm, struct cx_error *err);
/* Ask "Stop web-1?" about b (taken over); y runs it (tui_key). */
void tui_dialog_confirm(struct tui *t, struct tui_batch *b);
/*
 * The containers an action applies to: the tagged ones, else the selection
 * on the list, else the container of the screen shown. -1 if none.
 */
int tui_targets(struct tui *t, struct tui_batch *b, struct cx_error *err);
/* Refuse what changes containers in read-only mode. */
int tui_read_only_check(struct tui *t, const char *what, struct cx_error *err);

/* ---- screens ---- */

enum tui_screen { TUI_SCREEN_LIST, TUI_SCREEN_DETAILS, TUI_SCREEN_LOGS };

enum tui_prompt {
	TUI_PROMPT_NONE,
	TUI_PROMPT_FILTER,
	TUI_PROMPT_COMMAND,
	TUI_PROMPT_SEARCH,
};

enum tui_dialog_kind {
	TUI_DIALOG_NONE,
	TUI_DIALOG_CONFIRM,
	TUI_DIALOG_KILL,
	TUI_DIALOG_CHECKPOINT,
};

/* The logs view: the last lines of ctr.log, then following it. */
struct tui_logs {
	struct tui *t;
	uv_fs_event_t watch; /* the bundle dir: conmon renames over ctr.log */
	bool watching;
	char id[RT_ID_LEN + 1];
	char *name;
	char *path; /* ctr.log */
	char *dir;  /* its directory */
	int fd;
	ino_t ino;
	int64_t off; /* where complete lines end */
	struct rt_logjoin join;
	struct wg_textview tv;
};

/* The details view: the inspect fields as text. */
struct tui_details {
	struct wg_textview tv;
	char id[RT_ID_LEN + 1];
	bool stale; /* rebuild from the runtime before drawing */
	bool gone;
};

/*
 * What the loop did, for the benchmarks and the idle test: with
 * CONMUX_COUNTERS=FILE in the environment, SIGUSR1 writes these to FILE
 * (one "name value" a line). A turn is one pass of the loop, so one wakeup.
 */
struct tui_counters {
	uint64_t turns;           /* prepare callbacks: loop wakeups */
	uint64_t frames;          /* doupdate calls */
	uint64_t pane_frames;     /* frames that drew only panes' output */
	uint64_t ticks;           /* the list's clock timer fired */
	uint64_t msg_expiries;    /* the message line's timer fired */
	uint64_t pane_timer_arms; /* a streaming pane's next frame was timed */
	uint64_t dumps;           /* SIGUSR1 received */
};

/* The console. Embedded handles are closed with tui_handle_closed. */
struct tui {
	uv_loop_t *loop; /* NULL in unit tests */
	struct rt *rt;   /* borrowed from the CLI; NULL in unit tests */
	struct km_table *keys;
	struct km_state kst;
	bool read_only, no_confirm, color;
	bool no_colour;          /* conmux.conf said so (tui_opts) */
	const char *detach_keys; /* tui_opts's, borrowed; NULL: the default */
	const char *engine;      /* tui_opts's: only this engine's; NULL all */
	bool engine_exec;        /* an engine's exec has the terminal */
	bool quit;
	int rc;

	enum tui_screen screen;
	struct tui_model model;
	struct wg_table table;
	char sel_id[RT_ID_LEN + 1]; /* the selection follows its container */
	struct tui_details details;
	struct tui_logs *logs; /* heap: frees itself after its handle closes */

	/* Overlays, topmost first: dialog, help, prompt. */
	enum tui_dialog_kind dialog_kind;
	struct wg_dialog dialog;
	struct tui_batch pending; /* what the dialog asks about */
	bool help_open;
	struct wg_help help;
	enum tui_prompt prompt;
	struct wg_input input;

	struct wg_theme theme;
	struct wg_msgline msg;
	bool msg_new; /* (re)start the expiry timer */
	bool keybar_hidden;
	struct wg_keybar keybar;

	char host[64];
	char *runtime_version, *conmon_version; /* NULL until loaded */
	bool info_loaded;

	/* Drawing: at most once per loop turn, from the prepare callback. */
	bool dirty, redraw_all, drawn;
	bool ages_dirty;           /* only the clock moved: the list's ages */
	int list_y, list_h, list_w; /* where the list was last drawn */

	/* The terminal and the loop (term.c, draw.c). */
	bool started;
	SCREEN *scr;
	int saved_stderr;
	uv_signal_t sig_winch, sig_hup, sig_term, sig_int, sig_tstp, sig_cont;
	uv_poll_t input_poll;
	int empty_reads; /* readable but no key: EOF after a few */
	uv_prepare_t redraw;
	uv_timer_t tick, msg_timer, info_timer;
	bool ticking;
	int nopen; /* close callbacks still to come */
	struct tui_counters cnt;
	const char *cnt_path; /* CONMUX_COUNTERS, or NULL: no SIGUSR1 */
	uv_signal_t sig_usr1;

	/* Operations: real ones by default, a fake in unit tests. */
	int (*op_run)(
	    struct tui *, const struct tui_op_req *, struct cx_error *);
	struct tui_op *ops; /* in flight */
	struct tui_attach *attach; /* the attach/exec view, while it runs */

	/* Panes (pane.c): live sessions beside the list. */
	struct tui_pane *panes[TUI_PANES_MAX];
	int npanes;
	int focus;           /* the pane with the keys; -1: the list */
	bool zoom;           /* the focused pane has the whole body */
	bool pane_prefix;    /* the prefix was typed: a console key follows */
	enum tui_layout layout;
	int list_share;      /* percent of the body the list keeps */
	int body_y, body_h;  /* where the body was last drawn */
	uv_timer_t pane_timer; /* the next frame of a streaming pane */
	bool pane_dirty;     /* panes' output is due: only they need drawing */
	bool key_forwarded;  /* the last key went to a container, unseen */
	bool stats_on;       /* the resource columns are shown */
	char *pane_search;   /* the last search in a pane's history */
	bool search_older;
	enum rt_cr_status cr_status; /* CRIU support, once known */
};

/* action.c: CRIU detection's verdict, when we asked before it was known */
void tui_cr_known_cb(struct rt *, void *arg);
/* action.c: the checkpoint dialog's choice as options */
void tui_checkpoint_opts(size_t choice, struct rt_checkpoint_opts *);

/* screen-attach.c: a and e take over the terminal */
struct tui_attach;
int tui_attach_start(struct tui *, const char *id, struct cx_error *);
int tui_exec_start(struct tui *, const char *id, struct cx_error *);
/* Another engine's container: its engine's exec -it in the foreground. */
int tui_engine_exec(struct tui *, const char *id, struct cx_error *);
/* From the prepare callback: true while attached (nothing to draw). */
bool tui_attach_turn(struct tui *);
/* End a running attach at once (quit, hang-up). */
void tui_attach_abort(struct tui *);
/* screen-attach.c: the shell e runs (/bin/sh, else sh from PATH) */
void tui_exec_shell(const struct rt_container *c, struct rt_exec_opts *o);
/* The container of id, if an attach (or exec) can start on it now. */
const struct rt_container *tui_session_target(struct tui *, const char *id,
    bool exec, struct cx_error *);

/* pane.c: panes beside the list */
int tui_pane_attach(struct tui *, const char *id, struct cx_error *);
int tui_pane_exec(struct tui *, const char *id, struct cx_error *);
int tui_pane_close(struct tui *, struct cx_error *);
void tui_panes_fini(struct tui *);
bool tui_pane_has_focus(const struct tui *);
void tui_pane_focus_next(struct tui *);
int tui_pane_zoom(struct tui *, struct cx_error *);
int tui_pane_copy(struct tui *, struct cx_error *);
int tui_pane_send_prefix(struct tui *, struct cx_error *);
/* Start or stop recording the focused pane as asciicast into dir. */
int tui_pane_record(struct tui *, const char *dir, struct cx_error *);
/* Search the focused pane's history; -1 if not found. */
int tui_pane_search(struct tui *, const char *text, bool older);
/*
 * A key for the focused pane; false if no pane has the focus. Sets
 * key_forwarded when the key only went to the container: nothing to draw
 * until its echo comes.
 */
bool tui_pane_key(struct tui *, const char *name);
/* The rectangles: panes are placed, the list gets *lh x *lw. */
void tui_panes_layout(struct tui *, int y, int h, int w, int *lh, int *lw);
void tui_panes_draw(struct tui *);
/* Draw only panes' new output into stdscr (false: a full frame is needed). */
bool tui_panes_draw_output(struct tui *);
void tui_panes_cursor(struct tui *);
void tui_panes_cursor_off(struct tui *);
/* "COLSxROWS" of a pane open on container id; false if none. */
bool tui_pane_size_of(struct tui *, const char *id, char *buf, size_t size);

/* term.c: curses steps aside for the attach view, and comes back */
void tui_term_suspend(struct tui *);
void tui_term_raw(struct tui *);
void tui_term_resume(struct tui *);

/* main.c */
void tui_init(struct tui *t, uv_loop_t *loop, struct rt *rt);
void tui_fini(struct tui *t);
/* Load the defaults, then the user's keymap file (path NULL: the default). */
int tui_keys_load(struct tui *t, const char *path, struct cx_error *err);
void tui_event_cb(struct rt *rt, const struct rt_event *ev, void *arg);
/* Stop the loop at the end of this turn; the console then shuts down. */
void tui_quit(struct tui *t, int rc);
/* Messages on the message line (formatted text is sanitized). */
void tui_msg(struct tui *t, enum wg_msg_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void tui_msg_error(struct tui *t, const struct cx_error *err);

/* term.c */
int tui_term_start(struct tui *t, struct cx_error *err);
void tui_term_stop(struct tui *t);
void tui_handle_closed(uv_handle_t *h);

/* draw.c */
void tui_redraw_cb(uv_prepare_t *p);
void tui_draw(struct tui *t);
/* Keybar items for the screen shown and the selection. */
void tui_keybar_update(struct tui *t);

/* screen-list.c */
void tui_list_init(struct tui *t);
/* Rebuild the view and keep the selection on its container. */
void tui_list_sync(struct tui *t);
/* The selected row, or NULL. */
struct tui_row *tui_list_selected(struct tui *t);
/* After the table moved: remember which container is selected. */
void tui_list_moved(struct tui *t);
void tui_list_draw(struct tui *t, int y, int x, int h, int w);
/* The header lines (1 or 2) above the screen. */
void tui_header_draw(struct tui *t, int y, int lines, int w);
void tui_list_columns_update(struct tui *t);
void tui_list_stats(struct tui *t, bool on);
/* Read the cgroups of the running rows (only: that one, or NULL: all). */
void tui_list_sample(struct tui *t, const char *only);
/* Whether the list shows a column whose text changes with time. */
bool tui_list_ticks(struct tui *t);

/* screen-details.c */
void tui_details_init(struct tui_details *d);
void tui_details_fini(struct tui_details *d);
void tui_details_open(struct tui *t, const char *id);
/* Rebuild the text when stale (reads the runtime's current copy). */
void tui_details_refresh(struct tui *t);
void tui_details_draw(struct tui *t, int y, int h, int w);

/* screen-logs.c */
int tui_logs_open(struct tui *t, const char *id, struct cx_error *err);
/* Stop following and free the view (after its handle has closed). */
void tui_logs_close(struct tui *t);
void tui_logs_draw(struct tui *t, int y, int h, int w);

/* screen-help.c */
/* Fill the help overlay from the live bindings. */
void tui_help_build(struct tui *t);

/* The text view of the screen shown, or NULL on the list. */
struct wg_textview *tui_textview(struct tui *t);
/* The container of the screen shown (details, logs), or NULL. */
const char *tui_screen_id(const struct tui *t);

#endif
