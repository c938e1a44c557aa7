// UnitMem's per-view activation sums (UnitActivations.swift): the values of unit u
// in one view [outer, units, inner] summed in double, in increasing i from 0,
// per (o, u), then added to sums[u] in increasing o. The same arithmetic as the
// plain loop; eight units' chains run side by side, so each add waits on its own
// chain only (the plain loop waits four cycles, one add's latency, per value).
#include "sslmem_core_kernels.h"

#pragma STDC FP_CONTRACT OFF

int sslmem_unit_sums(const float *view, size_t outer, size_t units, size_t inner, double *sums) {
    int finite = 1;
    for (size_t o = 0; o < outer; o++) {
        const float *base = view + o * units * inner;
        size_t u = 0;
        if (inner > 1) {
            for (; u + 8 <= units; u += 8) {
                const float *p = base + u * inner;
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
                for (size_t i = 0; i < inner; i++) {
                    s0 += (double)p[i];
                    s1 += (double)p[inner + i];
                    s2 += (double)p[2 * inner + i];
                    s3 += (double)p[3 * inner + i];
                    s4 += (double)p[4 * inner + i];
                    s5 += (double)p[5 * inner + i];
                    s6 += (double)p[6 * inner + i];
                    s7 += (double)p[7 * inner + i];
                }
                double s[8] = {s0, s1, s2, s3, s4, s5, s6, s7};
                for (int j = 0; j < 8; j++) {
                    finite &= __builtin_isfinite(s[j]) != 0;
                    sums[u + j] += s[j];
                }
            }
        }
        for (; u < units; u++) {
            const float *p = base + u * inner;
            double s = 0;
            for (size_t i = 0; i < inner; i++) s += (double)p[i];
            finite &= __builtin_isfinite(s) != 0;
            sums[u] += s;
        }
    }
    return finite;
}
