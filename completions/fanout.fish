# fish completion for fanout
#
# fanout [OPTION]... [COMMAND [ARG]...] [::: VALUE... | :::: FILE...]...
# fanout's options are offered only before COMMAND; from COMMAND on, the
# command's own completion takes over.

# The options that take the next word as their argument.
set -g __fanout_params -a --arg-file -d --delimiter -C --colsep -n -N \
    --max-args --max-replace-args -L -s --max-chars -E -I --trim --header \
    --process-slot-var \
    --extensionreplace --er --basenamereplace --bnr --basenameextensionreplace \
    --bner --dirnamereplace --dnr --seqreplace --slotreplace \
    --arg-sep --argsep --arg-file-sep --block --block-size --recend \
    --recstart --rpl --env --mode -j -P --jobs --max-procs --load --memfree \
    --delay --timeout --termseq --retries --retry-delay --halt \
    --halt-on-error --nice --id --semaphorename --semaphoretimeout --st \
    --tagstring --tmpdir --compress-program --decompress-program --results --res -S --sshlogin --sshloginfile --slf \
    --ssh --sshdelay --workdir --wd --transferfile --tf --return --trc \
    --basefile --bf --joblog --jl --report --total --total-jobs --runs -J \
    --profile

# Whether the command line has no COMMAND yet.
function __fanout_no_command
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip 0
    for t in $tokens
        if test $skip = 1
            set skip 0
        else if test "$t" = --
            return 1
        else if contains -- $t $__fanout_params
            set skip 1
        else if not string match -q -- '-?*' $t
            return 1
        end
    end
    return 0
end

# --compare=MODES: a comma-separated list of modes.
function __fanout_compare_modes
    set -l cur (commandline -ct | string replace -r -- '^--compare=' '')
    set -l done (string match -r -- '^.*,' $cur)
    for m in process thread async
        printf '%s%s\n' "$done" $m
    end
end

