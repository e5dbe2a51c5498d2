using System.Runtime.InteropServices;

namespace Tiered.Interpreter.VM;

/// <summary>
/// How deep native code may nest on the OS thread's machine stack. Native-to-native calls and
/// runtime helpers that re-enter the interpreter use the machine stack; below the limit they
/// leave the call to the interpreter, whose Lua calls do not recurse. The limit keeps a reserve
/// above the thread's lowest stack address (from pthread_getattr_np) for .NET's own frames,
/// exception dispatch and the collector.
/// </summary>
internal static unsafe partial class MachineStack
{
    /// <summary>Bytes kept free at the bottom of the stack.</summary>
    public const int Reserve = 256 * 1024;

    /// <summary>Used when the stack's bounds cannot be read: this much below the first query.</summary>
    private const int FallbackBudget = 512 * 1024;

    [ThreadStatic] private static nint limit;

    /// <summary>The current thread's limit (computed once per thread).</summary>
    public static nint Limit()
    {
        if (limit == 0) limit = Compute();
        return limit;
    }

    private static nint Compute()
    {
        byte here;
        nint fallback = (nint)(&here) - FallbackBudget;
        try
        {
            byte* attr = stackalloc byte[256];   // pthread_attr_t is 56 bytes on x86-64 glibc
            if (pthread_getattr_np(pthread_self(), attr) != 0) return fallback;
            try
            {
                if (pthread_attr_getstack(attr, out nint low, out nuint size) != 0 || low == 0 || size < 2 * Reserve) return fallback;
                return low + Reserve;
            }
            finally { pthread_attr_destroy(attr); }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return fallback;
        }
    }

    private const string Libc = "libc.so.6";

    [LibraryImport(Libc)]
    private static partial nuint pthread_self();

    [LibraryImport(Libc)]
    private static partial int pthread_getattr_np(nuint thread, byte* attr);

    [LibraryImport(Libc)]
    private static partial int pthread_attr_getstack(byte* attr, out nint stackAddr, out nuint stackSize);

    [LibraryImport(Libc)]
    private static partial int pthread_attr_destroy(byte* attr);
}
