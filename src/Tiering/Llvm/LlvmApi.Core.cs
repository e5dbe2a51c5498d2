// llvm-c/Core.h: contexts, modules, types, values, basic blocks, the IR builder, attributes,
// metadata and memory buffers. Only what the native tier uses; add declarations as needed,
// copied by signature from the LLVM 19 header.

using System.Runtime.InteropServices;

namespace Tiered.Tiering.Llvm;

internal static unsafe partial class LlvmApi
{
    // ===================================================================== Support, contexts, modules

    [LibraryImport(LibraryName)]
    public static partial void LLVMGetVersion(uint* Major, uint* Minor, uint* Patch);

    [LibraryImport(LibraryName)]
    public static partial void LLVMDisposeMessage(byte* Message);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMContextCreate();

    [LibraryImport(LibraryName)]
    public static partial void LLVMContextDispose(nint C);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMModuleCreateWithNameInContext(string ModuleID, nint C);

    [LibraryImport(LibraryName)]
    public static partial void LLVMDisposeModule(nint M);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMGetModuleContext(nint M);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void LLVMSetTarget(nint M, string Triple);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void LLVMSetDataLayout(nint M, string DataLayoutStr);

    /// <summary>The textual IR of the module; free with LLVMDisposeMessage.</summary>
    [LibraryImport(LibraryName)]
    public static partial byte* LLVMPrintModuleToString(nint M);

    /// <summary>The textual IR of one value; free with LLVMDisposeMessage.</summary>
    [LibraryImport(LibraryName)]
    public static partial byte* LLVMPrintValueToString(nint Val);

    // ===================================================================== Types

    [LibraryImport(LibraryName)]
    public static partial nint LLVMInt1TypeInContext(nint C);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMInt8TypeInContext(nint C);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMInt16TypeInContext(nint C);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMInt32TypeInContext(nint C);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMInt64TypeInContext(nint C);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMIntTypeInContext(nint C, uint NumBits);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMDoubleTypeInContext(nint C);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMVoidTypeInContext(nint C);

    /// <summary>The opaque pointer type (`ptr`) of an address space; 0 is ordinary memory.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint LLVMPointerTypeInContext(nint C, uint AddressSpace);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMFunctionType(nint ReturnType, nint* ParamTypes, uint ParamCount, int IsVarArg);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMStructTypeInContext(nint C, nint* ElementTypes, uint ElementCount, int Packed);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMArrayType2(nint ElementType, ulong ElementCount);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMTypeOf(nint Val);

    /// <summary>The value type of a global or function (its function type for a function).</summary>
    [LibraryImport(LibraryName)]
    public static partial nint LLVMGlobalGetValueType(nint Global);

    // ===================================================================== Functions and globals

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMAddFunction(nint M, string Name, nint FunctionTy);

    /// <summary>The function of that name in the module, or 0.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMGetNamedFunction(nint M, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMAddGlobal(nint M, nint Ty, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMGetNamedGlobal(nint M, string Name);

    [LibraryImport(LibraryName)]
    public static partial void LLVMSetInitializer(nint GlobalVar, nint ConstantVal);

    [LibraryImport(LibraryName)]
    public static partial void LLVMSetGlobalConstant(nint GlobalVar, int IsConstant);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMGetParam(nint Fn, uint Index);

    [LibraryImport(LibraryName)]
    public static partial uint LLVMCountParams(nint Fn);

    [LibraryImport(LibraryName)]
    public static partial void LLVMSetLinkage(nint Global, LLVMLinkage Linkage);

    [LibraryImport(LibraryName)]
    public static partial void LLVMSetVisibility(nint Global, LLVMVisibility Viz);

    [LibraryImport(LibraryName)]
    public static partial void LLVMSetFunctionCallConv(nint Fn, uint CC);

    /// <summary>Alignment in bytes of a global, alloca, load or store.</summary>
    [LibraryImport(LibraryName)]
    public static partial void LLVMSetAlignment(nint V, uint Bytes);

    [LibraryImport(LibraryName)]
    public static partial void LLVMSetVolatile(nint MemoryAccessInst, int IsVolatile);

    [LibraryImport(LibraryName)]
    public static partial void LLVMSetTailCall(nint CallInst, int IsTailCall);

    /// <summary>LLVMTailCallKind: None 0, Tail 1, MustTail 2, NoTail 3 (LLVM 18+).</summary>
    [LibraryImport(LibraryName)]
    public static partial void LLVMSetTailCallKind(nint CallInst, int Kind);

    [LibraryImport(LibraryName)]
    public static partial void LLVMSetInstructionCallConv(nint Instr, uint CC);

