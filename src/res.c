/*
 * res: small files read whole and parsed strictly with num: the load
 * average, the memory figures and a -j FILE.  A look that fails leaves
 * the previous figures in place, so that a file caught half written
 * never lets a start through that the last good figures held back.
 */
#include "res.h"
#include "num.h"
#include "options.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOAD_MAX	1e9
#define KB_MAX		(INT64_MAX / 1024)

/* The whole of a small file into buf, NUL-terminated; its length. */
static ssize_t
read_small(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd, err;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			close(fd);
			return err;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return (ssize_t)len;
}

/* Blanks and newlines off both ends, in place. */
static char *
trim(char *s)
{
	size_t len;

	s += strspn(s, " \t\r\n");
	len = strlen(s);
	while (len > 0 && strchr(" \t\r\n", s[len - 1]) != NULL)
		s[--len] = '\0';
	return s;
}

int
res_jobs_file(const char *path, long ncpu, long *jobs, int *unbounded)
{
	char buf[64];
	ssize_t n;

	if ((n = read_small(path, buf, sizeof(buf))) < 0)
		return (int)n;
	if ((size_t)n == sizeof(buf) - 1)
		return -EINVAL;		/* far longer than any count */
	return num_jobs(trim(buf), ncpu, jobs, unbounded) < 0 ? -EINVAL : 0;
}

/* /proc/loadavg: "0.52 0.58 0.59 1/234 5678"; the first figure. */
static int
read_load(const char *path, double *load)
{
	char buf[256], *end;
	ssize_t n;

	if ((n = read_small(path, buf, sizeof(buf))) < 0)
		return (int)n;
	end = buf + strcspn(buf, " \t\n");
	*end = '\0';
	return num_decimal(buf, LOAD_MAX, load) < 0 ? -EINVAL : 0;
}

/* The kB figure of field name ("MemAvailable:") in meminfo, or -1. */
static int64_t
meminfo_kb(char *info, const char *name)
{
	size_t len = strlen(name);
	char *p, *nl, *end, c;
	int64_t kb;
	int r;

	for (p = info; strncmp(p, name, len) != 0; p = nl + 1)
		if ((nl = strchr(p, '\n')) == NULL)
			return -1;
	p += len + strspn(p + len, " \t");
	end = p + strspn(p, "0123456789");
	if (strncmp(end, " kB", 3) != 0)
		return -1;
	c = *end;
	*end = '\0';
	r = num_int64(p, 0, KB_MAX, &kb);
	*end = c;
	return r < 0 ? -1 : kb;
}

static int
read_mem(const char *path, int64_t *bytes)
{
	static const char *const old[] = {
		"MemFree:", "Buffers:", "Cached:", "SwapCached:",
	};
	char buf[8192];
	int64_t kb, sum = 0;
	ssize_t n;
	size_t i;

	if ((n = read_small(path, buf, sizeof(buf))) < 0)
		return (int)n;
	if ((kb = meminfo_kb(buf, "MemAvailable:")) >= 0) {
		*bytes = kb * 1024;
		return 0;
	}
	/* Before Linux 3.14: what GNU parallel adds up. */
	for (i = 0; i < sizeof(old) / sizeof(old[0]); i++) {
		if ((kb = meminfo_kb(buf, old[i])) < 0 || kb > KB_MAX - sum)
			return -EINVAL;
		sum += kb;
	}
	*bytes = sum * 1024;
	return 0;
}

/* A test hook's file, or the real one. */
static const char *
source(const char *env, const char *path)
{
	const char *p = getenv(env);

	return p != NULL && *p != '\0' ? p : path;
}

int
res_init(struct res *res, const struct config *cfg, const char **path)
{
	int r;

	*res = (struct res){ .max_load = cfg->max_load,
	    .memfree = cfg->memfree };
	res->load_path = source("FANOUT_LOADAVG_FILE", "/proc/loadavg");
	res->mem_path = source("FANOUT_MEMINFO_FILE", "/proc/meminfo");
	if (res->max_load > 0 && (r = read_load(res->load_path,
	    &res->load)) < 0) {
		*path = res->load_path;
		return r;
	}
	if (res->memfree > 0 && (r = read_mem(res->mem_path,
	    &res->avail)) < 0) {
		*path = res->mem_path;
		return r;
	}
	return 0;
}

int
res_watching(const struct res *res)
{
	return res->max_load > 0 || res->memfree > 0;
}

int
res_look(struct res *res, int64_t now, const char **path)
{
	int r = 0, r2 = 0;

	if (res->max_load > 0 &&
	    (r = read_load(res->load_path, &res->load)) < 0)
		*path = res->load_path;
	if (res->memfree > 0 &&
	    (r2 = read_mem(res->mem_path, &res->avail)) < 0)
		*path = res->mem_path;
	res->held = (res->max_load > 0 && res->load >= res->max_load) ||
	    (res->memfree > 0 && res->avail < res->memfree);
	res->short_ = res->memfree > 0 && res->avail < res->memfree / 2;
	res->next_ns = now + RES_INTERVAL_NS;
	return r < 0 ? r : r2;
}
