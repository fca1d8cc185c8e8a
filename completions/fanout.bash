# bash completion for fanout
#
# fanout [OPTION]... [COMMAND [ARG]...] [::: VALUE... | :::: FILE...]...
# fanout's options are offered only before COMMAND; from COMMAND on, the
# command's own completion takes over (as with sudo or xargs), and after
# ::: or :::: file names are offered.

# Whether option $1, given as a word of its own, takes the next word as its
# argument.  --shell and --compare take one only as --shell=PROG.
_fanout_takes_arg()
{
	case $1 in
	-a | --arg-file | -d | --delimiter | -C | --colsep | -n | -N | \
	--max-args | -L | -s | --max-chars | -E | -I | --process-slot-var | \
	--extensionreplace | --er | --basenamereplace | --bnr | \
	--basenameextensionreplace | --bner | --dirnamereplace | --dnr | \
	--seqreplace | --slotreplace | \
	--trim | --header | --arg-sep | --argsep | --arg-file-sep | \
	--block | --block-size | --recend | --recstart | --rpl | --env | \
	--mode | -j | -P | --jobs | --max-procs | --load | --memfree | \
	--delay | --timeout | --termseq | --retries | --retry-delay | \
	--halt | --halt-on-error | --nice | --id | --semaphorename | \
	--semaphoretimeout | --st | --tagstring | --tmpdir | --results | \
	--compress-program | --decompress-program | \
	--res | -S | --sshlogin | --sshloginfile | --slf | --ssh | \
	--sshdelay | --workdir | --wd | --transferfile | --tf | --return | \
	--trc | --basefile | --bf | --joblog | --jl | --report | --total | \
	--total-jobs | --runs | -J | --profile)
		return 0 ;;
	--*)
		return 1 ;;
	-?*)
		# A cluster of short options: the first that takes an argument
		# takes the rest of the word, or the next word when it is last.
		local w=${1#-} c
		while [[ $w ]]; do
			c=${w:0:1}
			w=${w:1}
			case $c in
			[adCnNLsEIjPS])
				[[ -z $w ]]
				return ;;
			esac
		done
		return 1 ;;
	esac
	return 1
}

