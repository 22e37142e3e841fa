# fish completion for conmux: candidates from `conmux __complete WORD...`,
# built from the table the binary's parser uses.
function __conmux_complete
	set -l words (commandline -opc)
	set -l cur (commandline -ct)
	set -l cmd $words[1]
	command -q $cmd; or set cmd conmux
	set -l out ($cmd __complete $words[2..-1] $cur 2>/dev/null)
	if test (count $out) -gt 0
		printf '%s\n' $out
	else
		__fish_complete_path $cur
	end
end
complete -c conmux -f -a '(__conmux_complete)'
