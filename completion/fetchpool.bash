# bash completion for fetchpool                          -*- shell-script -*-
#
# Commands, options, which commands take each option, which options take a
# value and the choices of --format, --sort and --output are all read from
# `fetchpool --help-completion`, made from the option and command tables
# in cmd/options.c and cmd/commands.c, so this file never lists an option
# of its own and cannot fall behind. Needs nothing from the
# bash-completion package; installed there, it is loaded on first use.

# The word lists of the fetchpool being completed (the word typed, else
# the one on PATH).
_fetchpool_lists()
{
	local prog=$1
	[[ $prog == */* || -z $prog ]] || prog=$(type -P -- "$prog")
	[[ -n $prog && -x $prog ]] || prog=$(type -P fetchpool)
	[[ -n $prog ]] && LC_ALL=C "$prog" --help-completion 2>/dev/null
}

# Append compgen's answers to COMPREPLY, one per line, so that file names
# with spaces stay whole.
_fetchpool_add()
{
	local line
	while IFS= read -r line; do
		COMPREPLY+=("$line")
	done < <(compgen "$@")
}

_fetchpool()
{
	local cur prev opt kind name short arg takes i w cmd
	local -a cmds=()
	local -A value=() cmdargs=() optcmds=()

	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}

	# "command NAME ARGS..." and "option --LONG -S VALUE CMD,CMD" ('-'
	# for none).
	while read -r kind name short arg takes; do
		case $kind in
		command)
			cmds+=("$name")
			cmdargs[$name]=${short:--}
			;;
		option)
			optcmds[$name]=,$takes,
			[[ $short != - ]] && optcmds[$short]=,$takes,
			if [[ $arg != - ]]; then
				value[$name]=$arg
				[[ $short != - ]] && value[$short]=$arg
			fi
			;;
		esac
	done < <(_fetchpool_lists "${COMP_WORDS[0]}")

	# "--opt=value": bash splits the word at '=' (COMP_WORDBREAKS).
	opt=
	if [[ $cur == = ]]; then
		opt=$prev
		cur=
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		opt=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $cur == --*=* ]]; then
		opt=${cur%%=*}
		cur=${cur#*=}
	elif [[ -n $prev && -n ${value[$prev]-} ]]; then
		opt=$prev
	fi

	if [[ -n $opt ]]; then
		arg=${value[$opt]-}
		case $arg in
		DIR)
			compopt -o filenames 2>/dev/null
			_fetchpool_add -d -- "$cur"
			;;
		FILE)
			compopt -o filenames 2>/dev/null
			_fetchpool_add -f -- "$cur"
			;;
		*'|'*)
			_fetchpool_add -W "${arg//|/ }" -- "$cur"
			;;
		esac
		return 0
	fi

	# Words that are neither options nor their values: the command and
	# its arguments (or those of the default command, the first listed).
	local -a pos=()
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		=) ((i++)) ;; # the value after "--opt="
		-*=*) ;;
		-*)
			[[ -n ${value[$w]-} && ${COMP_WORDS[i + 1]-} != = ]] &&
				((i++))
			;;
		*) pos+=("$w") ;;
		esac
	done

	cmd=
	if ((${#pos[@]})); then
		cmd=${cmds[0]}
		[[ -n ${cmdargs[${pos[0]}]-} ]] && cmd=${pos[0]}
	fi

	# The options the command takes; before it, every option.
	if [[ $cur == -* ]]; then
		local -a opts=()
		for name in "${!optcmds[@]}"; do
			[[ $name == --* ]] || continue
			[[ -z $cmd || ${optcmds[$name]} == *,$cmd,* ]] &&
				opts+=("$name")
		done
		_fetchpool_add -W "${opts[*]}" -- "$cur"
		return 0
	fi

	if [[ -z $cmd ]]; then
		compopt -o filenames 2>/dev/null
		_fetchpool_add -W "${cmds[*]}" -- "$cur"
		_fetchpool_add -f -- "$cur"
		return 0
	fi
	# A command taking one FILE completes it; country codes and words
	# after the FILE get nothing.
	[[ ${pos[0]} == "$cmd" ]] && unset 'pos[0]'
	if [[ ${cmdargs[$cmd]} == FILE && ${#pos[@]} == 0 ]]; then
		compopt -o filenames 2>/dev/null
		_fetchpool_add -f -- "$cur"
	fi
	return 0
}
complete -F _fetchpool fetchpool
