// SPDX-License-Identifier: MIT
#include "lib/core/hex.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

void cgs_hex_encode(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

char *cgs_hex_strdup(const uint8_t *in, size_t len)
{
	char *s = malloc(2 * len + 1);

	if (s)
		cgs_hex_encode(in, len, s);
	return s;
}

static int nibble(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

enum cgs_err cgs_hex_decode(const char *in, uint8_t *out, size_t max, size_t *ret_len,
			    int exact)
{
	size_t n;

	if (in[0] == '0' && (in[1] == 'x' || in[1] == 'X'))
		in += 2;
	n = strlen(in);
	if (n % 2 || n / 2 > max || (exact && n / 2 != max))
		return CGS_E_USAGE;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = nibble((unsigned char)in[2 * i]);
		int lo = nibble((unsigned char)in[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return CGS_E_USAGE;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	if (ret_len)
		*ret_len = n / 2;
	return CGS_OK;
}

size_t cgs_base64_encoded_len(size_t len)
{
	return 4 * ((len + 2) / 3);
}

void cgs_base64_encode(const uint8_t *in, size_t len, char *out)
{
	EVP_EncodeBlock((unsigned char *)out, in, (int)len);
}

enum cgs_err cgs_base64_decode(const char *in, size_t inlen, uint8_t **ret_out,
			       size_t *ret_len)
{
	char *clean;
	uint8_t *out;
	size_t n = 0, pad = 0;
	int got;

	clean = malloc(inlen + 1);
	if (!clean)
		return CGS_E_NOMEM;
	for (size_t i = 0; i < inlen; i++)
		if (!isspace((unsigned char)in[i]))
			clean[n++] = in[i];
	clean[n] = '\0';
	if (n % 4 || n > INT32_MAX) {
		free(clean);
		return CGS_E_MALFORMED;
	}
	for (size_t i = n; i > 0 && clean[i - 1] == '=' && pad < 2; i--)
		pad++;
	out = malloc(n / 4 * 3 + 1);
	if (!out) {
		free(clean);
		return CGS_E_NOMEM;
	}
	got = n ? EVP_DecodeBlock(out, (unsigned char *)clean, (int)n) : 0;
	free(clean);
	if (got < 0 || (size_t)got < pad) {
		free(out);
		return CGS_E_MALFORMED;
	}
	*ret_out = out;
	*ret_len = (size_t)got - pad;
	return CGS_OK;
}
