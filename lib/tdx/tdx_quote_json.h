/* SPDX-License-Identifier: MIT */
/*
 * The decoded form of a TDX quote for `cgs-verify tdx show` and the "quote"
 * member of `cgs-verify tdx --json`: header, every TD report body field, the
 * TD attributes by name, the QE report, and the PCK certificate (chain
 * subjects, FMSPC, SGX TCB components). Digests as lowercase hex, flag words
 * as "0x..." strings.
 */
#ifndef CGS_LIB_TDX_TDX_QUOTE_JSON_H
#define CGS_LIB_TDX_TDX_QUOTE_JSON_H

#include <json-c/json.h>

#include "formats/tdx_quote.h"

/* NULL when out of memory. */
struct json_object *tdx_quote_json(const struct tdx_quote *q);

#endif
