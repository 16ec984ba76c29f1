// SPDX-License-Identifier: MIT
/*
 * Pinned AMD ARKs.
 *
 * Provenance: each fingerprint is the SHA-256 of the DER of the ARK served by
 * AMD's Key Distribution Service as the second certificate of
 * https://kdsintf.amd.com/vcek/v1/<Line>/cert_chain (and of .../vlek/v1/<Line>/
 * cert_chain: the same ARK signs both ASK and ASVK). They were computed with
 * `openssl x509 -outform DER | sha256sum` from the copies in vectors/snp/roots
 * (go-sev-guest verify/trust/ask_ark_*.pem, virtee/sev src/certs/snp/builtin,
 * trustee deps/verifier/src/snp: byte-identical across the three projects),
 * and agree with the prefixes recorded in vectors/snp/MANIFEST.md and with
 * the subjects, serials and validity of specs/snp-verify.md section 4:
 *   ARK-Milan serial 0x10000, 2020-10-22 .. 2045-10-22, RSA-4096, RSASSA-PSS
 *   ARK-Genoa serial 0x20000, 2022-01-26 .. 2047-01-26 (also Bergamo/Siena)
 *   ARK-Turin serial 0x30000, 2023-05-15 .. 2048-05-15
 */
#include "keys/amd_ark.h"

#include <string.h>

static const struct amd_ark_pin pins[] = {
    {"Milan", "ARK-Milan", {0x69, 0xd0, 0x63, 0xb4, 0x53, 0x44, 0xd2, 0x6a, 0x2e, 0x94, 0xe1,
			    0xf4, 0x21, 0x0d, 0xe4, 0x9e, 0xf5, 0x55, 0x30, 0x82, 0x87, 0xd4,
			    0xc1, 0x74, 0x44, 0x5c, 0x95, 0x63, 0x9a, 0x54, 0x0b, 0xcd}},
    {"Genoa", "ARK-Genoa", {0x4c, 0x65, 0x98, 0xd1, 0x9c, 0x18, 0x71, 0x9c, 0x5d, 0xfd, 0x4a,
			    0x7d, 0x33, 0x5f, 0x67, 0x4e, 0x5b, 0xfe, 0x1d, 0x8f, 0x80, 0x0c,
			    0xea, 0x2c, 0xf2, 0x70, 0xc1, 0x0d, 0x10, 0x3d, 0xb2, 0xf1}},
    {"Turin", "ARK-Turin", {0x1f, 0x08, 0x41, 0x61, 0xa4, 0x4b, 0xb6, 0xd9, 0x37, 0x78, 0xa9,
			    0x04, 0x87, 0x7d, 0x48, 0x19, 0xca, 0xfa, 0x5d, 0x05, 0xef, 0x41,
			    0x93, 0xb2, 0xde, 0xd9, 0xdd, 0x9c, 0x73, 0xdd, 0x3f, 0x6a}},
};

#define N_PINS (sizeof(pins) / sizeof(pins[0]))

const struct amd_ark_pin *amd_ark_pin_find(const uint8_t sha256[32])
{
	for (size_t i = 0; i < N_PINS; i++)
		if (!memcmp(pins[i].sha256, sha256, 32))
			return &pins[i];
	return NULL;
}

const struct amd_ark_pin *amd_ark_pin_for_line(const char *line)
{
	for (size_t i = 0; i < N_PINS; i++)
		if (line && !strcmp(pins[i].line, line))
			return &pins[i];
	return NULL;
}
