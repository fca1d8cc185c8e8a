#!/usr/bin/env bats
# --results NAME as GNU parallel reads it: "-.csv", "-.tsv" and "-.json"
# write the table to stdout; a name with replacement strings is expanded
# per job into GNU parallel's layout of files; a plain name keeps
# fanout's DIR/<seq>/ layout.

load helper

# A table with Starttime and JobRuntime, which differ each run, as T R.
untimed() {
	sed -E -e "s/^([0-9]+)($1):\\2[0-9.]+\\2[0-9.]+\\2/\\1\\2:\\2T\\2R\\2/" \
	    -e 's/"Starttime": [0-9.]+, "JobRuntime": [0-9.]+,/"Starttime": T, "JobRuntime": R,/'
}

@test "--results -.csv writes the table to stdout, and nothing else, as GNU parallel" {
	run --separate-stderr fanout -k --results -.csv 'echo {}; echo e{} >&2; exit {#}' ::: a 'b,"c d' ::: x
	[ "$status" -eq 2 ]
	[ ! -e -.csv ]
	ours=$(untimed , <<< "$output")
	[[ "$ours" == 'Seq,Host,Starttime,Job'* ]]
	st=0
	gnu_parallel /dev/null -k --results -.csv 'echo {}; echo e{} >&2; exit {#}' ::: a 'b,"c d' ::: x > gnu || st=$?
	[ "$st" -eq 2 ]
	[ "$ours" = "$(untimed , < gnu)" ]
}

@test "--results -.tsv writes the table to stdout, and nothing else, as GNU parallel" {
	run --separate-stderr fanout -k --results -.tsv 'echo {}; echo e{} >&2' ::: a 'b c'
	[ "$status" -eq 0 ]
	[ ! -e -.tsv ]
	ours=$(untimed '\t' <<< "$output")
	[[ "$ours" == "Seq	Host	Starttime"* ]]
	gnu_parallel /dev/null -k --results -.tsv 'echo {}; echo e{} >&2' ::: a 'b c' > gnu
	[ "$ours" = "$(untimed '\t' < gnu)" ]
}

@test "--results -.json writes one object a job to stdout, and nothing else, as GNU parallel" {
	# Output without control characters: GNU parallel writes those as
	# \u00XX where fanout writes \n and the like.
	run --separate-stderr fanout -k --results -.json 'printf %s {}; printf e >&2' ::: a 'b"c'
	[ "$status" -eq 0 ]
	[ ! -e -.json ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == '{ "Seq": 2, "Host": ":", "Starttime": '* ]]
	ours=$(untimed , <<< "$output")
	gnu_parallel /dev/null -k --results -.json 'printf %s {}; printf e >&2' ::: a 'b"c' > gnu
	[ "$ours" = "$(untimed , < gnu)" ]
}

@test "--results -.CSV, not spelt as GNU parallel's, is a file" {
	run --separate-stderr fanout -k --results -.CSV echo ::: a
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[[ "$(cat ./-.CSV)" == 'Seq,Host,'* ]]
}

# Every file under DIR with its bytes, one a line, in name order.
tree() {
	(cd "$1" && find . -type f | LC_ALL=C sort | while read -r f; do
		printf '%s:%s\n' "$f" "$(od -An -c "$f" | tr -s ' \n' '  ')"
	done)
}

# same_as_gnu ARGS...: fanout ARGS in ours/, GNU parallel ARGS in gnu/
# (when installed), with the same files made and the same status.
same_as_gnu() {
	local st=0 gst=0
	mkdir ours gnu
	(cd ours && "$FANOUT_BIN" "$@") || st=$?
	command -v parallel > /dev/null ||
	    skip "GNU parallel is not installed: nothing to compare with"
	(cd gnu && parallel --will-cite "$@" < /dev/null) || gst=$?
	diff <(tree gnu) <(tree ours)
	[ "$st" -eq "$gst" ]
}

@test "--results DIR/{} saves NAME, NAME.err and NAME.seq for each job" {
	run --separate-stderr fanout -k --results out/{} 'echo {}; echo e{} >&2' ::: a b
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
	[ "$(cat out/a)" = a ]
	[ "$(cat out/a.err)" = ea ]
	[ "$(cat out/b)" = b ]
	[ "$(cat out/b.err)" = eb ]
	[ "$(od -An -c out/b.seq | tr -d ' ')" = 2 ]
	[ ! -e 'out/{}' ]
}

