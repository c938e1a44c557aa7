// The umbrella module: `import SSLMem` (product "SSLMem") gives every library of the toolkit, as `import Numerics`
// gives swift-numerics' modules. The libraries themselves import only what they use and re-export nothing; a
// program that needs one layer can depend on that library's product alone.
@_exported import SSLMemAnalysis
@_exported import SSLMemCore
@_exported import SSLMemFigures
@_exported import SSLMemHDF5
@_exported import SSLMemIO
@_exported import SSLMemModel
@_exported import SSLMemPlot
@_exported import SSLMemReport
@_exported import SSLMemStats
@_exported import SSLMemSupport
