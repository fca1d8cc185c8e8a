# bench/lib.sh: the machinery behind bench/run, sourced by it.
#
# A *cell* is one runner on one workload: a shell command line, the work
# it does (jobs, bytes or records: its "units"), the cell it is compared
# with and the targets it must meet.  bench/run declares the cells of a
# workload with `cell`, then `measure` runs them all, in order, BENCH_RUNS
# times (A B C A B C ...), so that every comparison is between runs made
# moments apart.  `report` turns the samples into Markdown table rows.
#
# Command lines are eval'ed.  In them, `MP` measures with perf (elapsed
# time, total CPU, and the CPU of the runner's first thread alone) and
# `MT` with GNU time (total CPU and peak RSS); the wall time of an MT cell
# is the whole pipeline's, taken from the shell's clock.

# ---- numbers ---------------------------------------------------------

# calc EXPR: evaluate a floating-point awk expression.
calc() {
	awk "BEGIN { print $1 }"
}

# stats: read numbers, one a line; print "median min max", or nothing.
stats() {
	sort -g | awk '{ v[NR] = $1 }
	END {
		if (NR == 0)
			exit
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		print m, v[1], v[NR]
	}'
}

# fmt_time SECONDS: "2.03 s", "1.84 ms".
fmt_time() {
	awk -v t="$1" 'BEGIN {
		if (t >= 0.1) printf "%.2f s", t
		else printf "%.2f ms", t * 1000
	}'
}

# fmt_trio MED MIN MAX: "2.03 s (1.98-2.10)", all in the median's unit.
fmt_trio() {
	awk -v m="$1" -v a="$2" -v b="$3" 'BEGIN {
		if (m >= 0.1) printf "%.2f s (%.2f-%.2f)", m, a, b
		else printf "%.2f ms (%.2f-%.2f)", m * 1e3, a * 1e3, b * 1e3
	}'
}

# fmt_num X: three significant figures, thousands grouped.
fmt_num() {
	awk -v x="$1" 'BEGIN {
		if (x >= 1000 || (x == int(x) && x >= 0)) {
			s = sprintf("%.0f", x)
			while (s ~ /[0-9][0-9][0-9][0-9]/)
				sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
			print s
		} else if (x >= 100) printf "%.0f\n", x
		else if (x >= 10) printf "%.1f\n", x
		else printf "%.2f\n", x
	}'
}

# fmt_ratio MED MIN MAX: "1.03x (0.98-1.10)".
fmt_ratio() {
	awk -v m="$1" -v a="$2" -v b="$3" 'BEGIN {
		f = (m >= 100) ? "%.0f" : (m >= 10) ? "%.1f" : "%.2f"
		printf f "x (" f "-" f ")", m, a, b
	}'
}

# ---- cells -----------------------------------------------------------

declare -a CELLS=()		# the current workload's cell ids, in order
declare -A C_LABEL C_CMD C_UNITS C_REF C_KIND C_CPUREF C_OWN C_TARGETS C_JOBREF
declare -A C_SHORT		# a cell's name in other cells' targets, if not its label
declare -A S_OK S_WALL S_CPU S_OWN S_RSS	# samples, keyed "id,run"

# cell ID LABEL UNITS CMD [REF KIND [TARGETS [CPUREF OWN [JOBREF]]]]
#	ID	a short unique name
#	LABEL	what the table's runner column shows (Markdown)
#	UNITS	jobs, bytes or records done by one run of CMD
#	CMD	the command line, eval'ed, with MP or MT before the runner
#	REF	the cell this one's ratio is taken against ("" for none)
#	KIND	time: ratio of time per unit, lower is better;
#		speed: ratio of units per second, higher is better
#	TARGETS	space-separated: time<=X speed>=X speed@ID>=X own<=US
#		cpu<=X (total CPU per unit over CPUREF's) wall<=S rss<=MIB
#	CPUREF	the cell to compare total CPU per job with (the limit)
#	OWN	how to get the runner's own CPU: perf (its first thread,
#		exact for a single-threaded runner) or delta (total CPU
#		minus what the jobs cost in JOBREF's run: any runner)
#	JOBREF	a single spawn loop measured by perf, whose total CPU
#		minus its own is what the jobs cost (default CPUREF)
cell() {
	local id=$1
	CELLS+=("$id")
	C_LABEL[$id]=$2
	C_UNITS[$id]=$3
	C_CMD[$id]=$4
	C_REF[$id]=${5:-}
	C_KIND[$id]=${6:-time}
	C_TARGETS[$id]=${7:-}
	C_CPUREF[$id]=${8:-}
	C_OWN[$id]=${9:-}
	C_JOBREF[$id]=${10:-${8:-}}
}

# The measuring wrappers.  $MOUT is where each writes its figures.
MP() {
	perf stat --no-inherit -e task-clock -o "$MOUT" -- "$@"
}
MT() {
	/usr/bin/time -o "$MOUT" -f '%e %U %S %M' "$@"
}

