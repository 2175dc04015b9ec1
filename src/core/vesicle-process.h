/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Which process is writing a folder, so that one left "running" by a process that was killed
 * (or by a machine that lost power) reads as interrupted instead of running forever:
 * experiment.json records this process (host, pid, the boot it runs in, when it started and the
 * pid namespace, which a sandbox has its own of) while it runs, and a reader on the same host
 * and in the same namespace can tell whether that process still exists.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  VESICLE_PROCESS_ALIVE,     /* the recorded process is running on this host */
  VESICLE_PROCESS_GONE,      /* this host, and that process is not running (or the host rebooted) */
  VESICLE_PROCESS_UNKNOWN,   /* another host or sandbox, or nothing recorded: cannot tell */
} VesicleProcessState;

/* { "host", "pid", "boot_id", "start_ticks", "pid_namespace" } for this process. */
JsonNode            *vesicle_process_self_to_json (void);
/* The state of the process @process describes (NULL: UNKNOWN); @why, when GONE, says how it
 * was told, e.g. "process 1234 on host is no longer running". */
VesicleProcessState  vesicle_process_state        (JsonObject  *process,
                                                   char       **why);

G_END_DECLS
