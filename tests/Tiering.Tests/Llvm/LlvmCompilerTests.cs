using Tiered.Tiering.Llvm;
using Xunit;

namespace Tiered.Tiering.Tests.Llvm;

[Collection(LlvmCollection.Name)]
public class LlvmCompilerTests
{
    public LlvmCompilerTests() => TestModules.RequireLlvm();

    [Fact]
    public void HostTargetMachineDescribesTheHost()
    {
        using var machine = LlvmTargetMachine.CreateHost();
        Assert.StartsWith("x86_64", machine.Triple);
        Assert.NotEqual("", machine.CpuName);
        Assert.Contains("+sse2", machine.CpuFeatures);
        Assert.StartsWith("e-", machine.DataLayout);
    }

    [Fact]
    public void EmitsAnElfObject()
    {
        using var machine = LlvmTargetMachine.CreateHost();
        byte[] code = TestModules.CompileAdd(new LlvmCompiler(machine), "tiered_test_add");
        Assert.True(code.Length > 64, $"object is {code.Length} bytes");
        Assert.Equal([0x7f, (byte)'E', (byte)'L', (byte)'F'], code[..4]);
    }

    [Fact]
    public void ObjectBytesAreTheSameWhenCompiledTwice()
    {
        // Separate contexts and target machines, as two processes would have.
        using var first = LlvmTargetMachine.CreateHost();
        using var second = LlvmTargetMachine.CreateHost();
        byte[] a = TestModules.CompileAdd(new LlvmCompiler(first), "tiered_test_add");
        byte[] b = TestModules.CompileAdd(new LlvmCompiler(second), "tiered_test_add");
        Assert.Equal(a, b);
    }

    [Fact]
    public void BrokenModuleIsReportedNotCompiled()
    {
        using var machine = LlvmTargetMachine.CreateHost();
        using var context = new LlvmContext();
        using LlvmModule module = context.CreateModule("broken");
        nint function = module.AddFunction("no_terminator", context.FunctionType(context.Int64, []));
        LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, function, "entry"); // left open

        Assert.NotNull(module.Verify());
        var e = Assert.Throws<LlvmException>(() => new LlvmCompiler(machine).Compile(module));
        Assert.Contains("broken", e.Message);
        Assert.Contains("no_terminator", e.Message);
    }

    [Fact]
    public void UnknownPipelineIsAnError()
    {
        using var machine = LlvmTargetMachine.CreateHost();
        using var context = new LlvmContext();
        using LlvmModule module = TestModules.BuildAdd(context, machine, "f");
        var e = Assert.Throws<LlvmException>(() => new LlvmCompiler(machine, "no-such-pass").Optimize(module));
        Assert.Contains("no-such-pass", e.Message);
    }

    [Fact]
    public unsafe void AttributesAndBranchWeightsReachTheIr()
    {
        using var machine = LlvmTargetMachine.CreateHost();
        using var context = new LlvmContext();
        using LlvmModule module = context.CreateModule("attrs");
        machine.ConfigureModule(module);
        nint i64 = context.Int64;
        // i64 @load_or_zero(ptr noalias %p, i64 %flag) nounwind: flag != 0 ? *p : 0, flag expected 0
        nint function = module.AddFunction("load_or_zero", context.FunctionType(i64, [context.Ptr, i64]));
        LlvmApi.LLVMAddAttributeAtIndex(function, LLVMAttributeIndex.Param(0), context.EnumAttribute("noalias"));
        LlvmApi.LLVMAddAttributeAtIndex(function, LLVMAttributeIndex.LLVMAttributeFunctionIndex, context.EnumAttribute("nounwind"));
        LlvmApi.LLVMAddAttributeAtIndex(function, LLVMAttributeIndex.LLVMAttributeFunctionIndex, context.StringAttribute("frame-pointer", "all"));

        using LlvmBuilder builder = context.CreateBuilder();
        nint entry = LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, function, "entry");
        nint load = LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, function, "load");
        nint join = LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, function, "join");
        builder.PositionAtEnd(entry);
        nint flag = LlvmApi.LLVMBuildICmp(builder.Handle, LLVMIntPredicate.LLVMIntNE, LlvmApi.LLVMGetParam(function, 1), LlvmContext.ConstInt(i64, 0), "flag");
        nint branch = LlvmApi.LLVMBuildCondBr(builder.Handle, flag, load, join);
        context.SetBranchWeights(branch, 1, 2000);
        builder.PositionAtEnd(load);
        nint value = LlvmApi.LLVMBuildLoad2(builder.Handle, i64, LlvmApi.LLVMGetParam(function, 0), "v");
        LlvmApi.LLVMSetAlignment(value, 8);
        LlvmApi.LLVMBuildBr(builder.Handle, join);
        builder.PositionAtEnd(join);
        nint phi = LlvmApi.LLVMBuildPhi(builder.Handle, i64, "r");
        LlvmBuilder.AddIncoming(phi, LlvmContext.ConstInt(i64, 0), entry);
        LlvmBuilder.AddIncoming(phi, value, load);
        LlvmApi.LLVMBuildRet(builder.Handle, phi);

        Assert.Null(module.Verify());
        string ir = module.PrintToString();
        Assert.Contains("noalias", ir);
        Assert.Contains("nounwind", ir);
        Assert.Contains("\"frame-pointer\"=\"all\"", ir);
        Assert.Contains("!{!\"branch_weights\", i32 1, i32 2000}", ir);

        using var jit = new OrcJit();
        jit.AddObjectFile(new LlvmCompiler(machine).Compile(module));
        var loadOrZero = (delegate* unmanaged<long*, long, long>)jit.Lookup("load_or_zero");
        long cell = 1234;
        Assert.Equal(1234, loadOrZero(&cell, 1));
        Assert.Equal(0, loadOrZero(null, 0));
    }
}
