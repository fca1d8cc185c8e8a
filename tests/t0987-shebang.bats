#!/usr/bin/env bats
# --shebang and --shebang-wrap: fanout as a script's #! interpreter, as
# GNU parallel's; --skip-first-line, which --shebang stands on.

load helper

# script NAME LINE...: an executable file NAME of these lines.
script() {
	local name=$1
	shift
	printf '%s\n' "$@" > "$name"
	chmod +x "$name"
}

@test "--skip-first-line drops the first source's first record, only" {
	run --separate-stderr fanout --skip-first-line -k echo < <(printf 'a\nb\nc\n')
	[ "$status" -eq 0 ]
	[ "$output" = $'b\nc' ]
	run fanout --skip-first-line -k echo ::: x y ::: 1 2
	[ "$output" = $'y 1\ny 2' ]
	printf 'h\n1\n2\n' > f1
	printf '3\n4\n' > f2
	run fanout --skip-first-line -k echo :::: f1 f2
	[ "$output" = $'1 3\n1 4\n2 3\n2 4' ]
}

@test "a --shebang script's lines after the first are the input" {
	script s.sh "#!$FANOUT_BIN --shebang -k -r echo got" a 'b c' '' 'd'
	run --separate-stderr ./s.sh
	[ "$status" -eq 0 ]
	[ "$output" = $'got a\ngot b c\ngot d' ]
	[ -z "$stderr" ]
}

@test "a --shebang script's arguments are more input files" {
	script s.sh "#!$FANOUT_BIN --shebang -k echo" a b
	printf '1\n2\n' > more
	run --separate-stderr ./s.sh more
	[ "$status" -eq 0 ]
	[ "$output" = $'a 1\na 2\nb 1\nb 2' ]
	run --separate-stderr ./s.sh missing
	[ "$status" -eq 255 ]
	[[ $stderr == *missing* ]]
}

@test "a --shebang script's failing job fails as any job does" {
	script s.sh "#!$FANOUT_BIN --shebang -k sh -c 'echo \$0; exit \$0'" 0 3 0
	run --separate-stderr ./s.sh
	[ "$status" -eq 1 ]
	[ "$output" = $'0\n3\n0' ]
	[[ $stderr == *"job 2: exit 3"* ]]
}

@test "--shebang-wrap runs the script once per argument, through its program" {
	script w.sh "#!$FANOUT_BIN --shebang-wrap -k /bin/sh" 'echo "[$1] $#"'
	run --separate-stderr ./w.sh a 'b c' d
	[ "$status" -eq 0 ]
	[ "$output" = $'[a] 1\n[b c] 1\n[d] 1' ]
}

@test "--shebang-wrap without arguments takes the values from stdin" {
	script w.sh "#!$FANOUT_BIN --shebang-wrap -k /bin/sh" 'echo "<$1>"'
	run --separate-stderr ./w.sh < <(printf 'x\ny z\n')
	[ "$status" -eq 0 ]
	[ "$output" = $'<x>\n<y z>' ]
}

@test "--shebang anywhere but first, or with no script, is refused" {
	run --separate-stderr fanout -k --shebang echo ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --shebang must be the first option, on a script's #! line" ]
	run --separate-stderr fanout --shebang-wrap
	[ "$status" -eq 255 ]
	[[ $stderr == "fanout: --shebang-wrap: no script"* ]]
	[ -z "$output" ]
}
