/*
 * sched: the one supervision loop every mode shares.  It pulls argument
 * lists from the input, makes jobs from the template, starts them
 * through the executor while a slot is free, and routes what the
 * executor hands back to the output policy and the reports.  Slots,
 * back-pressure, deadlines, termination sequences, retries, halts and
 * signals are decided here, on one thread, identically for every mode.
 *
 * --dry-run is not a mode: the loop runs as usual but prints each job's
 * line where it would start it, so no executor is created and no job
 * runs (sched_dry.c is the one place where it parts).
 */
#ifndef FANOUT_SCHED_H
#define FANOUT_SCHED_H

struct config;

/* Run every job; returns fanout's exit status.  May not return (dies of
 * a signal it received, as the calling shell expects). */
int	sched_run(const struct config *);

#endif