    // ===================================================================== Constants

    /// <summary>An integer constant; SignExtend matters only when IntTy is wider than 64 bits.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint LLVMConstInt(nint IntTy, ulong N, int SignExtend);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMConstReal(nint RealTy, double N);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMConstNull(nint Ty);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMConstPointerNull(nint Ty);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMGetUndef(nint Ty);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMGetPoison(nint Ty);

    // ===================================================================== Attributes

    /// <summary>The kind id of an enum attribute ("noalias", "nounwind", ...); 0 if unknown.</summary>
    [LibraryImport(LibraryName)]
    public static partial uint LLVMGetEnumAttributeKindForName(byte* Name, nuint SLen);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMCreateEnumAttribute(nint C, uint KindID, ulong Val);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMCreateStringAttribute(nint C, byte* K, uint KLength, byte* V, uint VLength);

    /// <summary>Idx: see LLVMAttributeIndex (0 return, ~0 function, 1..N parameters).</summary>
    [LibraryImport(LibraryName)]
    public static partial void LLVMAddAttributeAtIndex(nint F, uint Idx, nint A);

    [LibraryImport(LibraryName)]
    public static partial void LLVMAddCallSiteAttribute(nint C, uint Idx, nint A);

    // ===================================================================== Metadata

    [LibraryImport(LibraryName)]
    public static partial nint LLVMMDStringInContext2(nint C, byte* Str, nuint SLen);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMMDNodeInContext2(nint C, nint* MDs, nuint Count);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMMetadataAsValue(nint C, nint MD);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMValueAsMetadata(nint Val);

    [LibraryImport(LibraryName)]
    public static partial uint LLVMGetMDKindIDInContext(nint C, byte* Name, uint SLen);

    /// <summary>Attaches metadata (as a value, see LLVMMetadataAsValue) to an instruction.</summary>
    [LibraryImport(LibraryName)]
    public static partial void LLVMSetMetadata(nint Val, uint KindID, nint Node);

    // ===================================================================== Intrinsics

    /// <summary>The id of an intrinsic by name ("llvm.floor"); 0 if there is none.</summary>
    [LibraryImport(LibraryName)]
    public static partial uint LLVMLookupIntrinsicID(byte* Name, nuint NameLen);

    /// <summary>Declares (once) an overloaded intrinsic in a module, e.g. llvm.floor.f64 for ParamTypes {double}.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint LLVMGetIntrinsicDeclaration(nint Mod, uint ID, nint* ParamTypes, nuint ParamCount);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMIntrinsicGetType(nint Ctx, uint ID, nint* ParamTypes, nuint ParamCount);

    // ===================================================================== Basic blocks

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMAppendBasicBlockInContext(nint C, nint Fn, string Name);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMGetEntryBasicBlock(nint Fn);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMGetBasicBlockParent(nint BB);

    /// <summary>The block's terminator instruction, or 0 while the block is still open.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint LLVMGetBasicBlockTerminator(nint BB);

    // ===================================================================== The builder

    [LibraryImport(LibraryName)]
    public static partial nint LLVMCreateBuilderInContext(nint C);

    [LibraryImport(LibraryName)]
    public static partial void LLVMDisposeBuilder(nint Builder);

    [LibraryImport(LibraryName)]
    public static partial void LLVMPositionBuilderAtEnd(nint Builder, nint Block);

    [LibraryImport(LibraryName)]
    public static partial void LLVMPositionBuilderBefore(nint Builder, nint Instr);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMGetInsertBlock(nint Builder);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMBasicBlockAsValue(nint BB);

    /// <summary>The first instruction of a block, or 0 if it is empty.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint LLVMGetFirstInstruction(nint BB);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMGetNextInstruction(nint Inst);

    [LibraryImport(LibraryName)]
    public static unsafe partial void LLVMSetValueName2(nint Val, byte* Name, nuint NameLen);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMGetFirstFunction(nint M);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMGetNextFunction(nint Fn);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMGetFirstBasicBlock(nint Fn);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMGetNextBasicBlock(nint BB);

    /// <summary>The first use of a value (a block: the first branch to it), or 0 if unused.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint LLVMGetFirstUse(nint Val);

    // ----- terminators

    [LibraryImport(LibraryName)]
    public static partial nint LLVMBuildRetVoid(nint B);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMBuildRet(nint B, nint V);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMBuildBr(nint B, nint Dest);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMBuildCondBr(nint B, nint If, nint Then, nint Else);

