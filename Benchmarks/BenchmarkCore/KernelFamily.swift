import FisherTrace

/// The dimensions of a benchmark input, written `65536x4096` (N×D) or `256x128x1024x1024` (N×T×d_in×d_out).
public struct Shape: Sendable, Hashable, CustomStringConvertible {
    public let dimensions: [Int]

    public init(_ dimensions: [Int]) {
        precondition(!dimensions.isEmpty && dimensions.allSatisfy { $0 >= 1 }, "Shape: dimensions must be ≥ 1")
        self.dimensions = dimensions
    }

    /// Parses `AxBx…` (positive integers separated by `x`); nil when malformed.
    public init?(parsing text: String) {
        let parts = text.split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) >= 1 }), !text.contains("+") else { return nil }
        self.init(parts.map { $0! })
    }

    public var description: String { dimensions.map(String.init).joined(separator: "x") }

    /// The product of the dimensions (elements of an input of this shape).
    var elementCount: Int { dimensions.reduce(1, *) }
}

/// A kernel call on an input of a given shape: what it does and how to run it.
public struct KernelCall: @unchecked Sendable {
    public let shape: Shape
    public let work: Work
    /// One call. With `ComputeOptions(variant: .reference)` it runs the reference (scalar C) twin; with a
    /// thread count and another variant, the optimized kernel. The closure keeps its input alive.
    public let run: (ComputeOptions) throws -> Void

    public init(shape: Shape, work: Work, run: @escaping (ComputeOptions) throws -> Void) {
        self.shape = shape
        self.work = work
        self.run = run
    }
}

/// One kernel on one input, ready to time, with its reference twin.
public struct Workload: Sendable {
    public let family: String
    /// The kernel's name in the output, e.g. `moments+diagonal`.
    public let kernel: String
    public let elementType: ElementType
    /// The optimized kernel's call.
    public let call: KernelCall
    /// The call the reference twin times, with the reference's own work: on the whole input, or on its first
    /// samples when the scalar reference would take minutes on all of it.
    public let reference: KernelCall
    /// The reference's work on the whole input ÷ its work in `reference`: its measured time × this is the
    /// time it would take on the whole input (1 when it ran on all of it).
    public let referenceScale: Double

    public init(family: String, kernel: String, elementType: ElementType, call: KernelCall, reference: KernelCall? = nil,
                referenceScale: Double = 1) {
        self.family = family
        self.kernel = kernel
        self.elementType = elementType
        self.call = call
        self.reference = reference ?? call
        self.referenceScale = referenceScale
    }

    public var shape: Shape { call.shape }
    public var work: Work { call.work }
}

/// How many of an input's samples its reference twin gets: all of them when the reference's arithmetic on
/// them stays within `budget` flops (≈ 0.1–0.5 s of scalar C), else fewer (at least one); and the
/// factor from the twin's time to its time on all samples (`Workload.referenceScale`).
func referenceTwinSize(samples: Int, referenceFlops flops: (Int) -> Double, budget: Double = 1e8) -> (samples: Int, scale: Double) {
    var n = samples
    while n > 1, flops(n) > budget { n = max(1, Int(Double(n) * min(0.9, budget / flops(n)))) }
    return (n, flops(samples) / flops(n))
}

/// The one workload of a compute-bound kernel over a random N×D matrix: `run` on all N rows, its reference
/// twin on the first rows only (≤ 10⁸ flops of `work`), whose time is scaled up to N.
func matrixWorkload(family: String, kernel: String, shape: Shape, elementType: ElementType, work: @escaping (Int) -> Work,
                    run: @escaping (MatrixView, ComputeOptions) throws -> Void) throws -> [Workload] {
    let (n, d) = (shape.dimensions[0], shape.dimensions[1])
    let buffer = try AlignedBuffer.randomElements(elementType, count: n * d)
    let view = buffer.matrix(elementType, rows: n, columns: d)
    func call(rows: Int) -> KernelCall {
        KernelCall(shape: Shape([rows, d]), work: work(rows)) { options in
            try withExtendedLifetime(buffer) { try run(view.rows(0..<rows), options) }
        }
    }
    let twin = referenceTwinSize(samples: n) { work($0).flops }
    return [Workload(family: family, kernel: kernel, elementType: elementType, call: call(rows: n),
                     reference: call(rows: twin.samples), referenceScale: twin.scale)]
}

/// A family of kernels fisher-bench measures (`--kernels NAME`). Adding one is one small file: declare
/// what it accepts and make its workloads; the runner does timing, roofline, thread sweep and reference
/// comparison.
public protocol KernelFamily: Sendable {
    /// The name `--kernels` takes, e.g. `moments`.
    var name: String { get }
    /// One line for `--help`.
    var summary: String { get }
    /// The kernels each shape yields, in order (their `Workload.kernel` names).
    var kernels: [String] { get }
    /// The element types the family runs on.
    var elementTypes: [ElementType] { get }
    /// How its shapes are written in `--help` and errors, e.g. `NxD`.
    var shapeSyntax: String { get }
    /// Whether a `--shapes` entry is for this family (e.g. two dimensions).
    func accepts(_ shape: Shape) -> Bool
    /// The shapes measured when `--shapes` is not given.
    func defaultShapes(quick: Bool) -> [Shape]
    /// Bytes of input data for a shape, checked against the memory limit before allocating.
    func inputBytes(_ shape: Shape, elementType: ElementType) -> Int
    /// Allocates and fills the input for one shape and returns its workloads (one per `kernels` entry).
    func makeWorkloads(shape: Shape, elementType: ElementType) throws -> [Workload]
}

/// Every family fisher-bench knows, in the order it runs them.
public enum KernelFamilies {
    public static let all: [any KernelFamily] = [MomentsFamily(), NpyFileFamily(), FisherBlockFamily(), GramFamily(), GhostFamily(), KFACFamily()]

    public static func named(_ name: String) -> (any KernelFamily)? { all.first { $0.name == name } }
}
