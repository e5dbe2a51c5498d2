using System.Text;
using Tiered.Interpreter.Lib;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using Tiered.Tiering;

namespace Tiered.Micro;

/// <summary>
/// A Lua state with the standard libraries and, unless the JIT is off, a native tier, for
/// benchmarks that drive the runtime below the embedding API. Functions a chunk stores in
/// globals stay alive (globals are a GC root), so benchmarks keep only their Values.
/// </summary>
internal sealed class LuaHarness : IDisposable
{
    public LuaState L { get; }
    public NativeTier? Tier { get; }

    public LuaHarness(JitMode jit, TierThresholds? thresholds = null)
    {
        L = new LuaState(new LuaStateOptions { StandardOutput = Stream.Null });
        Libraries.OpenAll(L);
        if (jit != JitMode.Off) Tier = new NativeTier(L, jit, thresholds);
    }

    public Value[] Run(string code, string chunkName = "=micro") =>
        L.CallFunction(L.LoadChunk(Encoding.UTF8.GetBytes(code), chunkName));

    public unsafe Value Global(string name)
    {
        Value v = *TableOps.Get(L.Globals, L.StringValue(name));
        if (v.Tag != Tag.LuaFunction) throw new InvalidOperationException($"global '{name}' is not a Lua function");
        return v;
    }

    /// <summary>Calls f(n) and returns its first result as an integer (0 when none).</summary>
    public long Call(in Value f, long n)
    {
        Value[] r = L.CallFunction(f, Value.Int(n));
        return r.Length > 0 ? r[0].I : 0;
    }

    /// <summary>Fails when a benchmark meant to time native code would time the interpreter:
    /// each named global must be a Lua function whose prototype has a native entry.</summary>
    public unsafe void RequireNative(params string[] globals)
    {
        foreach (string name in globals)
        {
            var closure = (LuaClosure*)Global(name).P;
            if (closure->Proto->NativeEntry == null)
                throw new InvalidOperationException($"'{name}' is not native; is libLLVM 19 installed? (tiered run --jit eager says why)");
        }
    }

    public void Dispose()
    {
        Tier?.Dispose();
        L.Dispose();
    }
}
