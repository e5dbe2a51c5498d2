// Raw libc declarations used by the cache's trust checks, named as in C. Linux only.
// The safe wrapper is FileStatus; nothing else in the cache calls these.
//
// .NET reports Unix mode bits (File.GetUnixFileMode) but not owners or inode numbers, so
// those come from statx(2). Its struct is defined by the kernel with the same layout on
// every architecture, unlike struct stat; fstatat(2) is the fallback for kernels or
// sandboxes without statx, with its per-architecture layouts described in FileStatus.

using System.Runtime.InteropServices;

namespace Tiered.NativeCache.Unix;

internal static unsafe partial class LibC
{
    // "libc.so.6", not "libc": on Debian with libc6-dev, libc.so is a linker script that
    // dlopen refuses. glibc is the only C library the engine supports (see LLVM facts).
    private const string LibraryName = "libc.so.6";

    public const int AT_FDCWD = -100;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const int AT_EMPTY_PATH = 0x1000;

    public const uint STATX_TYPE = 0x1;
    public const uint STATX_MODE = 0x2;
    public const uint STATX_UID = 0x8;
    public const uint STATX_INO = 0x100;

    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ENOTDIR = 20;
    public const int ENOSYS = 38;

    public const uint S_IFMT = 0xF000;
    public const uint S_IFDIR = 0x4000;
    public const uint S_IFREG = 0x8000;
    public const uint S_IFLNK = 0xA000;

    /// <summary>struct statx is 256 bytes; the fields read are at fixed offsets.</summary>
    public const int StatxSize = 256;
    public const int StatxUidOffset = 20;       // __u32 stx_uid
    public const int StatxModeOffset = 28;      // __u16 stx_mode
    public const int StatxInoOffset = 32;       // __u64 stx_ino
    public const int StatxDevMajorOffset = 136; // __u32 stx_dev_major
    public const int StatxDevMinorOffset = 140; // __u32 stx_dev_minor

    [LibraryImport(LibraryName)]
    public static partial uint geteuid();

    [LibraryImport(LibraryName, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int statx(int dirfd, string pathname, int flags, uint mask, byte* statxbuf);

    [LibraryImport(LibraryName, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int fstatat(int dirfd, string pathname, byte* statbuf, int flags);
}
