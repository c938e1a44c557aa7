/// Wraps a value the caller guarantees is used safely across threads. Used only
/// by the deprecated `ParallelBlocks.forEach`, kept while other branches move to
/// `ParallelBlocks.run`; new code uses `ParallelBuffer`.
package struct UnsafeSendable<Value>: @unchecked Sendable {
    package let value: Value
    package init(_ value: Value) { self.value = value }
}
