// llvm-c/Error.h, Orc.h and LLJIT.h: errors, the ORC v2 execution session, JITDylibs,
// absolute symbols, resource trackers and the LLJIT front door.
//
// Ownership rules worth repeating from the headers:
// - An LLVMErrorRef must be consumed exactly once: LLVMGetErrorMessage or LLVMConsumeError.
// - LLVMOrcLLJITMangleAndIntern and LLVMOrcExecutionSessionIntern return a retained pool entry:
//   release it (LLVMOrcReleaseSymbolStringPoolEntry) unless it is handed to a call that takes it
//   over (LLVMOrcAbsoluteSymbols takes over every Name in the array, not the array itself).
// - LLVMOrcJITDylibDefine takes the materialization unit only on success.
// - LLVMOrcLLJITAddObjectFile(WithRT) always takes the memory buffer, success or not.
// - LLVMOrcCreateLLJIT takes the builder (which may be 0 for the defaults).

using System.Runtime.InteropServices;

namespace Tiered.Tiering.Llvm;

internal static unsafe partial class LlvmApi
{
    // ===================================================================== Error.h

    /// <summary>Consumes Err; free the result with LLVMDisposeErrorMessage.</summary>
    [LibraryImport(LibraryName)]
    public static partial byte* LLVMGetErrorMessage(nint Err);

    [LibraryImport(LibraryName)]
    public static partial void LLVMDisposeErrorMessage(byte* ErrMsg);

    [LibraryImport(LibraryName)]
    public static partial void LLVMConsumeError(nint Err);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMCreateStringError(string ErrMsg);

    // ===================================================================== Orc.h: session, strings, symbols

    /// <summary>
    /// ReportError(void *Ctx, LLVMErrorRef Err) receives failures nobody else can be told about
    /// (JIT link errors); it owns Err. It may be called on any thread that drives materialization.
    /// </summary>
    [LibraryImport(LibraryName)]
    public static partial void LLVMOrcExecutionSessionSetErrorReporter(
        nint ES, delegate* unmanaged<nint, nint, void> ReportError, nint Ctx);

    /// <summary>Interns a name exactly as given (no mangling); returns a retained entry.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMOrcExecutionSessionIntern(nint ES, string Name);

    [LibraryImport(LibraryName)]
    public static partial void LLVMOrcRetainSymbolStringPoolEntry(nint S);

    [LibraryImport(LibraryName)]
    public static partial void LLVMOrcReleaseSymbolStringPoolEntry(nint S);

    /// <summary>The entry's text; owned by the pool.</summary>
    [LibraryImport(LibraryName)]
    public static partial byte* LLVMOrcSymbolStringPoolEntryStr(nint S);

    /// <summary>A materialization unit defining the pairs' names at absolute addresses; takes over each Name.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint LLVMOrcAbsoluteSymbols(LLVMOrcCSymbolMapPair* Syms, nuint NumPairs);

    [LibraryImport(LibraryName)]
    public static partial void LLVMOrcDisposeMaterializationUnit(nint MU);

    // ===================================================================== Orc.h: JITDylibs and resource trackers

    /// <summary>Creates a JITDylib (with the platform's setup, if any); returns an LLVMErrorRef.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMOrcExecutionSessionCreateJITDylib(nint ES, nint* Result, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMOrcExecutionSessionCreateBareJITDylib(nint ES, string Name);

    /// <summary>The JITDylib of that name, or 0.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMOrcExecutionSessionGetJITDylibByName(nint ES, string Name);

    /// <summary>Takes MU on success only; returns an LLVMErrorRef (duplicate definitions, ...).</summary>
    [LibraryImport(LibraryName)]
    public static partial nint LLVMOrcJITDylibDefine(nint JD, nint MU);

    /// <summary>Removes every definition from the JITDylib; returns an LLVMErrorRef.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint LLVMOrcJITDylibClear(nint JD);

    /// <summary>A new tracker; release it with LLVMOrcReleaseResourceTracker.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint LLVMOrcJITDylibCreateResourceTracker(nint JD);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMOrcJITDylibGetDefaultResourceTracker(nint JD);

    [LibraryImport(LibraryName)]
    public static partial void LLVMOrcReleaseResourceTracker(nint RT);

    /// <summary>Unloads everything added under RT (code memory included); returns an LLVMErrorRef.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint LLVMOrcResourceTrackerRemove(nint RT);

    // ===================================================================== LLJIT.h

    [LibraryImport(LibraryName)]
    public static partial nint LLVMOrcCreateLLJITBuilder();

    [LibraryImport(LibraryName)]
    public static partial void LLVMOrcDisposeLLJITBuilder(nint Builder);

    /// <summary>Takes Builder (0 = defaults: host target, JITLink on x86-64 ELF). Returns an LLVMErrorRef.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint LLVMOrcCreateLLJIT(nint* Result, nint Builder);

    /// <summary>Frees the JIT and all code it loaded. Returns an LLVMErrorRef.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint LLVMOrcDisposeLLJIT(nint J);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMOrcLLJITGetExecutionSession(nint J);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMOrcLLJITGetMainJITDylib(nint J);

    /// <summary>Owned by the JIT.</summary>
    [LibraryImport(LibraryName)]
    public static partial byte* LLVMOrcLLJITGetTripleString(nint J);

    /// <summary>Owned by the JIT.</summary>
    [LibraryImport(LibraryName)]
    public static partial byte* LLVMOrcLLJITGetDataLayoutStr(nint J);

    /// <summary>The linker prefix for the target: '\0' on ELF, '_' on Mach-O.</summary>
    [LibraryImport(LibraryName)]
    public static partial byte LLVMOrcLLJITGetGlobalPrefix(nint J);

    /// <summary>Mangles (adds the global prefix) and interns; returns a retained entry.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMOrcLLJITMangleAndIntern(nint J, string UnmangledName);

    /// <summary>Adds a relocatable object to JD; always takes ObjBuffer. Returns an LLVMErrorRef.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint LLVMOrcLLJITAddObjectFile(nint J, nint JD, nint ObjBuffer);

    /// <summary>Adds a relocatable object under a resource tracker; always takes ObjBuffer. Returns an LLVMErrorRef.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint LLVMOrcLLJITAddObjectFileWithRT(nint J, nint RT, nint ObjBuffer);

    /// <summary>Looks an unmangled name up in the main JITDylib, linking it on first lookup. Returns an LLVMErrorRef.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMOrcLLJITLookup(nint J, ulong* Result, string Name);
}
