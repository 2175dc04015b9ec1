/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "vesicle-checkpoint.h"
#include "vesicle-file.h"
#include "vesicle-json.h"

#include <gio/gio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define MAGIC "VESICLE CHECKPOINT 1\n"
#define ROW_HEAD 15
#define ROW_DOUBLES (ROW_HEAD + 2 * VESICLE_MAX_LAYERS)

char *
vesicle_checkpoint_fingerprint (const VesicleCohortConfig  *cohort,
                                const VesicleTrainSchedule *schedule,
                                guint                       n_train,
                                guint                       n_test)
{
  const VesicleShape *s = &cohort->shape;
  g_autoptr(GString) text = g_string_new (NULL);

  /* %a: doubles exactly, in any locale */
  g_string_append_printf (text, "shape %u %d %a:", s->n_layers, s->head, s->noise_sd);
  for (guint l = 0; l <= s->n_layers; l++)
    g_string_append_printf (text, " %u", s->sizes[l]);
  g_string_append_printf (text, "\nK %u B %u Bt %u N %u lr %a betas %a %a eps %a init %a %a\n",
                          cohort->K, cohort->batch, cohort->eval_batch, cohort->n_train,
                          cohort->lr, cohort->beta1, cohort->beta2, cohort->eps,
                          cohort->init_range, cohort->sigma_init);
  for (guint k = 0; k < cohort->K; k++)
    {
      const VesicleHyper *h = &cohort->hyper[k];

      g_string_append_printf (text, "net %a %a %a %d %" G_GUINT64_FORMAT " %d %a %a %a\n",
                              h->rho, h->c, h->lambda, h->setting, h->seed, h->cost,
                              h->prior_l1, h->prior_precision, h->lr);
    }
  g_string_append_printf (text, "schedule %u %u %" G_GUINT64_FORMAT " %u data %u %u\n",
                          schedule->epochs, schedule->eval_every, schedule->data_seed,
                          schedule->sigma_epochs, n_train, n_test);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text->str, text->len);
}

/* A metrics row as doubles, every member bit-exact (NaN included, which JSON cannot hold). */
static void
pack_row (double                    *out,
          const VesicleEpochMetrics *m)
{
  const double head[] = {
    m->network, m->epoch, m->train_nll, m->train_accuracy, m->l1, m->cost, m->objective,
    m->test_accuracy, m->test_nll, m->test_accuracy_mean, m->mean_sigma, m->rms_sigma,
    m->reliability_cost_s1, m->n_layers, m->stopped,
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (head) == ROW_HEAD);
  memcpy (out, head, sizeof head);
  for (guint l = 0; l < VESICLE_MAX_LAYERS; l++)
    {
      out[ROW_HEAD + 2 * l] = m->layer_mean_sigma[l];
      out[ROW_HEAD + 2 * l + 1] = m->layer_rms_sigma[l];
    }
}

static void
unpack_row (VesicleEpochMetrics *m,
            const double        *in)
{
  m->network = (guint) in[0];
  m->epoch = (guint) in[1];
  m->train_nll = in[2];
  m->train_accuracy = in[3];
  m->l1 = in[4];
  m->cost = in[5];
  m->objective = in[6];
  m->test_accuracy = in[7];
  m->test_nll = in[8];
  m->test_accuracy_mean = in[9];
  m->mean_sigma = in[10];
  m->rms_sigma = in[11];
  m->reliability_cost_s1 = in[12];
  m->n_layers = MIN ((guint) in[13], VESICLE_MAX_LAYERS);
  m->stopped = in[14] != 0;
  for (guint l = 0; l < VESICLE_MAX_LAYERS; l++)
    {
      m->layer_mean_sigma[l] = in[ROW_HEAD + 2 * l];
      m->layer_rms_sigma[l] = in[ROW_HEAD + 2 * l + 1];
    }
}

static void
append_le (GByteArray *out,
           const void *data,
           gsize       n,
           gsize       width)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  g_byte_array_append (out, data, n * width);
#else
  const guint8 *bytes = data;

  for (gsize i = 0; i < n; i++)
    for (gsize b = width; b-- > 0;)
      g_byte_array_append (out, bytes + i * width + b, 1);
#endif
}

static void
read_le (void         *dest,
         const guint8 *src,
         gsize         n,
         gsize         width)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  memcpy (dest, src, n * width);
