// The process's loader for native code: one LLVM ORC LLJIT.
//
// It never sees IR. Objects come from LlvmCompiler or from the native cache, and are linked
// by JITLink (LLVM 19's default on x86-64 ELF), which builds its own GOT and PLT stubs, so
// the objects may call helpers that live anywhere in the address space. The helpers are
// named external symbols that each process binds to its own entry points with
// DefineAbsoluteSymbols: object code never embeds a process-specific address.
//
// Threads: the ORC ExecutionSession serialises its own state, so AddObjectFile, Lookup,
// DefineAbsoluteSymbols and the resource-tracker calls may be made from any thread at the
// same time (OrcJitTests.ConcurrentAddAndLookup exercises this). Linking happens lazily in
// the thread whose Lookup first asks for a symbol of an object; link errors reach the error
// reporter on that thread. Dispose must wait until no thread uses the JIT and no code it
// loaded can still be running.

using System.Runtime.InteropServices;
using System.Text;

namespace Tiered.Tiering.Llvm;

internal sealed unsafe class OrcJit : IDisposable
{
    private nint jit;
    private GCHandle reporterHandle;

    /// <param name="reportError">
    /// Receives the errors ORC cannot return to a caller (JIT link failures such as an
    /// undefined helper), on whichever thread hit them. It must not block for long; exceptions
    /// it throws are swallowed (they cannot cross native frames).
    /// </param>
    public OrcJit(Action<string>? reportError = null)
    {
        nint created;
        nint error = LlvmApi.LLVMOrcCreateLLJIT(&created, LlvmApi.LLVMOrcCreateLLJITBuilder());
        LlvmText.ThrowIfError(error, "LLVMOrcCreateLLJIT");
        jit = created;
        ExecutionSession = LlvmApi.LLVMOrcLLJITGetExecutionSession(jit);
        MainDylib = LlvmApi.LLVMOrcLLJITGetMainJITDylib(jit);
        Triple = LlvmText.Borrowed(LlvmApi.LLVMOrcLLJITGetTripleString(jit));
        reporterHandle = GCHandle.Alloc(new ErrorSink(reportError));
        LlvmApi.LLVMOrcExecutionSessionSetErrorReporter(ExecutionSession, &ReportError, GCHandle.ToIntPtr(reporterHandle));
    }

    public nint Handle => jit != 0 ? jit : throw new ObjectDisposedException(nameof(OrcJit));
    public nint ExecutionSession { get; }
    /// <summary>The JITDylib that AddObjectFile, DefineAbsoluteSymbols and Lookup use.</summary>
    public nint MainDylib { get; }
    /// <summary>The process triple the JIT links for ("x86_64-unknown-linux-gnu").</summary>
    public string Triple { get; }

    /// <summary>
    /// Defines symbols at fixed addresses in the main JITDylib: the runtime helpers
    /// (`tiered_rt_get_table` -> an [UnmanagedCallersOnly] method's address). Names are
    /// unmangled C names (ELF has no underscore prefix). Defining a name twice throws.
    /// </summary>
    public void DefineAbsoluteSymbols(IReadOnlyDictionary<string, nint> symbols)
    {
        nint j = Handle;
        if (symbols.Count == 0)
        {
            return;
        }
        var pairs = new LLVMOrcCSymbolMapPair[symbols.Count];
        int n = 0;
        foreach (var (name, address) in symbols)
        {
            pairs[n++] = new LLVMOrcCSymbolMapPair
            {
                Name = LlvmApi.LLVMOrcLLJITMangleAndIntern(j, name), // retained; the unit takes it over
                Address = (ulong)address,
                GenericFlags = LLVMJITSymbolGenericFlags.LLVMJITSymbolGenericFlagsExported
                             | LLVMJITSymbolGenericFlags.LLVMJITSymbolGenericFlagsCallable,
            };
        }
        nint unit;
        fixed (LLVMOrcCSymbolMapPair* p = pairs)
        {
            unit = LlvmApi.LLVMOrcAbsoluteSymbols(p, (nuint)n);
        }
        nint error = LlvmApi.LLVMOrcJITDylibDefine(MainDylib, unit);
        if (error != 0)
        {
            LlvmApi.LLVMOrcDisposeMaterializationUnit(unit); // still ours when Define fails
            LlvmText.ThrowIfError(error, "defining runtime symbols");
        }
    }

