// llvm-c/Target.h, TargetMachine.h, Analysis.h and Transforms/PassBuilder.h: target
// initialisation, target machines and data layouts, verification, the new pass manager and
// object emission.

using System.Runtime.InteropServices;

namespace Tiered.Tiering.Llvm;

internal static unsafe partial class LlvmApi
{
    // ===================================================================== Target.h

    // LLVMInitializeNativeTarget is a static inline in Target.h, not an export: call these four.

    [LibraryImport(LibraryName)]
    public static partial void LLVMInitializeX86TargetInfo();

    [LibraryImport(LibraryName)]
    public static partial void LLVMInitializeX86Target();

    [LibraryImport(LibraryName)]
    public static partial void LLVMInitializeX86TargetMC();

    [LibraryImport(LibraryName)]
    public static partial void LLVMInitializeX86AsmPrinter();

    // ===================================================================== Support.h

    /// <summary>Sets LLVM's global command-line options (as the llc/opt flags); once, before any
    /// compilation.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void LLVMParseCommandLineOptions(int argc, string[] argv, string? Overview);

    [LibraryImport(LibraryName)]
    public static partial void LLVMSetModuleDataLayout(nint M, nint DL);

    [LibraryImport(LibraryName)]
    public static partial void LLVMDisposeTargetData(nint TD);

    /// <summary>The data layout string; free with LLVMDisposeMessage.</summary>
    [LibraryImport(LibraryName)]
    public static partial byte* LLVMCopyStringRepOfTargetData(nint TD);

    [LibraryImport(LibraryName)]
    public static partial ulong LLVMABISizeOfType(nint TD, nint Ty);

    [LibraryImport(LibraryName)]
    public static partial ulong LLVMOffsetOfElement(nint TD, nint StructTy, uint Element);

    // ===================================================================== TargetMachine.h

    /// <summary>Returns 1 on failure, with ErrorMessage set (free with LLVMDisposeMessage).</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LLVMGetTargetFromTriple(string Triple, nint* T, byte** ErrorMessage);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMCreateTargetMachine(
        nint T, string Triple, string CPU, string Features,
        LLVMCodeGenOptLevel Level, LLVMRelocMode Reloc, LLVMCodeModel CodeModel);

    [LibraryImport(LibraryName)]
    public static partial void LLVMDisposeTargetMachine(nint T);

    /// <summary>Free with LLVMDisposeMessage.</summary>
    [LibraryImport(LibraryName)]
    public static partial byte* LLVMGetTargetMachineTriple(nint T);

    /// <summary>Free with LLVMDisposeTargetData.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint LLVMCreateTargetDataLayout(nint T);

    /// <summary>Returns 1 on failure, with ErrorMessage set; on success OutMemBuf owns the emitted bytes.</summary>
    [LibraryImport(LibraryName)]
    public static partial int LLVMTargetMachineEmitToMemoryBuffer(
        nint T, nint M, LLVMCodeGenFileType codegen, byte** ErrorMessage, nint* OutMemBuf);

    /// <summary>Free with LLVMDisposeMessage.</summary>
    [LibraryImport(LibraryName)]
    public static partial byte* LLVMGetDefaultTargetTriple();

    /// <summary>Free with LLVMDisposeMessage.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial byte* LLVMNormalizeTargetTriple(string triple);

    /// <summary>Free with LLVMDisposeMessage.</summary>
    [LibraryImport(LibraryName)]
    public static partial byte* LLVMGetHostCPUName();

    /// <summary>"+sse2,+avx,-avx512f,..."; free with LLVMDisposeMessage.</summary>
    [LibraryImport(LibraryName)]
    public static partial byte* LLVMGetHostCPUFeatures();

    // ===================================================================== Analysis.h

    /// <summary>Returns 1 if the module is broken; with LLVMReturnStatusAction OutMessage gets the reasons (free with LLVMDisposeMessage).</summary>
    [LibraryImport(LibraryName)]
    public static partial int LLVMVerifyModule(nint M, LLVMVerifierFailureAction Action, byte** OutMessage);

    [LibraryImport(LibraryName)]
    public static partial int LLVMVerifyFunction(nint Fn, LLVMVerifierFailureAction Action);

    // ===================================================================== Transforms/PassBuilder.h

    /// <summary>Runs a new-pass-manager pipeline ("default&lt;O2&gt;", "function(instcombine)", ...) over the module. Returns an LLVMErrorRef (0 = success).</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMRunPasses(nint M, string Passes, nint TM, nint Options);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMCreatePassBuilderOptions();

    [LibraryImport(LibraryName)]
    public static partial void LLVMPassBuilderOptionsSetVerifyEach(nint Options, int VerifyEach);

    [LibraryImport(LibraryName)]
    public static partial void LLVMDisposePassBuilderOptions(nint Options);
}
