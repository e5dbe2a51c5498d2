using System.Runtime.InteropServices;

namespace Tiered.Interpreter.Runtime;

/// <summary>Reserves address space that the kernel backs with zeroed pages on first touch.
/// Used for thread stacks, which must never move.</summary>
internal static unsafe partial class VirtualMemory
{
    private const int ProtRead = 1, ProtWrite = 2;
    private const int MapPrivate = 0x02, MapAnonymous = 0x20, MapNoReserve = 0x4000;

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial void* Mmap(void* addr, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int Munmap(void* addr, nuint length);

    public static void* Reserve(nuint bytes)
    {
        if (OperatingSystem.IsWindows())
            return NativeMemory.AllocZeroed(bytes);
        void* p = Mmap(null, bytes, ProtRead | ProtWrite, MapPrivate | MapAnonymous | MapNoReserve, -1, 0);
        if (p == (void*)-1) throw new OutOfMemoryException($"cannot reserve {bytes} bytes for a Lua stack");
        return p;
    }

    public static void Release(void* p, nuint bytes)
    {
        if (OperatingSystem.IsWindows()) { NativeMemory.Free(p); return; }
        Munmap(p, bytes);
    }
}
