using Tiered.Tiering.Llvm;
using Xunit;

namespace Tiered.Tiering.Tests.Llvm;

/// <summary>
/// Every test that touches LLVM joins this collection: they run one at a time, because
/// LlvmLibraryTests changes the process-wide library path override.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LlvmCollection
{
    public const string Name = "LLVM";
}

/// <summary>Small modules built by hand with the binding, shared by the tests.</summary>
internal static unsafe class TestModules
{
    /// <summary>Loads libLLVM 19 or fails the test with the install hint (never skips).</summary>
    public static void RequireLlvm()
    {
        if (!LlvmLibrary.TryLoad(out string error))
        {
            Assert.Fail(error);
        }
    }

    /// <summary>define i64 @name(i64 %a, i64 %b) { ret a + b }</summary>
    public static LlvmModule BuildAdd(LlvmContext context, LlvmTargetMachine machine, string name)
    {
        LlvmModule module = context.CreateModule(name + ".module");
        machine.ConfigureModule(module);
        nint i64 = context.Int64;
        nint function = module.AddFunction(name, context.FunctionType(i64, [i64, i64]));
        using LlvmBuilder builder = context.CreateBuilder();
        builder.PositionAtEnd(LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, function, "entry"));
        nint sum = LlvmApi.LLVMBuildAdd(builder.Handle, LlvmApi.LLVMGetParam(function, 0), LlvmApi.LLVMGetParam(function, 1), "sum");
        LlvmApi.LLVMBuildRet(builder.Handle, sum);
        return module;
    }

    /// <summary>define i64 @name(i64 %x) { ret helper(x) + 1 }, with the helper declared external.</summary>
    public static LlvmModule BuildCallsHelper(LlvmContext context, LlvmTargetMachine machine, string name, string helper)
    {
        LlvmModule module = context.CreateModule(name + ".module");
        machine.ConfigureModule(module);
        nint i64 = context.Int64;
        nint unary = context.FunctionType(i64, [i64]);
        nint callee = module.DeclareExternalFunction(helper, unary);
        nint function = module.AddFunction(name, unary);
        using LlvmBuilder builder = context.CreateBuilder();
        builder.PositionAtEnd(LlvmApi.LLVMAppendBasicBlockInContext(context.Handle, function, "entry"));
        nint result = builder.Call(callee, [LlvmApi.LLVMGetParam(function, 0)], "r");
        nint plusOne = LlvmApi.LLVMBuildAdd(builder.Handle, result, LlvmContext.ConstInt(i64, 1), "r1");
        LlvmApi.LLVMBuildRet(builder.Handle, plusOne);
        return module;
    }

    /// <summary>Builds and compiles in a fresh context: the object bytes.</summary>
    public static byte[] CompileAdd(LlvmCompiler compiler, string name)
    {
        using var context = new LlvmContext();
        using LlvmModule module = BuildAdd(context, compiler.TargetMachine, name);
        return compiler.Compile(module);
    }
}
