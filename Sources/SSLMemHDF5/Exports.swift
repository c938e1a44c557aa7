// The error type and attribute values in this module's API (SSLMemError, HDF5AttributeValue) and the parallel
// loop its panel reader runs on come from the data model below it.
@_exported import SSLMemModel
