/* SPDX-License-Identifier: ISC */
/*
 * libmigcommon: what every mignet tool shares.
 *
 * Units are parsed and formatted here and nowhere else; configuration is INI
 * through libinih; JSON goes out through json-c; errors carry the SMS.xxxx
 * code of the source document where one applies, a one-line message and a
 * remedy for the operator.
 *
 * Conventions: functions return 0 on success and -1 on failure, after filling
 * the struct mig_error they were given (which may be NULL).  Nothing here
 * prints, exits or keeps global state.
 */
#ifndef MIGCOMMON_H
#define MIGCOMMON_H

#include <sys/time.h>
#include <sys/types.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

struct json_object;

/* ------------------------------------------------------------------ errors */

enum mig_errkind {
	MIG_E_NONE = 0,
	MIG_E_USAGE,	/* bad option or value: exit status 2, no change */
	MIG_E_CONFIG,	/* bad configuration file: exit status 2 */
	MIG_E_SYSTEM,	/* a system call or library failed: exit status 3 */
	MIG_E_NETWORK,	/* a peer or the network failed: exit status 3 */
	MIG_E_NOMEM,	/* out of memory: exit status 3 */
};

#define MIG_ERR_TEXT 256

struct mig_error {
	enum mig_errkind kind;
	const char *sms;		/* "SMS.0807" or NULL */
	char msg[MIG_ERR_TEXT];		/* what went wrong, one line */
	char remedy[MIG_ERR_TEXT];	/* what the operator should do */
};

/*
 * The catalog's codes by name (facts.md §1, §3, §5; the texts are in
 * sms_catalog.c).  Code sets and compares these, never a literal; tests keep
 * literals, as the independent reference.
 */
#define MIG_SMS_API_GATEWAY		"SMS.0203"	/* API gateway */
#define MIG_SMS_CLOCK			"SMS.0205"	/* clock wrong */
#define MIG_SMS_STATEMENT		"SMS.0208"	/* statement not sent */
#define MIG_SMS_DOMAIN			"SMS.0303"	/* a domain failed */
#define MIG_SMS_TLS			"SMS.0304"	/* TLS failed */
#define MIG_SMS_TRANSFER_NET		"SMS.0807"	/* net broke mid-copy */
#define MIG_SMS_DISK_FULL		"SMS.1351"	/* mount point full */
#define MIG_SMS_NO_SSH			"SMS.1402"	/* no SSH client */
#define MIG_SMS_DEST_UNREACHABLE	"SMS.1807"	/* port 8900 */
#define MIG_SMS_RESPONDER_BUSY		"SMS.1890"	/* ours: busy */
#define MIG_SMS_RESPONDER_KEY		"SMS.1891"	/* ours: key */
#define MIG_SMS_DEST_8899		"SMS.2802"	/* port 8899 */
#define MIG_SMS_NET_FAULT_2805		"SMS.2805"	/* net fault (resume) */
#define MIG_SMS_NET_FAULT_2806		"SMS.2806"	/* net fault (resume) */
#define MIG_SMS_SSH_FAILED		"SMS.3802"	/* SSH failed */
#define MIG_SMS_SSH_HOSTKEY		"SMS.3803"	/* host key */
#define MIG_SMS_SSH_AUTH		"SMS.3804"	/* credentials */
#define MIG_SMS_SSH_TIMEOUT		"SMS.3805"	/* port 22 timed out */
#define MIG_SMS_SSH_REFUSED		"SMS.3806"	/* port 22 refused */
#define MIG_SMS_NO_RSYNC		"SMS.6517"	/* no rsync */
#define MIG_SMS_OVERSPEED		"SMS.9007"	/* over the limit */

/* One entry of the error catalog (facts.md, every SMS.xxxx code). */
struct mig_sms {
	const char *code;	/* "SMS.0203" */
	const char *message;	/* English message */
	const char *remedy;	/* what to do about it */
	const char *section;	/* section of the source document, "§12.1" */
};

const struct mig_sms *mig_sms_lookup(const char *code);
size_t mig_sms_count(void);
const struct mig_sms *mig_sms_at(size_t i);

