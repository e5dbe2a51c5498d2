// The handle wrappers over LlvmApi. They own lifetimes and turn LLVM's error conventions
// into exceptions; building IR is still done with the raw LlvmApi calls and the Handle of
// each wrapper.
//
// Threads: an LLVM context and everything created in it (modules, builders, types, values)
// belong to one thread at a time. The native tier gives each background compile thread its
// own LlvmContext and LlvmTargetMachine; nothing here locks. Only OrcJit is shared.
//
// Lifetimes: no finalizers. Freeing LLVM objects on the finalizer thread would race the
// thread that owns them, and freeing a JIT whose code may still run would crash the process;
// an undisposed wrapper leaks instead.

using System.Text;

namespace Tiered.Tiering.Llvm;

/// <summary>
/// An LLVMContextRef: owns the types and constants of the modules built in it. Disposing it
/// first disposes the modules and builders created through it that are still alive.
/// </summary>
internal sealed unsafe class LlvmContext : IDisposable
{
    private nint handle;
    private readonly List<IDisposable> children = [];

    public LlvmContext()
    {
        handle = LlvmApi.LLVMContextCreate();
        if (handle == 0)
        {
            throw new LlvmException("LLVMContextCreate failed");
        }
        Int1 = LlvmApi.LLVMInt1TypeInContext(handle);
        Int8 = LlvmApi.LLVMInt8TypeInContext(handle);
        Int32 = LlvmApi.LLVMInt32TypeInContext(handle);
        Int64 = LlvmApi.LLVMInt64TypeInContext(handle);
        Double = LlvmApi.LLVMDoubleTypeInContext(handle);
        Void = LlvmApi.LLVMVoidTypeInContext(handle);
        Ptr = LlvmApi.LLVMPointerTypeInContext(handle, 0);
    }

    public nint Handle => handle != 0 ? handle : throw new ObjectDisposedException(nameof(LlvmContext));

    // The common types, fetched once (an LLVM type lives as long as its context).
    public nint Int1 { get; }
    public nint Int8 { get; }
    public nint Int32 { get; }
    public nint Int64 { get; }
    public nint Double { get; }
    public nint Void { get; }
    /// <summary>The opaque pointer type `ptr` (address space 0).</summary>
    public nint Ptr { get; }

    public LlvmModule CreateModule(string name)
    {
        var module = new LlvmModule(this, LlvmApi.LLVMModuleCreateWithNameInContext(name, Handle), name);
        children.Add(module);
        return module;
    }

    public LlvmBuilder CreateBuilder()
    {
        var builder = new LlvmBuilder(this, LlvmApi.LLVMCreateBuilderInContext(Handle));
        children.Add(builder);
        return builder;
    }

    public nint FunctionType(nint returnType, ReadOnlySpan<nint> parameters, bool isVarArg = false)
    {
        fixed (nint* p = parameters)
        {
            return LlvmApi.LLVMFunctionType(returnType, p, (uint)parameters.Length, isVarArg ? 1 : 0);
        }
    }

    public nint StructType(ReadOnlySpan<nint> elements, bool packed = false)
    {
        fixed (nint* p = elements)
        {
            return LlvmApi.LLVMStructTypeInContext(Handle, p, (uint)elements.Length, packed ? 1 : 0);
        }
    }

    /// <summary>An integer constant of the given type (bits taken from <paramref name="value"/>).</summary>
    public static nint ConstInt(nint type, long value) => LlvmApi.LLVMConstInt(type, (ulong)value, 1);

