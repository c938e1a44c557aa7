// The data model (Subset, ScoresTable, SSLMemError …) moved below this module
// into SSLMemModel; code that imports SSLMemIO keeps seeing it.
@_exported import SSLMemModel