/*
 * Fill e (if not NULL) and return -1.  With sms set, the remedy is the
 * catalog's (empty for a code not in the catalog) and e->sms points at the
 * catalog's copy of the code; mig_error_remedy() overrides the remedy.
 * Text longer than MIG_ERR_TEXT - 1 is cut.
 */
int mig_error_set(struct mig_error *e, enum mig_errkind kind, const char *sms,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int mig_error_setv(struct mig_error *e, enum mig_errkind kind, const char *sms,
    const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
void mig_error_remedy(struct mig_error *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * "prefix: msg": how a CLI names the option (its flag) that a library's
 * error is about, since libraries name quantities, not flags.
 */
void mig_error_prefix(struct mig_error *e, const char *prefix);
void mig_error_clear(struct mig_error *e);
/*
 * Exit status for a failed command: 2 for usage/config, 3 otherwise (the
 * suite's scheme: common/migcli.h).
 */
int mig_error_exit_status(const struct mig_error *e);
/* "SMS.0203: msg\n  remedy: ...\n" (or without the code) to f. */
void mig_error_print(FILE *f, const char *prog, const struct mig_error *e);

/*
 * Text from outside (a file, a peer, the command line) made fit for one
 * line of a message: at most n bytes of s, up to its NUL, go to out (len
 * bytes, always terminated when len > 0, cut to fit), each byte below 0x20
 * or above 0x7e as '?', so that it can neither drive a terminal nor split
 * a line.  out may be s.  Returns out.
 */
char *mig_printable(const char *s, size_t n, char *out, size_t len);

/*
 * The destination ports of the source document (facts.md §1) and the one
 * mapping of a port's failure to its SMS code: 8900 (block-level data) and
 * 8899 (Windows) have one code for any failure; 22 (SSH) tells a timeout
 * (also no route: openssh reports both as a timeout) from a refusal, and an
 * open port that does not speak SSH, or that could not be tried, is a
 * failed SSH connection.  Other ports have no code (NULL), nor has an
 * open port.
 */
#define MIG_PORT_SSH		22
#define MIG_PORT_WINDOWS	8899
#define MIG_PORT_BLOCK		8900

enum mig_port_role {
	MIG_ROLE_OTHER = 0,
	MIG_ROLE_SSH,		/* 22 */
	MIG_ROLE_WINDOWS,	/* 8899 */
	MIG_ROLE_BLOCK,		/* 8900 */
};

enum mig_port_fail {
	MIG_PORT_OK = 0,	/* open (and SSH answered, on the SSH port) */
	MIG_PORT_REFUSED,	/* RST, ICMP port unreachable */
	MIG_PORT_TIMEOUT,	/* nothing within the timeout */
	MIG_PORT_UNREACHABLE,	/* no route, host unreachable */
	MIG_PORT_ERROR,		/* could not try (resolving, sockets) */
	MIG_PORT_NOT_SSH,	/* open, but no SSH banner */
};

/* The role of a port by its number: 22, 8899, 8900, or other. */
enum mig_port_role mig_port_role_of(unsigned port);
const char *mig_port_sms(enum mig_port_role role, enum mig_port_fail f);

/* ------------------------------------------------------------------- units */

/*
 * Every parser takes the name of what it parses ("--speed", "[limits] cpu")
 * so that the error names it, its range and the value given.  bare_unit is the
 * unit of a number written without one ("mbit", "GB", "s"); NULL refuses
 * numbers without a unit.  Spaces between number and unit are allowed;
 * units are case-insensitive except where noted.
 */

/*
 * Rate in bit/s.  Bit forms (SI, 1000): bit, kbit, mbit, gbit, tbit, also
 * written "Mbit/s", "kbits/s", "kb/s".  Byte forms: B/s, KB/s, MB/s, GB/s,
 * TB/s (SI) and KiB/s, MiB/s, GiB/s, TiB/s (binary).  Where both could be
 * meant, lowercase "b" is a bit and uppercase "B" a byte: "Mb/s" and "mb/s"
 * are megabits, "MB/s" and "mB/s" megabytes; the prefix letter is
 * case-insensitive and always SI for bits.  Byte rates need the "/s" ("MB"
 * alone is a size).  tc's "mbps" (megabytes) and the common "Mbps"
 * (megabits) contradict each other: "bps" forms are refused with a hint.
 * Fractions are exact to the bit: "0.5mbit" is 500000.  No exponents, no
 * sign, at most 64 characters; a result above UINT64_MAX is out of range.
 */
int mig_parse_rate(const char *name, const char *s, const char *bare_unit,
    uint64_t *bps, struct mig_error *e);

/*
 * Size in bytes.  B; KB, MB, GB (SI: 10^3, 10^6, 10^9) and TB = 1024 GB, as
 * the source document counts (Table 13-1); KiB, MiB, GiB, TiB (binary).
 * Case-insensitive: a "b" is a byte here.  Limits as for rates.
 */
int mig_parse_size(const char *name, const char *s, const char *bare_unit,
    uint64_t *bytes, struct mig_error *e);

/*
 * Duration in nanoseconds: ns, us, ms, s (sec), m (min), h, d, any case, and
 * sums like "1h30m" or "1h 30m"; each part may be a fraction ("1.5s").
 * bare_unit applies only to a lone number ("30" with "s").
 */
int mig_parse_duration(const char *name, const char *s, const char *bare_unit,
    uint64_t *ns, struct mig_error *e);

/* "70%" or "70" -> 70.0; range [min, max] checked. */
int mig_parse_percent(const char *name, const char *s, double min, double max,
    double *pct, struct mig_error *e);

/* "70%" -> 0.7, "0.7" -> 0.7; range [min, max] checked (as ratios). */
int mig_parse_ratio(const char *name, const char *s, double min, double max,
    double *ratio, struct mig_error *e);

/* Decimal integer in [min, max], no unit. */
int mig_parse_uint(const char *name, const char *s, uint64_t min, uint64_t max,
    uint64_t *v, struct mig_error *e);

/* Decimal number in [min, max] (finite), no unit. */
int mig_parse_double(const char *name, const char *s, double min, double max,
    double *v, struct mig_error *e);

/*
 * The same with open range ends: open is 0 or MIG_OPEN_MIN and/or
 * MIG_OPEN_MAX, and the error prints the range that way: "(0, 1]".
 */
#define MIG_OPEN_MIN	1
#define MIG_OPEN_MAX	2
int mig_parse_double_x(const char *name, const char *s, double min,
    double max, int open, double *v, struct mig_error *e);
int mig_parse_percent_x(const char *name, const char *s, double min,
    double max, int open, double *pct, struct mig_error *e);
int mig_parse_ratio_x(const char *name, const char *s, double min,
    double max, int open, double *ratio, struct mig_error *e);

/* "320 Mbit/s", "1.5 Gbit/s", "800 kbit/s", "12 bit/s" */
char *mig_fmt_rate(char *buf, size_t len, double bps);
/* "100 GB", "1.50 TB" (1 TB = 1024 GB), "512 MB", "900 B" */
char *mig_fmt_size(char *buf, size_t len, uint64_t bytes);
/* "3h 10m", "19m 03s", "4.2s", "350ms", "120us" */
char *mig_fmt_duration(char *buf, size_t len, uint64_t ns);

#define MIG_KB	1000ULL
#define MIG_MB	1000000ULL
#define MIG_GB	1000000000ULL
#define MIG_TB	(1024ULL * MIG_GB)	/* the document's terabyte */
#define MIG_NS_PER_S 1000000000ULL

/* ------------------------------------------------------------------- files */

#define MIG_PATH_MAX	4096	/* Linux's PATH_MAX */

/*
 * write(2) until all n bytes are out, again after EINTR.  -1 with errno
 * set (EIO for a write that wrote nothing).
 */
int mig_write_all(int fd, const void *buf, size_t n);

/*
 * mkdir -p with one mode policy: dir itself is created with mode (0700 for
 * what only root may read, 0755 for what others may), the missing
 * directories above it with 0755, as mkdir -p makes them (they only lead
 * to dir); the umask applies.  Existing directories are left as they are;
 * something that is not a directory in the way is an error (MIG_E_SYSTEM).
 */
int mig_mkdirs(const char *dir, mode_t mode, struct mig_error *e);

/*
 * Replacing a file whole: readers see the old contents or the new, and
 * after a crash the file holds one or the other, never a part.  The new
 * contents go to "path.tmp" (created with mode, never through a symbolic
 * link), which is flushed, fsync'd and renamed over path; then path's
 * directory is fsync'd, so that the rename is on disk too.  On failure
 * path.tmp is removed and path is the old file (a failed fsync of the
 * directory is reported after the rename).  Errors name the file.
 */
struct mig_replace {
	FILE *f;			/* write the new contents here */
	char path[MIG_PATH_MAX];
	char tmp[MIG_PATH_MAX + 8];
};

int mig_replace_open(struct mig_replace *r, const char *path, mode_t mode,
    struct mig_error *e);
/* Closes r->f whatever happens; 0 once path holds the new contents. */
int mig_replace_commit(struct mig_replace *r, struct mig_error *e);
/* Drops the new contents: closes r->f, removes path.tmp. */
void mig_replace_abort(struct mig_replace *r);
/* n bytes of buf as path's new contents. */
int mig_replace_file(const char *path, const void *buf, size_t n, mode_t mode,
    struct mig_error *e);

/*
 * Reading a file a user named (a configuration, thresholds, an endpoint
 * list, a key): opened without blocking and refused unless it is a
 * regular file, so that a FIFO, a terminal or a device never hangs the
 * tool ("PATH is a FIFO, not a regular file: give a file").  Reads at most
 * max bytes into a new NUL-terminated buffer (*buf, free it; *len bytes)
 * and refuses a larger file; *mode gets the file's permission bits (may
 * be NULL).  Errors name the file; the kind is MIG_E_CONFIG.
 */
int mig_read_file(const char *path, size_t max, char **buf, size_t *len,
    mode_t *mode, struct mig_error *e);
/*
 * The same check for a file another library opens itself (a hosts file,
 * a CA bundle): 0 when path is a readable regular file.
 */
int mig_check_file(const char *path, struct mig_error *e);

/* -------------------------------------------------------------- prometheus */

/*
 * Prometheus' text exposition format (prom.c): "# HELP name help" and
 * "# TYPE name type" (gauge, counter); a label value escaped (\\, \",
 * \n; at most 255 bytes); a value in its shortest exact form.
 */
void mig_prom_family(FILE *f, const char *name, const char *type,
    const char *help);
void mig_prom_label(FILE *f, const char *s);
void mig_prom_value(FILE *f, double v);

/* ----------------------------------------------------------- data files */

/*
 * The path of a file of mignet's share/ ("thresholds.ini",
 * "endpoints/huaweicloud.conf") in buf: $MIGNET_DATADIR, the installed
 * share/mignet, or the source tree's share/, the first that has it.
 * MIG_E_CONFIG naming the places looked in.
 */
int mig_data_path(const char *name, char *buf, size_t len,
    struct mig_error *e);

/* ------------------------------------------------------------------ config */

/*
 * An INI file parsed into sections and keys (libinih): "key = value" or
 * "key: value", comments start with ';' or '#', a line that starts with a
 * blank continues the previous value (joined with '\n', as Python's
 * configparser does).  A key given twice in one section is refused with
 * both line numbers: "last wins" would hide the edit an operator made to
 * the first one.  Keys are case-insensitive (as the original agent reads
 * them), sections are not.  Values may be as long as the text; section
 * names and keys fit inih's buffer (192 characters).  Texts over 1 MiB and
 * files containing NUL bytes are refused.  Errors are MIG_E_CONFIG and
 * start with "name:line:".
 */
struct mig_config;

int mig_config_load(const char *path, struct mig_config **out,
    struct mig_error *e);
/* name is what errors call the text (a file name). */
int mig_config_load_string(const char *name, const char *text,
    struct mig_config **out, struct mig_error *e);
void mig_config_free(struct mig_config *cfg);

/* The raw value, or NULL when absent.  Sections and keys are case-sensitive. */
const char *mig_config_get(const struct mig_config *cfg, const char *section,
    const char *key);

/*
 * Typed getters: an absent key yields def and returns 0; a present key that
 * does not parse or is out of range returns -1 (MIG_E_CONFIG) with an error
 * naming "file: [section] key", the value and the range:
 * "g-property.cfg: [property] heartmonitorday = 400: must be between 1 and
 * 365".  Rates, sizes and durations need their unit in the file (bare
 * numbers are refused), and the range is printed with mig_fmt_*.
 */
int mig_config_string(const struct mig_config *cfg, const char *section,
    const char *key, const char *def, const char **out, struct mig_error *e);
/* true/false, yes/no, on/off, 1/0, and Python's True/False */
int mig_config_bool(const struct mig_config *cfg, const char *section,
    const char *key, int def, int *out, struct mig_error *e);
int mig_config_int(const struct mig_config *cfg, const char *section,
    const char *key, long long def, long long min, long long max,
    long long *out, struct mig_error *e);
int mig_config_rate(const struct mig_config *cfg, const char *section,
    const char *key, uint64_t def, uint64_t min, uint64_t max, uint64_t *bps,
    struct mig_error *e);
int mig_config_size(const struct mig_config *cfg, const char *section,
    const char *key, uint64_t def, uint64_t min, uint64_t max,
    uint64_t *bytes, struct mig_error *e);
int mig_config_duration(const struct mig_config *cfg, const char *section,
    const char *key, uint64_t def, uint64_t min, uint64_t max, uint64_t *ns,
    struct mig_error *e);

/* Keys the caller knows; the last entry has section == NULL. */
struct mig_config_key {
	const char *section;
	const char *key;	/* NULL: any key of the section is known */
};

/* Calls fn for each section/key not in known (for "unknown key" warnings). */
void mig_config_unknown(const struct mig_config *cfg,
    const struct mig_config_key *known,
    void (*fn)(void *arg, const char *section, const char *key, int line),
    void *arg);

/* -------------------------------------------------------------------- json */

/*
 * A double rendered with a fixed number of decimals (3.17, not 3.1746...),
 * in the C locale whatever setlocale() said; decimals is clamped to 0..17
 * and "-0.00" is written "0.00".  NaN and infinities give NULL, which
 * json-c writes as null.
 */
struct json_object *mig_json_fixed(double v, int decimals);
/* Pretty-print o followed by a newline; -1 on write error. */
int mig_json_write(FILE *f, struct json_object *o, struct mig_error *e);
/* {"code": "SMS.xxxx"|null, "message": ..., "remedy": ...|null} */
struct json_object *mig_json_error(const struct mig_error *e);

/*
 * Building output: val == NULL means json-c ran out of memory, so these
 * return -1 (and drop val when the insertion fails); callers or the
 * results together and check once.  mig_json_null and mig_json_push_null
 * add a null on purpose.
 */
int mig_json_add(struct json_object *o, const char *key,
    struct json_object *val);
int mig_json_null(struct json_object *o, const char *key);
int mig_json_push(struct json_object *a, struct json_object *val);
int mig_json_push_null(struct json_object *a);
/* Adds mig_json_fixed(v, decimals), or null when v is NaN or infinite. */
int mig_json_add_fixed(struct json_object *o, const char *key, double v,
    int decimals);
/* Adds the string s, or null when s is NULL or "". */
int mig_json_add_str(struct json_object *o, const char *key, const char *s);
/* o when every addition succeeded (bad == 0); else NULL, o dropped. */
struct json_object *mig_json_done(struct json_object *o, int bad);

/* ----------------------------------------------------------------- logging */

enum mig_log_level {
	MIG_LOG_ERROR = 0,
	MIG_LOG_WARN,
	MIG_LOG_INFO,
	MIG_LOG_DEBUG,
};

/* mig_log_open's to_stderr: not at all, the file's line, or for journald. */
enum mig_log_stderr {
	MIG_LOG_STDERR_OFF = 0,
	MIG_LOG_STDERR_PLAIN,	/* the same line as the files */
	MIG_LOG_STDERR_PRIO,	/* "<3>text": sd-daemon(3) priority prefix */
};

struct mig_log {
	enum mig_log_level level;	/* messages above it are dropped */
	int to_stderr;			/* enum mig_log_stderr */
	FILE *info;			/* every message (SmsAgent_Info.log) */
	FILE *error;			/* WARN, ERROR (SmsAgent_Error.log) */
};

/* Either path may be NULL.  Files are opened for append, close-on-exec. */
int mig_log_open(struct mig_log *l, enum mig_log_level level, int to_stderr,
    const char *info_path, const char *error_path, struct mig_error *e);
void mig_log_close(struct mig_log *l);
/*
 * "2026-11-29 14:17:17.123 INFO  text" (UTC); a trailing newline is added,
 * newlines and control characters inside text become blanks (one message,
 * one line), and text is cut at 2 KiB.  Each line is flushed at once.
 */
void mig_log(struct mig_log *l, enum mig_log_level lv, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int mig_log_level_parse(const char *s, enum mig_log_level *lv);
/* The syslog priority of a level: 3 error, 4 warning, 6 info, 7 debug. */
int mig_log_priority(enum mig_log_level lv);
/*
 * 1 when fd is the journal's stream: env (JOURNAL_STREAM, "DEV:INODE" as
 * systemd sets it) names fd's device and inode; 0 otherwise.
 */
int mig_log_journal_stream(const char *env, int fd);

/* ------------------------------------------------------------ /proc readers */

/*
 * path == NULL reads the real file (/proc/stat, /proc/meminfo,
 * /proc/net/dev); tests pass fixture files.  Contents are checked like any
 * untrusted file: a missing, malformed or overflowing line is MIG_E_SYSTEM;
 * lines over 1 KiB are skipped unless they are the line wanted.
 */

struct mig_cpu_times {
	uint64_t user, nice, system, idle, iowait, irq, softirq, steal;
	unsigned ncpu;		/* cpuN lines seen */
};

int mig_proc_cpu_times(const char *path, struct mig_cpu_times *t,
    struct mig_error *e);
/*
 * Busy percent (0..100) of all CPUs between two samples: busy is user, nice,
 * system, irq, softirq and steal; idle includes iowait.  -1 if no time
 * passed or the busy or idle sum went backwards (a reset, or the samples
 * swapped; single fields such as iowait may step back on some kernels).
 */
double mig_cpu_usage(const struct mig_cpu_times *before,
    const struct mig_cpu_times *after);
/* Samples /proc/stat interval_ns apart (sleeps). */
int mig_proc_cpu_usage(uint64_t interval_ns, double *pct, unsigned *ncpu,
    struct mig_error *e);

/*
 * Without MemAvailable (kernels before 3.14) available is estimated as
 * free + buffers + cached; it never exceeds total.
 */
struct mig_meminfo {
	uint64_t total, free, available, buffers, cached;	/* bytes */
};

int mig_proc_meminfo(const char *path, struct mig_meminfo *m,
    struct mig_error *e);
/* (total - available) / total in percent; -1 if total is 0. */
double mig_mem_usage(const struct mig_meminfo *m);

struct mig_ifstat {
	uint64_t rx_bytes, rx_packets, tx_bytes, tx_packets;
};

/*
 * Counters of one interface; an unknown or invalid name (1 to 15 printable
 * characters, no ':' or '/') is a MIG_E_USAGE error.
 */
int mig_proc_netdev(const char *path, const char *iface, struct mig_ifstat *s,
    struct mig_error *e);

/* ------------------------------------------------------------------ clocks */

uint64_t mig_mono_ns(void);	/* CLOCK_MONOTONIC */
uint64_t mig_real_ns(void);	/* CLOCK_REALTIME */
/* Sleeps until mono_ns (absolute, CLOCK_MONOTONIC); retries on EINTR. */
void mig_sleep_until(uint64_t mono_ns);
/* Nanoseconds as the structs of the system calls, and back. */
struct timeval mig_ns_timeval(uint64_t ns);
struct timespec mig_ns_timespec(uint64_t ns);
uint64_t mig_timespec_ns(const struct timespec *ts);

#endif /* MIGCOMMON_H */
