import CHDF5
import Foundation
import SSLMemModel
import SSLMemSupport

/// Reading and writing attributes of an open HDF5 object (file root, group or dataset).
enum HDF5Attributes {
    /// Names of all attributes of `object`, in creation order where tracked, else by name.
    static func names(of object: hid_t) throws -> [String] {
        var info = H5O_info_t()
        try HDF5Library.check(H5Oget_info2(object, &info, UInt32(H5O_INFO_NUM_ATTRS)), "cannot read object info")
        var result: [String] = []
        for i in 0..<info.num_attrs {
            result.append(
                try HDF5Library.name("attribute name") {
                    H5Aget_name_by_idx(object, ".", H5_INDEX_NAME, H5_ITER_INC, i, $0, $1, sslmem_H5P_DEFAULT())
                })
        }
        return result
    }

    static func read(_ name: String, of object: hid_t) throws -> HDF5AttributeValue? {
        guard H5Aexists(object, name) > 0 else { return nil }
        let attribute = try HDF5Library.check(
            H5Aopen(object, name, sslmem_H5P_DEFAULT()), "cannot open attribute \(name)")
        defer { H5Aclose(attribute) }
        let type = H5Aget_type(attribute)
        defer { H5Tclose(type) }
        let space = H5Aget_space(attribute)
        defer { H5Sclose(space) }
        let count = Int(max(0, H5Sget_simple_extent_npoints(space)))
        switch H5Tget_class(type) {
        case H5T_STRING:
            return .strings(try readStrings(attribute, type: type, count: count))
        case H5T_INTEGER:
            var values = [Int64](repeating: 0, count: count)
            try HDF5Library.check(
                H5Aread(attribute, sslmem_H5T_NATIVE_INT64(), &values), "cannot read attribute \(name)")
            return .integers(values)
        case H5T_FLOAT:
            var values = [Double](repeating: 0, count: count)
            try HDF5Library.check(
                H5Aread(attribute, sslmem_H5T_NATIVE_DOUBLE(), &values), "cannot read attribute \(name)")
            return .reals(values)
        default:
            return .unsupported("attribute of an unsupported type")
        }
    }

    private static func readStrings(_ attribute: hid_t, type: hid_t, count: Int) throws -> [String] {
        if H5Tis_variable_str(type) > 0 {
            let memory = H5Tcopy(sslmem_H5T_C_S1())
            defer { H5Tclose(memory) }
            H5Tset_size(memory, sslmem_H5T_VARIABLE())
            H5Tset_cset(memory, H5Tget_cset(type))
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            try HDF5Library.check(H5Aread(attribute, memory, &pointers), "cannot read string attribute")
            defer { for p in pointers { H5free_memory(p) } }
            return pointers.map { $0.map { String(cString: $0) } ?? "" }
        }
        let size = H5Tget_size(type)
        var bytes = [UInt8](repeating: 0, count: size * count)
        try HDF5Library.check(H5Aread(attribute, type, &bytes), "cannot read string attribute")
        return (0..<count).map { i in
            let slice = bytes[(i * size)..<((i + 1) * size)]
            let end = slice.firstIndex(of: 0) ?? slice.endIndex
            return String(decoding: slice[slice.startIndex..<end], as: UTF8.self)
                .trimmingCharacters(in: " ")
        }
    }

    static func write(_ name: String, _ value: HDF5AttributeValue, to object: hid_t) throws {
        switch value {
        case .strings(let strings):
            let type = H5Tcopy(sslmem_H5T_C_S1())
            defer { H5Tclose(type) }
            H5Tset_size(type, sslmem_H5T_VARIABLE())
            H5Tset_cset(type, H5T_CSET_UTF8)
            let cStrings = strings.map { strdup($0) }
            defer { for string in cStrings { free(string) } }
            var pointers: [UnsafePointer<CChar>?] = cStrings.map { UnsafePointer($0) }
            try write(name, type: type, count: strings.count, scalar: strings.count == 1, to: object) { attribute in
                H5Awrite(attribute, type, &pointers)
            }
        case .integers(var values):
            try write(name, type: sslmem_H5T_NATIVE_INT64(), count: values.count, scalar: values.count == 1, to: object)
            {
                H5Awrite($0, sslmem_H5T_NATIVE_INT64(), &values)
            }
        case .reals(var values):
            try write(
                name, type: sslmem_H5T_NATIVE_DOUBLE(), count: values.count, scalar: values.count == 1, to: object
            ) {
                H5Awrite($0, sslmem_H5T_NATIVE_DOUBLE(), &values)
            }
        case .unsupported:
            throw SSLMemError("cannot write attribute \(name) of an unsupported type")
        }
    }

    private static func write(
        _ name: String, type: hid_t, count: Int, scalar: Bool, to object: hid_t, body: (hid_t) -> herr_t
    ) throws {
        var dims = [hsize_t(count)]
        let space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dims, nil)
        defer { H5Sclose(space) }
        let attribute = try HDF5Library.check(
            H5Acreate2(object, name, type, space, sslmem_H5P_DEFAULT(), sslmem_H5P_DEFAULT()),
            "cannot create attribute \(name)")
        defer { H5Aclose(attribute) }
        try HDF5Library.check(body(attribute), "cannot write attribute \(name)")
    }
}

extension String {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        var s = Substring(self)
        while s.last == character { s = s.dropLast() }
        return String(s)
    }
}
