import Foundation

/// One file of a data set: its rows and, per layer, where the layer's N×width block is stored.
struct GradientShard {
    let path: String
    let rows: Int
    let layers: [(name: String, storage: StoredMatrix)]
    /// Keeps the mapping alive.
    let owner: AnyObject

    var rowBytes: Int { layers.reduce(0) { $0 + $1.storage.rowBytes } }
    var isDirect: Bool { layers.allSatisfy { $0.storage.isDirect } }
    /// Column-major in native order and aligned: the Fortran panel path can read it in place.
    var isColumnPanels: Bool { layers.allSatisfy { $0.storage.isColumnMajor && !$0.storage.byteSwapped && $0.storage.isAligned } }

    /// Opens `path` as a shard: `.npy` and `.safetensors` by extension, other names by their first bytes.
    /// - Parameter tensors: for safetensors, the gradient tensors to use (nil: all but ghost-norm inputs).
    static func open(_ path: String, tensors: [String]?) throws(FileError) -> GradientShard {
        switch try format(of: path) {
        case .npy:
            let file = try NpyFile(path: path)
            if let tensors {
                throw FileError(.missing, file: path, "tensors \(tensors.map { quoted($0) }.joined(separator: ", ")) were requested (expected a .safetensors file: a .npy file holds one unnamed array)")
            }
            let tensor = file.tensor
            let shape = PythonLiteral.tuple(tensor.shape.map { .integer(text: "\($0)", value: $0) }).source
            if tensor.rows == 0 { throw .field(path, "header field 'shape'", is: shape, expected: "at least one row") }
            if tensor.columns == 0 { throw .field(path, "header field 'shape'", is: shape, expected: "at least one column per row") }
            return GradientShard(path: path, rows: tensor.rows, layers: [("all", tensor.storage)], owner: file.mapping)
        case .safetensors:
            let file = try SafetensorsFile(path: path)
            let names = tensors ?? file.gradientTensorNames
            guard !names.isEmpty else {
                throw FileError(.missing, file: path, "no gradient tensors (expected at least one tensor besides '.activations'/'.backprops' ghost-norm inputs)")
            }
            var layers: [(name: String, storage: StoredMatrix)] = []
            var first: TensorView?
            for name in names {
                let tensor = try file.tensor(named: name)
                let field = "tensor \(quoted(name)) field 'shape'"
                guard !tensor.shape.isEmpty else { throw .field(path, field, is: "[]", expected: "at least one dimension, the samples first") }
                if let first, tensor.rows != first.rows {
                    throw .field(path, field, is: "\(tensor.shape)", expected: "\(first.rows) rows, as tensor \(quoted(first.name))")
                }
                guard tensor.rows > 0 else { throw .field(path, field, is: "\(tensor.shape)", expected: "at least one row") }
                guard tensor.columns > 0 else { throw .field(path, field, is: "\(tensor.shape)", expected: "at least one column per row") }
                first = first ?? tensor
                layers.append((name, tensor.storage))
            }
            return GradientShard(path: path, rows: first!.rows, layers: layers, owner: file.mapping)
        }
    }

    enum Format { case npy, safetensors }

    private static func format(of path: String) throws(FileError) -> Format {
        if path.hasSuffix(".npy") { return .npy }
        if path.hasSuffix(".safetensors") { return .safetensors }
        let mapping = try MappedFile(path: path)
        if mapping.bytes.starts(with: NpyHeader.magic) { return .npy }
        if mapping.bytes.count > 8, mapping.bytes[8] == UInt8(ascii: "{") { return .safetensors }
        throw FileError(.notFormat, file: path, "neither a .npy nor a .safetensors file (starts with \(quoted(bytes: mapping.bytes.prefix(10), limit: 10)))")
    }

    /// Throws `.mismatch` unless this shard has the layers (names, widths, element types) of `reference`.
    func checkCompatible(with reference: GradientShard) throws(FileError) {
        guard layers.map(\.name) == reference.layers.map(\.name) else {
            throw FileError(.mismatch, file: path, "tensors are \(layers.map { quoted($0.name) }.joined(separator: ", ")) (expected \(reference.layers.map { quoted($0.name) }.joined(separator: ", ")), as in \(reference.path))")
        }
        let isNpy = layers.count == 1 && layers[0].name == "all"
        for (mine, theirs) in zip(layers, reference.layers) {
            let shape = isNpy ? "header field 'shape'" : "tensor \(quoted(mine.name)) field 'shape'"
            let dtype = isNpy ? "header field 'descr'" : "tensor \(quoted(mine.name)) field 'dtype'"
            if mine.storage.columns != theirs.storage.columns {
                throw .field(path, shape, is: "\(mine.storage.columns) columns per row", expected: "\(theirs.storage.columns), as in \(reference.path)", kind: .mismatch)
            }
            if mine.storage.elementType != theirs.storage.elementType {
                throw .field(path, dtype, is: "\(mine.storage.elementType)", expected: "\(theirs.storage.elementType), as in \(reference.path)", kind: .mismatch)
            }
        }
    }

    /// The files a path stands for: the path itself, or a directory's `.npy` and `.safetensors` files in
    /// natural order (`rank2` before `rank10`).
    static func expand(_ path: String) throws(FileError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return [path] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw .unreadable(path, "the directory cannot be listed")
        }
        let files = names.filter { $0.hasSuffix(".npy") || $0.hasSuffix(".safetensors") }.sorted(by: naturalOrder)
        guard !files.isEmpty else {
            throw FileError(.missing, file: path, "directory holds no .npy or .safetensors files (expected one shard file or more)")
        }
        let directory = path.hasSuffix("/") ? path : path + "/"
        return files.map { directory + $0 }
    }
}

/// Compares names with runs of digits as numbers: "shard2" < "shard10".
func naturalOrder(_ a: String, _ b: String) -> Bool {
    let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
    func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
    var i = 0, j = 0
    while i < x.count && j < y.count {
        if isDigit(x[i]) && isDigit(y[j]) {
            var p = i, q = j
            while p < x.count && isDigit(x[p]) { p += 1 }
            while q < y.count && isDigit(y[q]) { q += 1 }
            let m = x[i..<p].drop { $0 == "0" }, n = y[j..<q].drop { $0 == "0" }
            if m.count != n.count { return m.count < n.count }
            if let k = zip(m, n).first(where: { $0 != $1 }) { return k.0.value < k.1.value }
            (i, j) = (p, q)
        } else {
            if x[i] != y[j] { return x[i].value < y[j].value }
            (i, j) = (i + 1, j + 1)
        }
    }
    return x.count - i < y.count - j
}
