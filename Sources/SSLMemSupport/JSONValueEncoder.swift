/// Encodes any `Encodable` value as a `JSONValue`, keeping the members of each
/// object in the order they are encoded (declaration order for synthesized
/// conformances), so the text has a fixed shape and the same bytes for the
/// same value — what Foundation's JSONEncoder does not promise on Linux.
/// Numbers and strings as themselves, nil optionals left out; Bool is refused
/// (`JSONValue` has no booleans).
public enum JSONValueEncoder {
    public static func encode(_ value: some Encodable) throws -> JSONValue {
        let root = Slot()
        try root.put(value, path: [])
        return root.resolved
    }

    /// One value being built: a finished value, an object or an array.
    final class Slot {
        enum Content {
            case value(JSONValue)
            case object([(String, Slot)])
            case array([Slot])
        }
        var content = Content.value(.null)

        var resolved: JSONValue {
            switch content {
            case .value(let v): return v
            case .object(let members): return .object(members.map { ($0.0, $0.1.resolved) })
            case .array(let items): return .array(items.map(\.resolved))
            }
        }

        func put(_ value: some Encodable, path: [CodingKey]) throws {
            switch value {
            case let x as JSONValue: content = .value(x)
            case let x as Double: content = .value(.number(x))
            case let x as Float: content = .value(.number(Double(x)))
            case let x as String: content = .value(.string(x))
            case let x as Int: content = .value(.integer(x))
            case let x as Int64: content = .value(.integer(Int(x)))
            case let x as Int32: content = .value(.integer(Int(x)))
            case let x as UInt8: content = .value(.integer(Int(x)))
            case let x as UInt32: content = .value(.integer(Int(x)))
            case let x as UInt64:
                // Seeds: an integer where it fits (every seed below 2⁶³), else its decimal digits.
                content = .value(x <= UInt64(Int.max) ? .integer(Int(x)) : .string(String(x)))
            case is Bool:
                throw EncodingError.invalidValue(
                    value, .init(codingPath: path, debugDescription: "JSONValue has no booleans"))
            default: try value.encode(to: ValueEncoder(slot: self, codingPath: path))
            }
        }

        func member(_ key: String) -> Slot {
            var members: [(String, Slot)] = []
            if case .object(let existing) = content { members = existing }
            if let found = members.first(where: { $0.0 == key }) { return found.1 }
            let slot = Slot()
            content = .object(members + [(key, slot)])
            return slot
        }

        func append() -> Slot {
            var items: [Slot] = []
            if case .array(let existing) = content { items = existing }
            let slot = Slot()
            content = .array(items + [slot])
            return slot
        }
    }

    struct ValueEncoder: Encoder {
        let slot: Slot
        var codingPath: [CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if case .object = slot.content {} else { slot.content = .object([]) }
            return KeyedEncodingContainer(Keyed<Key>(slot: slot, codingPath: codingPath))
        }

        func unkeyedContainer() -> UnkeyedEncodingContainer {
            if case .array = slot.content {} else { slot.content = .array([]) }
            return Unkeyed(slot: slot, codingPath: codingPath)
        }

        func singleValueContainer() -> SingleValueEncodingContainer { Single(slot: slot, codingPath: codingPath) }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let slot: Slot
        var codingPath: [CodingKey]
        mutating func encodeNil(forKey key: Key) throws { slot.member(key.stringValue).content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try slot.member(key.stringValue).put(value, path: codingPath + [key])
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey>
        {
            ValueEncoder(slot: slot.member(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
            ValueEncoder(slot: slot.member(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
        }
        mutating func superEncoder() -> Encoder { ValueEncoder(slot: slot.member("super"), codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> Encoder {
            ValueEncoder(slot: slot.member(key.stringValue), codingPath: codingPath + [key])
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let slot: Slot
        var codingPath: [CodingKey]
        var count: Int {
            if case .array(let items) = slot.content { return items.count }
            return 0
        }
        mutating func encodeNil() throws { slot.append().content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws { try slot.append().put(value, path: codingPath) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
            -> KeyedEncodingContainer<NestedKey>
        {
            ValueEncoder(slot: slot.append(), codingPath: codingPath).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
            ValueEncoder(slot: slot.append(), codingPath: codingPath).unkeyedContainer()
        }
        mutating func superEncoder() -> Encoder { ValueEncoder(slot: slot.append(), codingPath: codingPath) }
    }

    struct Single: SingleValueEncodingContainer {
        let slot: Slot
        var codingPath: [CodingKey]
        mutating func encodeNil() throws { slot.content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws { try slot.put(value, path: codingPath) }
    }
}