#else
  guint8 *bytes = dest;

  for (gsize i = 0; i < n; i++)
    for (gsize b = 0; b < width; b++)
      bytes[i * width + b] = src[i * width + width - 1 - b];
#endif
}

gboolean
vesicle_checkpoint_write (const char              *path,
                          const VesicleCheckpoint *cp,
                          GError                 **error)
{
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *header = NULL;
  double row[ROW_DOUBLES];

  append_le (payload, cp->state, cp->n_state, sizeof (float));
  for (guint i = 0; i < cp->n_metrics; i++)
    {
      pack_row (row, &cp->metrics[i]);
      append_le (payload, row, G_N_ELEMENTS (row), sizeof (double));
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "fingerprint");
  json_builder_add_string_value (b, cp->fingerprint);
  json_builder_set_member_name (b, "K");
  json_builder_add_int_value (b, cp->K);
  json_builder_set_member_name (b, "epochs_done");
  json_builder_add_int_value (b, cp->epochs_done);
  json_builder_set_member_name (b, "adam_steps");
  json_builder_add_int_value (b, (gint64) cp->adam_steps);
  json_builder_set_member_name (b, "state_floats");
  json_builder_add_int_value (b, (gint64) cp->n_state);
  json_builder_set_member_name (b, "metric_rows");
  json_builder_add_int_value (b, cp->n_metrics);
  json_builder_set_member_name (b, "row_doubles");
  json_builder_add_int_value (b, G_N_ELEMENTS (row));
  json_builder_set_member_name (b, "stopped");
  json_builder_begin_array (b);
  for (guint k = 0; k < cp->K; k++)
    if (cp->stop_reasons && cp->stop_reasons[k])
      {
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "network");
        json_builder_add_int_value (b, k);
        json_builder_set_member_name (b, "reason");
        json_builder_add_string_value (b, cp->stop_reasons[k]);
        json_builder_end_object (b);
      }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "crc32");
  json_builder_add_int_value (b, crc32 (crc32 (0, NULL, 0), payload->data, payload->len));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  header = vesicle_json_to_string (root, FALSE);

  g_byte_array_append (out, (const guint8 *) MAGIC, strlen (MAGIC));
  g_byte_array_append (out, (const guint8 *) header, strlen (header));
  g_byte_array_append (out, (const guint8 *) "\n", 1);
  g_byte_array_append (out, payload->data, payload->len);
  return vesicle_file_write_atomic (path, out->data, out->len, error);
}

static gboolean
corrupt (GError    **error,
         const char *path,
         const char *why)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: not a usable checkpoint: %s",
               path, why);
  return FALSE;
}

/* The header line is a few hundred bytes; a longer one is not a checkpoint's. */
#define HEADER_MAX (64 << 10)

