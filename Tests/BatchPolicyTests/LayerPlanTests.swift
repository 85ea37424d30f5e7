import BatchPolicy
import Testing

@Suite struct LayerPlanTests {
    /// B_simple,l: embed 50, attn 600/2 = 300, mlp 120.
    private let layers = [
        LayerStatistics(name: "embed", statistics: try! GradientStatistics(bSimple: 50)),
        LayerStatistics(name: "attn", statistics: try! GradientStatistics(noiseTrace: 600, gradientNormSquared: 2)),
        LayerStatistics(name: "mlp", statistics: try! GradientStatistics(bSimple: 120)),
    ]

    @Test func noiseScalePerLayerFlagsTheSupercriticalLayers() throws {
        let plan = try LayerPlan(layers: layers, batch: 128)
        #expect(plan.findings.map(\.name) == ["embed", "attn", "mlp"])
        #expect(plan.findings.map(\.criticalBatch.value) == [50, 300, 120])
        #expect(plan.findings.allSatisfy { $0.criticalBatch.source == .noiseScale })
        // Bands with τ = 0.9: embed [45, 55.6], attn [270, 333.3], mlp [108, 133.3].
        #expect(plan.findings.map(\.regime) == [.gas, .liquid, .critical])
        #expect(plan.findings.map(\.isSupercritical) == [true, false, false])
        #expect(plan.supercriticalLayers == ["embed"])
        #expect(plan.findings.map(\.suggestedBatch) == [55, 333, 133])
    }

    @Test func microBatchRoundsTheSuggestions() throws {
        let plan = try LayerPlan(layers: layers, batch: 128, microBatch: 8)
        #expect(plan.findings.map(\.suggestedBatch) == [48, 328, 128])
    }

    @Test func largerBatchMakesMoreLayersSupercritical() throws {
        #expect(try LayerPlan(layers: layers, batch: 40).supercriticalLayers.isEmpty)
        #expect(try LayerPlan(layers: layers, batch: 1000).supercriticalLayers == ["embed", "attn", "mlp"])
    }

    @Test func powerBudgetPerLayer() throws {
        let traces = [
            LayerStatistics(name: "a", statistics: try GradientStatistics(fisherTrace: 10)),
            LayerStatistics(name: "b", statistics: try GradientStatistics(fisherTrace: 2)),
        ]
        let plan = try LayerPlan(layers: traces, batch: 200, pMax: 1000)
        #expect(plan.findings.map(\.criticalBatch.value) == [100, 500])
        #expect(plan.supercriticalLayers == ["a"])
        #expect(plan.findings[0].criticalBatch.source == .powerBudget(pMax: 1000, nu0: 1))
    }

    @Test func errorsNameTheLayer() throws {
        expectPolicyError("layers") { _ = try LayerPlan(layers: [], batch: 10) }
        expectPolicyError("layers") { _ = try LayerPlan(layers: [layers[0], layers[0]], batch: 10) }
        let unmeasured = LayerStatistics(name: "head", statistics: try GradientStatistics(noiseTrace: 3))
        expectPolicyError("layers[head].bSimple") { _ = try LayerPlan(layers: [layers[0], unmeasured], batch: 10) }
        expectPolicyError("layers[embed].fisherTrace") { _ = try LayerPlan(layers: layers, batch: 10, pMax: 5) }
        expectPolicyError("pMax") { _ = try LayerPlan(layers: layers, batch: 10, pMax: -5) }
        expectPolicyError("nu0") { _ = try LayerPlan(layers: layers, batch: 10, pMax: 5, nu0: 0) }
        expectPolicyError("microBatch") { _ = try LayerPlan(layers: layers, batch: 10, microBatch: 0) }
    }
}
