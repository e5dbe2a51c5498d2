// Finding and loading libLLVM 19, once, on demand.
//
// The native tier needs LLVM 19 exactly: the preinstalled LLVM 15's LLJIT links with
// RuntimeDyld, which crashed at random on our PIC small-code-model objects, and LLVM 19's
// LLJIT links with JITLink. So the resolver below maps the name "LLVM" to libLLVM 19 and to
// nothing else: it never returns 0, which would let the runtime go probing by itself and
// possibly bind libLLVM.so from another version.
//
// Loading costs 13 ms warm and 250 ms cold, so it happens only in TryLoad, which the tier
// calls when a function first tiers up or cached native code is first needed. A script that
// stays in the interpreter never maps libLLVM.

using System.Reflection;
using System.Runtime.InteropServices;

namespace Tiered.Tiering.Llvm;

internal static unsafe class LlvmLibrary
{
    /// <summary>Where Debian's libllvm19 puts the library (its SONAME).</summary>
    public const string DefaultPath = "/usr/lib/x86_64-linux-gnu/libLLVM.so.19.1";

    /// <summary>Tried by name (the dynamic loader's search path) when DefaultPath is absent.</summary>
    private static readonly string[] FallbackNames = ["libLLVM.so.19.1", "libLLVM-19.so"];

    public const uint RequiredMajorVersion = 19;

    private const string NotFound = "libLLVM 19 not found (install the Debian package libllvm19)";

    /// <summary>
    /// For tests: load exactly this path instead of the default candidates. Once a library is
    /// loaded it stays loaded for the life of the process; asking for another path afterwards
    /// fails (unless it is the same library).
    /// </summary>
    internal static string? LibraryPathOverride { get; set; } = Environment.GetEnvironmentVariable("TIERED_LLVM_PATH");

    private static readonly Lock Gate = new();
    private static nint loadedHandle;          // published after the version check, read by the resolver
    private static string? loadedPath;
    private static (uint Major, uint Minor, uint Patch) loadedVersion;
    private static string? failedRequest;      // the request (override or default) that failed last,
    private static string? failedMessage;      // so repeated tier-ups do not retry the loader
    private static int resolverInstalled;

    /// <summary>The file TryLoad would load first (the override, else the Debian path, else the
    /// first name the dynamic loader would search for).</summary>
    public static string CandidatePath =>
        LibraryPathOverride ?? (File.Exists(DefaultPath) ? DefaultPath : FallbackNames[0]);

    /// <summary>True once TryLoad has succeeded in this process.</summary>
    public static bool IsLoaded => Volatile.Read(ref loadedHandle) != 0;

    /// <summary>The path or name that was loaded, or null.</summary>
    public static string? LoadedPath => loadedPath;

    /// <summary>"19.1.7": the loaded LLVM's version, for the native cache header. Null before loading.</summary>
    public static string? VersionString =>
        IsLoaded ? $"{loadedVersion.Major}.{loadedVersion.Minor}.{loadedVersion.Patch}" : null;

    /// <summary>
    /// Loads libLLVM 19 (once per process) and initialises the X86 target. On failure returns
    /// false and a message that says what to install. Thread-safe; cheap after the first call.
    /// </summary>
    public static bool TryLoad(out string error)
    {
        string request = LibraryPathOverride ?? "";
        if (IsLoaded && request.Length == 0)
        {
            error = "";
            return true;
        }
        lock (Gate)
        {
            if (IsLoaded)
            {
                return CheckSameLibrary(request, out error);
            }
            if (failedRequest == request)
            {
                error = failedMessage!;
                return false;
            }
            string[] candidates = request.Length != 0 ? [request] : [DefaultPath, .. FallbackNames];
            if (!TryOpen(candidates, out nint handle, out string path, out var version, out string details))
            {
                failedRequest = request;
                failedMessage = $"{NotFound}: {details}";
                error = failedMessage;
                return false;
            }
            loadedPath = path;
            loadedVersion = version;
            Volatile.Write(ref loadedHandle, handle);
            InitializeNativeTarget();
            error = "";
            return true;
        }
    }

    /// <summary>Called by LlvmApi's static constructor, before the runtime binds any LLVM function.</summary>
    internal static void InstallResolver()
    {
        if (Interlocked.Exchange(ref resolverInstalled, 1) == 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(LlvmLibrary).Assembly, Resolve);
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LlvmApi.LibraryName)
        {
            return 0; // not ours: the runtime's default probing
        }
        nint handle = Volatile.Read(ref loadedHandle);
        if (handle == 0)
        {
            // A bug in the caller, not a missing package: every path into LLVM goes through TryLoad.
            throw new DllNotFoundException("libLLVM is not loaded: LlvmLibrary.TryLoad must succeed before any LLVM call");
        }
        return handle;
    }

    private static bool TryOpen(
        string[] candidates, out nint handle, out string path,
        out (uint Major, uint Minor, uint Patch) version, out string details)
    {
        var failures = new List<string>();
        foreach (string candidate in candidates)
        {
            nint h;
            try
            {
                h = NativeLibrary.Load(candidate);
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
            {
                failures.Add(e.Message);
                continue;
            }
            if (!TryReadVersion(h, out version))
            {
                failures.Add($"{candidate} has no LLVMGetVersion (LLVM older than 16)");
                NativeLibrary.Free(h);
                continue;
            }
            if (version.Major != RequiredMajorVersion)
            {
                failures.Add($"{candidate} is LLVM {version.Major}.{version.Minor}.{version.Patch}, not {RequiredMajorVersion}");
                NativeLibrary.Free(h);
                continue;
            }
            handle = h;
            path = candidate;
            details = "";
            return true;
        }
        handle = 0;
        path = "";
        version = default;
        details = string.Join("; ", failures);
        return false;
    }

    // Read through the raw export, not LlvmApi: the resolver must never hand out an unchecked library.
    private static bool TryReadVersion(nint handle, out (uint Major, uint Minor, uint Patch) version)
    {
        version = default;
        if (!NativeLibrary.TryGetExport(handle, "LLVMGetVersion", out nint export))
        {
            return false;
        }
        uint major, minor, patch;
        ((delegate* unmanaged<uint*, uint*, uint*, void>)export)(&major, &minor, &patch);
        version = (major, minor, patch);
        return true;
    }

    private static bool CheckSameLibrary(string request, out string error)
    {
        error = "";
        if (request.Length == 0 || request == loadedPath)
        {
            return true;
        }
        if (!TryOpen([request], out nint handle, out _, out _, out string details))
        {
            error = $"{NotFound}: {details}";
            return false;
        }
        bool same = handle == loadedHandle;
        NativeLibrary.Free(handle); // drops only the reference TryOpen just took
        if (!same)
        {
            error = $"cannot load {request}: {loadedPath} is already loaded in this process";
        }
        return same;
    }

    private static void InitializeNativeTarget()
    {
        LlvmApi.LLVMInitializeX86TargetInfo();
        LlvmApi.LLVMInitializeX86Target();
        LlvmApi.LLVMInitializeX86TargetMC();
        LlvmApi.LLVMInitializeX86AsmPrinter();
        string? options = Environment.GetEnvironmentVariable("TIERED_LLVM_OPTIONS");
        if (!string.IsNullOrWhiteSpace(options))
        {
            string[] argv = ["tiered", .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
            LlvmApi.LLVMParseCommandLineOptions(argv.Length, argv, null);
        }
    }
}
