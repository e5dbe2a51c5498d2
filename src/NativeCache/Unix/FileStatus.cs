using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tiered.NativeCache.Unix;

/// <summary>
/// What the trust checks need from stat(2): type and mode bits, owner, and identity
/// (device and inode, to tell whether a path still names an open file).
/// </summary>
internal readonly record struct FileStatus(uint Mode, uint Uid, ulong Device, ulong Inode)
{
    public bool IsDirectory => (Mode & LibC.S_IFMT) == LibC.S_IFDIR;
    public bool IsRegularFile => (Mode & LibC.S_IFMT) == LibC.S_IFREG;
    public bool IsSymbolicLink => (Mode & LibC.S_IFMT) == LibC.S_IFLNK;

    /// <summary>The permission bits alone (rwxrwxrwx plus setuid/setgid/sticky).</summary>
    public uint Permissions => Mode & 0xFFF;

    /// <summary>Whether owners can be checked here: Linux with glibc.</summary>
    public static bool Supported => OperatingSystem.IsLinux();

    /// <summary>geteuid(2); false where libc cannot be loaded.</summary>
    public static bool TryGetEffectiveUserId(out uint uid, out string error)
    {
        uid = 0;
        error = "";
        if (!Supported)
        {
            error = "file owners can only be checked on Linux";
            return false;
        }
        try
        {
            uid = LibC.geteuid();
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            error = $"cannot call libc: {e.Message}";
            return false;
        }
    }

    /// <summary>stat (or lstat when <paramref name="followLinks"/> is false) of a path.</summary>
    public static bool TryGet(string path, bool followLinks, out FileStatus status, out string error)
        => TryStat(LibC.AT_FDCWD, path, followLinks ? 0 : LibC.AT_SYMLINK_NOFOLLOW, out status, out error, out _);

    /// <summary>As the other overload; <paramref name="missing"/> tells "no such file" apart.</summary>
    public static bool TryGet(string path, bool followLinks, out FileStatus status, out string error, out bool missing)
    {
        bool found = TryStat(LibC.AT_FDCWD, path, followLinks ? 0 : LibC.AT_SYMLINK_NOFOLLOW, out status, out error, out int errno);
        missing = errno is LibC.ENOENT or LibC.ENOTDIR;
        return found;
    }

    /// <summary>fstat of an open file.</summary>
    public static bool TryGet(SafeFileHandle handle, out FileStatus status, out string error)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            int fd = (int)handle.DangerousGetHandle();
            return TryStat(fd, "", LibC.AT_EMPTY_PATH, out status, out error, out _);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private static bool TryStat(int dirfd, string path, int flags, out FileStatus status, out string error, out int errno)
    {
        status = default;
        errno = 0;
        if (!Supported)
        {
            error = "file owners can only be checked on Linux";
            return false;
        }
        try
        {
            return TryStatx(dirfd, path, flags, out status, out error, out errno);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            error = $"cannot call libc: {e.Message}";
            return false;
        }
    }

    private static unsafe bool TryStatx(int dirfd, string path, int flags, out FileStatus status, out string error, out int errno)
    {
        status = default;
        errno = 0;
        byte* buffer = stackalloc byte[LibC.StatxSize];
        new Span<byte>(buffer, LibC.StatxSize).Clear();
        uint mask = LibC.STATX_TYPE | LibC.STATX_MODE | LibC.STATX_UID | LibC.STATX_INO;
        if (LibC.statx(dirfd, path, flags, mask, buffer) == 0)
        {
            ulong device = ((ulong)*(uint*)(buffer + LibC.StatxDevMajorOffset) << 32)
                         | *(uint*)(buffer + LibC.StatxDevMinorOffset);
            status = new FileStatus(*(ushort*)(buffer + LibC.StatxModeOffset),
                                    *(uint*)(buffer + LibC.StatxUidOffset), device,
                                    *(ulong*)(buffer + LibC.StatxInoOffset));
            error = "";
            return true;
        }
        errno = Marshal.GetLastPInvokeError();
        // Old kernels lack statx; some container sandboxes answer EPERM for it.
        if (errno != LibC.ENOSYS && errno != LibC.EPERM)
        {
            error = Marshal.GetPInvokeErrorMessage(errno);
            return false;
        }
        return TryFstatat(dirfd, path, flags, out status, out error, out errno);
    }

    // struct stat differs per architecture (glibc, 64-bit):
    //   x86-64: st_dev@0 u64, st_ino@8 u64, st_nlink@16 u64, st_mode@24 u32, st_uid@28 u32
    //   arm64:  st_dev@0 u64, st_ino@8 u64, st_mode@16 u32, st_nlink@20 u32, st_uid@24 u32
    private static unsafe bool TryFstatat(int dirfd, string path, int flags, out FileStatus status, out string error, out int errno)
    {
        status = default;
        errno = 0;
        (int modeOffset, int uidOffset) = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => (24, 28),
            Architecture.Arm64 => (16, 24),
            _ => (-1, -1),
        };
        if (modeOffset < 0)
        {
            error = $"statx is unavailable and struct stat is not known on {RuntimeInformation.ProcessArchitecture}";
            return false;
        }
        byte* buffer = stackalloc byte[256];
        new Span<byte>(buffer, 256).Clear();
        if (LibC.fstatat(dirfd, path, buffer, flags) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            error = Marshal.GetPInvokeErrorMessage(errno);
            return false;
        }
        status = new FileStatus(*(uint*)(buffer + modeOffset), *(uint*)(buffer + uidOffset),
                                *(ulong*)buffer, *(ulong*)(buffer + 8));
        error = "";
        return true;
    }
}
