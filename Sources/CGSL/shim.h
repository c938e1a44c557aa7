#ifndef SSLMEM_CGSL_SHIM_H
#define SSLMEM_CGSL_SHIM_H
#include <gsl/gsl_errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_randist.h>

/// Replace GSL's abort-on-error handler: failures come back as status codes
/// that the Swift side turns into errors.
static inline void sslmem_gsl_disable_abort(void) { gsl_set_error_handler_off(); }
#endif
