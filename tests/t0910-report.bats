#!/usr/bin/env bats
# --report FILE: JSON Lines, one object per finished job and a summary.
# Every line is parsed by a real JSON parser (python3, else jq).

load helper

# Each line of FILE is one valid JSON value; prints nothing.
valid_jsonl() {
	if command -v python3 >/dev/null; then
		python3 -c '
import json, sys
for n, line in enumerate(open(sys.argv[1], "rb"), 1):
    try:
        json.loads(line.decode("utf-8"))
    except Exception as e:
        sys.exit("line %d: %s" % (n, e))
' "$1"
	else
		jq -e . "$1" >/dev/null
	fi
}

# The value of a jq filter on the job with seq N.
job() {
	jq -c "select(.seq == $2) | $3" "$1"
}

@test "--report writes one JSON object per job, then a summary" {
	fanout --report r.json 'echo {}' ::: a b c >/dev/null
	valid_jsonl r.json
	[ "$(wc -l < r.json)" -eq 4 ]
	[ "$(jq -c 'select(.seq) | .seq' r.json | sort -n | tr '\n' ' ')" = "1 2 3 " ]
	[ "$(tail -1 r.json | jq -c '.summary.done')" = 3 ]
}

@test "every job object has the documented fields and types" {
	fanout --report r.json 'echo {}' ::: a >/dev/null
	run jq -r 'select(.seq) | [
	    (.seq | type), (.command | type), (.args | type), (.exit | type),
	    (.signal | type), (.timed_out | type), (.attempts | type),
	    (.start | type), (.runtime_s | type), (.user_s | type),
	    (.sys_s | type), (.maxrss_kb | type), (.host | type),
	    (.slot | type), (.stdout_bytes | type), (.stderr_bytes | type),
	    (.mode | type)] | join(" ")' r.json
	[ "$output" = "number string array number null boolean number string number number number number string number number number string" ]
	[ "$(job r.json 1 '[.command, .args, .exit, .host, .slot, .stdout_bytes, .attempts]')" = '["echo a",["a"],0,":",1,2,1]' ]
}

