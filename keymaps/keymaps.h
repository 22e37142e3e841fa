/* keymaps/keymaps.h: key names and sequences to action names, detach keys. */
#ifndef KEYMAPS_H
#define KEYMAPS_H

#include <stdbool.h>
#include <stddef.h>

#include "cx.h"

#define KM_SEQ_MAX 4     /* keys in one sequence ("C-p C-q" is 2) */
#define KM_KEY_MAX 16    /* bytes of a canonical key name, NUL included */
#define KM_LINE_MAX 1024 /* bytes in one keymap file line, newline excluded */
#define KM_DETACH_MAX 8  /* bytes in a detach sequence */

/*
 * Key names are spelled as tmux spells them (its key-string.c): a single
 * printable character ("q", "G", "/", "é"), "C-a".."C-z", "C-Space", "C-\",
 * "C-]", "C-^", "C-_", "M-x", "F1".."F12", "Enter", "Escape", "Tab", "BTab",
 * "Space", "BSpace", "Up", "Down", "Left", "Right", "Home", "End", "PageUp",
 * "PageDown", "DC", "IC", and named keys with "C-", "M-" or "S-" in front
 * ("M-Enter", "C-Up", "S-F5").
 *
 * Write in out (outsz bytes) the canonical spelling of key name in: named
 * keys and modifiers in any case ("enter", "c-A"), aliases ("PPage", "PgUp",
 * "NPage", "PgDn", "Delete", "Insert", "^A", "S-Tab") and keys a terminal
 * cannot tell apart ("C-i" is "Tab", "C-m" is "Enter", "C-[" is "Escape",
 * "C-@" is "C-Space", "C-?" is "BSpace") become one name, modifiers come in
 * tmux's order ("C-M-x"). Returns 0, or -1 if in is not a key name or the
 * canonical name does not fit.
 */
int km_key_canonical(const char *in, char *out, size_t outsz);

/*
 * The modes a binding can belong to: "attach", "details", "list", "logs",
 * "pane" (typed in a focused pane, before the container sees it) and
 * "prefix" (the key after the pane's prefix).
 */
extern const char *const km_modes[];

/*
 * The default bindings, NULL-terminated, written exactly as a user writes
 * bind lines in a keymap file, each with a note for the help overlay.
 */
extern const char *const km_defaults[];

/* A set of bindings, one table per mode. */
struct km_table;

/* An empty table (no bindings, any action name accepted). */
struct km_table *km_table_new(void);
/* Free t and everything it owns; NULL is fine. */
void km_table_free(struct km_table *t);

/*
 * Accept only these action names from now on (NULL-terminated; the tui owns
 * the action table). names is copied. NULL accepts any well-formed name
 * again. Bindings already in t are not checked again.
 */
void km_table_set_actions(struct km_table *t, const char *const *names);

/*
 * Load km_defaults into t, as km_table_load_buffer does with the name
 * "defaults": on failure (an action not in the set given to
 * km_table_set_actions) t is unchanged and err says "defaults:LINE: cause".
 */
int km_table_load_defaults(struct km_table *t, struct cx_error *err);

/*
 * Bind keys (a space-separated sequence of key names, at most KM_SEQ_MAX)
 * in mode to action, replacing any binding of the same keys in that mode.
 * A binding may be a prefix of another one: see km_feed. note (for the help
 * overlay) may be NULL. Strings are copied. On failure (unknown mode, key
 * or action, sequence too long, control characters in note) t is unchanged
 * and err says why, with code EINVAL.
 */
int km_table_bind(struct km_table *t, const char *mode, const char *keys,
    const char *action, const char *note, struct cx_error *err);

/*
 * Remove the binding of keys in mode. Removing a binding that does not
 * exist is not an error (tmux's unbind-key); an unknown mode or key name is,
 * and leaves t unchanged.
 */
int km_table_unbind(struct km_table *t, const char *mode, const char *keys,
    struct cx_error *err);

/*
 * Apply a keymap file held in buf (len bytes, NUL bytes included), whose
 * name (for messages) is name. One command per line:
 *
 *   KEYS ACTION                         bind in mode "list"
 *   bind [MODE] KEYS ACTION ['note']    MODE defaults to "list"
 *   unbind [MODE] KEYS
 *
 * A word is either unquoted (no spaces), or quoted with '...' or "..."
 * (no escapes), which is how a sequence is written: 'g g'. A '#' that
 * starts a word starts a comment; blank lines are ignored; a final "\r" is
 * dropped. Whole-or-nothing: on the first bad line t is left unchanged and
 * err says "NAME:LINE: cause" with code EINVAL.
 */
