#ifndef SSLMEM_CHDF5_SHIM_H
#define SSLMEM_CHDF5_SHIM_H
#include <string.h>
// Debian keeps the serial HDF5 headers under hdf5/serial/ (the static archive is linked, see Package.swift).
#if __has_include(<hdf5/serial/hdf5.h>)
#include <hdf5/serial/hdf5.h>
#else
#include <hdf5.h>
#endif

// HDF5's ids below are macros (often expanding to a library global behind
// H5open()) and do not import into Swift; these functions expose them.
static inline hid_t sslmem_H5P_DEFAULT(void) { return H5P_DEFAULT; }
static inline hid_t sslmem_H5S_ALL(void) { return H5S_ALL; }
static inline unsigned sslmem_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned sslmem_H5F_ACC_TRUNC(void) { return H5F_ACC_TRUNC; }
static inline hid_t sslmem_H5P_FILE_ACCESS(void) { return H5P_FILE_ACCESS; }
static inline hid_t sslmem_H5P_DATASET_CREATE(void) { return H5P_DATASET_CREATE; }
static inline hid_t sslmem_H5P_DATASET_ACCESS(void) { return H5P_DATASET_ACCESS; }
static inline hid_t sslmem_H5P_LINK_CREATE(void) { return H5P_LINK_CREATE; }
static inline hid_t sslmem_H5T_IEEE_F16LE(void) {
    // IEEE binary16, little-endian: a copy of the float32 type with half's fields.
    hid_t t = H5Tcopy(H5T_IEEE_F32LE);
    H5Tset_fields(t, 15, 10, 5, 0, 10);
    H5Tset_precision(t, 16);
    H5Tset_size(t, 2);
    H5Tset_ebias(t, 15);
    return t;
}
static inline hid_t sslmem_H5T_NATIVE_INT64(void) { return H5T_NATIVE_INT64; }
static inline hid_t sslmem_H5T_NATIVE_UINT8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t sslmem_H5T_NATIVE_FLOAT(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t sslmem_H5T_NATIVE_DOUBLE(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t sslmem_H5T_C_S1(void) { return H5T_C_S1; }
static inline size_t sslmem_H5T_VARIABLE(void) { return H5T_VARIABLE; }
static inline hid_t sslmem_H5E_DEFAULT(void) { return H5E_DEFAULT; }

/// Turn off HDF5's automatic printing of its error stack; errors are read
/// with sslmem_H5_error_detail and reported by the caller.
static inline void sslmem_H5_silence(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

/// Never load filter plugins (see HDF5Library.prepare).
static inline void sslmem_H5_no_plugins(void) { H5PLset_loading_state(0); }

static inline herr_t sslmem_H5_error_walker(unsigned n, const H5E_error2_t *err, void *data) {
    // The stack is walked innermost first: keep the first non-empty description.
    char *buf = (char *)data;
    if (buf[0] == '\0' && err->desc != NULL) {
        strncpy(buf, err->desc, 255);
        buf[255] = '\0';
    }
    return 0;
}

/// Copy the innermost description of HDF5's current error stack into buf
/// (at least 256 bytes) and clear the stack.
static inline void sslmem_H5_error_detail(char *buf) {
    buf[0] = '\0';
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, sslmem_H5_error_walker, buf);
    H5Eclear2(H5E_DEFAULT);
}
#endif
