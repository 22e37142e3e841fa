/* keymaps/defaults.c: the default bindings, written as a keymap file. */
#include "keymaps.h"

#include <string.h>

#include "cx.h"

const char *const km_defaults[] = {
    "bind list j        cursor.down            'Move down'",
    "bind list Down     cursor.down            'Move down'",
    "bind list k        cursor.up              'Move up'",
    "bind list Up       cursor.up              'Move up'",
    "bind list PageUp   page.up                'Move up one page'",
    "bind list PageDown page.down              'Move down one page'",
    "bind list g        cursor.top             'Go to the first row'",
    "bind list Home     cursor.top             'Go to the first row'",
    "bind list G        cursor.bottom          'Go to the last row'",
    "bind list End      cursor.bottom          'Go to the last row'",
    "bind list Enter    container.details      'Show container details'",
    "bind list /        view.filter            'Filter the list'",
    "bind list o        view.sort              'Sort by the next column'",
    "bind list F6       view.sort              'Sort by the next column'",
    "bind list O        view.sort-reverse      'Reverse the sort order'",
    "bind list a        container.attach       'Attach in a pane'",
    "bind list e        container.exec         'Run a shell inside it, in a pane'",
    "bind list A        container.attach-full  'Attach on the whole screen'",
    "bind list E        container.exec-full    'Run a shell on the whole screen'",
    "bind list Tab      pane.next              'Focus the next pane'",
    "bind list t        view.stats-toggle      'Show or hide CPU, memory, PIDs'",
    "bind list l        container.logs         'Show the container logs'",
    "bind list s        container.stop         'Stop the container'",
    "bind list S        container.start        'Start the container'",
    "bind list r        container.restart      'Restart the container'",
    "bind list C-k      container.kill         'Kill the container'",
    "bind list F9       container.kill         'Kill the container'",
    "bind list p        container.pause-toggle 'Pause or resume the container'",
    "bind list c        container.checkpoint   'Checkpoint the container'",
    "bind list C        container.restore      'Restore from the checkpoint'",
    "bind list d        container.remove       'Remove the container'",
    "bind list DC       container.remove       'Remove the container'",
    "bind list Space    container.tag          'Tag or untag the container'",
    "bind list :        view.command           'Type a command'",
    "bind list C-l      view.redraw            'Redraw the screen'",
    "bind list q        quit                   'Quit, containers keep running'",
    "bind list F10      quit                   'Quit, containers keep running'",
    "bind list ?        view.help              'Show the keys'",
    "bind list F1       view.help              'Show the keys'",
    "bind list F2       view.keybar-toggle     'Hide or show the key bar'",
    "bind list Escape   view.back              'Go back'",

    "bind logs j        scroll.down            'Scroll down'",
    "bind logs Down     scroll.down            'Scroll down'",
    "bind logs k        scroll.up              'Scroll up'",
    "bind logs Up       scroll.up              'Scroll up'",
    "bind logs PageUp   page.up                'Scroll up one page'",
    "bind logs PageDown page.down              'Scroll down one page'",
    "bind logs g        scroll.top             'Go to the first line'",
    "bind logs Home     scroll.top             'Go to the first line'",
    "bind logs G        scroll.bottom          'Go to the end and follow'",
    "bind logs End      scroll.bottom          'Go to the end and follow'",
    "bind logs /        view.search            'Search the logs'",
    "bind logs n        search.next            'Find the next match'",
    "bind logs N        search.prev            'Find the previous match'",
    "bind logs f        logs.follow-toggle     'Follow new lines or stop'",
    "bind logs q        view.back              'Back to the list'",
    "bind logs Escape   view.back              'Back to the list'",

    "bind details j        scroll.down            'Scroll down'",
    "bind details Down     scroll.down            'Scroll down'",
    "bind details k        scroll.up              'Scroll up'",
    "bind details Up       scroll.up              'Scroll up'",
    "bind details PageUp   page.up                'Scroll up one page'",
    "bind details PageDown page.down              'Scroll down one page'",
    "bind details g        scroll.top             'Go to the first line'",
    "bind details Home     scroll.top             'Go to the first line'",
    "bind details G        scroll.bottom          'Go to the last line'",
    "bind details End      scroll.bottom          'Go to the last line'",
    "bind details q        view.back              'Back to the list'",
    "bind details Escape   view.back              'Back to the list'",

    "bind pane C-b      pane.prefix            'The prefix: a console key follows'",

    "bind prefix C-b    pane.send-prefix       'Send the prefix key itself'",
    "bind prefix o      pane.next              'Focus the next pane (then the list)'",
    "bind prefix Tab    pane.next              'Focus the next pane (then the list)'",
    "bind prefix l      pane.list              'Focus the list'",
    "bind prefix z      pane.zoom              'Zoom the pane or unzoom it'",
    "bind prefix x      pane.close             'Close the pane'",
    "bind prefix [      pane.copy              'Scroll and search the history'",
    "bind prefix Space  pane.layout            'Split side by side, stacked, auto'",
    "bind prefix +      pane.grow              'Give the panes more room'",
    "bind prefix -      pane.shrink            'Give the list more room'",
    "bind prefix R      pane.record            'Start or stop recording (asciicast)'",
    "bind prefix :      view.command           'Type a command'",
    "bind prefix ?      view.help              'Show the keys'",
    "bind prefix q      quit                   'Quit, containers keep running'",
    NULL,
};

int
km_table_load_defaults(struct km_table *t, struct cx_error *err)
{
	cx_autofree char *buf = NULL;
	size_t len = 0, i, n;

	/* One buffer, so the defaults load whole-or-nothing like a file. */
	for (i = 0; km_defaults[i] != NULL; i++)
		len += strlen(km_defaults[i]) + 1;
	buf = cx_malloc(len + 1);
	len = 0;
	for (i = 0; km_defaults[i] != NULL; i++) {
		n = strlen(km_defaults[i]);
		memcpy(buf + len, km_defaults[i], n);
		buf[len + n] = '\n';
		len += n + 1;
	}
	return (km_table_load_buffer(t, "defaults", buf, len, err));
}