# run_cell ID RUN: run one sample and record it.
run_cell() {
	local id=$1 r=$2 t0 t1 wall cpu own rss st
	: >"$MOUT"
	t0=$EPOCHREALTIME
	(set -o pipefail; eval "${C_CMD[$id]}") 2>"$TMP/err.$id"
	st=$?
	t1=$EPOCHREALTIME
	wall=$(calc "${t1/./} / 1e6 - ${t0/./} / 1e6")
	cpu="" own="" rss=""
	if grep -q '^latency' "$MOUT"; then
		read -r _ wall <"$MOUT"
	elif grep -q 'task-clock' "$MOUT"; then
		# perf: its own elapsed time leaves out perf's start-up.
		read -r wall cpu own < <(awk '
			/task-clock/		{ own = $1 / 1000 }
			/seconds time elapsed/	{ wall = $1 }
			/seconds user/		{ u = $1 }
			/seconds sys/		{ s = $1 }
			END { print wall, u + s, own }' "$MOUT")
	elif [ -s "$MOUT" ]; then
		read -r _ cpu rss < <(awk 'END { print $1, $2 + $3, $4 / 1024 }' "$MOUT")
	fi
	S_OK[$id,$r]=$(( st == 0 ))
	S_WALL[$id,$r]=$wall
	S_CPU[$id,$r]=$cpu
	S_OWN[$id,$r]=$own
	# shellcheck disable=SC2034 # read through field()'s nameref
	S_RSS[$id,$r]=$rss
	if [ "$st" -ne 0 ]; then
		printf '  %-34s run %d FAILED (status %d): %s\n' "$id" "$r" "$st" \
		    "$(head -c 300 "$TMP/err.$id" | tr '\n' ' ')" >&2
	else
		printf '  %-34s run %d %s\n' "$id" "$r" "$(fmt_time "$wall")" >&2
	fi
}

# measure: run every cell of the workload BENCH_RUNS times, alternating.
measure() {
	local r id
	for ((r = 1; r <= RUNS; r++)); do
		for id in "${CELLS[@]}"; do
			run_cell "$id" "$r"
		done
	done
}

# ---- per-cell figures ------------------------------------------------

# ok_runs ID: the runs in which ID succeeded.
ok_runs() {
	local r
	for ((r = 1; r <= RUNS; r++)); do
		[ "${S_OK[$1,$r]:-0}" = 1 ] && echo "$r"
	done
}

# paired ID REF KIND: per run in which both succeeded, ID's ratio to REF.
paired() {
	local id=$1 ref=$2 kind=$3 r
	for r in $(ok_runs "$id"); do
		[ "${S_OK[$ref,$r]:-0}" = 1 ] || continue
		# time per unit of ID over time per unit of REF.
		calc "(${S_WALL[$id,$r]} / ${C_UNITS[$id]}) / (${S_WALL[$ref,$r]} / ${C_UNITS[$ref]})" |
		    if [ "$kind" = speed ]; then awk '{ print 1 / $1 }'; else cat; fi
	done | stats
}

# cpu_ratio ID REF: per run, total CPU per unit of ID over that of REF.
cpu_ratio() {
	local id=$1 ref=$2 r
	for r in $(ok_runs "$id"); do
		[ "${S_OK[$ref,$r]:-0}" = 1 ] || continue
		[ -n "${S_CPU[$id,$r]}" ] && [ -n "${S_CPU[$ref,$r]}" ] || continue
		calc "(${S_CPU[$id,$r]} / ${C_UNITS[$id]}) / (${S_CPU[$ref,$r]} / ${C_UNITS[$ref]})"
	done | stats
}

# own_cpu ID [HOW]: per run, the runner's own CPU in microseconds per unit,
# by HOW (default the cell's OWN): perf or delta.
own_cpu() {
	local id=$1 how=${2:-${C_OWN[$1]}} ref=${C_JOBREF[$1]} r
	for r in $(ok_runs "$id"); do
		if [ "$how" = perf ]; then
			[ -n "${S_OWN[$id,$r]}" ] || continue
			calc "${S_OWN[$id,$r]} / ${C_UNITS[$id]} * 1e6"
		else
			# The jobs' CPU is what the spawn loop's run cost
			# beyond the loop's own thread.
			[ "${S_OK[$ref,$r]:-0}" = 1 ] || continue
			[ -n "${S_OWN[$ref,$r]}" ] || continue
			calc "(${S_CPU[$id,$r]} - (${S_CPU[$ref,$r]} - ${S_OWN[$ref,$r]}) * ${C_UNITS[$id]} / ${C_UNITS[$ref]}) / ${C_UNITS[$id]} * 1e6"
		fi
	done | stats
}

# field ID ARRAY: the named sample array's values over ID's good runs.
field() {
	local -n arr=$2
	local r
	for r in $(ok_runs "$1"); do
		[ -n "${arr[$1,$r]}" ] && echo "${arr[$1,$r]}"
	done
}

# check VALUE OP LIMIT: "✓" or "✗".
check() {
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
		ok = (op == "<=") ? v <= l : v >= l
		printf "%s", ok ? "✓" : "✗"
	}'
}

