/* SPDX-License-Identifier: ISC */
/* The status verb's output: aligned text or JSON.  Part of the CLI only. */
#ifndef LIMITS_SHOW_H
#define LIMITS_SHOW_H

#include "common/migcli.h"
#include "limits/limits.h"

/* Writes st as text or JSON; returns the exit status of the writing. */
int show_status(const struct mig_cli_cmd *v, const struct limits_ctx *c,
    const struct limits_status *st, int json);

#endif
