# bash completion for fetchpool                          -*- shell-script -*-
#
# Options, which of them take a value, the choices of --format, --sort and
# --output, and the command words are all read from `fetchpool --help`
# (made from the option table in cmd/options.c), so this file never lists
# an option of its own and cannot fall behind. Needs nothing from the
# bash-completion package; installed there, it is loaded on first use.

# The help of the fetchpool being completed (the word typed, else the one
# on PATH).
_fetchpool_help()
{
	local prog=$1
	[[ $prog == */* || -z $prog ]] || prog=$(type -P -- "$prog")
	[[ -n $prog && -x $prog ]] || prog=$(type -P fetchpool)
	[[ -n $prog ]] && LC_ALL=C "$prog" --help 2>/dev/null
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
	local cur prev opt line name arg i w
	local -a opts=() cmds=()
	local -A value=()
	local re_opt='^(-[A-Za-z], )?(--[a-z][a-z0-9-]*)( ([A-Z][A-Z0-9/:]*|[a-z]+(\|[a-z]+)+))?'
	local re_cmd='\[OPTIONS\] ([a-z]+) '

	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}

	while IFS= read -r line; do
		line=${line#"${line%%[! ]*}"}
		if [[ $line =~ $re_cmd ]]; then
			cmds+=("${BASH_REMATCH[1]}")
		elif [[ $line =~ $re_opt ]]; then
			name=${BASH_REMATCH[2]}
			opts+=("$name")
			if [[ -n ${BASH_REMATCH[4]} ]]; then
				value[$name]=${BASH_REMATCH[4]}
				[[ -n ${BASH_REMATCH[1]} ]] &&
					value[${BASH_REMATCH[1]%, }]=${BASH_REMATCH[4]}
			fi
		fi
	done < <(_fetchpool_help "${COMP_WORDS[0]}")

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

	if [[ $cur == -* ]]; then
		_fetchpool_add -W "${opts[*]}" -- "$cur"
		return 0
	fi

	# Words that are neither options nor their values: the command and
	# its arguments (or the FILE of the implied books command).
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

	if ((${#pos[@]} == 0)); then
		compopt -o filenames 2>/dev/null
		_fetchpool_add -W "${cmds[*]}" -- "$cur"
		_fetchpool_add -f -- "$cur"
	elif [[ ${pos[0]} == books && ${#pos[@]} == 1 ]]; then
		compopt -o filenames 2>/dev/null
		_fetchpool_add -f -- "$cur"
	fi
	# gdp takes country codes, and FILE alone completes a books command
	# line: nothing to offer.
	return 0
}
complete -F _fetchpool fetchpool