# targets ID: the target column: each target, the figure and ✓ or ✗.
targets() {
	local id=$1 t metric op lim ref v out="" s
	for t in ${C_TARGETS[$id]}; do
		[[ $t =~ ^([a-z]+)(@([A-Za-z0-9_.-]+))?(<=|>=)([0-9.]+)$ ]] || {
			echo "bad target '$t' for $id" >&2; continue; }
		metric=${BASH_REMATCH[1]} ref=${BASH_REMATCH[3]}
		op=${BASH_REMATCH[4]} lim=${BASH_REMATCH[5]}
		v=""
		case $metric in
		time|speed)
			ref=${ref:-${C_REF[$id]}}
			v=$(paired "$id" "$ref" "$metric" | cut -d' ' -f1)
			s="$metric vs ${C_SHORT[$ref]:-$(plain "${C_LABEL[$ref]}")} ${op}${lim}x"
			;;
		cpu)	ref=${ref:-${C_CPUREF[$id]}}
			v=$(cpu_ratio "$id" "$ref" | cut -d' ' -f1)
			s="CPU/job vs ${C_SHORT[$ref]:-$(plain "${C_LABEL[$ref]}")} ${op}${lim}x" ;;
		own)	v=$(own_cpu "$id" | cut -d' ' -f1)
			s="own CPU ${op}${lim} µs" ;;
		wall)	v=$(field "$id" S_WALL | stats | cut -d' ' -f1)
			s="wall ${op}${lim} s" ;;
		rss)	v=$(field "$id" S_RSS | stats | cut -d' ' -f1)
			s="RSS ${op}${lim} MiB" ;;
		esac
		s=${s//<=/≤}
		s=${s//>=/≥}
		if [ -z "$v" ]; then
			out+="${out:+ · }$s: no data"
		else
			out+="${out:+ · }$s: $(fmt_num "$v") $(check "$v" "$op" "$lim")"
		fi
	done
	printf '%s' "$out"
}

# plain LABEL: a label without Markdown backquotes, for inline use.
plain() {
	printf '%s' "${1//\`/}"
}

# report TITLE RATE_UNIT: print the workload's rows of the table.
#	RATE_UNIT	jobs/s, MB/s, records/s, or "" for no rate column
report() {
	local title=$1 rate_unit=$2 id first=1 w n ok rate ratio cpu own alt rss
	for id in "${CELLS[@]}"; do
		n=$(ok_runs "$id" | wc -l)
		w=$(field "$id" S_WALL | stats)
		if [ "$n" -eq 0 ]; then
			printf '| %s | %s | failed in every run | | | | | | %s |\n' \
			    "$([ $first = 1 ] && echo "$title")" "${C_LABEL[$id]}" \
			    "$(sed -n 1p "$TMP/err.$id" | tr '|' '/')"
			first=0
			continue
		fi
		set -- $w
		ok=$(fmt_trio "$1" "$2" "$3")
		[ "$n" -lt "$RUNS" ] && ok+=" ($((RUNS - n)) of $RUNS runs failed)"
		rate=""
		if [ -n "$rate_unit" ]; then
			case $rate_unit in
			MB/s)	rate=$(fmt_num "$(calc "${C_UNITS[$id]} / 1e6 / $1")") ;;
			*)	rate=$(fmt_num "$(calc "${C_UNITS[$id]} / $1")") ;;
			esac
		fi
		ratio=""
		if [ -n "${C_REF[$id]}" ] && [ "${C_REF[$id]}" != "$id" ]; then
			ratio=$(paired "$id" "${C_REF[$id]}" "${C_KIND[$id]}")
			[ -n "$ratio" ] && ratio="$(fmt_ratio $ratio) ${C_KIND[$id]}"
		elif [ -n "${C_REF[$id]}" ]; then
			ratio="1 (reference)"
		fi
		cpu="" own=""
		if [ -n "${C_CPUREF[$id]}" ]; then
			if [ "${C_CPUREF[$id]}" != "$id" ]; then
				cpu=$(cpu_ratio "$id" "${C_CPUREF[$id]}")
				[ -n "$cpu" ] && cpu=$(fmt_num "${cpu%% *}")
			else
				cpu=1
			fi
			own=$(own_cpu "$id")
			[ -n "$own" ] && own="$(fmt_num "${own%% *}") ${C_OWN[$id]}"
			# A second opinion: perf misses what the runner costs
			# its jobs before they exec; delta sees it, noisily.
			if [ "${C_OWN[$id]}" = perf ] && [ "${C_JOBREF[$id]}" != "$id" ]; then
				alt=$(own_cpu "$id" delta)
				[ -n "$alt" ] && own+=" (delta $(fmt_num "${alt%% *}"))"
			fi
		fi
		rss=$(field "$id" S_RSS | stats)
		[ -n "$rss" ] && rss="$(fmt_num "${rss%% *}") MiB"
		printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
		    "$([ $first = 1 ] && echo "$title")" "${C_LABEL[$id]}" "$ok" \
		    "${rate:+$rate $rate_unit}" "$ratio" "$cpu" "$own" "$rss" \
		    "$(targets "$id")"
		first=0
	done
}

# reset_cells: forget the workload's cells (samples stay, keyed by id).
reset_cells() {
	CELLS=()
}
