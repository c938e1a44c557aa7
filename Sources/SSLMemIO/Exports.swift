// The data model (Subset, ScoresTable, SSLMemError …) and the generic HDF5 binding (HDF5File, HDF5Dataset,
// RowBlockReader …) are modules below this one; code that imports SSLMemIO keeps seeing both.
@_exported import SSLMemModel
@_exported import SSLMemHDF5
