/*
 * bootargs.c - split the command line once into key/value pairs.
 */
#include "bootargs.h"

#include <limits.h>
#include <string.h>

#include "config.h"

#define MAXARGS 32

static char line[CONFIG_DT_STRMAX];
static const char *keys[MAXARGS], *vals[MAXARGS];
static int nargs;

void bootargs_init(const char *cmdline)
{
	size_t n = strlen(cmdline);
	if (n >= sizeof line)
		n = sizeof line - 1;
	memcpy(line, cmdline, n);
	line[n] = 0;
	nargs = 0;
	char *p = line;
	while (*p && nargs < MAXARGS) {
		while (*p == ' ' || *p == '\t')
			*p++ = 0;
		if (!*p)
			break;
		keys[nargs] = p;
		vals[nargs] = "";
		bool split = false;             /* the first '=' splits */
		while (*p && *p != ' ' && *p != '\t') {
			if (*p == '=' && !split) {
				*p = 0;
				vals[nargs] = p + 1;
				split = true;
			}
			p++;
		}
		if (*p)
			*p++ = 0;               /* end the word here */
		nargs++;
	}
}

const char *bootarg(const char *key)
{
	const char *v = NULL;
	for (int i = 0; i < nargs; i++)        /* the last one wins */
		if (strcmp(keys[i], key) == 0)
			v = vals[i];
	return v;
}

/*
 * Digits in base 10 or (after 0x) 16, then an optional k/M/G multiplier.
 * At least one digit; a value that does not fit a long is rejected.
 */
bool parse_int(const char *s, long *out)
{
	unsigned long v = 0, limit = LONG_MAX;
	int base = 10, ndigits = 0;
	bool neg = false;
	if (*s == '-') {
		neg = true;
		limit = (unsigned long)LONG_MAX + 1;
		s++;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (; *s; s++, ndigits++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			break;
		if (v > (limit - d) / (unsigned)base)
			return false;
		v = v * (unsigned)base + d;
	}
	if (ndigits == 0)
		return false;
	int shift = 0;
	switch (*s) {
	case 0: break;
	case 'k': case 'K': shift = 10; s++; break;
	case 'M': shift = 20; s++; break;
	case 'G': shift = 30; s++; break;
	default: return false;
	}
	if (*s || v > (limit >> shift))
		return false;
	v <<= shift;
	*out = neg ? (long)(0 - v) : (long)v;
	return true;
}

long bootarg_int(const char *key, long def)
{
	const char *v = bootarg(key);
	long out;
	return v && parse_int(v, &out) ? out : def;
}

/* "<digits><unit>", unit ns (or none), us, ms, s or m; no overflow. */
bool parse_duration(const char *s, uint64_t *ns)
{
	static const struct { const char *name; uint64_t ns; } units[] = {
		{ "", 1 }, { "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
		{ "s", 1000000000 }, { "m", 60000000000 },
	};
	uint64_t v = 0;
	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		uint64_t d = (uint64_t)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	for (size_t i = 0; i < sizeof units / sizeof *units; i++)
		if (strcmp(s, units[i].name) == 0) {
			if (v > UINT64_MAX / units[i].ns)
				return false;
			*ns = v * units[i].ns;
			return true;
		}
	return false;
}

uint64_t bootarg_duration(const char *key, uint64_t def)
{
	const char *v = bootarg(key);
	uint64_t ns;
	return v && parse_duration(v, &ns) ? ns : def;
}