complete -c fanout -x -a '(__fish_complete_subcommand $__fanout_params)'
complete -c fanout -n __fanout_no_command -s a -l arg-file -r -F -d 'Read an input source from a file'
complete -c fanout -n __fanout_no_command -s 0 -l null -d 'Records end with NUL'
complete -c fanout -n __fanout_no_command -s d -l delimiter -x -d 'Records end with this string'
complete -c fanout -n __fanout_no_command -s C -l colsep -x -d 'Split records into columns'
complete -c fanout -n __fanout_no_command -s n -l max-args -x -d 'Records per job'
complete -c fanout -n __fanout_no_command -s N -l max-replace-args -x -d 'Records per job, with context replace'
complete -c fanout -n __fanout_no_command -s X -d 'Pack records per job, with context'
complete -c fanout -n __fanout_no_command -s m -d 'Pack records per job'
complete -c fanout -n __fanout_no_command -s L -x -d 'Lines per job'
complete -c fanout -n __fanout_no_command -s l -l max-lines -d 'Lines per job, xargs\'s way (default 1)'
complete -c fanout -n __fanout_no_command -s e -l eof -d 'End-of-input marker (default none)'
complete -c fanout -n __fanout_no_command -s x -l exit -d 'Stop at a command line longer than -s'
complete -c fanout -n __fanout_no_command -s i -l replace -d 'Replacement string for {} (default {})'
complete -c fanout -n __fanout_no_command -l process-slot-var -x -d 'Jobs get this variable set to their slot - 1'
complete -c fanout -n __fanout_no_command -l extensionreplace -l er -x -d 'Replacement string for {.}'
complete -c fanout -n __fanout_no_command -l basenamereplace -l bnr -x -d 'Replacement string for {/}'
complete -c fanout -n __fanout_no_command -l basenameextensionreplace -l bner -x -d 'Replacement string for {/.}'
complete -c fanout -n __fanout_no_command -l dirnamereplace -l dnr -x -d 'Replacement string for {//}'
complete -c fanout -n __fanout_no_command -l seqreplace -x -d 'Replacement string for {#}'
complete -c fanout -n __fanout_no_command -l slotreplace -x -d 'Replacement string for {%}'
complete -c fanout -n __fanout_no_command -s o -l open-tty -d 'Jobs read the terminal'
complete -c fanout -n __fanout_no_command -s s -l max-chars -x -d 'Command line size cap'
complete -c fanout -n __fanout_no_command -l show-limits -d 'Print the command line size limits'
complete -c fanout -n __fanout_no_command -s E -x -d 'End-of-input marker'
complete -c fanout -n __fanout_no_command -l trim -x -a 'l r lr n' -d 'Trim blanks from values'
complete -c fanout -n __fanout_no_command -l header -x -a ':' -d 'First record names the columns'
complete -c fanout -n __fanout_no_command -l skip-first-line -d 'The first record of the first source is not input'
complete -c fanout -n __fanout_no_command -l shebang -l hashbang -d 'First option of a #! line: the script is the input'
complete -c fanout -n __fanout_no_command -l shebang-wrap -d 'First option of a #! line: PROGRAM runs the script per argument'
complete -c fanout -n __fanout_no_command -s r -l no-run-if-empty -d 'Skip empty records'
complete -c fanout -n __fanout_no_command -l link -d 'Pair sources element by element'
complete -c fanout -n __fanout_no_command -l shuf -d 'Run the jobs in random order'
complete -c fanout -n __fanout_no_command -l csv -d 'Records and fields as CSV (RFC 4180)'
complete -c fanout -n __fanout_no_command -l arg-sep -x -d 'Separator for value sources'
complete -c fanout -n __fanout_no_command -l arg-file-sep -x -d 'Separator for file sources'
complete -c fanout -n __fanout_no_command -l pipe -d 'Cut standard input into blocks, one per job'
complete -c fanout -n __fanout_no_command -l pipepart -d 'Cut the file of -a into blocks, reading only near their edges'
complete -c fanout -n __fanout_no_command -l block -l block-size -x -a '1M 10M 100M' -d 'Bytes a block'
complete -c fanout -n __fanout_no_command -l recend -x -d 'Records end with this string'
complete -c fanout -n __fanout_no_command -l recstart -x -d 'Records start with this string'
complete -c fanout -n __fanout_no_command -l regexp -d 'Record strings are regular expressions'
complete -c fanout -n __fanout_no_command -l rrs -l remove-rec-sep -l removerecsep -d 'Remove the record separators'
complete -c fanout -n __fanout_no_command -l cat -d 'The block in a file named {}'
complete -c fanout -n __fanout_no_command -l fifo -d 'The block in a named pipe {}'
complete -c fanout -n __fanout_no_command -l round-robin -l round -d 'Start -j jobs once and deal them the blocks'
complete -c fanout -n __fanout_no_command -l tee -d 'Give every ::: job the whole stream'
complete -c fanout -n __fanout_no_command -s I -x -d 'Replacement string for {}'
complete -c fanout -n __fanout_no_command -l plus -d 'More replacement strings, as in GNU parallel'
complete -c fanout -n __fanout_no_command -s q -l quote -d 'Quote the command words too'
complete -c fanout -n __fanout_no_command -l shell -d 'Always use a shell (--shell=PROG)'
complete -c fanout -n __fanout_no_command -l no-shell -d 'Never use a shell'
complete -c fanout -n __fanout_no_command -l env -x -a '(set -n)' -d 'Jobs get this variable or function'
complete -c fanout -n __fanout_no_command -s S -l sshlogin -x -a '(__fish_print_hostnames)' -d 'Run jobs on these hosts through ssh'
complete -c fanout -n __fanout_no_command -l sshloginfile -l slf -r -F -d 'The hosts of this file'
complete -c fanout -n __fanout_no_command -l ssh -x -a '(__fish_complete_command)' -d 'The ssh program and its options'
complete -c fanout -n __fanout_no_command -l sshdelay -x -d 'Time between ssh starts'
complete -c fanout -n __fanout_no_command -l filter-hosts -d 'Drop the hosts that do not answer'
complete -c fanout -n __fanout_no_command -l onall -d 'Run every job on every host'
complete -c fanout -n __fanout_no_command -l nonall -d 'Run the command once on every host'
complete -c fanout -n __fanout_no_command -l workdir -l wd -x -a '... (__fish_complete_directories)' -d 'Remote jobs run in this directory'
complete -c fanout -n __fanout_no_command -l transfer -d 'Send the input file to the host first'
complete -c fanout -n __fanout_no_command -l transferfile -l tf -r -F -d 'Send this file to the host first'
complete -c fanout -n __fanout_no_command -l return -r -F -d 'Fetch this file back after the job'
complete -c fanout -n __fanout_no_command -l cleanup -d 'Remove what was sent and fetched from the host'
complete -c fanout -n __fanout_no_command -l trc -r -F -d 'Transfer, return this file, clean up'
complete -c fanout -n __fanout_no_command -l basefile -l bf -r -F -d 'Send this file to each host once'
complete -c fanout -n __fanout_no_command -l dry-run -d 'Print the commands, run nothing'
complete -c fanout -n __fanout_no_command -s v -d 'Print each command before its output'
complete -c fanout -n __fanout_no_command -s t -l verbose -d 'Print each command on stderr as it starts'
complete -c fanout -n __fanout_no_command -l mode -x -a 'process thread async' -d 'Execution mode'
complete -c fanout -n __fanout_no_command -s j -l jobs -r -d 'Jobs at once, or a file holding the count'
complete -c fanout -n __fanout_no_command -l load -x -d 'Start no job while the load average is this or more'
complete -c fanout -n __fanout_no_command -l memfree -x -d 'Start no job while less memory is available'
complete -c fanout -n __fanout_no_command -s P -l max-procs -r -d 'Jobs at once, or a file holding the count'
complete -c fanout -n __fanout_no_command -l delay -x -d 'Time between job starts'
complete -c fanout -n __fanout_no_command -l timeout -x -d 'Time limit per job'
complete -c fanout -n __fanout_no_command -l termseq -x -d 'How jobs are ended'
complete -c fanout -n __fanout_no_command -l retries -x -d 'Attempts in all'
complete -c fanout -n __fanout_no_command -l retry-delay -x -d 'Wait before a retry'
complete -c fanout -n __fanout_no_command -l halt -x -a 'now,fail=1 soon,fail=1 now,success=1 now,done=1 never' -d 'Stop early'
complete -c fanout -n __fanout_no_command -l group -d 'Whole job output at its end'
complete -c fanout -n __fanout_no_command -s k -l keep-order -d 'Output in input order'
complete -c fanout -n __fanout_no_command -l line-buffer -l lb -d 'Whole lines as they come'
complete -c fanout -n __fanout_no_command -s u -l ungroup -d 'Jobs write straight through'
complete -c fanout -n __fanout_no_command -l tag -d 'Prefix lines with the values'
complete -c fanout -n __fanout_no_command -l tagstring -x -d 'Prefix lines with a string'
complete -c fanout -n __fanout_no_command -l tmpdir -x -a '(__fish_complete_directories)' -d 'Where held output spills'
complete -c fanout -n __fanout_no_command -l compress -d 'Compress held output that spills'
complete -c fanout -n __fanout_no_command -l compress-program -x -a '(__fish_complete_command)' -d 'Compress with a command'
complete -c fanout -n __fanout_no_command -l decompress-program -x -a '(__fish_complete_command)' -d 'Decompress with a command'
complete -c fanout -n __fanout_no_command -l files -d 'Save each job stdout in a file, print its name'
complete -c fanout -n __fanout_no_command -l quiet -d 'No failure list'
complete -c fanout -n __fanout_no_command -l joblog -r -F -d 'Log each finished job'
complete -c fanout -n __fanout_no_command -l resume -d 'Skip the jobs the joblog has'
complete -c fanout -n __fanout_no_command -l resume-failed -d 'Skip logged jobs, rerun failed ones'
complete -c fanout -n __fanout_no_command -l retry-failed -d 'Rerun only the failed jobs of the joblog'
complete -c fanout -n __fanout_no_command -l report -r -F -d 'JSON Lines report'
complete -c fanout -n __fanout_no_command -l summary -d 'A summary table at the end'
complete -c fanout -n __fanout_no_command -l progress -d 'A status line on stderr'
complete -c fanout -n __fanout_no_command -l bar -d 'A progress bar on stderr'
complete -c fanout -n __fanout_no_command -l eta -d 'An estimate of the time left'
complete -c fanout -n __fanout_no_command -l total -x -d 'The number of jobs'
complete -c fanout -n __fanout_no_command -l results -x -a '(__fish_complete_directories)' -d 'Save output under a directory'
complete -c fanout -n __fanout_no_command -l compare -f -a '(__fanout_compare_modes)' -d 'Run once per mode and compare (--compare=MODES)'
complete -c fanout -n __fanout_no_command -l runs -x -d 'Runs per mode with --compare'
complete -c fanout -n __fanout_no_command -l will-cite -d 'Accepted; does nothing'
complete -c fanout -n __fanout_no_command -l no-notice -d 'Accepted; does nothing'
complete -c fanout -n __fanout_no_command -l list-options -d 'List the long options'
complete -c fanout -n __fanout_no_command -s J -l profile -x -a '(command ls (set -q XDG_CONFIG_HOME; and echo $XDG_CONFIG_HOME; or echo ~/.config)/fanout 2>/dev/null)' -d 'Read default options from a profile'
complete -c fanout -n __fanout_no_command -s h -l help -d 'Print help'
complete -c fanout -n __fanout_no_command -s V -l version -d 'Print the version'
complete -c fanout -n __fanout_no_command -l nice -x -d 'Run at this niceness'
complete -c fanout -n __fanout_no_command -l semaphore -d 'Run the command in a slot of a shared semaphore'
complete -c fanout -n __fanout_no_command -l id -x -d 'Name of the semaphore'
complete -c fanout -n __fanout_no_command -l fg -d 'Hold the slot and wait for the command'
complete -c fanout -n __fanout_no_command -l wait -d 'Wait until no slot of the semaphore is held'
complete -c fanout -n __fanout_no_command -l semaphoretimeout -l st -x -d 'Wait at most this long for a slot'
