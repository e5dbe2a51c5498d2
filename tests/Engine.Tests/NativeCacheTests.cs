using System.Runtime.CompilerServices;
using Tiered.Tiering;
using Xunit;

namespace Tiered.Engine.Tests;

internal static class TestCacheDirectory
{
    /// <summary>Engines built with the default options use the native cache: never the user's own.</summary>
    [ModuleInitializer]
    internal static void KeepTestsOutOfTheUsersCache() =>
        Environment.SetEnvironmentVariable("TIERED_CACHE_DIR", Path.Combine(Path.GetTempPath(), "tiered-engine-tests-" + Environment.ProcessId));
}

public sealed class NativeCacheTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "tiered-engine-cache-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    // Several functions, so a warm engine has several entries to find; the result depends on all.
    // The JIT is shared by the whole process and links a function variant once, so each test
    // gets functions of its own (a unique constant in each) or it would find another test's.
    private readonly string program = """
        local function add(a, b) local _ = "TAG" return a + b end
        local function mul(a, b) local _ = "TAG" return a * b end
        local function fib(n) local _ = "TAG" if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
        local s, _ = 0, "TAG"
        for i = 1, 200 do s = add(s, mul(i, 3)) end
        return s + fib(15)
        """.Replace("TAG", Guid.NewGuid().ToString("N"));
    private const long Expected = 60300 + 610;

    private (long Result, ProfileReport Profile) RunOnce(LuaEngineOptions options)
    {
        using var engine = new LuaEngine(options);
        LuaValue[] r = engine.DoString(program, "=cache-test");
        return (r[0].AsInteger(), engine.GetProfile());
    }

    [Fact]
    public void A_second_engine_on_the_same_directory_loads_every_function_instead_of_compiling()
    {
        var options = new LuaEngineOptions { Jit = JitMode.Eager, CacheDirectory = dir };
        var (cold, coldProfile) = RunOnce(options);
        Assert.Equal(Expected, cold);
        Assert.True(coldProfile.LlvmCompilations >= 4, $"compiled {coldProfile.LlvmCompilations}");
        Assert.Equal(0, coldProfile.CacheHits);

        var (warm, warmProfile) = RunOnce(options);
        Assert.Equal(Expected, warm);
        Assert.Equal(0, warmProfile.LlvmCompilations);
        Assert.Equal(coldProfile.LlvmCompilations, warmProfile.CacheHits);
        Assert.All(warmProfile.Functions, f => Assert.True(f.FromCache, f.Name));
    }

    [Fact]
    public void CacheEnabled_false_neither_reads_nor_writes_the_directory()
    {
        var (_, written) = RunOnce(new LuaEngineOptions { Jit = JitMode.Eager, CacheDirectory = dir });
        Assert.True(written.LlvmCompilations >= 4);
        string[] files = Directory.GetFiles(dir, "*.tcache");
        Assert.Single(files);
        DateTime before = File.GetLastWriteTimeUtc(files[0]);

        var (result, profile) = RunOnce(new LuaEngineOptions { Jit = JitMode.Eager, CacheDirectory = dir, CacheEnabled = false });
        Assert.Equal(Expected, result);
        Assert.Equal(0, profile.CacheHits);
        Assert.All(profile.Functions, f => Assert.False(f.FromCache, f.Name));
        Assert.Equal(before, File.GetLastWriteTimeUtc(files[0]));
    }

    [Fact]
    public void Engines_on_parallel_threads_share_one_directory_and_the_jit()
    {
        var options = new LuaEngineOptions { Jit = JitMode.Eager, CacheDirectory = dir };
        for (int round = 0; round < 3; round++)
        {
            var results = new (long Result, ProfileReport Profile)[4];
            var threads = Enumerable.Range(0, results.Length)
                .Select(i => new Thread(() => results[i] = RunOnce(options), 16 << 20)).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.All(results, r => Assert.Equal(Expected, r.Result));
            if (round > 0)
            {
                // After the first round the directory holds every function (whichever engine saved last, merged).
                Assert.All(results, r => Assert.Equal(0, r.Profile.LlvmCompilations));
                Assert.All(results, r => Assert.True(r.Profile.CacheHits >= 4, $"hits {r.Profile.CacheHits}"));
            }
        }
        var store = NativeTier.OpenCacheStore(dir);
        Assert.NotNull(store);
        Assert.Empty(store!.Verify(deleteInvalid: false));
    }

    [Fact]
    public void Warm_counts_carry_over_so_a_function_tiers_up_in_the_second_engine()
    {
        // 1200 calls: 60% of the hot threshold (2000) in one run, past it over two.
        const string warmProgram = """
            local function f(x) return x + 1 end
            local s = 0
            for i = 1, 1200 do s = f(s) end
            return s
            """;
        var options = new LuaEngineOptions { Jit = JitMode.Adaptive, CacheDirectory = dir };
        ProfileReport Run()
        {
            using var engine = new LuaEngine(options);
            Assert.Equal(1200, engine.DoString(warmProgram, "=warm-test")[0].AsInteger());
            return engine.GetProfile();
        }
        ProfileReport first = Run();
        Assert.DoesNotContain(first.Functions, f => f.Line == 1);   // never reached the threshold
        Assert.Equal(0, first.CacheCountsRestored);

        ProfileReport second = Run();
        Assert.True(second.CacheCountsRestored >= 1);
        FunctionProfile f = Assert.Single(second.Functions, f => f.Line == 1);
        Assert.Equal(2400, f.Calls);   // this run's 1200 on top of the first run's
        Assert.NotEqual("Interpreted", f.Tier);
    }
}
