#!/usr/bin/env bats
# The progress line's total, counted ahead by the input module with the
# same rules it reads records by (-L lines, several sources, -E).

load helper

@test "--progress knows the total of a file read -L 2 lines a job" {
	printf 'a\nb\nc\nd\ne\n' > in
	run --separate-stderr fanout --progress -L 2 true < in
	[ "$status" -eq 0 ]
	[[ "$stderr" == "fanout: 3/3 done, "* ]]
}

@test "--progress knows the total of a file combined with an argument list" {
	printf 'a\nb\n' > in
	run --separate-stderr fanout --progress -a in true {1}{2} ::: x y z
	[ "$status" -eq 0 ]
	[[ "$stderr" == "fanout: 6/6 done, "* ]]
}

@test "--progress counts a file's records up to a long -E marker" {
	marker=$(printf 'E%.0s' {1..300})
	printf 'a\nb\n%s\nc\n' "$marker" > in
	run --separate-stderr fanout --progress -E "$marker" true < in
	[ "$status" -eq 0 ]
	[[ "$stderr" == "fanout: 2/2 done, "* ]]
}

@test "--progress counts a file's records after the --header line" {
	printf 'h\na\nb\nc\n' > in
	run --separate-stderr fanout --progress --header : true < in
	[ "$status" -eq 0 ]
	[[ "$stderr" == "fanout: 3/3 done, "* ]]
}
