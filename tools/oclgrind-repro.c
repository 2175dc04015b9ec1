/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The two faults of oclgrind 21.10 (Debian 12) that Vesicle works around, each in a few lines,
 * for a report upstream and for anyone who doubts the workarounds (docs/engine.md):
 *
 *   1. --uninitialized after clEnqueueFillBuffer: a kernel writes every element of a filled
 *      buffer, another copies them out, and copied values are reported as uninitialised.
 *      Without the fill, or with a host write of zeros instead, nothing is reported.
 *      (vesicle_cl_zero_buffer writes zeros from the host on oclgrind.)
 *   2. a wrong vector result: ((ix >> 23) & 0xff) - 127 - big, with big an int8 comparison
 *      result (-1 or 0), is 253 where it is -1; ((ix >> 23) & 0xff) - (127 + big), the same
 *      integers, is right. vesicle_logf8 (kernels/sample.cl) is written the second way; written
 *      the first way, every normal noise_draw drew under oclgrind was wrong or NaN.
 *
 *   cc -o /tmp/oclgrind-repro tools/oclgrind-repro.c -lOpenCL
 *   oclgrind --uninitialized /tmp/oclgrind-repro     # a report in case 1, case 2 "WRONG"
 *   /tmp/oclgrind-repro                              # on PoCL: no reports, case 2 "right"
 */
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <stdio.h>
#include <stdlib.h>

static const char *source =
  "__kernel void write_ones (__global float *x) { x[get_global_id (0)] = 1.0f; }\n"
  "__kernel void copy (__global float *y, __global const float *x)\n"
  "{ y[get_global_id (0)] = x[get_global_id (0)]; }\n"
  "__kernel void exponent (__global int *out, __global const float *x, int grouped)\n"
  "{\n"
  "  const int8 ix = as_int8 (vload8 (0, x));\n"
  "  const int8 big = as_float8 ((ix & 0x7fffff) | 0x3f800000) > 1.41421356f;\n"
  "  vstore8 (grouped ? ((ix >> 23) & 0xff) - (127 + big) : ((ix >> 23) & 0xff) - 127 - big,\n"
  "           0, out);\n"
  "}\n";

#define CHECK(call) \
  do { cl_int status_ = (call); \
       if (status_ != CL_SUCCESS) { fprintf (stderr, "%s: %d\n", #call, status_); exit (1); } \
  } while (0)

int
main (void)
{
  cl_platform_id platform;
  cl_device_id device;
  cl_int status;
  const size_t n = 2;
  const float zero = 0.0f, xs[8] = { 0.4f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f, 0.4f };
  float y[2];
  int e[2][8];

  CHECK (clGetPlatformIDs (1, &platform, NULL));
  CHECK (clGetDeviceIDs (platform, CL_DEVICE_TYPE_ALL, 1, &device, NULL));
  cl_context context = clCreateContext (NULL, 1, &device, NULL, NULL, &status);
  CHECK (status);
  cl_command_queue queue = clCreateCommandQueue (context, device, 0, &status);
  CHECK (status);
  cl_program program = clCreateProgramWithSource (context, 1, &source, NULL, &status);
  CHECK (status);
  CHECK (clBuildProgram (program, 1, &device, "-cl-std=CL1.2", NULL, NULL));
  cl_kernel write_ones = clCreateKernel (program, "write_ones", &status);
  cl_kernel copy = clCreateKernel (program, "copy", &status);
  cl_kernel exponent = clCreateKernel (program, "exponent", &status);
  CHECK (status);

  /* 1: fill, a kernel's writes, a copy of them */
  cl_mem x = clCreateBuffer (context, CL_MEM_READ_WRITE, sizeof y, NULL, &status);
  cl_mem out = clCreateBuffer (context, CL_MEM_READ_WRITE, sizeof y, NULL, &status);
  CHECK (status);
  CHECK (clEnqueueFillBuffer (queue, x, &zero, sizeof zero, 0, sizeof y, 0, NULL, NULL));
  CHECK (clSetKernelArg (write_ones, 0, sizeof x, &x));
  CHECK (clEnqueueNDRangeKernel (queue, write_ones, 1, NULL, &n, NULL, 0, NULL, NULL));
  CHECK (clSetKernelArg (copy, 0, sizeof out, &out));
  CHECK (clSetKernelArg (copy, 1, sizeof x, &x));
  CHECK (clEnqueueNDRangeKernel (queue, copy, 1, NULL, &n, NULL, 0, NULL, NULL));
  CHECK (clEnqueueReadBuffer (queue, out, CL_TRUE, 0, sizeof y, y, 0, NULL, NULL));
  printf ("case 1: copied %g %g (any report above is oclgrind's)\n", y[0], y[1]);

  /* 2: 0.4 is 2^-2 x 1.6, and 1.6 > sqrt 2, so big is -1 and the exponent -2 + 1 = -1 */
  cl_mem in = clCreateBuffer (context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof xs,
                              (void *) xs, &status);
  cl_mem ints = clCreateBuffer (context, CL_MEM_READ_WRITE, sizeof e[0], NULL, &status);
  CHECK (status);
  for (int grouped = 0; grouped < 2; grouped++)
    {
      const size_t one = 1;

      CHECK (clSetKernelArg (exponent, 0, sizeof ints, &ints));
      CHECK (clSetKernelArg (exponent, 1, sizeof in, &in));
      CHECK (clSetKernelArg (exponent, 2, sizeof grouped, &grouped));
      CHECK (clEnqueueNDRangeKernel (queue, exponent, 1, NULL, &one, NULL, 0, NULL, NULL));
      CHECK (clEnqueueReadBuffer (queue, ints, CL_TRUE, 0, sizeof e[0], e[grouped], 0, NULL,
                                  NULL));
    }
  printf ("case 2: - 127 - big gives %d, - (127 + big) gives %d: %s\n", e[0][0], e[1][0],
          e[0][0] == e[1][0] ? "right" : "WRONG");
  return e[0][0] == e[1][0] ? 0 : 2;
}
