#ifndef SSLMEM_KERNELS_H
#define SSLMEM_KERNELS_H
#include <stddef.h>

/// ‖t − p‖² of two float vectors of length n, accumulated in double-double
/// precision and rounded once to double (see SquaredDistance.swift for the
/// error bound). Uses AVX-512 or AVX2 with FMA when the CPU has them.
double sslmem_squared_distance(const float *t, const float *p, size_t n);

#endif
