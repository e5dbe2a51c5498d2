using System.Runtime.InteropServices;

namespace Tiered.Interpreter.Lib;

// Lua reports failed file operations the C way: (nil, "name: strerror(errno)", errno). .NET
// reports them as exceptions, so this file turns exceptions back into errno values, and on
// Unix asks libc for the message text and for the two operations whose .NET counterparts
// behave differently from C (remove deletes files and empty directories alike, rename
// replaces an existing target).
public static unsafe partial class IoLib
{
    internal const int EPERM = 1, ENOENT = 2, EIO = 5, EBADF = 9, EACCES = 13, EEXIST = 17,
        ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ESPIPE = 29, ENAMETOOLONG = 36, ENOTEMPTY = 39;

    /// <summary>The errno a failed .NET file operation on <paramref name="path"/> stands for.</summary>
    internal static int ErrnoOf(Exception ex, string? path = null)
    {
        switch (ex)
        {
            case FileNotFoundException: return ENOENT;
            case DirectoryNotFoundException:
                return path != null && HasFileAncestor(path) ? ENOTDIR : ENOENT;
            case PathTooLongException: return ENAMETOOLONG;
            case UnauthorizedAccessException:
                return path != null && Directory.Exists(path) ? EISDIR : EACCES;
            case IOException io when io.HResult > 0 && io.HResult < 256:
                return io.HResult;   // on Unix, .NET puts the raw errno here
            default: return EIO;
        }
    }

    /// <summary>C opens "dir/file" with ENOTDIR when some prefix of the path is a regular file.</summary>
    private static bool HasFileAncestor(string path)
    {
        try
        {
            for (string? dir = Path.GetDirectoryName(Path.GetFullPath(path)); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
            {
                if (File.Exists(dir)) return true;
                if (Directory.Exists(dir)) return false;
            }
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException) { }
        return false;
    }

    /// <summary>strerror: the C library's text where there is one, glibc's wording otherwise.</summary>
    internal static string StrError(int errno)
    {
        if (!OperatingSystem.IsWindows())
        {
            try
            {
                string? s = Marshal.PtrToStringUTF8(Libc.strerror(errno));
                if (!string.IsNullOrEmpty(s)) return s;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        }
        return errno switch
        {
            EPERM => "Operation not permitted",
            ENOENT => "No such file or directory",
            EIO => "Input/output error",
            EBADF => "Bad file descriptor",
            EACCES => "Permission denied",
            EEXIST => "File exists",
            ENOTDIR => "Not a directory",
            EISDIR => "Is a directory",
            EINVAL => "Invalid argument",
            ESPIPE => "Illegal seek",
            ENAMETOOLONG => "File name too long",
            ENOTEMPTY => "Directory not empty",
            _ => "Unknown error " + errno,
        };
    }

    /// <summary>luaL_fileresult for a failure: pushes nil, "[name: ]message", errno.</summary>
    internal static int PushFailure(VM.LuaState L, int errno, string? name)
    {
        string message = StrError(errno);
        L.PushNil();
        L.PushString(name != null ? name + ": " + message : message);
        L.PushInteger(errno);
        return 3;
    }

    /// <summary>C's remove(): unlink a file, or rmdir an empty directory. Returns 0 or an errno.</summary>
    internal static int RemovePath(byte* path, string managedPath)
    {
        if (!OperatingSystem.IsWindows())
            return Libc.remove(path) == 0 ? 0 : Marshal.GetLastPInvokeError();
        try
        {
            if (File.Exists(managedPath)) File.Delete(managedPath);
            else if (Directory.Exists(managedPath)) Directory.Delete(managedPath);
            else return ENOENT;
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ErrnoOf(e, managedPath); }
    }

    /// <summary>C's rename(): replaces an existing target. Returns 0 or an errno.</summary>
    internal static int RenamePath(byte* from, byte* to, string managedFrom, string managedTo)
    {
        if (!OperatingSystem.IsWindows())
            return Libc.rename(from, to) == 0 ? 0 : Marshal.GetLastPInvokeError();
        try
        {
            if (Directory.Exists(managedFrom)) Directory.Move(managedFrom, managedTo);
            else if (File.Exists(managedFrom)) File.Move(managedFrom, managedTo, overwrite: true);
            else return ENOENT;
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ErrnoOf(e, managedFrom); }
    }

    /// <summary>Raw C library entry points, named as in C.</summary>
    private static partial class Libc
    {
        [LibraryImport("libc", SetLastError = true)]
        internal static partial int remove(byte* path);

        [LibraryImport("libc", SetLastError = true)]
        internal static partial int rename(byte* oldpath, byte* newpath);

        [LibraryImport("libc")]
        internal static partial nint strerror(int errnum);
    }
}
