using System.Runtime.InteropServices;
using Tiered.Tiering.Llvm;
using Tiered.Tiering.Loader;
using Xunit;

namespace Tiered.Tiering.Tests.Llvm;

/// <summary>Objects emitted by our LLVM pipeline, linked without LLVM by ElfObjectLoader.</summary>
[Collection(LlvmCollection.Name)]
public unsafe class ElfObjectLoaderTests
{
    public ElfObjectLoaderTests() => TestModules.RequireLlvm();

    [UnmanagedCallersOnly]
    private static long TimesThree(long x) => x * 3;

    private static readonly Dictionary<string, nint> Helpers = new()
    {
        ["tiered_rt_test"] = (nint)(delegate* unmanaged<long, long>)&TimesThree,
    };

    [Fact]
    public void LinksAFunctionThatCallsAHelperFarAway()
    {
        using var machine = LlvmTargetMachine.CreateHost();
        byte[] code;
        using (var context = new LlvmContext())
        using (LlvmModule module = TestModules.BuildCallsHelper(context, machine, "tiered_test_loader_calls", "tiered_rt_test"))
            code = new LlvmCompiler(machine).Compile(module);

        nint entry = ElfObjectLoader.Load(code, "tiered_test_loader_calls", Helpers, out string? error);
        Assert.True(entry != 0, error);
        var f = (delegate* unmanaged<long, long>)entry;
        Assert.Equal(3 * 14 + 1, f(14));
        Assert.Equal(1, f(0));
    }

    [Fact]
    public void LinksConstantPoolsAndJumpTables()
    {
        // double f(i32 k, double x): a switch (jump table) over float constants (constant pool).
        using var machine = LlvmTargetMachine.CreateHost();
        byte[] code;
        using (var context = new LlvmContext())
        using (LlvmModule module = context.CreateModule("tables"))
        {
            machine.ConfigureModule(module);
            nint f64 = context.Double, i32 = context.Int32;
            nint fn = module.AddFunction("tiered_test_tables", context.FunctionType(f64, [i32, f64]));
            using LlvmBuilder b = context.CreateBuilder();
            nint entry = LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, fn, "entry");
            nint other = LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, fn, "other");
            b.PositionAtEnd(entry);
            nint sw = LlvmApi.LLVMBuildSwitch(b.Handle, LlvmApi.LLVMGetParam(fn, 0), other, 8);
            for (int k = 0; k < 8; k++)
            {
                nint block = LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, fn, "");
                LlvmApi.LLVMAddCase(sw, LlvmApi.LLVMConstInt(i32, (ulong)k, 0), block);
                b.PositionAtEnd(block);
                nint scaled = LlvmApi.LLVMBuildFMul(b.Handle, LlvmApi.LLVMGetParam(fn, 1), LlvmApi.LLVMConstReal(f64, 1.5 + k * 0.37), "");
                LlvmApi.LLVMBuildRet(b.Handle, LlvmApi.LLVMBuildFAdd(b.Handle, scaled, LlvmApi.LLVMConstReal(f64, 1e-3 * (k + 1)), ""));
            }
            b.PositionAtEnd(other);
            LlvmApi.LLVMBuildRet(b.Handle, LlvmApi.LLVMConstReal(f64, -2.25));
            code = new LlvmCompiler(machine).Compile(module);
        }

        nint address = ElfObjectLoader.Load(code, "tiered_test_tables", Helpers, out string? error);
        Assert.True(address != 0, error);
        var f = (delegate* unmanaged<int, double, double>)address;
        for (int k = 0; k < 8; k++) Assert.Equal(2.0 * (1.5 + k * 0.37) + 1e-3 * (k + 1), f(k, 2.0));
        Assert.Equal(-2.25, f(99, 2.0));
    }

    [Fact]
    public void RefusesWhatItCannotLinkWithAReason()
    {
        using var machine = LlvmTargetMachine.CreateHost();
        byte[] code;
        using (var context = new LlvmContext())
        using (LlvmModule module = TestModules.BuildCallsHelper(context, machine, "tiered_test_loader_orphan", "tiered_rt_missing"))
            code = new LlvmCompiler(machine).Compile(module);

        Assert.Equal(0, ElfObjectLoader.Load(code, "tiered_test_loader_orphan", Helpers, out string? missing));
        Assert.Contains("tiered_rt_missing", missing);
        Assert.Equal(0, ElfObjectLoader.Load(code, "no_such_function", new Dictionary<string, nint> { ["tiered_rt_missing"] = 1 }, out string? absent));
        Assert.Contains("no_such_function", absent);
        Assert.Equal(0, ElfObjectLoader.Load(code.AsSpan(0, 40), "x", Helpers, out string? shortFile));
        Assert.NotNull(shortFile);
        byte[] damaged = (byte[])code.Clone();
        for (int i = 0x28; i < 0x30; i++) damaged[i] = 0xFF;   // section headers far outside the file
        Assert.Equal(0, ElfObjectLoader.Load(damaged, "tiered_test_loader_orphan", Helpers, out string? badHeaders));
        Assert.NotNull(badHeaders);
    }
}
