// Prints CLBlast's current tuning parameters for the first OpenCL device (single precision).
// Build: g++ -O2 -o /tmp/clblast_params clblast_params.cc -lclblast -lOpenCL
#define CL_TARGET_OPENCL_VERSION 120
#include <clblast.h>
#include <cstdio>
#include <map>
int main() {
  cl_platform_id p; cl_device_id d;
  clGetPlatformIDs(1, &p, nullptr);
  clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 1, &d, nullptr);
  char name[256]; clGetDeviceInfo(d, CL_DEVICE_NAME, sizeof name, name, nullptr);
  printf("device: %s\n", name);
  for (const char *k : {"GemmRoutine", "XgemmDirect", "Xgemm", "Copy", "Pad", "Transpose", "Padtranspose"}) {
    std::unordered_map<std::string, size_t> params;
    auto s = clblast::RetrieveParameters(d, k, clblast::Precision::kSingle, params);
    std::map<std::string, size_t> sorted(params.begin(), params.end());
    printf("%s (status %d):", k, (int)s);
    for (auto &kv : sorted) printf(" %s=%zu", kv.first.c_str(), kv.second);
    printf("\n");
  }
}