    /// <summary>NumCases is a capacity hint; add the cases with LLVMAddCase.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint LLVMBuildSwitch(nint B, nint V, nint Else, uint NumCases);

    [LibraryImport(LibraryName)]
    public static partial void LLVMAddCase(nint Switch, nint OnVal, nint Dest);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMBuildUnreachable(nint B);

    // ----- binary arithmetic and logic: (builder, lhs, rhs, name)

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildAdd(nint B, nint LHS, nint RHS, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildNSWAdd(nint B, nint LHS, nint RHS, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildSub(nint B, nint LHS, nint RHS, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildNSWSub(nint B, nint LHS, nint RHS, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildMul(nint B, nint LHS, nint RHS, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildNSWMul(nint B, nint LHS, nint RHS, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildSDiv(nint B, nint LHS, nint RHS, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildUDiv(nint B, nint LHS, nint RHS, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildSRem(nint B, nint LHS, nint RHS, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildURem(nint B, nint LHS, nint RHS, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildFAdd(nint B, nint LHS, nint RHS, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildFSub(nint B, nint LHS, nint RHS, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildFMul(nint B, nint LHS, nint RHS, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildFDiv(nint B, nint LHS, nint RHS, string Name);

    /// <summary>C fmod semantics (sign of the dividend), not Lua's %: fix up the sign around it.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildFRem(nint B, nint LHS, nint RHS, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildAnd(nint B, nint LHS, nint RHS, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildOr(nint B, nint LHS, nint RHS, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildXor(nint B, nint LHS, nint RHS, string Name);

    /// <summary>Poison when the shift count is >= the bit width: Lua shifts need a range check.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildShl(nint B, nint LHS, nint RHS, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildLShr(nint B, nint LHS, nint RHS, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildAShr(nint B, nint LHS, nint RHS, string Name);

    // ----- unary

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildNeg(nint B, nint V, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildFNeg(nint B, nint V, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildNot(nint B, nint V, string Name);

    // ----- memory

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildAlloca(nint B, nint Ty, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildLoad2(nint B, nint Ty, nint PointerVal, string Name);

    [LibraryImport(LibraryName)]
    public static partial nint LLVMBuildStore(nint B, nint Val, nint Ptr);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildGEP2(nint B, nint Ty, nint Pointer, nint* Indices, uint NumIndices, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildInBoundsGEP2(nint B, nint Ty, nint Pointer, nint* Indices, uint NumIndices, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildStructGEP2(nint B, nint Ty, nint Pointer, uint Idx, string Name);

    // ----- casts: (builder, value, destination type, name)

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildTrunc(nint B, nint Val, nint DestTy, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildZExt(nint B, nint Val, nint DestTy, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildSExt(nint B, nint Val, nint DestTy, string Name);

    /// <summary>Poison when the double does not fit: check the range first (Lua's float->int rules).</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildFPToSI(nint B, nint Val, nint DestTy, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildSIToFP(nint B, nint Val, nint DestTy, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildPtrToInt(nint B, nint Val, nint DestTy, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildIntToPtr(nint B, nint Val, nint DestTy, string Name);

    /// <summary>Reinterprets bits of the same width (i64 &lt;-&gt; double).</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildBitCast(nint B, nint Val, nint DestTy, string Name);

    // ----- comparisons

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildICmp(nint B, LLVMIntPredicate Op, nint LHS, nint RHS, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildFCmp(nint B, LLVMRealPredicate Op, nint LHS, nint RHS, string Name);

    // ----- other instructions

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildPhi(nint B, nint Ty, string Name);

    [LibraryImport(LibraryName)]
    public static partial void LLVMAddIncoming(nint PhiNode, nint* IncomingValues, nint* IncomingBlocks, uint Count);

    /// <summary>Fn's function type must be passed explicitly (opaque pointers): LLVMGlobalGetValueType for a declared function.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildCall2(nint B, nint FnTy, nint Fn, nint* Args, uint NumArgs, string Name);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildSelect(nint B, nint If, nint Then, nint Else, string Name);

    // ===================================================================== Memory buffers

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMCreateMemoryBufferWithMemoryRangeCopy(byte* InputData, nuint InputDataLength, string BufferName);

    [LibraryImport(LibraryName)]
    public static partial byte* LLVMGetBufferStart(nint MemBuf);

    [LibraryImport(LibraryName)]
    public static partial nuint LLVMGetBufferSize(nint MemBuf);

    [LibraryImport(LibraryName)]
    public static partial void LLVMDisposeMemoryBuffer(nint MemBuf);
}
