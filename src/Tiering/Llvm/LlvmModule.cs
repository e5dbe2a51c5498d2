// An LLVM module and the IR builder; see LlvmContext.cs for the threading and lifetime rules.

namespace Tiered.Tiering.Llvm;

/// <summary>An LLVMModuleRef, owned by its LlvmContext's thread. Create with LlvmContext.CreateModule.</summary>
internal sealed unsafe class LlvmModule : IDisposable
{
    private nint handle;

    internal LlvmModule(LlvmContext context, nint handle, string name)
    {
        if (handle == 0)
        {
            throw new LlvmException($"LLVMModuleCreateWithNameInContext failed for '{name}'");
        }
        Context = context;
        Name = name;
        this.handle = handle;
    }

    public LlvmContext Context { get; }
    public string Name { get; }
    public nint Handle => handle != 0 ? handle : throw new ObjectDisposedException(nameof(LlvmModule), Name);

    /// <summary>Adds a function definition or declaration (external linkage, default visibility).</summary>
    public nint AddFunction(string name, nint functionType) => LlvmApi.LLVMAddFunction(Handle, name, functionType);

    /// <summary>Gives the function <paramref name="name"/> another name (its symbol).</summary>
    public void RenameFunction(string name, string newName)
    {
        nint fn = LlvmApi.LLVMGetNamedFunction(Handle, name);
        if (fn == 0) throw new LlvmException($"no function {name} in {Name}");
        byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(newName);
        fixed (byte* p = utf8) LlvmApi.LLVMSetValueName2(fn, p, (nuint)utf8.Length);
    }

    /// <summary>How many instructions the module's function bodies hold.</summary>
    public int CountInstructions()
    {
        int count = 0;
        for (nint fn = LlvmApi.LLVMGetFirstFunction(Handle); fn != 0; fn = LlvmApi.LLVMGetNextFunction(fn))
            for (nint bb = LlvmApi.LLVMGetFirstBasicBlock(fn); bb != 0; bb = LlvmApi.LLVMGetNextBasicBlock(bb))
                for (nint i = LlvmApi.LLVMGetFirstInstruction(bb); i != 0; i = LlvmApi.LLVMGetNextInstruction(i))
                    count++;
        return count;
    }

    /// <summary>Adds an enum attribute without a value ("noinline", "cold", ...) to a function.</summary>
    public void AddFunctionAttribute(nint function, string attribute)
    {
        byte[] utf8 = System.Text.Encoding.ASCII.GetBytes(attribute);
        uint kind;
        fixed (byte* p = utf8) kind = LlvmApi.LLVMGetEnumAttributeKindForName(p, (nuint)utf8.Length);
        if (kind == 0) throw new LlvmException($"unknown LLVM attribute '{attribute}'");
        nint attr = LlvmApi.LLVMCreateEnumAttribute(LlvmApi.LLVMGetModuleContext(Handle), kind, 0);
        LlvmApi.LLVMAddAttributeAtIndex(function, uint.MaxValue, attr);
    }

    /// <summary>The function of that name, or 0.</summary>
    public nint GetNamedFunction(string name) => LlvmApi.LLVMGetNamedFunction(Handle, name);

    /// <summary>
    /// Declares an external function such as a runtime helper, once per module. It keeps
    /// default visibility on purpose: hidden would ask for 32-bit PC-relative calls, and our
    /// helpers live too far from JIT memory for those (JITLink's "out of range of Delta32").
    /// </summary>
    public nint DeclareExternalFunction(string name, nint functionType)
    {
        nint existing = LlvmApi.LLVMGetNamedFunction(Handle, name);
        return existing != 0 ? existing : LlvmApi.LLVMAddFunction(Handle, name, functionType);
    }

    public nint AddGlobal(nint type, string name) => LlvmApi.LLVMAddGlobal(Handle, type, name);

    /// <summary>Null when the module is well formed, else the verifier's report.</summary>
    public string? Verify()
    {
        byte* message = null;
        int broken = LlvmApi.LLVMVerifyModule(Handle, LLVMVerifierFailureAction.LLVMReturnStatusAction, &message);
        string text = LlvmText.TakeMessage(message);
        return broken != 0 ? (text.Length != 0 ? text.TrimEnd() : "module is broken") : null;
    }

    /// <summary>The module as textual IR (for tests and `tiered disasm --ir`).</summary>
    public string PrintToString() => LlvmText.TakeMessage(LlvmApi.LLVMPrintModuleToString(Handle));

    public void Dispose()
    {
        if (handle == 0)
        {
            return;
        }
        LlvmApi.LLVMDisposeModule(handle);
        handle = 0;
        Context.Forget(this);
    }
}

/// <summary>An LLVMBuilderRef, owned by its LlvmContext's thread. Create with LlvmContext.CreateBuilder.</summary>
internal sealed unsafe class LlvmBuilder : IDisposable
{
    private nint handle;

    internal LlvmBuilder(LlvmContext context, nint handle)
    {
        if (handle == 0)
        {
            throw new LlvmException("LLVMCreateBuilderInContext failed");
        }
        Context = context;
        this.handle = handle;
    }

    public LlvmContext Context { get; }
    public nint Handle => handle != 0 ? handle : throw new ObjectDisposedException(nameof(LlvmBuilder));

    public void PositionAtEnd(nint block) => LlvmApi.LLVMPositionBuilderAtEnd(Handle, block);

    /// <summary>The block being appended to.</summary>
    public nint InsertBlock => LlvmApi.LLVMGetInsertBlock(Handle);

    /// <summary>Calls a function declared in the module; the function type comes from the declaration.</summary>
    public nint Call(nint function, ReadOnlySpan<nint> arguments, string name = "")
    {
        nint functionType = LlvmApi.LLVMGlobalGetValueType(function);
        fixed (nint* p = arguments)
        {
            return LlvmApi.LLVMBuildCall2(Handle, functionType, function, p, (uint)arguments.Length, name);
        }
    }

    /// <summary>Adds one (value, predecessor block) pair to a phi.</summary>
    public static void AddIncoming(nint phi, nint value, nint block) => LlvmApi.LLVMAddIncoming(phi, &value, &block, 1);

    public void Dispose()
    {
        if (handle == 0)
        {
            return;
        }
        LlvmApi.LLVMDisposeBuilder(handle);
        handle = 0;
        Context.Forget(this);
    }
}
