// Prints SplitMix64 hashes and shard numbers with Sources/SSLMemCore/Shard.swift itself:
//   swiftc -parse-as-library ../../../Sources/SSLMemCore/Shard.swift shard_values.swift -o /tmp/shard_values \
//     && /tmp/shard_values > shard_values.txt
// (run in backend/tests/data). Columns: index, hash (hex), shard of 7, shard of 16.
@main
struct ShardValues {
    static func main() {
        let indices: [Int64] = [0, 1, 2, 3, 7, 42, 999, 1000, 59_999, 60_000, 69_999, 123_456_789,
                                Int64.max, -1, -12_345]
        for x in indices {
            let h = Shard.hash(UInt64(bitPattern: x))
            let s7 = (0..<7).first { Shard($0, of: 7).contains(x) }!
            let s16 = (0..<16).first { Shard($0, of: 16).contains(x) }!
            print(x, String(h, radix: 16), s7, s16)
        }
    }
}
