// The enums and plain structs of the LLVM 19 C API that LlvmApi's declarations use.
// Names and values follow the C headers (llvm-c/Core.h, Analysis.h, TargetMachine.h, Orc.h)
// member for member, so code reads like the C it mirrors. Every C enum is int-sized.

using System.Runtime.InteropServices;

namespace Tiered.Tiering.Llvm;

#pragma warning disable CA1707 // underscores in names: they are the C names

/// <summary>llvm-c/Core.h LLVMLinkage.</summary>
internal enum LLVMLinkage
{
    LLVMExternalLinkage = 0,
    LLVMAvailableExternallyLinkage,
    LLVMLinkOnceAnyLinkage,
    LLVMLinkOnceODRLinkage,
    LLVMLinkOnceODRAutoHideLinkage, // obsolete
    LLVMWeakAnyLinkage,
    LLVMWeakODRLinkage,
    LLVMAppendingLinkage,
    LLVMInternalLinkage,
    LLVMPrivateLinkage,
    LLVMDLLImportLinkage,           // obsolete
    LLVMDLLExportLinkage,           // obsolete
    LLVMExternalWeakLinkage,
    LLVMGhostLinkage,               // obsolete
    LLVMCommonLinkage,
    LLVMLinkerPrivateLinkage,       // obsolete
    LLVMLinkerPrivateWeakLinkage,   // obsolete
}

/// <summary>
/// llvm-c/Core.h LLVMVisibility. External helpers and globals must stay Default: Hidden
/// makes LLVM emit 32-bit PC-relative references that cannot reach our far-away helpers.
/// </summary>
internal enum LLVMVisibility
{
    LLVMDefaultVisibility = 0,
    LLVMHiddenVisibility,
    LLVMProtectedVisibility,
}

/// <summary>llvm-c/Core.h LLVMIntPredicate (for LLVMBuildICmp).</summary>
internal enum LLVMIntPredicate
{
    LLVMIntEQ = 32,
    LLVMIntNE,
    LLVMIntUGT,
    LLVMIntUGE,
    LLVMIntULT,
    LLVMIntULE,
    LLVMIntSGT,
    LLVMIntSGE,
    LLVMIntSLT,
    LLVMIntSLE,
}

/// <summary>llvm-c/Core.h LLVMRealPredicate (for LLVMBuildFCmp). O = ordered (no NaN), U = unordered.</summary>
internal enum LLVMRealPredicate
{
    LLVMRealPredicateFalse = 0,
    LLVMRealOEQ,
    LLVMRealOGT,
    LLVMRealOGE,
    LLVMRealOLT,
    LLVMRealOLE,
    LLVMRealONE,
    LLVMRealORD,
    LLVMRealUNO,
    LLVMRealUEQ,
    LLVMRealUGT,
    LLVMRealUGE,
    LLVMRealULT,
    LLVMRealULE,
    LLVMRealUNE,
    LLVMRealPredicateTrue,
}

/// <summary>llvm-c/Core.h LLVMCallConv (the ones we may use).</summary>
internal enum LLVMCallConv
{
    LLVMCCallConv = 0,
    LLVMFastCallConv = 8,
    LLVMColdCallConv = 9,
}

/// <summary>
/// llvm-c/Core.h LLVMAttributeIndex: 0 is the return value, ~0 the function, 1..N the parameters.
/// </summary>
internal static class LLVMAttributeIndex
{
    public const uint LLVMAttributeReturnIndex = 0;
    public const uint LLVMAttributeFunctionIndex = uint.MaxValue;

    /// <summary>The attribute index of parameter <paramref name="parameter"/> (0-based).</summary>
    public static uint Param(int parameter) => (uint)parameter + 1;
}

/// <summary>llvm-c/Analysis.h LLVMVerifierFailureAction.</summary>
internal enum LLVMVerifierFailureAction
{
    LLVMAbortProcessAction = 0, // never use: it kills the process
    LLVMPrintMessageAction,
    LLVMReturnStatusAction,
}

/// <summary>llvm-c/TargetMachine.h LLVMCodeGenOptLevel.</summary>
internal enum LLVMCodeGenOptLevel
{
    LLVMCodeGenLevelNone = 0,
    LLVMCodeGenLevelLess,
    LLVMCodeGenLevelDefault,
    LLVMCodeGenLevelAggressive,
}

/// <summary>llvm-c/TargetMachine.h LLVMRelocMode.</summary>
internal enum LLVMRelocMode
{
    LLVMRelocDefault = 0,
    LLVMRelocStatic,
    LLVMRelocPIC,
    LLVMRelocDynamicNoPic,
    LLVMRelocROPI,
    LLVMRelocRWPI,
    LLVMRelocROPI_RWPI,
}

/// <summary>llvm-c/TargetMachine.h LLVMCodeModel.</summary>
internal enum LLVMCodeModel
{
    LLVMCodeModelDefault = 0,
    LLVMCodeModelJITDefault,
    LLVMCodeModelTiny,
    LLVMCodeModelSmall,
    LLVMCodeModelKernel,
    LLVMCodeModelMedium,
    LLVMCodeModelLarge,
}

/// <summary>llvm-c/TargetMachine.h LLVMCodeGenFileType.</summary>
internal enum LLVMCodeGenFileType
{
    LLVMAssemblyFile = 0,
    LLVMObjectFile,
}

/// <summary>llvm-c/Orc.h LLVMJITSymbolGenericFlags (a byte in LLVMJITSymbolFlags).</summary>
[Flags]
internal enum LLVMJITSymbolGenericFlags : byte
{
    LLVMJITSymbolGenericFlagsNone = 0,
    LLVMJITSymbolGenericFlagsExported = 1,
    LLVMJITSymbolGenericFlagsWeak = 2,
    LLVMJITSymbolGenericFlagsCallable = 4,
    LLVMJITSymbolGenericFlagsMaterializationSideEffectsOnly = 8,
}

/// <summary>
/// llvm-c/Orc.h LLVMOrcCSymbolMapPair: a symbol name (a retained SymbolStringPoolEntry) and its
/// evaluated address and flags (LLVMJITEvaluatedSymbol, flattened here).
/// <code>
///   offset 0   nint  Name          LLVMOrcSymbolStringPoolEntryRef
///   offset 8   ulong Address       LLVMOrcExecutorAddress
///   offset 16  byte  GenericFlags  LLVMJITSymbolFlags.GenericFlags
///   offset 17  byte  TargetFlags   LLVMJITSymbolFlags.TargetFlags
///   size 24 (padded to the 8-byte alignment of Address)
/// </code>
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LLVMOrcCSymbolMapPair
{
    public nint Name;
    public ulong Address;
    public LLVMJITSymbolGenericFlags GenericFlags;
    public byte TargetFlags;
}
