/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Translations in the libraries: N_() marks the labels of the static tables (settings,
 * experiment types, figures) that the window shows through _(); _() here looks them up in
 * Vesicle's own gettext domain, whatever domain the program set.
 */
#pragma once

#include "vesicle-build-config.h"

#include <glib/gi18n-lib.h>
