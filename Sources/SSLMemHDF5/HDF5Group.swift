import CHDF5
import SSLMemModel
import SSLMemSupport

/// Reading the members and attributes of a group, under `HDF5Library`'s lock like every libhdf5 call.
extension HDF5File {
    /// Names of the links directly under the group at `path`, sorted by name.
    public func members(ofGroup path: String) throws -> [String] {
        try HDF5Library.serialized {
            let group = try HDF5Library.check(H5Gopen2(id, path, sslmem_H5P_DEFAULT()), "cannot open group \(path)")
            defer { H5Gclose(group) }
            var info = H5G_info_t()
            try HDF5Library.check(H5Gget_info(group, &info), "cannot read group \(path)")
            var names: [String] = []
            for i in 0..<info.nlinks {
                names.append(
                    try HDF5Library.name("a member name of \(path)") {
                        H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, $0, $1, sslmem_H5P_DEFAULT())
                    })
            }
            return names.sorted()
        }
    }

    /// Whether the object at `path` is a group.
    public func isGroup(_ path: String) -> Bool {
        HDF5Library.serialized {
            guard exists(path) else { return false }
            var info = H5O_info_t()
            guard H5Oget_info_by_name2(id, path, &info, UInt32(H5O_INFO_BASIC), sslmem_H5P_DEFAULT()) >= 0 else {
                HDF5Library.errorDetail()
                return false
            }
            return info.type == H5O_TYPE_GROUP
        }
    }

    /// Attribute `name` of the group at `path`, nil when absent.
    public func attribute(_ name: String, ofGroup path: String) throws -> HDF5AttributeValue? {
        try HDF5Library.serialized {
            let group = try HDF5Library.check(H5Gopen2(id, path, sslmem_H5P_DEFAULT()), "cannot open group \(path)")
            defer { H5Gclose(group) }
            do { return try HDF5Attributes.read(name, of: group) } catch let error as SSLMemError {
                throw error.located(file: self.path, dataset: path)
            }
        }
    }
}