@test "--results with {} lays files out as GNU parallel" {
	same_as_gnu -k --results out/{} 'echo {}; echo e{} >&2' ::: a b
}

@test "--results NAME/ ending in / makes a directory of stdout, stderr and seq, as GNU parallel" {
	same_as_gnu -k --results 'out/{}/' 'echo {}; echo e{} >&2; exit {#}' ::: a b
	[ "$(cat ours/out/b/stdout)" = b ]
	[ "$(cat ours/out/b/stderr)" = eb ]
	[ "$(cat ours/out/b/seq)" = 2 ]
}

@test "--results with {#}, {1}, {2} and several sources, as GNU parallel" {
	same_as_gnu -k --results 'r/{#}-{1}/{2}.txt' 'echo {1}{2}' ::: a b ::: c d
	[ "$(cat ours/r/4-b/d.txt)" = bd ]
}

@test "--results: a value holding / makes the directories it names, as GNU parallel" {
	same_as_gnu -k --results 'out/{}' 'echo {}' ::: x/y/z 'p q'
	[ "$(cat ours/out/x/y/z)" = x/y/z ]
	[ "$(cat ours/out/p\ q)" = 'p q' ]
}

@test "--results: -I's string and --header names work in the name" {
	fanout -I XX --results 'i/XX.out' echo ::: a
	[ "$(cat i/a.out)" = a ]
	printf 'name\tv\nx\t1\n' > in.tsv
	fanout --header : --colsep '\t' --results 'h/{name}-{v}' echo :::: in.tsv
	[ "$(cat h/x-1)" = 'x 1' ]
}

@test "--results: a plain directory keeps DIR/<seq>/, its missing parents made" {
	run --separate-stderr fanout -k --results p/q/r echo ::: a b
	[ "$status" -eq 0 ]
	[ "$(cat p/q/r/2/stdout)" = b ]
	[ -f p/q/r/2/status ]
}

@test "--results: a name that expands to nothing stops the run, fanout's failure" {
	run --separate-stderr fanout -j1 -k --results '{}' 'echo {}' ::: '' b
	[ "$status" -eq 255 ]
	[ -z "$output" ]
	[ "$stderr" = "fanout: --results: '{}' gives job 1 an empty name" ]
	[ ! -e b ]
	[ ! -e .err ]
	[ ! -e .seq ]
}

@test "--results: a name that is a directory ('..') stops the run, fanout's failure" {
	run --separate-stderr fanout -j1 -k --results 'o/{}' 'echo {}' ::: .. b
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --results: cannot write 'o/..' for job 1: Is a directory" ]
	[ ! -e o/b ]
	[ ! -e o/...seq ]
}

@test "--results: a place that cannot be written stops the run with its name and reason" {
	echo x > file
	run --separate-stderr fanout -k --results 'file/{}' echo ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --results: cannot write 'file/a' for job 1: Not a directory" ]
	[ "$(cat file)" = x ]
}

@test "--resume with a --results name with replacement strings asks for --joblog" {
	run --separate-stderr fanout --resume --results 'out/{}' 'touch ran' ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --resume cannot tell which jobs a --results name with replacement strings saved: give --joblog FILE" ]
	[ ! -e ran ]
	fanout --resume --joblog log --results 'out/{}' echo ::: a b
	[ "$(cat out/b)" = b ]
}

@test "--results: a directory without write permission stops the run with its name and reason" {
	[ "$(id -u)" -eq 0 ] || skip "not root: cannot drop privileges to nobody"
	command -v setpriv > /dev/null || skip "no setpriv"
	d=$(mktemp -d /tmp/fanout-results.XXXXXX)
	cp "$FANOUT_BIN" "$d/fanout"
	mkdir "$d/ro"
	chmod 755 "$d" "$d/ro"
	run --separate-stderr setpriv --reuid=nobody --regid=nogroup \
	    --clear-groups sh -c 'cd "$1" && ./fanout --results ro/{}/ echo ::: a' sh "$d"
	rm -rf "$d"
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --results: cannot write 'ro/a/' for job 1: Permission denied" ]
}
