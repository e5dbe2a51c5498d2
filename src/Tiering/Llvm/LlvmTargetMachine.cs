// The host target machine, and LLVM memory buffers.

namespace Tiered.Tiering.Llvm;

/// <summary>
/// An LLVMTargetMachineRef for the machine we run on: default triple, host CPU name and
/// features, position-independent code, default code model. Use one per compile thread
/// (a TargetMachine is not safe to share between threads that compile at the same time).
/// Triple, CpuName and CpuFeatures are what the native cache header records, since the
/// object code depends on them.
/// </summary>
internal sealed unsafe class LlvmTargetMachine : IDisposable
{
    private nint handle;
    private nint dataLayout; // LLVMTargetDataRef, for ConfigureModule and layout queries

    private LlvmTargetMachine(nint handle, string triple, string cpuName, string cpuFeatures, LLVMCodeGenOptLevel optLevel)
    {
        this.handle = handle;
        Triple = triple;
        CpuName = cpuName;
        CpuFeatures = cpuFeatures;
        OptLevel = optLevel;
        dataLayout = LlvmApi.LLVMCreateTargetDataLayout(handle);
        DataLayout = LlvmText.TakeMessage(LlvmApi.LLVMCopyStringRepOfTargetData(dataLayout));
    }

    /// <summary>"x86_64-pc-linux-gnu".</summary>
    public string Triple { get; }
    /// <summary>"znver3", "skylake", ... (LLVMGetHostCPUName).</summary>
    public string CpuName { get; }
    /// <summary>"+sse2,+avx,-avx512f,..." (LLVMGetHostCPUFeatures).</summary>
    public string CpuFeatures { get; }
    /// <summary>The code generator's optimisation level (the IR pipeline is LlvmCompiler's).</summary>
    public LLVMCodeGenOptLevel OptLevel { get; }
    /// <summary>The data layout string the machine implies ("e-m:e-p270:32:32-...").</summary>
    public string DataLayout { get; }

    public nint Handle => handle != 0 ? handle : throw new ObjectDisposedException(nameof(LlvmTargetMachine));

    /// <summary>Creates the host target machine. LlvmLibrary.TryLoad must have succeeded.</summary>
    public static LlvmTargetMachine CreateHost(LLVMCodeGenOptLevel optLevel = LLVMCodeGenOptLevel.LLVMCodeGenLevelDefault)
    {
        string triple = LlvmText.TakeMessage(LlvmApi.LLVMGetDefaultTargetTriple());
        string cpu = LlvmText.TakeMessage(LlvmApi.LLVMGetHostCPUName());
        string features = LlvmText.TakeMessage(LlvmApi.LLVMGetHostCPUFeatures());
        nint target;
        byte* message = null;
        if (LlvmApi.LLVMGetTargetFromTriple(triple, &target, &message) != 0)
        {
            throw new LlvmException($"no LLVM target for '{triple}': {LlvmText.TakeMessage(message)}");
        }
        LlvmText.TakeMessage(message);
        nint machine = LlvmApi.LLVMCreateTargetMachine(
            target, triple, cpu, features, optLevel,
            LLVMRelocMode.LLVMRelocPIC, LLVMCodeModel.LLVMCodeModelDefault);
        if (machine == 0)
        {
            throw new LlvmException($"LLVMCreateTargetMachine failed for {triple} {cpu}");
        }
        return new LlvmTargetMachine(machine, triple, cpu, features, optLevel);
    }

    /// <summary>
    /// Sets the module's triple and data layout. Do it right after creating the module, before
    /// building IR, so that constant folding already sees the real layout.
    /// </summary>
    public void ConfigureModule(LlvmModule module)
    {
        LlvmApi.LLVMSetTarget(module.Handle, Triple);
        LlvmApi.LLVMSetModuleDataLayout(module.Handle, dataLayout);
    }

    /// <summary>The ABI size of a type in bytes, under this machine's layout.</summary>
    public ulong SizeOf(nint type) => LlvmApi.LLVMABISizeOfType(dataLayout, type);

    /// <summary>The byte offset of a struct element, under this machine's layout.</summary>
    public ulong OffsetOf(nint structType, int element) => LlvmApi.LLVMOffsetOfElement(dataLayout, structType, (uint)element);

    public void Dispose()
    {
        if (handle == 0)
        {
            return;
        }
        LlvmApi.LLVMDisposeTargetData(dataLayout);
        LlvmApi.LLVMDisposeTargetMachine(handle);
        dataLayout = 0;
        handle = 0;
    }
}

/// <summary>An LLVMMemoryBufferRef. Release() hands it to a consumer that takes ownership (ORC).</summary>
internal sealed unsafe class LlvmMemoryBuffer : IDisposable
{
    private nint handle;

    internal LlvmMemoryBuffer(nint handle)
    {
        if (handle == 0)
        {
            throw new LlvmException("no LLVM memory buffer");
        }
        this.handle = handle;
    }

    /// <summary>A buffer holding a copy of <paramref name="bytes"/>; the name shows up in LLVM's error messages.</summary>
    public static LlvmMemoryBuffer Copy(ReadOnlySpan<byte> bytes, string name)
    {
        fixed (byte* p = bytes)
        {
            return new LlvmMemoryBuffer(LlvmApi.LLVMCreateMemoryBufferWithMemoryRangeCopy(p, (nuint)bytes.Length, name));
        }
    }

    public nint Handle => handle != 0 ? handle : throw new ObjectDisposedException(nameof(LlvmMemoryBuffer));

    /// <summary>The buffer's bytes, valid until the buffer is disposed or released.</summary>
    public ReadOnlySpan<byte> Span
    {
        get
        {
            nint h = Handle;
            return new ReadOnlySpan<byte>(LlvmApi.LLVMGetBufferStart(h), checked((int)LlvmApi.LLVMGetBufferSize(h)));
        }
    }

    public byte[] ToArray() => Span.ToArray();

    /// <summary>Gives up ownership: the caller passes the handle to a function that takes it.</summary>
    public nint Release()
    {
        nint h = Handle;
        handle = 0;
        return h;
    }

    public void Dispose()
    {
        if (handle != 0)
        {
            LlvmApi.LLVMDisposeMemoryBuffer(handle);
            handle = 0;
        }
    }
}
