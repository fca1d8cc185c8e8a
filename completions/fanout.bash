# bash completion for fanout

_fanout()
{
	local cur prev words cword
	_init_completion || return

	case $prev in
	--mode)
		COMPREPLY=($(compgen -W 'process thread async' -- "$cur"))
		return ;;
	-a | --arg-file | --joblog | --report | --results)
		_filedir
		return ;;
	--tmpdir)
		_filedir -d
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
	-n | -N | --max-args | -L | --max-lines | \
	-s | --max-chars | -E | -I | -d | --delimiter | -C | --colsep | \
	--delay | --timeout | --termseq | --retries | --retry-delay | \
	--tagstring | --arg-sep | --arg-file-sep | --total | --runs | \
	--id | --semaphoretimeout | --st | --nice | --load | --memfree | \
	--recend | --recstart | --sshdelay)
		return ;;
	--compare=*)
		return ;;
	esac

	# After COMMAND starts, complete commands, then files.
	local i
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		:::: | ::::+)
			_filedir
			return ;;
		::: | :::+)
			return ;;
		esac
	done

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '--arg-file --null --delimiter --colsep
		    --max-args --max-lines --max-chars --no-run-if-empty --link --shuf --csv
		    --trim --header --arg-sep --arg-file-sep --pipe --block
		    --block-size --recend --recstart --regexp --rrs --remove-rec-sep --removerecsep
		    --cat --sshlogin --sshloginfile --slf --ssh --sshdelay
		    --filter-hosts --onall --nonall --workdir --wd --transfer --transferfile --tf
		    --return --cleanup --trc --basefile --bf --plus --quote --shell
		    --no-shell --env --dry-run --verbose --mode --jobs --max-procs
		    --delay --timeout --termseq --retries --retry-delay --halt
		    --load --memfree --nice --semaphore --id --fg --wait --semaphoretimeout --st
		    --group --keep-order --line-buffer --lb --ungroup --tag
		    --tagstring --tmpdir --files --quiet --joblog --resume --resume-failed
		    --retry-failed --report --summary --progress --bar --eta
		    --total --results --compare --compare= --runs
		    --will-cite --no-notice --list-options --help
		    --version -a -0 -d -C -n -N -X -m -L -s -E -r -I -q -v -t -j
		    -P -S -k -u -h -V' -- "$cur"))
		[[ ${COMPREPLY-} == *= ]] && compopt -o nospace
		return
	fi
	COMPREPLY=($(compgen -c -- "$cur"))
} &&
	complete -F _fanout fanout
