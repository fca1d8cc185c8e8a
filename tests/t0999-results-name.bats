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
