/// A read-only view of a 3-D tensor in memory the caller owns: N samples × T tokens × d features, as a
/// sequence model's layer inputs (N×T×d_in) or output gradients (N×T×d_out) are stored. No data is copied.
///
/// Element (i, t, j) lives at `base + (i·sampleStride + t·tokenStride + j)·elementType.byteCount`. The
/// kernels read `.float32` and `.float64`. A 2-D N×d tensor is the T = 1 case.
///
/// Like `MatrixView`, the view does not keep its memory alive.
public struct TokenView: @unchecked Sendable {
    public let samples: Int
    public let tokens: Int
    public let features: Int
    /// Elements between the starts of consecutive tokens of a sample (≥ features when tokens > 1).
    public let tokenStride: Int
    /// Elements between the starts of consecutive samples (≥ (tokens−1)·tokenStride + features when
    /// samples > 1).
    public let sampleStride: Int
    public let elementType: ElementType
    /// First element; nil only for an empty view.
    public let baseAddress: UnsafeRawPointer?

    /// A view over raw memory. Preconditions: non-negative sizes, strides that keep tokens and samples
    /// from overlapping, and a non-nil base for a non-empty view.
    public init(baseAddress: UnsafeRawPointer?, elementType: ElementType, samples: Int, tokens: Int, features: Int,
                tokenStride: Int? = nil, sampleStride: Int? = nil) {
        let ts = tokenStride ?? features
        let ss = sampleStride ?? tokens * ts
        precondition(samples >= 0 && tokens >= 0 && features >= 0,
                     "TokenView: negative size \(samples)×\(tokens)×\(features)")
        precondition(tokens <= 1 || ts >= features, "TokenView: token stride \(ts) < features \(features)")
        precondition(samples <= 1 || tokens == 0 || ss >= (tokens - 1) * ts + features,
                     "TokenView: sample stride \(ss) < \((tokens - 1) * ts + features)")
        precondition(samples == 0 || tokens == 0 || features == 0 || baseAddress != nil,
                     "TokenView: nil base for a non-empty view")
        self.baseAddress = baseAddress
        self.elementType = elementType
        self.samples = samples
        self.tokens = tokens
        self.features = features
        self.tokenStride = ts
        self.sampleStride = ss
    }

    /// A dense view over a buffer of `Float` holding samples × tokens × features elements in C order.
    public init(_ buffer: UnsafeBufferPointer<Float>, samples: Int, tokens: Int, features: Int) {
        precondition(buffer.count >= samples * tokens * features,
                     "TokenView: buffer of \(buffer.count) elements, view needs \(samples * tokens * features)")
        self.init(baseAddress: UnsafeRawPointer(buffer.baseAddress), elementType: .float32, samples: samples,
                  tokens: tokens, features: features)
    }

    /// A dense view over a buffer of `Double` holding samples × tokens × features elements in C order.
    public init(_ buffer: UnsafeBufferPointer<Double>, samples: Int, tokens: Int, features: Int) {
        precondition(buffer.count >= samples * tokens * features,
                     "TokenView: buffer of \(buffer.count) elements, view needs \(samples * tokens * features)")
        self.init(baseAddress: UnsafeRawPointer(buffer.baseAddress), elementType: .float64, samples: samples,
                  tokens: tokens, features: features)
    }

    /// An N × (T·d) matrix read as N × T × d (each row holds a sample's tokens one after another), as a
    /// 3-D tensor flattens to a matrix. Precondition: `matrix.columns` is a multiple of `tokens`.
    public init(_ matrix: MatrixView, tokens: Int) {
        precondition(tokens > 0 && matrix.columns % tokens == 0,
                     "TokenView: \(matrix.columns) columns are not \(tokens) tokens of equal width")
        self.init(baseAddress: matrix.baseAddress, elementType: matrix.elementType, samples: matrix.rows,
                  tokens: tokens, features: matrix.columns / tokens, tokenStride: matrix.columns / tokens,
                  sampleStride: matrix.rowStride)
    }

    /// The samples in `range`, sharing memory.
    public func samples(_ range: Range<Int>) -> TokenView {
        precondition(range.lowerBound >= 0 && range.upperBound <= samples,
                     "TokenView: samples \(range) out of 0..<\(samples)")
        let base = baseAddress.map { $0 + range.lowerBound * sampleStride * elementType.byteCount }
        return TokenView(baseAddress: range.isEmpty ? baseAddress : base, elementType: elementType,
                         samples: range.count, tokens: tokens, features: features, tokenStride: tokenStride,
                         sampleStride: sampleStride)
    }
}
