// RunSource and RunGroup moved down into SSLMemAnalysis; code that imports
// SSLMemReport keeps seeing them.
@_exported import SSLMemAnalysis