@test "start is RFC 3339 UTC with milliseconds" {
	fanout --report r.json true ::: a
	start=$(job r.json 1 .start)
	[[ "$start" =~ ^\"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z\"$ ]]
	now=$(date -u +%Y-%m-%dT%H)
	[[ "$start" == "\"$now"* ]] || [[ "$start" == "\"$(date -u -d '-1 hour' +%Y-%m-%dT%H)"* ]]
}

@test "any bytes in commands and values give valid JSON" {
	fanout --report r.json 'printf %s {} >/dev/null' ::: "$(printf 'q"b\\s\x01\x1f\x7f\tz')" "$(printf '\xff\xfe bad \xc3\x28 \xe2\x82 \xed\xa0\x80 \xf4\x90\x80\x80')" "$(printf 'ok \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80')"
	valid_jsonl r.json
	# Quotes, backslashes and control characters come back exactly.
	[ "$(jq -r 'select(.seq == 1) | .args[0]' r.json | od -An -tx1 | tr -d ' \n')" = "7122625c73011f7f097a0a" ]
	# Invalid UTF-8 becomes U+FFFD; valid UTF-8 passes through.
	[ "$(jq -r 'select(.seq == 2) | .args[0]' r.json)" = "$(printf '\xef\xbf\xbd\xef\xbf\xbd bad \xef\xbf\xbd( \xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd')" ]
	[ "$(jq -r 'select(.seq == 3) | .args[0]' r.json)" = "$(printf 'ok \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80')" ]
}

@test "a job killed by a signal has exit null and the signal's name" {
	run --separate-stderr fanout --report r.json dieby ::: KILL
	[ "$status" -eq 1 ]
	[ "$(job r.json 1 '[.exit, .signal, .timed_out]')" = '[null,"SIGKILL",false]' ]
}

@test "a timed-out job has timed_out true" {
	run --separate-stderr fanout --timeout 0.3 --report r.json 'sleep {}' ::: 5
	[ "$status" -eq 1 ]
	[ "$(job r.json 1 '[.exit, .signal, .timed_out]')" = '[null,"SIGTERM",true]' ]
}

@test "a job that cannot run has exit 127" {
	run --separate-stderr fanout --report r.json no-such-program-here ::: a
	[ "$status" -eq 1 ]
	[ "$(job r.json 1 '.exit')" = 127 ]
}

@test "attempts counts the runs of a retried job" {
	fanout --retries 3 --report r.json ': {}; [ $FANOUT_ATTEMPT = 3 ]' ::: a
	[ "$(job r.json 1 '.attempts')" = 3 ]
	[ "$(tail -1 r.json | jq .summary.retried)" = 2 ]
}

@test "stdout_bytes and stderr_bytes count each stream" {
	fanout --report r.json both ::: abc >/dev/null 2>&1
	[ "$(job r.json 1 '[.stdout_bytes, .stderr_bytes]')" = '[8,8]' ]
}

@test "user_s and sys_s are the job's own CPU time" {
	fanout --report r.json "awk 'BEGIN { for (i = 0; i < 4000000; i++) s += i }'; : {}" ::: a
	awk -v u="$(job r.json 1 .user_s)" -v r="$(job r.json 1 .runtime_s)" \
	    'BEGIN { exit !(u > 0.05 && u <= r + 0.05) }'
}

@test "maxrss_kb is the job's peak memory" {
	command -v perl >/dev/null || skip "no perl to use memory"
	fanout --report r.json "perl -e '\$x = \"a\" x 80_000_000'; : {}" ::: a
	[ "$(job r.json 1 .maxrss_kb)" -gt 70000 ]
}

@test "mode is the mode that ran the job" {
	fanout --report r.json true ::: a
	[ "$(job r.json 1 .mode)" = "\"$FANOUT_MODE\"" ]
}

@test "the summary object counts and times the run" {
	# Runtimes 0.1, 0.4 and 0.7 s: far enough apart that a loaded
	# machine cannot reorder them.
	run --separate-stderr fanout -j3 --report r.json 'sleep 0.$(({} * 3 - 2)); [ {} -lt 3 ]' ::: 1 2 3
	[ "$status" -eq 1 ]
	s=$(tail -1 r.json)
	[ "$(jq -c '.summary | [.done, .failed, .timed_out, .retried, .skipped, .slots, .mode]' <<<"$s")" = "[3,1,0,0,0,3,\"$FANOUT_MODE\"]" ]
	[ "$(jq -c '.summary.slowest | map(.seq)' <<<"$s")" = "[3,2,1]" ]
	jq -e '.summary | .wall_s > 0.3 and .job_time_s > 0.59 and .runtime_s.max >= 0.3 and .runtime_s.p50 >= 0.2 and .runtime_s.exact and .maxrss_kb > 0 and (.start_latency_s.p99 | type) == "number"' <<<"$s" >/dev/null
}

@test "--report - writes to stderr" {
	run --separate-stderr fanout --report - echo ::: a
	[ "$output" = a ]
	[ "$(jq -c .seq <<<"${stderr%%$'\n'*}")" = 1 ]
	printf '%s\n' "$stderr" > r.json
	valid_jsonl r.json
}

@test "a new run truncates the report" {
	fanout --report r.json true ::: a b
	fanout --report r.json true ::: a
	[ "$(wc -l < r.json)" -eq 2 ]
}

@test "an unwritable report fails before any job runs" {
	run --separate-stderr fanout --report /nonexistent/r.json 'touch ran-{}' ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: --report: cannot write '/nonexistent/r.json'"* ]]
	[ ! -e ran-a ]
	run --separate-stderr fanout --report '' echo ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: --report: '' is empty"* ]]
}
