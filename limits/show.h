/* The status verb's output: aligned text or JSON.  Part of the CLI only. */
#ifndef LIMITS_SHOW_H
#define LIMITS_SHOW_H

#include "limits/limits.h"

int show_text(const struct limits_ctx *c, const struct limits_status *st);
int show_json(const struct limits_ctx *c, const struct limits_status *st,
    struct mig_error *e);

#endif
