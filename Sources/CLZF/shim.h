// liblzf (Debian: liblzf-dev): decompression of chunks written with h5py's LZF
// filter (HDF5 filter id 32000), which stores each chunk as one lzf_compress block.
#include <lzf.h>