    /// <summary>An enum attribute by name ("noalias", "nounwind", "nocapture", "readonly", ...).</summary>
    public nint EnumAttribute(string name, ulong value = 0)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(name);
        uint kind;
        fixed (byte* p = utf8)
        {
            kind = LlvmApi.LLVMGetEnumAttributeKindForName(p, (nuint)utf8.Length);
        }
        if (kind == 0)
        {
            throw new LlvmException($"unknown LLVM attribute '{name}'");
        }
        return LlvmApi.LLVMCreateEnumAttribute(Handle, kind, value);
    }

    /// <summary>A string attribute ("frame-pointer" = "all", ...).</summary>
    public nint StringAttribute(string key, string value)
    {
        byte[] k = Encoding.UTF8.GetBytes(key);
        byte[] v = Encoding.UTF8.GetBytes(value);
        fixed (byte* pk = k)
        fixed (byte* pv = v)
        {
            return LlvmApi.LLVMCreateStringAttribute(Handle, pk, (uint)k.Length, pv, (uint)v.Length);
        }
    }

    /// <summary>
    /// Attaches !prof branch_weights to a conditional branch or switch: one weight per
    /// successor, in successor order (for a CondBr: then, else).
    /// </summary>
    public void SetBranchWeights(nint terminator, params ReadOnlySpan<uint> weights)
    {
        nint c = Handle;
        var operands = new nint[weights.Length + 1];
        operands[0] = MetadataString("branch_weights");
        for (int i = 0; i < weights.Length; i++)
        {
            operands[i + 1] = LlvmApi.LLVMValueAsMetadata(LlvmApi.LLVMConstInt(Int32, weights[i], 0));
        }
        nint node;
        fixed (nint* p = operands)
        {
            node = LlvmApi.LLVMMDNodeInContext2(c, p, (nuint)operands.Length);
        }
        LlvmApi.LLVMSetMetadata(terminator, MetadataKind("prof"), LlvmApi.LLVMMetadataAsValue(c, node));
    }

    /// <summary>Marks a load as reading memory that never changes while the code runs
    /// (!invariant.load), so LLVM may hoist it out of loops and merge repeats across stores.</summary>
    public void SetInvariantLoad(nint load)
    {
        nint node = LlvmApi.LLVMMDNodeInContext2(Handle, null, 0);
        LlvmApi.LLVMSetMetadata(load, MetadataKind("invariant.load"), LlvmApi.LLVMMetadataAsValue(Handle, node));
    }

    /// <summary>
    /// The !tbaa access tag of a scalar type named <paramref name="memory"/>: each name is a
    /// distinct kind of memory under one root, so LLVM may assume that accesses tagged with
    /// different names never overlap (an untagged access may overlap anything). LLVM uniques
    /// metadata nodes, so the same name always gives the same tag.
    /// </summary>
    public nint TbaaTag(string memory)
    {
        nint c = Handle;
        nint* ops = stackalloc nint[3];
        ops[0] = MetadataString("Tiered TBAA");
        nint root = LlvmApi.LLVMMDNodeInContext2(c, ops, 1);
        ops[0] = MetadataString(memory);
        ops[1] = root;
        ops[2] = LlvmApi.LLVMValueAsMetadata(LlvmApi.LLVMConstInt(Int64, 0, 0));
        nint type = LlvmApi.LLVMMDNodeInContext2(c, ops, 3);
        ops[0] = type;
        ops[1] = type;
        return LlvmApi.LLVMMetadataAsValue(c, LlvmApi.LLVMMDNodeInContext2(c, ops, 3));
    }

    public nint MetadataString(string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        fixed (byte* p = utf8)
        {
            return LlvmApi.LLVMMDStringInContext2(Handle, p, (nuint)utf8.Length);
        }
    }

    public uint MetadataKind(string name)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(name);
        fixed (byte* p = utf8)
        {
            return LlvmApi.LLVMGetMDKindIDInContext(Handle, p, (uint)utf8.Length);
        }
    }

    /// <summary>Disposes the live modules and builders made here, then the context.</summary>
    public void Dispose()
    {
        if (handle == 0)
        {
            return;
        }
        // Builders first (they may point into modules), then modules, newest first.
        for (int i = children.Count - 1; i >= 0; i--)
        {
            if (children[i] is LlvmBuilder)
            {
                children[i].Dispose();
            }
        }
        for (int i = children.Count - 1; i >= 0; i--)
        {
            children[i].Dispose();
        }
        LlvmApi.LLVMContextDispose(handle);
        handle = 0;
    }

    internal void Forget(IDisposable child) => children.Remove(child);
}