gboolean
vesicle_checkpoint_read (const char        *path,
                         VesicleCheckpoint *cp,
                         GError           **error)
{
  g_autofree char *data = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize length, prefix, magic = strlen (MAGIC), row_doubles = ROW_DOUBLES;
  const char *header, *newline;
  const guint8 *payload;
  JsonObject *h;
  JsonArray *stopped;
  gint64 K, n_state, n_rows, crc;
  guint64 claimed;
  struct stat st;
  int fd;

  memset (cp, 0, sizeof *cp);
  /* a regular file only, and never more of it than its header claims and its size confirms:
   * a FIFO or a link to a device is refused at once, not read forever */
  if ((fd = vesicle_file_open_regular (path, &st, error)) < 0)
    return FALSE;
  length = st.st_size;
  prefix = MIN (length, magic + HEADER_MAX);
  data = g_malloc (prefix + 1);
  if (!vesicle_file_read_exact (fd, data, prefix, path, error))
    {
      close (fd);
      return FALSE;
    }
  if (prefix < magic || memcmp (data, MAGIC, magic) != 0)
    {
      close (fd);
      return corrupt (error, path, "it does not start like one (another version?)");
    }
  header = data + magic;
  newline = memchr (header, '\n', prefix - magic);
  if (newline == NULL)
    {
      close (fd);
      return corrupt (error, path, "the header is cut short");
    }
  if (!(root = vesicle_json_parse (header, newline - header, path, NULL))
      || !JSON_NODE_HOLDS_OBJECT (root))
    {
      close (fd);
      return corrupt (error, path, "the header is not a JSON object");
    }
  h = json_node_get_object (root);
  K = vesicle_json_get_int (h, "K", -1);
  n_state = vesicle_json_get_int (h, "state_floats", -1);
  n_rows = vesicle_json_get_int (h, "metric_rows", -1);
  crc = vesicle_json_get_int (h, "crc32", -1);
  stopped = vesicle_json_get_array (h, "stopped");
  /* every network has state, so K is bounded by what the file holds (checked below) */
  if (K <= 0 || n_state < K || n_rows < 0 || n_rows > G_MAXUINT || n_state > G_MAXINT64 / 8
      || vesicle_json_get_int (h, "row_doubles", -1) != (gint64) row_doubles
      || vesicle_json_get_string (h, "fingerprint") == NULL || stopped == NULL
      || vesicle_json_get_int (h, "epochs_done", -1) < 0
      || vesicle_json_get_int (h, "adam_steps", -1) < 0)
    {
      close (fd);
      return corrupt (error, path, "the header lacks a member or has one out of range");
    }
  claimed = (guint64) (newline + 1 - data)
            + (guint64) n_state * sizeof (float) + (guint64) n_rows * row_doubles * sizeof (double);
  if (claimed != (guint64) length)
    {
      close (fd);
      return corrupt (error, path, "its length does not match its header (cut short?)");
    }
  /* the rest of the file, as large as the header said and the file is */
  {
    gsize header_end = newline - data;
    char *whole = g_try_realloc (data, length + 1);

    if (whole == NULL)
      {
        close (fd);
        return corrupt (error, path, "it is larger than the memory there is to read it into");
      }
    data = whole;
    newline = data + header_end;
  }
  if (!vesicle_file_read_exact (fd, data + prefix, length - prefix, path, error))
    {
      close (fd);
      return FALSE;
    }
  close (fd);
  payload = (const guint8 *) newline + 1;
  if (crc != (gint64) crc32 (crc32 (0, NULL, 0), payload, data + length - (const char *) payload))
    return corrupt (error, path, "its checksum does not match (damaged)");

  cp->fingerprint = g_strdup (vesicle_json_get_string (h, "fingerprint"));
  cp->K = K;
  cp->epochs_done = vesicle_json_get_int (h, "epochs_done", 0);
  cp->adam_steps = vesicle_json_get_int (h, "adam_steps", 0);
  cp->n_state = n_state;
  cp->state = g_new (float, MAX (n_state, 1));
  read_le (cp->state, payload, n_state, sizeof (float));
  payload += n_state * sizeof (float);
  cp->n_metrics = n_rows;
  cp->metrics = g_new0 (VesicleEpochMetrics, MAX (n_rows, 1));
  for (gint64 i = 0; i < n_rows; i++)
    {
      double row[ROW_DOUBLES];

      read_le (row, payload + i * sizeof row, G_N_ELEMENTS (row), sizeof (double));
      unpack_row (&cp->metrics[i], row);
    }
  cp->stop_reasons = g_new0 (char *, K + 1);
  for (guint i = 0; i < json_array_get_length (stopped); i++)
    {
      JsonObject *s = vesicle_json_array_get_object (stopped, i);
      gint64 k = s ? vesicle_json_get_int (s, "network", -1) : -1;
      const char *reason = s ? vesicle_json_get_string (s, "reason") : NULL;

      if (k < 0 || k >= K || reason == NULL)
        {
          vesicle_checkpoint_clear (cp);
          return corrupt (error, path, "a stopped network is out of range");
        }
      g_free (cp->stop_reasons[k]);
      cp->stop_reasons[k] = g_strdup (reason);
    }
  return TRUE;
}

void
vesicle_checkpoint_clear (VesicleCheckpoint *cp)
{
  g_clear_pointer (&cp->fingerprint, g_free);
  g_clear_pointer (&cp->state, g_free);
  g_clear_pointer (&cp->metrics, g_free);
  if (cp->stop_reasons)
    {
      for (guint k = 0; k < cp->K; k++)
        g_free (cp->stop_reasons[k]);
      g_clear_pointer (&cp->stop_reasons, g_free);
    }
  memset (cp, 0, sizeof *cp);
}
