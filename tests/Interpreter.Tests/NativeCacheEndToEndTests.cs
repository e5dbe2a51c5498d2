using System.Diagnostics;
using System.Text.Json;
using Tiered.Tiering;
using Tiered.Tests.Shared;
using Xunit;

namespace Tiered.Interpreter.Tests;

/// <summary>
/// The native cache through real `tiered run` processes: a warm run compiles nothing, an
/// edit recompiles only what changed, damaged or untrusted files are rejected with a reason
/// and rebuilt without changing the output, and concurrent processes leave a valid cache.
/// </summary>
public sealed class NativeCacheEndToEndTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "tiered-e2e-" + Guid.NewGuid().ToString("N")[..12]);
    private string CacheDir => Path.Combine(root, "cache");
    private string Script => Path.Combine(root, "prog.lua");

    public NativeCacheEndToEndTests() => Directory.CreateDirectory(root);

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    // Four functions (with the main chunk); the output depends on each of them.
    private const string Program = """
        local function add(a, b) return a + b end
        local function mul(a, b) return a * b end
        local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
        local s = 0
        for i = 1, 300 do s = add(s, mul(i, 3)) end
        print(s, fib(20))
        """;
    private const string Output = "135450\t6765\n";

    private sealed record Run(string StdOut, string StdErr, JsonElement Summary, JsonElement[] Functions)
    {
        public long Summ(string name) => Summary.GetProperty(name).GetInt64();
        public string[] Rejected => [.. Summary.GetProperty("cacheRejected").EnumerateArray().Select(e => e.GetString()!)];
        public JsonElement Function(int line) => Functions.Single(f => f.GetProperty("line").GetInt32() == line);
        public bool FromCache(int line) => Function(line).GetProperty("fromCache").GetBoolean();
    }

    private Run Tiered(string jit = "eager", Dictionary<string, string>? env = null, string? script = null)
    {
        string profile = Path.Combine(root, "profile-" + Guid.NewGuid().ToString("N") + ".json");
        var psi = TieredCommand.StartInfo(root, ["run", "--jit", jit, "--cache-dir", CacheDir, "--profile", profile, script ?? Script], redirectInput: false);
        psi.Environment.Remove("TIERED_PIPELINE");
        foreach (var (k, v) in env ?? []) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException("tiered ran over 120 s"); }
        Assert.True(p.ExitCode == 0, $"exit code {p.ExitCode}; stderr: {err.Result}");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(profile));
        JsonElement rootElement = doc.RootElement.Clone();
        return new Run(output, err.Result, rootElement.GetProperty("summary"),
                       [.. rootElement.GetProperty("functions").EnumerateArray()]);
    }

    private Run Cold()
    {
        File.WriteAllText(Script, Program);
        Run cold = Tiered();
        Assert.Equal(Output, cold.StdOut);
        Assert.Equal(4, cold.Summ("llvmCompilations"));
        Assert.Equal(0, cold.Summ("cacheHits"));
        return cold;
    }

    private string CacheFile => Assert.Single(Directory.GetFiles(CacheDir, "*.tcache"));

    [Fact]
    public void A_warm_run_compiles_nothing_and_every_function_comes_from_the_cache()
    {
        Run cold = Cold();
        Run warm = Tiered();
        Assert.Equal(Output, warm.StdOut);
        Assert.Equal(0, warm.Summ("llvmCompilations"));
        Assert.Equal(4, warm.Summ("cacheHits"));
        Assert.Empty(warm.Rejected);
        foreach (int line in new[] { 0, 1, 2, 3 }) Assert.True(warm.FromCache(line), $"line {line}");
        // Linked by our own loader: the warm run never needed libLLVM.
        Assert.False(warm.Summary.GetProperty("llvmLoaded").GetBoolean());
        Assert.True(cold.Summary.GetProperty("llvmLoaded").GetBoolean());
    }

    [Fact]
    public void A_function_that_gets_hot_at_the_end_of_an_adaptive_run_is_compiled_before_exit_and_cached()
    {
        // Three functions reach the tier-up threshold on their last calls: their background
        // compilations are queued one behind the other when the script ends. Without the exit
        // budget the queued ones would be dropped and compiled again by the next run.
        string program = "local function a(x) return x * 2 + 1 end\n" +
                         "local function b(x) return x * 3 - 1 end\n" +
                         "local function c(x) return x % 7 end\n" +
                         "local s = 0\nfor i = 1, 2100 do s = s + a(i) + b(i) + c(i) end\nprint(s)\n";
        File.WriteAllText(Script, program);
        var env = new Dictionary<string, string> { ["TIERED_EXIT_COMPILE_BUDGET"] = "60000" };
        Run cold = Tiered(jit: "adaptive", env: env);
        Assert.Equal("11036550\n", cold.StdOut);
        long compiled = cold.Summ("llvmCompilations");
        Assert.True(compiled >= 3, $"{compiled} compilations");   // a, b, c (and the main chunk's loop)
        Run warm = Tiered(jit: "adaptive", env: env);
        Assert.Equal("11036550\n", warm.StdOut);
        Assert.Equal(0, warm.Summ("llvmCompilations"));
        Assert.Equal(compiled, warm.Summ("cacheHits"));
        Assert.False(warm.Summary.GetProperty("llvmLoaded").GetBoolean());
    }

    [Fact]
    public void A_function_that_deoptimised_in_the_run_is_recompiled_before_exit_so_the_next_run_does_not()
    {
        // f is compiled for integers, then its guards fail on floats a few times: fewer than it
        // takes to recompile it during the run. The cache must not keep the code that fails.
        string program = "local function f(a, b) return a + b end\n" +
                         "local s = 0\nfor i = 1, 3000 do s = s + f(i, 1) end\n" +
                         "for i = 1, 5 do s = s + f(i + 0.5, 1) end\nprint(s)\n";
        File.WriteAllText(Script, program);
        var env = new Dictionary<string, string> { ["TIERED_EXIT_COMPILE_BUDGET"] = "60000", ["TIERED_COMPILE_SYNC"] = "1" };
        Run cold = Tiered(jit: "adaptive", env: env);
        Assert.Equal("4504522.5\n", cold.StdOut);
        Assert.True(cold.Summ("deopts") > 0, "the float calls deoptimise the integer code");
        Run warm = Tiered(jit: "adaptive", env: env);
        Assert.Equal("4504522.5\n", warm.StdOut);
        Assert.Equal(0, warm.Summ("deopts"));
        Assert.Equal(0, warm.Summ("llvmCompilations"));
    }

    [Fact]
    public void Editing_one_function_recompiles_it_alone()
    {
        Cold();
        // mul's operands swapped: same output, different bytecode.
        File.WriteAllText(Script, Program.Replace("return a * b", "return b * a"));
        Run edited = Tiered();
        Assert.Equal(Output, edited.StdOut);
        Assert.Equal(1, edited.Summ("llvmCompilations"));
        Assert.Equal(3, edited.Summ("cacheHits"));
        Assert.False(edited.FromCache(2));
        foreach (int line in new[] { 0, 1, 3 }) Assert.True(edited.FromCache(line), $"line {line}");

        // Both versions are now cached: going back compiles nothing.
        File.WriteAllText(Script, Program);
        Assert.Equal(0, Tiered().Summ("llvmCompilations"));
    }

    [Fact]
    public void Moving_lines_with_blank_lines_and_comments_recompiles_nothing()
    {
        Cold();
        string moved = "-- a comment above everything\n\n\n" + Program.Replace("local function mul", "\n-- mul:\n--[[ long\ncomment ]]\nlocal function mul");
        File.WriteAllText(Script, moved);
        Run run = Tiered();
        Assert.Equal(Output, run.StdOut);
        Assert.Equal(0, run.Summ("llvmCompilations"));
        Assert.Equal(4, run.Summ("cacheHits"));
        // Debug information still comes from the new source: errors report the new lines.
        File.WriteAllText(Script, moved + "\nlocal function boom() error('here') end\nprint(pcall(boom))\n");
        string[] lines = Tiered().StdOut.Split('\n');
        int expectedLine = moved.Split('\n').Length + 1;
        Assert.EndsWith($"prog.lua:{expectedLine}: here", lines[1]);
    }

    public static TheoryData<string> Damages => ["flipped byte", "truncated", "wrong HMAC", "wrong header", "foreign owner", "garbage"];

    [Theory]
    [MemberData(nameof(Damages))]
    public void A_bad_cache_file_is_rejected_with_a_reason_the_output_is_unchanged_and_the_file_is_rebuilt(string damage)
    {
        Dictionary<string, string>? coldEnv = null;
        if (damage == "wrong header") coldEnv = new() { ["TIERED_PIPELINE"] = "default<O2>" };   // the header records the pipeline
        File.WriteAllText(Script, Program);
        Assert.Equal(Output, Tiered(env: coldEnv).StdOut);
        string file = CacheFile;
        byte[] bytes = File.ReadAllBytes(file);
        string expectedReason;
        switch (damage)
        {
            case "flipped byte":
                bytes[bytes.Length / 2] ^= 0x40;
                File.WriteAllBytes(file, bytes);
                expectedReason = "checksum";
                break;
            case "truncated":
                File.WriteAllBytes(file, bytes[..(bytes.Length * 2 / 3)]);
                expectedReason = "truncated";
                break;
            case "wrong HMAC":
                bytes[^1] ^= 0x01;   // the checksum still matches: only the HMAC is wrong
                File.WriteAllBytes(file, bytes);
                expectedReason = "HMAC";
                break;
            case "garbage":
                File.WriteAllBytes(file, new byte[bytes.Length]);
                expectedReason = "not a Tiered cache file";
                break;
            case "wrong header":
                expectedReason = "Pipeline";
                break;
            case "foreign owner":
                if (!IsRoot) return;   // only root can give a file away; the store tests cover the check itself
                Chown(file, 4242);
                expectedReason = "owned by";
                break;
            default:
                throw new ArgumentException(damage);
        }

        Run bad = Tiered();
        Assert.Equal(Output, bad.StdOut);
        string reason = Assert.Single(bad.Rejected);
        Assert.Contains(expectedReason, reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(4, bad.Summ("llvmCompilations"));
        Assert.Equal(0, bad.Summ("cacheHits"));
        if (damage != "wrong header")   // an out-of-date file is logged at information level only
            Assert.Contains("ignored", bad.StdErr);

        Run rebuilt = Tiered();
        Assert.Equal(Output, rebuilt.StdOut);
        Assert.Empty(rebuilt.Rejected);
        Assert.Equal(0, rebuilt.Summ("llvmCompilations"));
        Assert.Equal(4, rebuilt.Summ("cacheHits"));
    }

    [Fact]
    public async Task Concurrent_processes_with_periodic_saves_leave_a_valid_cache_and_correct_outputs()
    {
        // Several modules (the script and a required one), adaptive mode so compilations happen on
        // the compiler thread, which saves after each one: many saves race on the same files.
        File.WriteAllText(Path.Combine(root, "helper.lua"), """
            local M = {}
            function M.sq(x) return x * x end
            function M.cube(x) return x * x * x end
            return M
            """);
        File.WriteAllText(Script, """
            local h = require("helper")
            local function work(n) local s = 0 for i = 1, n do s = s + h.sq(i) % 7 + h.cube(i) % 5 end return s end
            local t = 0
            for r = 1, 40 do t = t + work(500) end
            print(t)
            """);
        string expected = Tiered(jit: "off").StdOut;
        Assert.NotEmpty(expected);
        var env = new Dictionary<string, string> { ["TIERED_CACHE_SAVE_INTERVAL"] = "0" };
        for (int round = 0; round < 3; round++)
        {
            Run[] runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => Tiered(jit: i % 2 == 0 ? "adaptive" : "eager", env: env))));
            foreach (Run r in runs)
            {
                Assert.Equal(expected, r.StdOut);
                Assert.Empty(r.Rejected);
            }
        }
        var store = NativeTier.OpenCacheStore(CacheDir);
        Assert.NotNull(store);
        Assert.Empty(store!.Verify(deleteInvalid: false));
        Assert.Equal(2, store.ListModules().Count);
        Assert.Empty(Directory.GetFiles(CacheDir, "*.tmp"));
        Run warm = Tiered(jit: "eager");
        Assert.Equal(expected, warm.StdOut);
        Assert.Equal(0, warm.Summ("llvmCompilations"));
    }

    [Fact]
    public void Warm_counts_carry_over_so_a_function_at_sixty_percent_tiers_up_in_the_next_run()
    {
        // f is called 1200 times: 60% of the hot threshold (2000).
        File.WriteAllText(Script, """
            local function f(x) return x + 1 end
            local s = 0
            for i = 1, 1200 do s = f(s) end
            print(s)
            """);
        Run first = Tiered(jit: "adaptive");
        Assert.Equal("1200\n", first.StdOut);
        Assert.DoesNotContain(first.Functions, f => f.GetProperty("line").GetInt32() == 1);
        Assert.Equal(0, first.Summ("llvmCompilations"));

        Run second = Tiered(jit: "adaptive");
        Assert.Equal("1200\n", second.StdOut);
        Assert.True(second.Summ("cacheCountsRestored") >= 1);
        JsonElement f = second.Function(1);
        Assert.Equal(2400, f.GetProperty("calls").GetInt64());
        Assert.NotEqual("interpreted", f.GetProperty("state").GetString());

        // From an empty cache again, the same run does not reach the threshold.
        Directory.Delete(CacheDir, recursive: true);
        Run fresh = Tiered(jit: "adaptive");
        Assert.DoesNotContain(fresh.Functions, fn => fn.GetProperty("line").GetInt32() == 1);
    }

    [Fact]
    public void A_function_halfway_to_hot_in_earlier_runs_is_compiled_at_its_first_call()
    {
        // 1100 calls in the first run (55% of the hot threshold); 5 in the second, which on
        // their own would leave it 895 short: it is compiled at once from the saved counts.
        File.WriteAllText(Script, """
            local function f(x) return x + 1 end
            local n = tonumber(os.getenv("TIERED_TEST_CALLS"))
            local s = 0
            for i = 1, n do s = f(s) end
            print(s)
            """);
        Run first = Tiered(jit: "adaptive", env: new() { ["TIERED_TEST_CALLS"] = "1100" });
        Assert.Equal("1100\n", first.StdOut);
        Assert.Equal(0, first.Summ("llvmCompilations"));

        Run second = Tiered(jit: "adaptive", env: new() { ["TIERED_TEST_CALLS"] = "5", ["TIERED_COMPILE_SYNC"] = "1" });
        Assert.Equal("5\n", second.StdOut);
        JsonElement f = second.Function(1);
        Assert.Equal(1105, f.GetProperty("calls").GetInt64());
        Assert.Equal("native", f.GetProperty("tier").GetString());
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static void Chown(string path, int uid)
    {
        using var p = Process.Start(new ProcessStartInfo("chown", [uid.ToString(), path]))!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }
}
