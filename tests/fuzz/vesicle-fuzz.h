/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the libFuzzer harnesses share: the readers under test take paths, so each input is
 * written to files in one private folder per process, rewritten for every input.
 */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The folder this process writes its inputs into (made once, removed at exit). */
static char *vesicle_fuzz_folder;

static void
vesicle_fuzz_remove_folder (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (vesicle_fuzz_folder == NULL || (dir = g_dir_open (vesicle_fuzz_folder, 0, NULL)) == NULL)
    return;
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (vesicle_fuzz_folder, name, NULL);
      g_remove (path);
    }
  g_rmdir (vesicle_fuzz_folder);
}

static G_GNUC_UNUSED const char *
vesicle_fuzz_dir (void)
{
  if (vesicle_fuzz_folder == NULL)
    {
      vesicle_fuzz_folder = g_dir_make_tmp ("vesicle-fuzz-XXXXXX", NULL);
      g_assert (vesicle_fuzz_folder != NULL);
      atexit (vesicle_fuzz_remove_folder);
    }
  return vesicle_fuzz_folder;
}

/* Writes @size bytes to @name in the folder and returns its path (owned by the caller). */
static G_GNUC_UNUSED char *
vesicle_fuzz_write (const char    *name,
                    const uint8_t *data,
                    size_t         size)
{
  char *path = g_build_filename (vesicle_fuzz_dir (), name, NULL);

  if (!g_file_set_contents (path, (const char *) data, (gssize) size, NULL))
    g_error ("cannot write %s", path);
  return path;
}

/* The next part of @data up to the separator line "\n--8<--\n" (or the end): how one input
 * holds several files. */
#define VESICLE_FUZZ_SEPARATOR "\n--8<--\n"

static G_GNUC_UNUSED gboolean
vesicle_fuzz_next_part (const uint8_t **data,
                        size_t         *size,
                        const uint8_t **part,
                        size_t         *part_size)
{
  const size_t sep = strlen (VESICLE_FUZZ_SEPARATOR);
  const uint8_t *hit = NULL;

  if (*data == NULL)
    return FALSE;
  for (size_t i = 0; i + sep <= *size; i++)
    if (memcmp (*data + i, VESICLE_FUZZ_SEPARATOR, sep) == 0)
      {
        hit = *data + i;
        break;
      }
  *part = *data;
  if (hit == NULL)
    {
      *part_size = *size;
      *data = NULL;
      *size = 0;
      return TRUE;
    }
  *part_size = (size_t) (hit - *data);
  *size -= *part_size + sep;
  *data = hit + sep;
  return TRUE;
}
