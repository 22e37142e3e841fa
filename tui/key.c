/*
 * tui/key.c: where a key goes. The topmost overlay (dialog, help, prompt)
 * takes it; otherwise keymaps turn it into an action for the screen shown.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *
tui_key_mode(const struct tui *t)
{
	switch (t->screen) {
	case TUI_SCREEN_DETAILS:
		return ("details");
	case TUI_SCREEN_LOGS:
		return ("logs");
	case TUI_SCREEN_LIST:
		break;
	}
	return ("list");
}

static void
tui_dialog_close(struct tui *t)
{
	wg_dialog_fini(&t->dialog);
	tui_batch_fini(&t->pending);
	t->dialog_kind = TUI_DIALOG_NONE;
}

static void
tui_key_dialog(struct tui *t, const char *name)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	enum wg_dialog_result r = wg_dialog_key(&t->dialog, name);
	const char *const *names;
	struct tui_batch b;
	size_t n, i;

	if (r == WG_DIALOG_NONE)
		return;
	if (r == WG_DIALOG_CANCEL) {
		tui_dialog_close(t);
		return;
	}
	if (t->dialog_kind == TUI_DIALOG_KILL) {
		n = rt_signal_list(&names);
		i = wg_dialog_chosen(&t->dialog);
		if (i >= n ||
		    rt_signal_parse(names[i], &t->pending.sig, &err) != 0) {
			tui_msg_error(t, &err);
			tui_dialog_close(t);
			return;
		}
		/* The signal is chosen: now ask, as for stop. */
		b = t->pending;
		memset(&t->pending, 0, sizeof t->pending);
		tui_dialog_close(t);
		if (!t->no_confirm) {
			tui_dialog_confirm(t, &b);
			return;
		}
		tui_batch_run(t, &b);
		tui_batch_fini(&b);
		return;
	}
	if (t->dialog_kind == TUI_DIALOG_CHECKPOINT) {
		/* the options are chosen: go (a checkpoint is not destructive
		 * to ask twice about: it says what it did on the message line) */
		tui_checkpoint_opts(wg_dialog_chosen(&t->dialog), &t->pending.cr);
	}
	tui_batch_run(t, &t->pending);
	tui_dialog_close(t);
}

static void
tui_prompt_close(struct tui *t)
{
	t->prompt = TUI_PROMPT_NONE;
	wg_input_set(&t->input, "");
}

/* Enter on the prompt line. */
static void
tui_prompt_accept(struct tui *t)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	cx_autofree char *text = cx_strdup(wg_input_text(&t->input));
	enum tui_prompt p = t->prompt;
	struct wg_textview *tv;
	struct tui_cmd cmd;

	tui_prompt_close(t);
	switch (p) {
	case TUI_PROMPT_FILTER:
		/* Keep the filter; start from its first match. */
		tui_model_set_filter(&t->model, text);
		tui_list_sync(t);
		wg_table_top(&t->table);
		tui_list_moved(t);
		break;
	case TUI_PROMPT_COMMAND:
		if (tui_cmd_parse(text, &cmd, &err) != 0) {
			tui_msg_error(t, &err);
			break;
		}
		if (tui_cmd_run(t, &cmd, &err) != 0)
			tui_msg_error(t, &err);
		tui_cmd_fini(&cmd);
		break;
	case TUI_PROMPT_SEARCH:
		if (t->screen == TUI_SCREEN_LIST && tui_pane_has_focus(t)) {
			if (text[0] != '\0') {
				free(t->pane_search);
				t->pane_search = cx_strdup(text);
			}
			if (t->pane_search == NULL || tui_pane_search(t,
			    t->pane_search, t->search_older) != 0)
				tui_msg(t, WG_MSG_ERROR, "pattern not found: %s",
				    text);
			break;
		}
		if ((tv = tui_textview(t)) == NULL)
			break;
		if (text[0] == '\0')
			wg_textview_search_clear(tv);
		else if (!wg_textview_search(tv, text))
			tui_msg(t, WG_MSG_ERROR, "pattern not found: %s", text);
		break;
	case TUI_PROMPT_NONE:
		break;
	}
}

static void
tui_prompt_cancel(struct tui *t)
{
	if (t->prompt == TUI_PROMPT_FILTER) {
		tui_model_set_filter(&t->model, NULL);
		tui_list_sync(t);
	}
	tui_prompt_close(t);
}

static void
tui_key_prompt(struct tui *t, const char *name)
{
	if (strcmp(name, "Enter") == 0) {
		tui_prompt_accept(t);
		return;
	}
	if (strcmp(name, "Escape") == 0 || strcmp(name, "C-c") == 0 ||
	    strcmp(name, "C-g") == 0 ||
	    (strcmp(name, "BSpace") == 0 &&
	        wg_input_text(&t->input)[0] == '\0')) {
		tui_prompt_cancel(t);
		return;
	}
	if (!wg_input_key(&t->input, name))
		return;
	/* The filter follows the typing. */
	if (t->prompt == TUI_PROMPT_FILTER) {
		tui_model_set_filter(&t->model, wg_input_text(&t->input));
		tui_list_sync(t);
	}
}

void
tui_key(struct tui *t, const char *name)
{
	const char *action = NULL;
	bool was_dirty = t->dirty;

	t->dirty = true;
	if (t->dialog_kind != TUI_DIALOG_NONE) {
		tui_key_dialog(t, name);
		return;
	}
	if (t->help_open) {
		if (wg_help_key(&t->help, name) == WG_DIALOG_CANCEL)
			t->help_open = false;
		return;
	}
	if (t->prompt != TUI_PROMPT_NONE) {
		tui_key_prompt(t, name);
		return;
	}
	t->key_forwarded = false;
	if (t->screen == TUI_SCREEN_LIST && tui_pane_key(t, name)) {
		/* typed into a container: its echo draws itself */
		if (t->key_forwarded)
			t->dirty = was_dirty;
		return;
	}
	switch (km_feed(&t->kst, t->keys, tui_key_mode(t), name, &action)) {
	case KM_PENDING:
		tui_msg(t, WG_MSG_INFO, "%s ...", name);
		return;
	case KM_NONE:
		return;
	case KM_MATCH:
		break;
	}
	tui_action_run(t, action);
}
