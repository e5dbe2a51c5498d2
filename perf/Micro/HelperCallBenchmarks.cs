using BenchmarkDotNet.Attributes;
using Tiered.Interpreter.Runtime;
using Tiered.Tiering;

namespace Tiered.Micro;

/// <summary>
/// What a runtime-helper call costs native code, next to fast paths the code generator
/// inlines. All four loops are compiled by LLVM before their first call (eager mode):
/// <list type="bullet">
/// <item>EmptyLoop: the loop alone (FORLOOP and its interrupt countdown);</item>
/// <item>InlineAdd: an integer add, inline after a tag guard;</item>
/// <item>InlineField: t.x with x present: the inline short-string probe hits;</item>
/// <item>HelperField: t.y with y absent: the inline probe misses, so the slow path stores
/// the pc and calls tiered_rt_index (a managed [UnmanagedCallersOnly] function), which
/// looks again and finds no metatable.</item>
/// </list>
/// HelperField minus InlineField is the helper transition plus one raw lookup. Per iteration.
/// </summary>
[MemoryDiagnoser]
public class HelperCallBenchmarks
{
    private const int Iterations = 1_000_000;
    private LuaHarness lua = null!;
    private Value emptyLoop, inlineAdd, inlineField, helperField;

    [GlobalSetup]
    public void Setup()
    {
        lua = new LuaHarness(JitMode.Eager);
        lua.Run("""
            local t = {x = 1}
            function emptyLoop(n) for i = 1, n do end end
            function inlineAdd(n) local s = 0 for i = 1, n do s = s + i end return s end
            function inlineField(n) local t, v = t, 0 for i = 1, n do v = t.x end return v end
            function helperField(n) local t, v = t, 0 for i = 1, n do v = t.y end return 0 end
            """);
        emptyLoop = lua.Global("emptyLoop");
        inlineAdd = lua.Global("inlineAdd");
        inlineField = lua.Global("inlineField");
        helperField = lua.Global("helperField");
        foreach (Value f in new[] { emptyLoop, inlineAdd, inlineField, helperField }) lua.Call(f, 1);
        lua.RequireNative("emptyLoop", "inlineAdd", "inlineField", "helperField");
    }

    [GlobalCleanup]
    public void Cleanup() => lua.Dispose();

    [Benchmark(OperationsPerInvoke = Iterations)]
    public long EmptyLoop() => lua.Call(emptyLoop, Iterations);

    [Benchmark(OperationsPerInvoke = Iterations)]
    public long InlineAdd() => lua.Call(inlineAdd, Iterations);

    [Benchmark(Baseline = true, OperationsPerInvoke = Iterations)]
    public long InlineField() => lua.Call(inlineField, Iterations);

    [Benchmark(OperationsPerInvoke = Iterations)]
    public long HelperField() => lua.Call(helperField, Iterations);
}
