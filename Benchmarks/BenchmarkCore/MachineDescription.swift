import FisherTrace
import Foundation

/// The facts about this machine that the report states and the peak estimate needs.
public struct MachineDescription: Sendable, Hashable {
    /// `model name` from /proc/cpuinfo, or "unknown".
    public let cpuModel: String
    /// `vendor_id` from /proc/cpuinfo (`AuthenticAMD`, `GenuineIntel`), or "unknown".
    public let vendor: String
    /// `cpu family` from /proc/cpuinfo (25 = AMD Zen 3/4, 26 = Zen 5).
    public let cpuFamily: Int?
    public let cores: Int
    public let memoryBytes: Int
    /// Size of the last-level cache, when the system says.
    public let lastLevelCacheBytes: Int?
    public let openMP: Bool
    /// The kernel variant `auto` resolves to.
    public let defaultVariant: KernelVariant
    public let supportedVariants: [KernelVariant]

    public static func current() -> MachineDescription {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        func field(_ name: String) -> String? {
            for line in info.split(separator: "\n") where line.hasPrefix(name) {
                if let colon = line.firstIndex(of: ":") { return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
            }
            return nil
        }
        return MachineDescription(
            cpuModel: field("model name") ?? "unknown", vendor: field("vendor_id") ?? "unknown",
            cpuFamily: field("cpu family").flatMap { Int($0) }, cores: ProcessInfo.processInfo.activeProcessorCount,
            memoryBytes: Int(ProcessInfo.processInfo.physicalMemory), lastLevelCacheBytes: lastLevelCache(),
            openMP: Compute.openMPEnabled, defaultVariant: KernelVariant.default, supportedVariants: KernelVariant.supported)
    }

    /// The largest cache level's size from sysfs (`32768K`), if readable.
    private static func lastLevelCache() -> Int? {
        (0...4).reversed().lazy.compactMap { index -> Int? in
            let path = "/sys/devices/system/cpu/cpu0/cache/index\(index)/size"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
            return ByteSize.parse(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }.first
    }
}

/// Sizes such as sysfs writes them: `32768K`, `2M`.
private enum ByteSize {
    static func parse(_ text: String) -> Int? {
        let scale = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        if let unit = text.last.map(String.init), let factor = scale[unit], let n = Int(text.dropLast()) { return n * factor }
        return Int(text)
    }
}
