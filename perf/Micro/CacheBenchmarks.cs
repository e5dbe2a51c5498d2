using System.Diagnostics;
using System.Text;
using BenchmarkDotNet.Attributes;
using Tiered.Interpreter.Runtime;
using Tiered.Tiering;

namespace Tiered.Micro;

/// <summary>
/// Getting native code for a function: compiled by LLVM now (Compile, an empty cache) or
/// linked from the on-disk native cache (CacheLoad, a warm cache). Each invocation loads a
/// chunk of <see cref="Functions"/> small functions and calls each twice; results are per
/// function. Interpret runs the same chunk with the native tier off: the chunk's own share.
/// </summary>
/// <remarks>
/// The process-wide JIT keeps every symbol it has linked and hands out the known address for
/// a symbol it has seen, so a chunk must be new to the process each time: every invocation
/// gets a chunk whose constants (and so function keys) no earlier one had. The warm caches
/// are written by another process (this program's "make-cache" command), as a previous
/// run of a script would have left them; fresh ones are made whenever the stock runs out.
/// </remarks>
[MemoryDiagnoser]
[WarmupCount(1)]
[IterationCount(6)]
[InvocationCount(1, 1)]
public class CacheBenchmarks
{
    public const int Functions = 10;
    private const int BatchSize = 8;

    /// <summary>Each function is hot on its second call; the main chunk, called once, stays
    /// interpreted. Compiles happen at once, on the calling thread.</summary>
    private static TierThresholds Thresholds() => new() { HotThreshold = 2, CompileInBackground = false };

    private static int nextColdSeed = 1_000_000 + Environment.ProcessId % 1000 * 1000;
    private string cacheDir = null!;
    private readonly Queue<int> warmSeeds = new();
    private int nextWarmSeed = 1;

    private LuaHarness? lua;
    private byte[] source = [];
    private string chunkName = "";
    private bool warm;

    /// <summary>A chunk defining <see cref="Functions"/> small functions whose constants come
    /// from <paramref name="seed"/>, and calling each of them twice.</summary>
    public static string Module(int seed)
    {
        var sb = new StringBuilder("local f = {}\n");
        for (int i = 0; i < Functions; i++)
        {
            long k = (long)seed * 1000 + i;
            sb.Append($$"""
                f[{{i + 1}}] = function(p, n)
                  local s = p.base + {{k}}
                  for j = 1, n do
                    if j % 3 == 0 then s = s + j * {{k % 997 + 3}} else s = s - p.step end
                  end
                  p.last = s
                  return s
                end

                """);
        }
        // No loop here: back-edges would make the main chunk hot too.
        sb.Append("local p, total = {base = 1, step = 2}, 0\n");
        for (int i = 1; i <= Functions; i++) sb.Append($"total = total + f[{i}](p, 3) + f[{i}](p, 4)\n");
        sb.Append("return total\n");
        return sb.ToString();
    }

    private static string ChunkName(int seed) => "=micro_cache_" + seed;

    [GlobalSetup]
    public void Setup()
    {
        cacheDir = Path.Combine(Path.GetTempPath(), "tiered-micro-cache-" + Environment.ProcessId);
        if (Directory.Exists(cacheDir)) Directory.Delete(cacheDir, true);
        Directory.CreateDirectory(cacheDir);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (Directory.Exists(cacheDir)) Directory.Delete(cacheDir, true);
    }

    private void Prepare(int seed, JitMode jit, bool withCache)
    {
        source = Encoding.UTF8.GetBytes(Module(seed));
        chunkName = ChunkName(seed);
        lua = new LuaHarness(jit, Thresholds());
        warm = withCache;
        if (withCache) lua.Tier!.EnableCache(cacheDir);
    }

    [IterationSetup(Target = nameof(Interpret))]
    public void SetupInterpret() => Prepare(Interlocked.Increment(ref nextColdSeed), JitMode.Off, false);

    [IterationSetup(Target = nameof(Compile))]
    public void SetupCompile() => Prepare(Interlocked.Increment(ref nextColdSeed), JitMode.Adaptive, false);

    [IterationSetup(Target = nameof(CacheLoad))]
    public void SetupCacheLoad()
    {
        if (warmSeeds.Count == 0) MakeWarmCaches();
        Prepare(warmSeeds.Dequeue(), JitMode.Adaptive, true);
    }

    [IterationCleanup]
    public void IterationCleanup()
    {
        NativeTier? tier = lua!.Tier;
        string? problem = null;
        if (tier != null && warm && (tier.CacheHits != Functions || tier.LlvmCompilations != 0))
            problem = $"a warm-cache run linked {tier.CacheHits} functions from the cache and compiled {tier.LlvmCompilations}; expected {Functions} and 0 ({string.Join("; ", tier.CacheRejections)})";
        else if (tier != null && !warm && tier.LlvmCompilations != Functions)
            problem = $"a cold run compiled {tier.LlvmCompilations} functions, expected {Functions}";
        lua.Dispose();
        lua = null;
        if (problem != null) throw new InvalidOperationException(problem);
    }

    [Benchmark(OperationsPerInvoke = Functions)]
    public long Interpret() => Run();

    [Benchmark(OperationsPerInvoke = Functions)]
    public long Compile() => Run();

    [Benchmark(Baseline = true, OperationsPerInvoke = Functions)]
    public long CacheLoad() => Run();

    private long Run()
    {
        Value[] r = lua!.L.CallFunction(lua.L.LoadChunk(source, chunkName));
        return r[0].I;
    }

    /// <summary>Runs this program's make-cache command in a new process for the next batch of
    /// seeds, with the same assemblies this process loaded.</summary>
    private void MakeWarmCaches()
    {
        int first = nextWarmSeed;
        nextWarmSeed += BatchSize;
        string self = typeof(CacheBenchmarks).Assembly.Location;
        // BenchmarkDotNet's own entry program may host this assembly: borrow its runtime
        // config and dependency list, which name the same assemblies.
        string entry = System.Reflection.Assembly.GetEntryAssembly()!.Location;
        // The dotnet host, also when this process started from an apphost (dotnet run).
        string host = Environment.ProcessPath!;
        if (!Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var psi = new ProcessStartInfo(host) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { "exec",
            "--runtimeconfig", Path.ChangeExtension(entry, ".runtimeconfig.json"),
            "--depsfile", Path.ChangeExtension(entry, ".deps.json"),
            self, "make-cache", cacheDir, first.ToString(), BatchSize.ToString() })
            psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        string stdout = p.StandardOutput.ReadToEnd(), stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"make-cache failed ({p.ExitCode}): {stdout}{stderr}");
        for (int s = first; s < first + BatchSize; s++) warmSeeds.Enqueue(s);
    }

    /// <summary>The make-cache command: runs the chunks of <paramref name="count"/> seeds from
    /// <paramref name="first"/> with the native cache in <paramref name="dir"/>, so their
    /// compiled functions are saved there at exit, as after a tiered run.</summary>
    public static int MakeCache(string dir, int first, int count)
    {
        for (int seed = first; seed < first + count; seed++)
        {
            using var lua = new LuaHarness(JitMode.Adaptive, Thresholds());
            lua.Tier!.EnableCache(dir);
            lua.L.CallFunction(lua.L.LoadChunk(Encoding.UTF8.GetBytes(Module(seed)), ChunkName(seed)));
            if (lua.Tier.LlvmCompilations != Functions)
            {
                Console.Error.WriteLine($"seed {seed}: compiled {lua.Tier.LlvmCompilations} functions, expected {Functions}");
                return 1;
            }
        }
        return 0;
    }
}
