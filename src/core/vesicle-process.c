/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-process.h"
#include "vesicle-i18n.h"
#include "vesicle-json.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Linux's id of the current boot: a pid recorded before a reboot names nothing after it. */
static char *
boot_id (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/sys/kernel/random/boot_id", &text, NULL, NULL))
    return NULL;
  return g_strdup (g_strstrip (text));
}

/* When process @pid started, in clock ticks since boot (field 22 of /proc/PID/stat), so that a
 * pid reused by another process is not taken for the recorded one; 0 if it does not exist or
 * has ended (a zombie, state Z, that its parent has not reaped yet). */
static guint64
start_ticks (guint64 pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%" G_GUINT64_FORMAT "/stat", pid);
  g_autofree char *text = NULL;
  const char *p;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  /* the command name (field 2) is in parentheses and may hold spaces: count after its end */
  if ((p = strrchr (text, ')')) == NULL || p[1] != ' ' || p[2] == 'Z' || p[2] == 'X')
    return 0;
  for (int field = 2; field < 22 && p; field++)
    p = strchr (p + 1, ' ');
  return p ? g_ascii_strtoull (p + 1, NULL, 10) : 0;
}

/* The pid namespace this process sees pids in ("pid:[4026531836]"): a sandbox (Flatpak) has
 * its own, where another sandbox's pids mean nothing. */
static char *
pid_namespace (void)
{
  return g_file_read_link ("/proc/self/ns/pid", NULL);
}

JsonNode *
vesicle_process_self_to_json (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *boot = boot_id ();
  g_autofree char *ns = pid_namespace ();
  guint64 pid = (guint64) getpid ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "host");
  json_builder_add_string_value (b, g_get_host_name ());
  json_builder_set_member_name (b, "pid");
  json_builder_add_int_value (b, (gint64) pid);
  json_builder_set_member_name (b, "boot_id");
  if (boot)
    json_builder_add_string_value (b, boot);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "start_ticks");
  json_builder_add_int_value (b, (gint64) start_ticks (pid));
  json_builder_set_member_name (b, "pid_namespace");
  if (ns)
    json_builder_add_string_value (b, ns);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

VesicleProcessState
vesicle_process_state (JsonObject  *process,
                       char       **why)
{
  const char *host, *recorded_boot, *recorded_ns;
  g_autofree char *boot = NULL;
  g_autofree char *ns = NULL;
  gint64 pid, ticks;
  guint64 now;

  if (why)
    *why = NULL;
  if (process == NULL)
    return VESICLE_PROCESS_UNKNOWN;
  host = vesicle_json_get_string (process, "host");
  recorded_boot = vesicle_json_get_string (process, "boot_id");
  recorded_ns = vesicle_json_get_string (process, "pid_namespace");
  pid = json_object_get_int_member_with_default (process, "pid", 0);
  ticks = json_object_get_int_member_with_default (process, "start_ticks", 0);
  if (host == NULL || pid <= 0 || g_strcmp0 (host, g_get_host_name ()) != 0)
    return VESICLE_PROCESS_UNKNOWN;

  boot = boot_id ();
  if (recorded_boot != NULL && boot != NULL && g_strcmp0 (recorded_boot, boot) != 0)
    {
      if (why)
        *why = g_strdup_printf (_("%s has restarted since process %lld ran it"), host,
                                (long long) pid);
      return VESICLE_PROCESS_GONE;
    }
  /* another sandbox's pids cannot be looked up from here */
  ns = pid_namespace ();
  if (recorded_ns != NULL && ns != NULL && g_strcmp0 (recorded_ns, ns) != 0)
    return VESICLE_PROCESS_UNKNOWN;
  now = start_ticks ((guint64) pid);
  if (now == 0 || (ticks > 0 && now != (guint64) ticks))
    {
      if (why)
        *why = g_strdup_printf (_("process %lld on %s, which ran it, is no longer running"),
                                (long long) pid, host);
      return VESICLE_PROCESS_GONE;
    }
  return VESICLE_PROCESS_ALIVE;
}
