/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PyTorch peer of `vesicle-cli bench --vs-torch`: tools/bench/torch_bench.py (installed as
 * <datadir>/vesicle/bench/torch_bench.py), run as a child process on the same machine in the same
 * session, its JSON read back. Vesicle itself never needs Python or torch.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct {
  double plain;        /* one plain network, one thread: network steps/s */
  double best_sweep;   /* the best sweep on the machine's cores: one single-thread process per
                        * core, plain or stacked, whichever is faster */
} VesiclePeerResult;

/* $VESICLE_TORCH_BENCH, else the installed script, else the source tree's. */
char     *vesicle_cli_peer_script (void);

/* Runs @script under @python with cohorts @ks ("1,16") for @steps steps, best sweep on
 * @processes cores; fills @result and returns the peer's own JSON (for the record). */
JsonNode *vesicle_cli_peer_run    (const char         *python,
                                   const char         *script,
                                   const char         *ks,
                                   guint               steps,
                                   guint               processes,
                                   VesiclePeerResult  *result,
                                   GError            **error);

G_END_DECLS
