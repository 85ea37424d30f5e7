/// A memory-mapped Hugging Face `.safetensors` file: its validated header and its tensors as
/// `TensorView`s. Opening reads only the header; data pages are read when used.
///
/// Conventions for FisherTrace:
/// - per-sample gradients: one tensor per parameter, shape N×(parameter shape); each is a layer of N rows
///   and (product of the rest) columns, in file order;
/// - ghost-norm inputs: `<layer>.activations` (N×T×d_in or N×d_in) and `<layer>.backprops` (N×T×d_out or
///   N×d_out) pairs, exposed by `ghostPairs()` and excluded from the gradient tensors.
public final class SafetensorsFile: @unchecked Sendable {
    /// The path as the caller gave it.
    public let path: String
    public let header: SafetensorsHeader
    let mapping: MappedFile

    static let activationsSuffix = ".activations"
    static let backpropsSuffix = ".backprops"

    /// Maps and validates the file. Throws `FileError` for an unreadable path, a file that is not
    /// safetensors, a malformed header or data shorter than the header promises.
    public init(path: String) throws(FileError) {
        mapping = try MappedFile(path: path)
        self.path = path
        header = try SafetensorsHeader(parsing: mapping.bytes, name: path)
    }

    /// Every tensor's name, in file order.
    public var tensorNames: [String] { header.tensors.map(\.name) }

    /// The names of the per-sample gradient tensors: all but ghost-norm inputs, in file order.
    public var gradientTensorNames: [String] { tensorNames.filter { !Self.isGhostInput($0) } }

    /// The tensor called `name`; throws `FileError` (`.missing`) listing the names present.
    public func tensor(named name: String) throws(FileError) -> TensorView {
        guard let entry = header.tensors.first(where: { $0.name == name }) else {
            let present = tensorNames.prefix(8).map { quoted($0) }.joined(separator: ", ") + (tensorNames.count > 8 ? ", …" : "")
            throw FileError(.missing, file: path, "tensor \(quoted(name)) is missing (expected one of \(present.isEmpty ? "none: the file holds no tensors" : present))")
        }
        return TensorView(name: name, shape: entry.shape, elementType: entry.elementType, byteOrder: .little,
                          isColumnMajor: false,
                          baseAddress: entry.dataOffsets.isEmpty ? nil : mapping.bytes.baseAddress! + header.dataOffset + entry.dataOffsets.lowerBound,
                          owner: mapping)
    }

    /// The `<layer>.activations` / `<layer>.backprops` pairs, in the order of their activations.
    /// Throws `FileError` when one half of a pair is missing or their shapes do not match.
    public func ghostPairs() throws(FileError) -> [GhostPair] {
        var pairs: [GhostPair] = []
        for name in tensorNames where name.hasSuffix(Self.activationsSuffix) {
            let layer = String(name.dropLast(Self.activationsSuffix.count))
            let activations = try tensor(named: name)
            let backprops = try tensor(named: layer + Self.backpropsSuffix)
            pairs.append(try GhostPair(layer: layer, activations: activations, backprops: backprops, file: path))
        }
        for name in tensorNames where name.hasSuffix(Self.backpropsSuffix) {
            let layer = String(name.dropLast(Self.backpropsSuffix.count))
            if !pairs.contains(where: { $0.layer == layer }) { _ = try tensor(named: layer + Self.activationsSuffix) }
        }
        return pairs
    }

    static func isGhostInput(_ name: String) -> Bool { name.hasSuffix(activationsSuffix) || name.hasSuffix(backpropsSuffix) }
}

/// The inputs of the ghost-norm kernels for one linear layer: its input activations A (N×T×d_in) and
/// the gradients of the loss with respect to its outputs Δ (N×T×d_out), 2-D files being read as T = 1.
/// The per-sample weight gradient is Gᵢ = Δᵢᵀ·Aᵢ (d_out×d_in); the kernels compute ‖Gᵢ‖² without forming it.
public struct GhostPair: Sendable {
    public let layer: String
    public let activations: TensorView
    public let backprops: TensorView
    /// N, the samples.
    public var rows: Int { activations.shape[0] }
    /// T, the positions per sample (1 for 2-D tensors).
    public var steps: Int { activations.shape.count == 3 ? activations.shape[1] : 1 }
    public var inputFeatures: Int { activations.shape.last! }
    public var outputFeatures: Int { backprops.shape.last! }

    init(layer: String, activations: TensorView, backprops: TensorView, file: String) throws(FileError) {
        for tensor in [activations, backprops] where !(2...3).contains(tensor.shape.count) {
            throw .field(file, "tensor \(quoted(tensor.name)) field 'shape'", is: "\(tensor.shape)", expected: "N×T×d or N×d")
        }
        let a = activations.shape, d = backprops.shape
        guard a.count == d.count, a[0] == d[0], a.count == 2 || a[1] == d[1] else {
            throw .field(file, "tensor \(quoted(backprops.name)) field 'shape'", is: "\(d)",
                         expected: "the same N" + (a.count == 3 ? " and T" : "") + " as \(quoted(activations.name)) \(a)")
        }
        self.layer = layer
        self.activations = activations
        self.backprops = backprops
    }
}
