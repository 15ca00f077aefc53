/* SPDX-License-Identifier: ISC */
/*
 * The context: a route netlink socket, the state directory and the
 * identity of our network namespace (state records are per namespace:
 * `ip netns exec` shares /run between namespaces).
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "shaper/shaper_int.h"

static int
netns_id(uint64_t *ino, struct mig_error *e)
{
	struct stat sb;

	if (stat("/proc/self/ns/net", &sb) == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "cannot identify the network namespace: "
		    "/proc/self/ns/net: %s", strerror(errno));
	*ino = (uint64_t)sb.st_ino;
	return 0;
}

int
shaper_open(struct shaper_ctx **out, const char *state_dir,
    struct mig_error *e)
{
	struct shaper_ctx *ctx;
	int err;

	*out = NULL;
	if (state_dir == NULL)
		state_dir = SHAPER_STATE_DIR;
	if (state_dir[0] != '/' || strlen(state_dir) >= sizeof(ctx->dir))
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "state directory '%.80s': an absolute path, at most %zu "
		    "characters", state_dir, sizeof(ctx->dir) - 1);
	if ((ctx = calloc(1, sizeof(*ctx))) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	ctx->lock_fd = -1;
	(void)strcpy(ctx->dir, state_dir);
	if (netns_id(&ctx->netns, e) == -1)
		goto fail;
	if ((ctx->sk = nl_socket_alloc()) == NULL) {
		(void)mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
		goto fail;
	}
	if ((err = nl_connect(ctx->sk, NETLINK_ROUTE)) < 0) {
		(void)shaper_nl_error(e, err, "route netlink socket");
		goto fail;
	}
	*out = ctx;
	return 0;
fail:
	shaper_close(ctx);
	return -1;
}

void
shaper_close(struct shaper_ctx *ctx)
{
	if (ctx == NULL)
		return;
	shaper_unlock(ctx);
	if (ctx->sk != NULL)
		nl_socket_free(ctx->sk);
	free(ctx);
}
