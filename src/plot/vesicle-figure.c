/* SPDX-License-Identifier: GPL-3.0-or-later */
/* being written: the figure registry */
#include "vesicle-figure-private.h"
