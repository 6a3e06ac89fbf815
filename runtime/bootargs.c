/*
 * bootargs.c - split the command line once into key/value pairs.
 */
#include "bootargs.h"

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

bool parse_int(const char *s, long *out)
{
	long v = 0;
	int base = 10;
	bool neg = false;
	if (*s == '-') {
		neg = true;
		s++;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		int d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		v = v * base + d;
	}
	switch (*s) {
	case 0: break;
	case 'k': case 'K': v <<= 10; s++; break;
	case 'M': v <<= 20; s++; break;
	case 'G': v <<= 30; s++; break;
	default: return false;
	}
	if (*s)
		return false;
	*out = neg ? -v : v;
	return true;
}

long bootarg_int(const char *key, long def)
{
	const char *v = bootarg(key);
	long out;
	return v && parse_int(v, &out) ? out : def;
}

bool parse_duration(const char *s, uint64_t *ns)
{
	uint64_t v = 0;
	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (uint64_t)(*s++ - '0');
	if (strcmp(s, "") == 0 || strcmp(s, "ns") == 0)
		*ns = v;
	else if (strcmp(s, "us") == 0)
		*ns = v * 1000;
	else if (strcmp(s, "ms") == 0)
		*ns = v * 1000000;
	else if (strcmp(s, "s") == 0)
		*ns = v * 1000000000;
	else if (strcmp(s, "m") == 0)
		*ns = v * 60000000000;
	else
		return false;
	return true;
}

uint64_t bootarg_duration(const char *key, uint64_t def)
{
	const char *v = bootarg(key);
	uint64_t ns;
	return v && parse_duration(v, &ns) ? ns : def;
}
