#!/bin/bash
# SPDX-License-Identifier: ISC
# agent_progress.sh, mode crash (see there).
exec bash "$MIGNET_SRC/tests/integration/agent_progress.sh" crash
