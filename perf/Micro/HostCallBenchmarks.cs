using BenchmarkDotNet.Attributes;
using Tiered.Tiering;

namespace Tiered.Micro;

/// <summary>
/// Calls across the embedding API (<see cref="LuaEngine"/>), per call:
/// <list type="bullet">
/// <item>LuaCallsLua: a Lua loop calling a local Lua function, the baseline;</item>
/// <item>LuaCallsHost: the same loop calling a delegate given to LuaEngine.Register
/// (argument and result converted by the engine's adapter);</item>
/// <item>HostCallsLua: LuaFunction.Call from C#, one call per invocation (argument array,
/// conversions, the host-to-Lua entry and the result array included).</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
public class HostCallBenchmarks
{
    private const int Calls = 100_000;

    [Params(JitMode.Off, JitMode.Eager)]
    public JitMode Jit { get; set; }

    private LuaEngine engine = null!;
    private LuaFunction luaLoop = null!, hostLoop = null!, inc = null!;

    [GlobalSetup]
    public void Setup()
    {
        engine = new LuaEngine(new LuaEngineOptions { Jit = Jit });
        engine.Register("hostinc", (Func<long, long>)(x => x + 1));
        LuaValue[] r = engine.DoString("""
            local function inc(x) return x + 1 end
            local function luaLoop(n) local s = 0 for _ = 1, n do s = inc(s) end return s end
            local function hostLoop(n) local f, s = hostinc, 0 for _ = 1, n do s = f(s) end return s end
            return luaLoop, hostLoop, inc
            """);
        luaLoop = r[0].AsFunction();
        hostLoop = r[1].AsFunction();
        inc = r[2].AsFunction();
        if (luaLoop.Call(Calls)[0].AsInteger() != Calls || hostLoop.Call(Calls)[0].AsInteger() != Calls)
            throw new InvalidOperationException("the call loops computed a wrong sum");
    }

    [GlobalCleanup]
    public void Cleanup() => engine.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public long LuaCallsLua() => luaLoop.Call(Calls)[0].AsInteger();

    [Benchmark(OperationsPerInvoke = Calls)]
    public long LuaCallsHost() => hostLoop.Call(Calls)[0].AsInteger();

    [Benchmark]
    public long HostCallsLua() => inc.Call(41)[0].AsInteger();
}
