using Tiered.Interpreter.Bytecode;
using Tiered.Tiering.Codegen;
using Tiered.Tiering.Llvm;

namespace Tiered.Tiering;

/// <summary>The process-wide JIT: one LLJIT with the runtime helpers bound, shared by every
/// state; each compiling thread keeps its own target machine.</summary>
internal sealed partial class JitHost
{
    private static readonly object gate = new();
    private static JitHost? instance;
    private static string? loadError;

    private readonly OrcJit jit;
    [ThreadStatic] private static LlvmTargetMachine? threadMachine;
    [ThreadStatic] private static LlvmTargetMachine? quickMachine;   // the same target, CodeGenOptLevel None

    public static LlvmTargetMachine HostMachine => threadMachine ??= LlvmTargetMachine.CreateHost();

    /// <summary>Frees the calling thread's target machines (made again if it compiles later).</summary>
    public static void ReleaseThreadMachines()
    {
        threadMachine?.Dispose();
        threadMachine = null;
        quickMachine?.Dispose();
        quickMachine = null;
    }

    private JitHost(OrcJit jit) { this.jit = jit; }

    // The process must not exit while a thread is inside LLVM (see ExitGate): compiling and
    // linking enter the gate, ProcessExit closes it, and a compilation checks between lowering,
    // passes and code generation whether the process is exiting.
    private static readonly ExitGate exitGate = new();

    /// <summary>Whether the process is exiting: compilations give up.</summary>
    public static bool Exiting => exitGate.Closed;

    /// <summary>For a process about to exit: closes LLVM to new work, and says whether a thread
    /// is inside (a compilation the exit did not wait for), which a normal exit would wait for
    /// until its current phase ends (see ExitGate); false when something of ours must still
    /// run at ProcessExit (PerfMap.WritesAtExit).</summary>
    public static bool CloseForExit() => exitGate.CloseNoWait() && !PerfMap.WritesAtExit;

    private static void OnProcessExit(object? sender, EventArgs e) => exitGate.Close();

    public static bool TryGet(out JitHost? host, out string error)
    {
        lock (gate)
        {
            if (instance == null && loadError == null)
            {
                if (!LlvmLibrary.TryLoad(out string e)) loadError = e;
                else
                {
                    try
                    {
                        var orc = new OrcJit();
                        orc.DefineAbsoluteSymbols(RuntimeHelpers.Symbols());
                        instance = new JitHost(orc);
                        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
                    }
                    catch (Exception ex) { loadError = "cannot start the LLVM JIT: " + ex.Message; }
                }
            }
            host = instance;
            error = loadError ?? "";
            return instance != null;
        }
    }

    /// <summary>Compiles and links one function variant; <paramref name="reused"/> when this
    /// process already had the same variant (another state compiled or loaded it): no LLVM work.
    /// When the lowered IR holds more than <paramref name="quickAbove"/> instructions (0: no
    /// limit), the machine code is generated quickly and <paramref name="symbol"/> is the
    /// variant's name with FunctionKey.QuickSuffix; else it is <paramref name="name"/>.</summary>
    public nint CompileAndLoad(FunctionProto info, byte[] feedback, bool generic, IReadOnlyDictionary<int, InlineTarget>? inline, string name, string pipeline, int quickAbove,
        out byte[] objectCode, out bool reused, out string symbol)
    {
        symbol = name;
        if (LinkedCode.TryGet(name, out var known)
            || (quickAbove > 0 && LinkedCode.TryGet(symbol = name + FunctionKey.QuickSuffix, out known)))
        {
            objectCode = known.Object;
            reused = true;
            return known.Address;
        }
        reused = false;
        exitGate.Enter();
        try
        {
            threadMachine ??= LlvmTargetMachine.CreateHost();
            using var context = new LlvmContext();
            string? dumpDir = Environment.GetEnvironmentVariable("TIERED_DUMP_IR");
            byte[] obj = CompileVariant(context, info, feedback, generic, inline, name, pipeline, dumpDir, quickAbove, nanFixups: false, out bool foldedNaN, out symbol);
            // LLVM folded a float operation of constants to a NaN, whose sign may not be the
            // hardware's: compiled again, with each operation's NaN restored as x86 makes it.
            if (foldedNaN) obj = CompileVariant(context, info, feedback, generic, inline, name, pipeline, dumpDir, quickAbove, nanFixups: true, out _, out symbol);
            objectCode = obj;
            // Another thread compiled the same variant meanwhile: the symbol is linked once.
            string linked = symbol;
            return LinkedCode.GetOrAdd(linked, obj, () =>
            {
                jit.AddObjectFile(obj, linked);
                return jit.Lookup(linked);
            });
        }
        finally { exitGate.Leave(); }
    }

