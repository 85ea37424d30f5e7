/// A memory-mapped NumPy `.npy` file: its validated header and its one array as a `TensorView`.
/// Opening reads only the header; data pages are read when used.
public final class NpyFile: @unchecked Sendable {
    /// The path as the caller gave it.
    public let path: String
    public let header: NpyHeader
    let mapping: MappedFile

    /// Maps and validates the file. Throws `FileError` for an unreadable path, a file that is not
    /// `.npy`, an unsupported header or dtype, or data shorter than the header promises.
    public init(path: String) throws(FileError) {
        mapping = try MappedFile(path: path)
        self.path = path
        header = try NpyHeader(parsing: mapping.bytes, name: path)
    }

    /// The array; its name is the file's name without the `.npy` extension.
    public var tensor: TensorView {
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        let name = fileName.hasSuffix(".npy") ? String(fileName.dropLast(4)) : fileName
        return TensorView(name: name, shape: header.shape, elementType: header.elementType, byteOrder: header.byteOrder,
                          isColumnMajor: header.fortranOrder,
                          baseAddress: header.dataByteCount == 0 ? nil : mapping.bytes.baseAddress! + header.dataOffset,
                          owner: mapping)
    }
}
