// SPDX-License-Identifier: GPL-3.0-or-later
//
// The one C++ file: CLBlast reports the tuning parameters it would use for a device only through
// its C++ API (clblast::RetrieveParameters). The tuner needs them to time CLBlast's own choice
// beside its candidates and to return to it.
#include "vesicle-blas-tuning.h"

#include <clblast.h>
#include <map>
#include <string>
#include <unordered_map>

extern "C" JsonObject *
vesicle_blas_retrieve_parameters (cl_device_id  device,
                                  const char   *kernel)
{
  std::unordered_map<std::string, size_t> found;

  if (clblast::RetrieveParameters (device, kernel, clblast::Precision::kSingle, found)
      != clblast::StatusCode::kSuccess || found.empty ())
    return NULL;

  // sorted by name, so files and reports read the same each time
  std::map<std::string, size_t> sorted (found.begin (), found.end ());
  JsonObject *parameters = json_object_new ();
  for (const auto &entry : sorted)
    json_object_set_int_member (parameters, entry.first.c_str (), (gint64) entry.second);
  return parameters;
}