    /// <summary>
    /// Adds an ELF relocatable object to the main JITDylib. Its symbols are linked on their
    /// first Lookup, so a missing helper shows up there (and in the error reporter), not here.
    /// Duplicate definitions of a symbol already in the JITDylib throw.
    /// </summary>
    public void AddObjectFile(ReadOnlySpan<byte> elfObject, string name = "tiered-object")
    {
        nint j = Handle;
        using var buffer = LlvmMemoryBuffer.Copy(elfObject, name);
        // LLVMOrcLLJITAddObjectFile owns the buffer from here on, even when it fails.
        LlvmText.ThrowIfError(LlvmApi.LLVMOrcLLJITAddObjectFile(j, MainDylib, buffer.Release()), $"adding object {name}");
    }

    /// <summary>
    /// Adds an ELF object under a resource tracker: removing the tracker unloads the code and
    /// frees its names for a replacement (recompilation).
    /// </summary>
    public void AddObjectFile(ReadOnlySpan<byte> elfObject, OrcResourceTracker tracker, string name = "tiered-object")
    {
        nint j = Handle;
        using var buffer = LlvmMemoryBuffer.Copy(elfObject, name);
        LlvmText.ThrowIfError(LlvmApi.LLVMOrcLLJITAddObjectFileWithRT(j, tracker.Handle, buffer.Release()), $"adding object {name}");
    }

    /// <summary>A new resource tracker on the main JITDylib.</summary>
    public OrcResourceTracker CreateResourceTracker()
    {
        _ = Handle; // throws once disposed
        return new OrcResourceTracker(LlvmApi.LLVMOrcJITDylibCreateResourceTracker(MainDylib));
    }

    /// <summary>
    /// The address of a symbol (unmangled name), linking its object on first use. Throws
    /// LlvmException when it is not defined or its object fails to link; the message includes
    /// the link errors this lookup caused.
    /// </summary>
    public nint Lookup(string symbol)
    {
        if (!TryLookup(symbol, out nint address, out string? error))
        {
            throw new LlvmException(error!);
        }
        return address;
    }

    public bool TryLookup(string symbol, out nint address, out string? error)
    {
        nint j = Handle;
        var previous = linkErrorsOnThisThread;
        var linkErrors = new List<string>();
        linkErrorsOnThisThread = linkErrors;
        ulong result;
        string? message;
        try
        {
            message = LlvmText.TakeError(LlvmApi.LLVMOrcLLJITLookup(j, &result, symbol));
        }
        finally
        {
            linkErrorsOnThisThread = previous;
        }
        if (message != null)
        {
            var text = new StringBuilder($"looking up '{symbol}': {message}");
            foreach (string linkError in linkErrors)
            {
                text.Append("; ").Append(linkError);
            }
            address = 0;
            error = text.ToString();
            return false;
        }
        address = (nint)result;
        error = null;
        return true;
    }

    /// <summary>Frees the JIT and every piece of code it loaded.</summary>
    public void Dispose()
    {
        if (jit == 0)
        {
            return;
        }
        nint error = LlvmApi.LLVMOrcDisposeLLJIT(jit);
        jit = 0;
        string? message = LlvmText.TakeError(error);
        var sink = (ErrorSink)reporterHandle.Target!;
        reporterHandle.Free(); // only now: disposing the JIT may still report
        if (message != null)
        {
            sink.Report($"disposing the JIT: {message}");
        }
    }

    // ===================================================================== The error reporter

    // The link errors reported on this thread during the TryLookup in progress, if any.
    [ThreadStatic] private static List<string>? linkErrorsOnThisThread;

    private sealed class ErrorSink(Action<string>? callback)
    {
        public void Report(string message)
        {
            linkErrorsOnThisThread?.Add(message);
            callback?.Invoke(message);
        }
    }

    [UnmanagedCallersOnly]
    private static void ReportError(nint context, nint error)
    {
        // Nothing may escape into LLVM's frames.
        try
        {
            string message = LlvmText.TakeError(error) ?? "unknown ORC error";
            ((ErrorSink)GCHandle.FromIntPtr(context).Target!).Report(message);
        }
        catch (Exception)
        {
        }
    }
}

/// <summary>
/// An LLVMOrcResourceTrackerRef: a group of objects that can be unloaded together.
/// Dispose releases the handle only; Remove unloads the code.
/// </summary>
internal sealed class OrcResourceTracker : IDisposable
{
    private nint handle;

    internal OrcResourceTracker(nint handle) => this.handle = handle;

    public nint Handle => handle != 0 ? handle : throw new ObjectDisposedException(nameof(OrcResourceTracker));

    /// <summary>Unloads every object added under this tracker. Its code must no longer be running.</summary>
    public void Remove() => LlvmText.ThrowIfError(LlvmApi.LLVMOrcResourceTrackerRemove(Handle), "removing JIT resources");

    public void Dispose()
    {
        if (handle != 0)
        {
            LlvmApi.LLVMOrcReleaseResourceTracker(handle);
            handle = 0;
        }
    }
}
