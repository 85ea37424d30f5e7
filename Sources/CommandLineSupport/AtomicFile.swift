import Foundation

/// Writes a file so that readers see either the old contents or the complete new ones, never a part.
///
/// The data go to a temporary file in the destination's directory (same file system), are flushed to
/// disk, and the temporary file is renamed over the destination (`rename(2)` is atomic). On any failure
/// the temporary file is removed and the destination is left as it was.
public enum AtomicFile {
    /// Writes `contents` to `path`. New files get mode 0666 less the umask; an existing file keeps its mode.
    /// Throws a `ToolError` naming `path` and the system's reason.
    public static func write(_ contents: Data, to path: String) throws(ToolError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var template = Array((directory + "/." + url.lastPathComponent + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw failure(path, "cannot create a file in \(directory)") }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        let written = contents.withUnsafeBytes { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
        guard written, fchmod(fd, mode(forExisting: path)) == 0, fsync(fd) == 0 else {
            let reason = errno
            close(fd)
            throw failure(path, "cannot write", errno: reason)
        }
        guard close(fd) == 0 else { throw failure(path, "cannot write") }
        guard rename(temporary, path) == 0 else { throw failure(path, "cannot replace") }
        ok = true
    }

    /// Writes `text` as UTF-8.
    public static func write(_ text: String, to path: String) throws(ToolError) {
        try write(Data(text.utf8), to: path)
    }

    private static func mode(forExisting path: String) -> mode_t {
        var status = stat()
        if stat(path, &status) == 0 { return status.st_mode & 0o7777 }
        let mask = umask(0)
        umask(mask)
        return 0o666 & ~mask
    }

    private static func failure(_ path: String, _ what: String, errno code: Int32 = errno) -> ToolError {
        ToolError(file: path, problem: "\(what): \(String(cString: strerror(code)))", expected: "a writable location")
    }
}
