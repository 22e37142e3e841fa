# bash completion for conmux. The candidates come from the binary itself
# (`conmux __complete WORD...`, built from the table its parser uses), so
# this file never needs to change when a command or an option is added.
_conmux()
{
	local cur cmd words
	cur=${COMP_WORDS[COMP_CWORD]}
	cmd=${COMP_WORDS[0]}
	# The binary that was typed (./build/conmux), else the one in PATH.
	command -v -- "$cmd" >/dev/null 2>&1 || cmd=conmux
	words=("${COMP_WORDS[@]:1:COMP_CWORD}")
	[ "$COMP_CWORD" -ge 1 ] || words=("")
	local IFS=$'\n'
	COMPREPLY=($(compgen -W "$("$cmd" __complete "${words[@]}" 2>/dev/null)" -- "$cur"))
}
# Nothing printed (an option's value, a command to run): filenames.
complete -o default -o bashdefault -F _conmux conmux
