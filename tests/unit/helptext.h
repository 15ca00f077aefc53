/* SPDX-License-Identifier: ISC */
/*
 * Help and man page texts as the user sees them, for the tests that check
 * that they state the ranges and defaults the headers define.
 */
#ifndef MIGNET_TEST_HELPTEXT_H
#define MIGNET_TEST_HELPTEXT_H

#include <stddef.h>

#define HELPTEXT_MAX	65536

/* "BIN VERB --help" (VERB may be NULL); the test fails if it exits != 0. */
void helptext_help(const char *bin, const char *verb, char *buf, size_t len);

/* The man page at PATH, escapes dropped, lines joined: plain words. */
void helptext_man(const char *path, char *buf, size_t len);

/* Fails the test unless TEXT contains the formatted string. */
void helptext_has(const char *text, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
