// libdeflate (Debian: libdeflate-dev): whole-buffer zlib decompression, about
// twice as fast as zlib's inflate, for HDF5's deflate filter.
#include <libdeflate.h>
