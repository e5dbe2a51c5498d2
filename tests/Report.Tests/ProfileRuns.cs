using System.Text;
using Tiered.Interpreter.Lib;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using Tiered.Reporting;
using Tiered.Tiering;

namespace Tiered.Report.Tests;

/// <summary>Real profiles: a Lua script run with the native tier, its profile written as the
/// CLI writes it and read back.</summary>
internal static class ProfileRuns
{
    /// <summary>Five functions of different heat; <c>add</c> (line 1) is compiled on integers
    /// and then deoptimises on floats at line 1.</summary>
    public const string HotScript = """
        local function add(a, b) return a + b end
        local function square(x) return x * x end
        local function twice(x) return x + x end
        local function idle(x) return x end
        local function loop(n) local s = 0 for i = 1, n do s = s + i end return s end
        local s = 0
        for i = 1, 300 do s = add(s, i) end
        for i = 1, 120 do s = s + square(i) end
        for i = 1, 40 do s = s + twice(i) end
        for i = 1, 15 do s = s + idle(i) end
        s = s + loop(500)
        print(s, add(1.5, 2), add(0.25, 0.5))
        """;

    public const string ChunkName = "hot.lua";

    /// <summary>Runs <paramref name="code"/> with functions compiled synchronously after ten
    /// calls (so the interpreter's type feedback exists and deopts can happen), writes the
    /// profile with <see cref="ProfileWriter"/> and returns the JSON bytes.</summary>
    public static byte[] RunAndWriteProfile(string code, JitMode mode = JitMode.Adaptive)
    {
        var output = new MemoryStream();
        using var L = new LuaState(new LuaStateOptions { StandardOutput = output });
        Libraries.OpenAll(L);
        // A function whose guard fails twice stays native here (RecompileOnRepeatedSite off), so
        // the profile shows native functions with deopts.
        var tier = new NativeTier(L, mode, new TierThresholds { HotThreshold = 10, CompileInBackground = false, RecompileOnRepeatedSite = false });
        var json = new MemoryStream();
        try
        {
            Value f = L.LoadChunk(Encoding.UTF8.GetBytes(code), "=" + ChunkName);
            L.CallFunction(f);
        }
        finally
        {
            tier.Dispose();
            ProfileWriter.Write(tier, json, wallMs: 12.5, script: ChunkName);
        }
        return json.ToArray();
    }

    private static readonly Lazy<RunProfile> hot = new(() => RunProfile.Parse(RunAndWriteProfile(HotScript), "hot.json"));

    /// <summary>The profile of <see cref="HotScript"/>, run once per test process.</summary>
    public static RunProfile Hot => hot.Value;

    /// <summary>A profile whose names try to break out of the HTML.</summary>
    public static RunProfile Hostile(string name, string chunk) => new()
    {
        Summary = new ProfileSummary { JitMode = "adaptive", WallMs = 10, FunctionsNative = 1, Deopts = 2, CacheRejected = [name] },
        Functions =
        [
            new FunctionEntry
            {
                Name = name, Chunk = chunk, Line = 3, Calls = 50, Tier = "native", State = "native",
                NativeSinceMs = 4, CompileMs = 1.5, Compilations = 1,
                Deopts = [new DeoptEntry { Reason = "NotInteger", Description = name, Pc = 2, Line = 3, Count = 2 }],
            },
        ],
    };
}