int km_table_load_buffer(struct km_table *t, const char *name, const char *buf,
    size_t len, struct cx_error *err);

/*
 * km_table_load_buffer on the contents of the file at path. A missing file
 * is an error with code ENOENT, so that a caller can ignore it for the
 * default path (~/.config/conmux/keys) and report it for --keys FILE.
 */
int km_table_load_file(
    struct km_table *t, const char *path, struct cx_error *err);

/*
 * Write in buf (size bytes) the first sequence bound to action in mode, in
 * the order the bindings were made ("k" before "Up" in the defaults). With
 * want_fkey, a lone F-key ("F9") is preferred, for an htop-style key bar;
 * without it, anything else is preferred. Either way another binding is
 * returned when there is no preferred one. -1 if none or it does not fit.
 */
int km_keys_for_action(const struct km_table *t, const char *mode,
    const char *action, bool want_fkey, char *buf, size_t size);

/*
 * The bindings, sorted by mode, then action, then keys (for the help
 * overlay). km_table_get sets the borrowed strings of binding i (*note is
 * NULL when it has none; any pointer may be NULL), valid until t changes,
 * and returns 0, or -1 if i >= km_table_count(t).
 */
size_t km_table_count(const struct km_table *t);
int km_table_get(const struct km_table *t, size_t i, const char **mode,
    const char **keys, const char **action, const char **note);

/* What has been typed so far of a sequence; zero it (or reset) to start. */
struct km_state {
	char keys[KM_SEQ_MAX][KM_KEY_MAX]; /* canonical names */
	int n;                             /* keys pending */
	const char *mode;                  /* one of km_modes, or NULL */
};

enum km_result {
	KM_NONE,    /* nothing bound to these keys: state reset */
	KM_PENDING, /* a prefix of some binding: wait for the next key */
	KM_MATCH,   /* *action is set: state reset */
};

/*
 * Feed one key name ("q", "C-p", "F5", "Enter") typed in mode. Like tmux:
 * if a longer binding starts with the keys so far the result is PENDING,
 * even when they are also bound on their own; otherwise an exact binding is
 * a MATCH, and anything else is NONE (the keys so far are dropped, the last
 * one is not tried as the start of a new sequence). A change of mode drops
 * pending keys. *action (borrowed from t, valid until t changes) is set on
 * MATCH and NULL otherwise.
 */
enum km_result km_feed(struct km_state *st, const struct km_table *t,
    const char *mode, const char *key, const char **action);
void km_state_reset(struct km_state *st);

/*
 * Detach keys in Podman's --detach-keys format (moby/term ToBytes): items
 * separated by ",", each a single character (that byte) or "ctrl-@",
 * "ctrl-a".."ctrl-z", "ctrl-[", "ctrl-\", "ctrl-]", "ctrl-^", "ctrl-_"
 * (bytes 0..31). The empty string disables detaching (*n = 0). out must
 * hold KM_DETACH_MAX bytes. On failure *n is unchanged and err says, e.g.,
 * "detach keys: unknown key 'ctrl-P'" with code EINVAL.
 */
int km_detach_parse(
    const char *spec, unsigned char *out, size_t *n, struct cx_error *err);

/*
 * The spec of keys in the same format ("ctrl-p,ctrl-q"; "" for none). Bytes
 * that have no name there are written 0xNN, so the result is safe to
 * display. The caller frees it.
 */
char *km_detach_describe(const unsigned char *keys, size_t n);

/* Watches the bytes typed in the attach view for the detach sequence. */
struct km_detach {
	unsigned char keys[KM_DETACH_MAX];
	size_t n;       /* 0: detaching is disabled */
	size_t matched; /* bytes of keys typed and held back */
};

/* Watch for keys (n <= KM_DETACH_MAX bytes, copied); n == 0 disables. */
void km_detach_init(struct km_detach *d, const unsigned char *keys, size_t n);

/*
 * Feed len bytes read from the user's terminal. Writes in out (which must
 * hold len + KM_DETACH_MAX bytes) the *outlen bytes to forward to the
 * container: bytes that may be the start of the detach sequence are held
 * back until a later byte shows they are not, then forwarded in order, so
 * nothing typed is lost ("ctrl-p x" reaches the container as 0x10 'x', and
 * "ctrl-p ctrl-p ctrl-q" forwards one ctrl-p, then detaches).
 * When the whole sequence has been typed, none of it is forwarded, *detached
 * is set, and the bytes of in after it are not looked at (the caller drops
 * them). Returns the number of bytes of in consumed: len, or fewer on
 * detach.
 */
size_t km_detach_feed(struct km_detach *d, const unsigned char *in, size_t len,
    unsigned char *out, size_t *outlen, bool *detached);

#endif
