import CIOKernels

/// IEEE binary16 → binary32: every half value is exactly representable as a
/// Float, so the conversion is exact. In C (CIOKernels/half.c): eight at a time
/// with F16C (vcvtph2ps) when the CPU has it, else by bits; a NaN stays a NaN.
package enum HalfPrecision {
    /// Converts `count` little-endian halves at `source` into `destination`.
    package static func convert(_ source: UnsafeRawPointer, count: Int, into destination: UnsafeMutablePointer<Float>) {
        sslmem_halves_to_floats(source.assumingMemoryBound(to: UInt16.self), destination, count)
    }

    /// Converts halves stored byte-shuffled (HDF5's shuffle filter: all low bytes,
    /// then all high bytes of the `planeLength` elements of a chunk) straight into
    /// Floats, fusing the unshuffle; converts the first `count` elements.
    package static func convertShuffled(
        _ source: UnsafeRawPointer, planeLength: Int, count: Int, into destination: UnsafeMutablePointer<Float>
    ) {
        let low = source.assumingMemoryBound(to: UInt8.self)
        sslmem_shuffled_halves_to_floats(low, low + planeLength, destination, count)
    }
}
