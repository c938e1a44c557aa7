/// Wraps a value the caller guarantees is used safely across threads (disjoint
/// writes into a buffer; libhdf5 objects used under its lock). For this package's
/// concurrent loops only.
package struct UnsafeSendable<Value>: @unchecked Sendable {
    package let value: Value
    package init(_ value: Value) { self.value = value }
}
