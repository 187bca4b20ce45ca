/* SPDX-License-Identifier: MIT */
/* printf subset: %d %i %u %x %X %p %s %c %%, length l/ll/z, flags 0 and -,
 * field width (also *). */
#include "rt.h"

struct spec {
	int left, zero, width;
};

static int pad(int n, char c)
{
	for (int i = 0; i < n; i++)
		putchar_serial(c);
	return n > 0 ? n : 0;
}

/* prints digits (already in reverse in buf) with sign/prefix and padding */
static int emit(const struct spec *sp, const char *pre, const char *rev, int n)
{
	int plen = 0, out = 0;
	while (pre[plen])
		plen++;
	int fill = sp->width - n - plen;
	if (!sp->left && !sp->zero)
		out += pad(fill, ' ');
	for (int i = 0; i < plen; i++)
		putchar_serial(pre[i]);
	if (!sp->left && sp->zero)
		out += pad(fill, '0');
	for (int i = n - 1; i >= 0; i--)
		putchar_serial(rev[i]);
	if (sp->left)
		out += pad(fill, ' ');
	return out + plen + n;
}

static int fmt_num(const struct spec *sp, uint64_t v, unsigned base, int upper,
		   const char *pre)
{
	char rev[24];
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;
	do {
		rev[n++] = digits[v % base];
		v /= base;
	} while (v);
	return emit(sp, pre, rev, n);
}

static int fmt_str(const struct spec *sp, const char *s)
{
	int n = 0, out;
	if (!s)
		s = "(null)";
	while (s[n])
		n++;
	out = sp->left ? 0 : pad(sp->width - n, ' ');
	for (int i = 0; i < n; i++)
		putchar_serial(s[i]);
	return out + n + (sp->left ? pad(sp->width - n, ' ') : 0);
}

int vprintf(const char *f, va_list ap)
{
	int out = 0;
	for (; *f; f++) {
		if (*f != '%') {
			putchar_serial(*f);
			out++;
			continue;
		}
		struct spec sp = { 0, 0, 0 };
		for (f++; *f == '0' || *f == '-'; f++)
			*f == '0' ? (sp.zero = 1) : (sp.left = 1);
		if (*f == '*') {
			sp.width = va_arg(ap, int);
			f++;
		}
		for (; *f >= '0' && *f <= '9'; f++)
			sp.width = sp.width * 10 + (*f - '0');
		int lng = 0;
		for (; *f == 'l' || *f == 'z'; f++)
			lng++;
		uint64_t u;
		int64_t s;
		switch (*f) {
		case 'd':
		case 'i':
			s = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
			u = s < 0 ? 0 - (uint64_t)s : (uint64_t)s;
			out += fmt_num(&sp, u, 10, 0, s < 0 ? "-" : "");
			break;
		case 'u':
		case 'x':
		case 'X':
			u = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			out += fmt_num(&sp, u, *f == 'u' ? 10 : 16, *f == 'X', "");
			break;
		case 'p':
			u = (uint64_t)(uintptr_t)va_arg(ap, void *);
			out += fmt_num(&sp, u, 16, 0, "0x");
			break;
		case 's':
			out += fmt_str(&sp, va_arg(ap, const char *));
			break;
		case 'c':
			putchar_serial(va_arg(ap, int));
			out++;
			break;
		case '%':
			putchar_serial('%');
			out++;
			break;
		case '\0':
			return out;
		default:	/* unknown: print it as is */
			putchar_serial('%');
			putchar_serial(*f);
			out += 2;
		}
	}
	return out;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