    /// <summary>Lowers, optimises and emits one variant in its own module of
    /// <paramref name="context"/>; <paramref name="foldedNaN"/> when float arithmetic (lowered
    /// without NaN checks) was folded into a NaN constant.</summary>
    private static byte[] CompileVariant(LlvmContext context, FunctionProto info, byte[] feedback, bool generic,
        IReadOnlyDictionary<int, InlineTarget>? inline, string name,
        string pipeline, string? dumpDir, int quickAbove, bool nanFixups, out bool foldedNaN, out string symbol)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        using LlvmModule module = context.CreateModule(name);
        var lowering = new Lowering(context, module, info, feedback, generic) { NameBlocks = !string.IsNullOrEmpty(dumpDir), NaNFixups = nanFixups, InlineTargets = inline };
        lowering.Emit(name);
        exitGate.ThrowIfClosed();
        symbol = name;
        LlvmTargetMachine codegen = threadMachine!;
        int instructions = quickAbove > 0 || NativeTier.TraceCompiles ? module.CountInstructions() : 0;
        if (quickAbove > 0 && instructions > quickAbove)
        {
            // Renamed before the passes, with the stamp it passes to the interrupt helper (code
            // without loops has none).
            symbol = name + FunctionKey.QuickSuffix;
            module.RenameFunction(name, symbol);
            nint stamp = LlvmApi.LLVMGetNamedGlobal(module.Handle, Lowering.StampName);
            if (stamp != 0) LlvmApi.LLVMSetInitializer(stamp, LlvmApi.LLVMConstInt(context.Int64, (ulong)FunctionKey.Stamp(symbol), 0));
            codegen = quickMachine ??= LlvmTargetMachine.CreateHost(LLVMCodeGenOptLevel.LLVMCodeGenLevelNone);
        }
        double emitMs = sw.Elapsed.TotalMilliseconds;
        if (!string.IsNullOrEmpty(dumpDir))
        {
            // Debugging aid: the IR of every compiled function as lowered and as optimised.
            Directory.CreateDirectory(dumpDir);
            File.WriteAllText(Path.Combine(dumpDir, symbol + ".pre.ll"), module.PrintToString());
        }
        byte[] obj = new LlvmCompiler(threadMachine!, pipeline).Compile(module, out CompilePhases phases, codegen, exitGate.ThrowIfClosed);
        foldedNaN = !nanFixups && lowering.UsesFloatArithmetic && FoldedNaN(module.PrintToString());
        if (NativeTier.TraceCompiles)
            Console.Error.WriteLine($"[tiered]   {symbol}: emit {emitMs:F1} ms ({instructions} instructions lowered), verify {phases.VerifyMs:F1}, passes {phases.PassesMs:F1}, codegen {phases.CodegenMs:F1}");
        if (!string.IsNullOrEmpty(dumpDir))
        {
            File.WriteAllText(Path.Combine(dumpDir, symbol + ".ll"), module.PrintToString());
            File.WriteAllBytes(Path.Combine(dumpDir, symbol + ".o"), obj);
        }
        return obj;
    }

    /// <summary>Whether optimised IR holds a NaN constant: a double printed in hex with an
    /// all-ones exponent and a non-zero fraction, or the default NaN's bits stored as an
    /// integer. No NaN comes from Lua source (the compiler does not fold 0/0), so any is LLVM's
    /// folding; a false alarm only costs a second compilation.</summary>
    internal static bool FoldedNaN(string ir) =>
        NaNConstant().IsMatch(ir) || ir.Contains("9221120237041090560") || ir.Contains("-2251799813685248");

    [System.Text.RegularExpressions.GeneratedRegex("0x[7F]FF(?!0000000000000)[0-9A-F]{13}")]
    private static partial System.Text.RegularExpressions.Regex NaNConstant();

    /// <summary>Links an object with LLJIT (for objects ElfObjectLoader does not handle).</summary>
    public nint LinkWithLlvm(string name, byte[] obj, out string? error)
    {
        try
        {
            exitGate.Enter();
            try
            {
                jit.AddObjectFile(obj, name);
                return jit.TryLookup(name, out nint address, out error) ? address : 0;
            }
            finally { exitGate.Leave(); }
        }
        catch (Exception ex) { error = ex.Message; return 0; }
    }
}

