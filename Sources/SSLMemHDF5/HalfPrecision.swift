/// IEEE binary16 → binary32 by table lookup: every half value is exactly
/// representable as a Float, so the 65,536-entry table is exact, and a lookup is
/// far faster than libhdf5's soft conversion or a bitwise decode per element.
package enum HalfPrecision {
    package static let table: [Float] = (0...UInt16.max).map { Float(Float16(bitPattern: $0)) }

    /// Converts `count` little-endian halves at `source` into `destination`.
    package static func convert(_ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutablePointer<Float>) {
        let halves = source.assumingMemoryBound(to: UInt16.self)
        table.withUnsafeBufferPointer { lut in
            for i in 0..<count { destination[i] = lut[Int(UInt16(littleEndian: halves[i]))] }
        }
    }

    /// Converts halves stored byte-shuffled (HDF5's shuffle filter: all low bytes,
    /// then all high bytes of the `planeLength` elements of a chunk) straight into
    /// Floats, fusing the unshuffle; converts the first `count` elements.
    package static func convertShuffled(
        _ source: UnsafeRawPointer, planeLength: Int, count: Int, into destination: UnsafeMutablePointer<Float>
    ) {
        let low = source.assumingMemoryBound(to: UInt8.self)
        let high = low + planeLength
        table.withUnsafeBufferPointer { lut in
            for i in 0..<count { destination[i] = lut[Int(low[i]) | Int(high[i]) << 8] }
        }
    }
}