# The index in COMP_WORDS of word $1 of words (which _init_completion has
# joined where COMP_WORDBREAKS split a word, as --opt=value), as
# _command_offset wants it.
_fanout_comp_index()
{
	local i=0 j=0 s
	while ((i < $1 && j < ${#COMP_WORDS[@]})); do
		s=${COMP_WORDS[j++]}
		while [[ $s != "${words[i]}" ]] && ((j < ${#COMP_WORDS[@]})); do
			s+=${COMP_WORDS[j++]}
		done
		((i++))
	done
	echo "$j"
}

_fanout()
{
	local cur prev words cword split
	_init_completion -s || return

	# Where COMMAND starts, and whether a ::: or :::: came before cur.
	local i w cmd= skip= sep=
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		case $w in
		::: | :::+ | :::: | ::::+)
			sep=1
			continue ;;
		esac
		[[ $cmd ]] && continue
		if [[ $skip ]]; then
			skip=
		elif [[ $w == -- ]]; then
			cmd=$((i + 1))
		elif [[ $w == -?* ]]; then
			[[ $w == *=* ]] || ! _fanout_takes_arg "$w" || skip=1
		else
			cmd=$i
		fi
	done

	if [[ $sep ]]; then
		_filedir
		return
	fi
	if [[ $cmd ]]; then
		_command_offset "$(_fanout_comp_index "$cmd")"
		return
	fi

	case $prev in
	--mode)
		COMPREPLY=($(compgen -W 'process thread async' -- "$cur"))
		return ;;
	--compare)
		if [[ $split == true ]]; then
			# A comma-separated list of modes.
			local done=
			[[ $cur == *,* ]] && done=${cur%,*},
			COMPREPLY=($(compgen -P "$done" \
			    -W 'process thread async' -- "${cur##*,}"))
			return
		fi ;;
	--shell)
		if [[ $split == true ]]; then
			COMPREPLY=($(compgen -c -- "$cur"))
			return
		fi ;;
	-a | --arg-file | --joblog | --report | --results)
		_filedir
		return ;;
	--tmpdir)
		_filedir -d
		return ;;
	--compress-program | --decompress-program)
		COMPREPLY=($(compgen -c -- "$cur"))
		return ;;
	-J | --profile)
		local dir=${XDG_CONFIG_HOME:-$HOME/.config}/fanout
		[[ -d $dir ]] && COMPREPLY=($(compgen -W \
		    "$(command ls -- "$dir")" -- "$cur"))
		return ;;
	--trim)
		COMPREPLY=($(compgen -W 'l r lr n' -- "$cur"))
		return ;;
	--header)
		COMPREPLY=(:)
		return ;;
	--block | --block-size)
		COMPREPLY=($(compgen -W '1M 10M 100M' -- "$cur"))
		return ;;
	--env)
		COMPREPLY=($(compgen -v -A function -- "$cur"))
		return ;;
	-S | --sshlogin)
		COMPREPLY=($(compgen -A hostname -- "$cur"))
		return ;;
	--sshloginfile | --slf | --transferfile | --tf | --return | --trc | \
	--basefile | --bf)
		_filedir
		return ;;
	--workdir | --wd)
		_filedir -d
		COMPREPLY+=($(compgen -W '...' -- "$cur"))
		return ;;
	--ssh)
		COMPREPLY=($(compgen -c -- "$cur"))
		return ;;
	--halt)
		COMPREPLY=($(compgen -W 'now,fail=1 soon,fail=1 now,success=1 now,done=1 never' -- "$cur"))
		return ;;
	-j | -P | --jobs | --max-procs)
		# A count, or a file holding one.
		_filedir
		return ;;
	esac
	# Any other option's argument is free text.
	if [[ $split == true ]] || { ((cword > 1)) && _fanout_takes_arg "$prev"; }; then
		return
	fi

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '--arg-file --null --delimiter --colsep
		    --max-args --max-replace-args --max-lines --max-chars
		    --show-limits --no-run-if-empty --link --shuf --csv
		    --eof --exit --replace --process-slot-var --open-tty --extensionreplace
		    --er --basenamereplace --bnr --basenameextensionreplace --bner
		    --dirnamereplace --dnr --seqreplace --slotreplace
		    --trim --header --skip-first-line --shebang --hashbang --shebang-wrap
		    --arg-sep --arg-file-sep --pipe --pipepart --block
		    --block-size --recend --recstart --regexp --rrs --remove-rec-sep --removerecsep
		    --cat --fifo --round-robin --round --tee --sshlogin --sshloginfile --slf --ssh --sshdelay
		    --filter-hosts --onall --nonall --workdir --wd --transfer --transferfile --tf
		    --return --cleanup --trc --basefile --bf --plus --quote --shell
		    --no-shell --env --dry-run --verbose --mode --jobs --max-procs
		    --delay --timeout --termseq --retries --retry-delay --halt
		    --load --memfree --nice --semaphore --id --fg --wait --semaphoretimeout --st
		    --group --keep-order --line-buffer --lb --ungroup --tag
		    --tagstring --tmpdir --compress --compress-program
		    --decompress-program --files --quiet --joblog --resume --resume-failed
		    --retry-failed --report --summary --progress --bar --eta
		    --total --results --compare --compare= --runs
		    --will-cite --no-notice --list-options --profile --help
		    --version -J -a -0 -d -C -n -N -X -m -L -s -E -r -I -q -v -t -j
		    -P -S -k -u -h -V' -- "$cur"))
		[[ ${COMPREPLY-} == *= ]] && compopt -o nospace
		return
	fi
	# COMMAND itself.
	_command_offset "$(_fanout_comp_index "$cword")"
} &&
	complete -F _fanout fanout
