import SSLMemHDF5
import SSLMemTestSupport

/// A nearest-neighbour search's public rows (`rows.count / length` rows of `length` floats) written to
/// `directory/name.h5` as float32 in chunks of 64 rows, and a panel reader over them (64 rows per panel):
/// the input of the pruning tests.
func publicRowsReader(_ rows: [Float], length: Int, in directory: TemporaryDirectory, name: String) throws
    -> FloatPanelReader
{
    let file = try HDF5File(creating: directory.file("\(name).h5"))
    let dataset = try file.write(
        "/public", shape: [rows.count / length, length], values: rows.map(Double.init),
        storedAs: .single, chunks: [64, length])
    return try FloatPanelReader(dataset, targetBytes: 64 * length * 4)
}
