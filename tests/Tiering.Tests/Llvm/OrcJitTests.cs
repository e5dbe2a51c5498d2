using System.Runtime.InteropServices;
using Tiered.Tiering.Llvm;
using Xunit;

namespace Tiered.Tiering.Tests.Llvm;

[Collection(LlvmCollection.Name)]
public unsafe class OrcJitTests
{
    public OrcJitTests() => TestModules.RequireLlvm();

    // Stands in for a runtime helper such as tiered_rt_get_table.
    [UnmanagedCallersOnly]
    private static long TimesThree(long x) => x * 3;

    private static nint TimesThreeAddress => (nint)(delegate* unmanaged<long, long>)&TimesThree;

    [Fact]
    public void CompiledAddRunsThroughAFunctionPointer()
    {
        using var machine = LlvmTargetMachine.CreateHost();
        byte[] code = TestModules.CompileAdd(new LlvmCompiler(machine), "tiered_test_add");
        using var jit = new OrcJit();
        jit.AddObjectFile(code);
        var add = (delegate* unmanaged<long, long, long>)jit.Lookup("tiered_test_add");
        Assert.Equal(42, add(40, 2));
        Assert.Equal(long.MinValue, add(long.MaxValue, 1)); // wraps, as Lua integers do
    }

    [Fact]
    public void CompiledCodeCallsAHelperBoundByName()
    {
        using var machine = LlvmTargetMachine.CreateHost();
        byte[] code;
        using (var context = new LlvmContext())
        using (LlvmModule module = TestModules.BuildCallsHelper(context, machine, "tiered_test_calls", "tiered_rt_test"))
        {
            code = new LlvmCompiler(machine).Compile(module);
        }
        var errors = new List<string>();
        using var jit = new OrcJit(errors.Add);
        jit.DefineAbsoluteSymbols(new Dictionary<string, nint> { ["tiered_rt_test"] = TimesThreeAddress });
        jit.AddObjectFile(code);
        var f = (delegate* unmanaged<long, long>)jit.Lookup("tiered_test_calls");
        Assert.Equal(3 * 14 + 1, f(14));
        Assert.Empty(errors);
    }

    [Fact]
    public void MissingHelperIsReportedAtLookup()
    {
        using var machine = LlvmTargetMachine.CreateHost();
        byte[] code;
        using (var context = new LlvmContext())
        using (LlvmModule module = TestModules.BuildCallsHelper(context, machine, "tiered_test_orphan", "tiered_rt_missing"))
        {
            code = new LlvmCompiler(machine).Compile(module);
        }
        var errors = new List<string>();
        using var jit = new OrcJit(errors.Add);
        jit.AddObjectFile(code); // fine: linking waits for the first lookup

        var e = Assert.Throws<LlvmException>(() => jit.Lookup("tiered_test_orphan"));
        Assert.Contains("tiered_rt_missing", e.Message);
        Assert.Contains(errors, message => message.Contains("tiered_rt_missing"));
    }

    [Fact]
    public void UnknownSymbolThrows()
    {
        using var jit = new OrcJit();
        var e = Assert.Throws<LlvmException>(() => jit.Lookup("tiered_no_such_function"));
        Assert.Contains("tiered_no_such_function", e.Message);
        Assert.False(jit.TryLookup("tiered_no_such_function", out nint address, out _));
        Assert.Equal(0, address);
    }

    [Fact]
    public void DefiningASymbolTwiceThrows()
    {
        using var machine = LlvmTargetMachine.CreateHost();
        byte[] code = TestModules.CompileAdd(new LlvmCompiler(machine), "tiered_test_twice");
        using var jit = new OrcJit();
        jit.AddObjectFile(code);
        Assert.Throws<LlvmException>(() => jit.AddObjectFile(code));

        var helpers = new Dictionary<string, nint> { ["tiered_rt_test"] = TimesThreeAddress };
        jit.DefineAbsoluteSymbols(helpers);
        Assert.Throws<LlvmException>(() => jit.DefineAbsoluteSymbols(helpers));
    }

    [Fact]
    public void RemovingATrackerUnloadsItsCode()
    {
        using var machine = LlvmTargetMachine.CreateHost();
        byte[] code = TestModules.CompileAdd(new LlvmCompiler(machine), "tiered_test_replaceable");
        using var jit = new OrcJit();

        using (OrcResourceTracker tracker = jit.CreateResourceTracker())
        {
            jit.AddObjectFile(code, tracker);
            var add = (delegate* unmanaged<long, long, long>)jit.Lookup("tiered_test_replaceable");
            Assert.Equal(5, add(2, 3));
            tracker.Remove();
        }
        Assert.False(jit.TryLookup("tiered_test_replaceable", out _, out _));

        // The name is free again: a recompiled version can take it.
        jit.AddObjectFile(code);
        var again = (delegate* unmanaged<long, long, long>)jit.Lookup("tiered_test_replaceable");
        Assert.Equal(7, again(3, 4));
    }

    [Fact]
    public void ConcurrentCompileAddAndLookup()
    {
        // Compile threads each own a context and target machine; the JIT is shared.
        using var jit = new OrcJit();
        jit.DefineAbsoluteSymbols(new Dictionary<string, nint> { ["tiered_rt_test"] = TimesThreeAddress });
        const int threads = 4, perThread = 8;
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            try
            {
                using var machine = LlvmTargetMachine.CreateHost();
                var compiler = new LlvmCompiler(machine);
                for (int i = 0; i < perThread; i++)
                {
                    string name = $"tiered_test_concurrent_{t}_{i}";
                    byte[] code;
                    using (var context = new LlvmContext())
                    using (LlvmModule module = TestModules.BuildCallsHelper(context, machine, name, "tiered_rt_test"))
                    {
                        code = compiler.Compile(module);
                    }
                    jit.AddObjectFile(code, name);
                    var f = (delegate* unmanaged<long, long>)jit.Lookup(name);
                    long result = f(t * 100 + i);
                    if (result != (t * 100 + i) * 3 + 1)
                    {
                        failures.Add($"{name} returned {result}");
                    }
                }
            }
            catch (Exception e)
            {
                failures.Add(e.ToString());
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        Assert.Empty(failures);
    }
}
