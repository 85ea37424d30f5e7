#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only into memory (`mmap`, `MAP_SHARED`, `PROT_READ`); unmapped on deinit.
///
/// Nothing is copied: pages come from the page cache when first touched. Measured on the 2-core Zen 4
/// machine (Linux 6.18, ext4) with a page-cached 4 GiB file, plain mapping streams as fast as an
/// in-memory array, while `MAP_POPULATE` gained nothing, `MADV_SEQUENTIAL` lost up to 25 % and `pread`
/// into a reusable buffer ran at half the speed, so the mapping takes no advice. The speed depends on
/// how the file entered the page cache: written with write() (np.save, safetensors) or read before, it
/// sits in large folios that map with few faults; written through a shared mapping (np.memmap) it sits
/// in 4 KiB pages and the faults cap reading at about 8 GB/s until it is evicted and read again.
///
/// Caveat: a file truncated by another process while mapped makes later reads fault (SIGBUS); the
/// readers check sizes when they open the file, not at every access.
public final class MappedFile: @unchecked Sendable {
    /// The path as the caller gave it (used in error messages).
    public let path: String
    /// The file's bytes; empty for an empty file.
    public let bytes: UnsafeRawBufferPointer

    /// Maps the file at `path`. Throws `FileError` (`.unreadable`) naming the path and the system's reason.
    public init(path: String) throws(FileError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(path, Self.systemError()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(path, Self.systemError()) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw .unreadable(path, (info.st_mode & S_IFMT) == S_IFDIR ? "it is a directory" : "not a regular file")
        }
        let size = Int(info.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), base != MAP_FAILED else {
            throw .unreadable(path, Self.systemError())
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }

    private static func systemError() -> String { String(cString: strerror(errno)) }
}