/// <summary>
/// The native code linked into this process, by symbol (key and feedback hash), with its object
/// code: one process may run the same function variant for several states, and each state's
/// cache needs the object to save it. Cached objects are linked by ElfObjectLoader, without
/// LLVM; LLJIT links what that loader refuses, and everything LLVM compiles.
/// </summary>
internal static class LinkedCode
{
    private static readonly Lock gate = new();
    private static readonly Dictionary<string, (nint Address, byte[] Object)> linked = new();
    private static readonly Dictionary<string, nint> helpers = RuntimeHelpers.Symbols();

    public static bool TryGet(string name, out (nint Address, byte[] Object) code)
    {
        lock (gate) return linked.TryGetValue(name, out code);
    }

    /// <summary>The address of name, linking obj with <paramref name="link"/> if it is new.</summary>
    public static nint GetOrAdd(string name, byte[] obj, Func<nint> link)
    {
        lock (gate)
        {
            if (linked.TryGetValue(name, out var known)) return known.Address;
            nint address = link();
            linked[name] = (address, obj);
            PerfMap.Add(address, obj, name);
            return address;
        }
    }

    /// <summary>Links a cached object: its entry, or 0 with the reason.</summary>
    public static nint Link(string name, byte[] obj, out string? error)
    {
        lock (gate)
        {
            error = null;
            if (linked.TryGetValue(name, out var known)) return known.Address;
            nint address = Loader.ElfObjectLoader.Load(obj, name, helpers, out string? loaderError);
            if (address == 0)
            {
                // Not an object this loader knows: LLVM's linker may.
                if (!JitHost.TryGet(out JitHost? host, out string llvmError)) { error = $"{loaderError}; {llvmError}"; return 0; }
                address = host!.LinkWithLlvm(name, obj, out string? jitError);
                if (address == 0) { error = $"{loaderError}; LLJIT: {jitError}"; return 0; }
            }
            linked[name] = (address, obj);
            PerfMap.Add(address, obj, name);
            return address;
        }
    }
}

/// <summary>With TIERED_PERF_MAP=1, every linked function is listed in /tmp/perf-PID.map
/// (address, size, name: Linux perf's format for code it cannot find in a file), so
/// `perf record`/`perf report` name native Lua functions instead of showing bare addresses.
/// With DOTNET_PerfMapEnabled set as well the runtime writes the same file for .NET code; our
/// lines are then appended at exit, as writing it from two places at once garbles it.</summary>
internal static class PerfMap
{
    private static readonly bool enabled = Environment.GetEnvironmentVariable("TIERED_PERF_MAP") == "1";
    private static readonly bool deferred = enabled && Environment.GetEnvironmentVariable("DOTNET_PerfMapEnabled") is { Length: > 0 } v && v != "0";
    private static readonly Dictionary<string, string> labels = new();
    private static readonly List<string> pending = new();
    private static string FilePath => $"/tmp/perf-{Environment.ProcessId}.map";

    /// <summary>Lines wait for ProcessExit (which a process ending with _exit never runs).</summary>
    public static bool WritesAtExit => deferred;

    static PerfMap()
    {
        if (deferred) AppDomain.CurrentDomain.ProcessExit += (_, _) => { lock (pending) Append(string.Concat(pending)); };
    }

    /// <summary>A readable label for a function's symbol, such as "fib.lua:9".</summary>
    public static void Label(string symbol, string label)
    {
        if (!enabled) return;
        lock (labels) labels[symbol] = label;
    }

    public static void Add(nint address, byte[] obj, string symbol)
    {
        if (!enabled || address == 0) return;
        long size = Loader.ElfObjectLoader.SymbolSize(obj, symbol);
        string label;
        lock (labels) label = labels.TryGetValue(symbol, out var l) ? $"lua:{l}" : symbol;
        string line = $"{address:x} {Math.Max(size, 1):x} {label}\n";
        if (deferred) lock (pending) pending.Add(line);
        else Append(line);
    }

    private static void Append(string text)
    {
        try { File.AppendAllText(FilePath, text); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
