using System.Diagnostics;
using System.Text;
using Tiered.Tests.Shared;
using Xunit;

namespace Tiered.Interpreter.Tests;

/// <summary>
/// Runs every script under tests/lua/ through `tiered run` and compares its standard output
/// with the checked-in `.expected` file (generated with lua5.4). Scripts run as separate
/// processes from their own directory, exactly as a user would run them.
/// </summary>
public class LuaScriptTests
{
    public static IEnumerable<object[]> Scripts() =>
        LuaScripts.All().Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Interpreter(string script) => LuaScripts.AssertOutput(script, "--jit", "off");

    /// <summary>Every function compiled by LLVM on its first call: the native tier must give
    /// exactly the interpreter's output, and no function may have failed to compile (a failed
    /// compilation runs interpreted, so the output alone would not show it).</summary>
    [Theory]
    [MemberData(nameof(Scripts))]
    public void EagerNative(string script)
    {
        string profile = Path.Combine(Path.GetTempPath(), $"tiered-eager-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        try
        {
            LuaScripts.AssertOutput(script, "--jit", "eager", "--profile", profile);
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(profile));
            var failed = doc.RootElement.GetProperty("functions").EnumerateArray()
                .Where(f => f.GetProperty("state").GetString() == "failed")
                .Select(f => f.GetProperty("name").GetString() + ": " + (f.TryGetProperty("failure", out var why) ? why.ToString() : "?"))
                .ToList();
            Assert.True(failed.Count == 0, $"{script}: functions failed to compile:\n{string.Join('\n', failed)}");
        }
        finally { File.Delete(profile); }
    }

    /// <summary>The third mode: a second process on the native cache the first one wrote
    /// (eager, so every function was compiled and saved): same output, from cached code.</summary>
    [Theory]
    [MemberData(nameof(Scripts))]
    public void WarmCache(string script)
    {
        string dir = Path.Combine(Path.GetTempPath(), "tiered-warm-" + Guid.NewGuid().ToString("N"));
        try
        {
            LuaScripts.AssertOutput(script, "--jit", "eager", "--cache-dir", dir);
            LuaScripts.AssertOutput(script, "--jit", "eager", "--cache-dir", dir);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    /// <summary>Adaptive mode with a low hot threshold and compilation on the hot call: functions
    /// go native part-way through the script, compiled from the feedback of their first runs,
    /// so the specialised paths (type guards, deopts, inline library functions) are what runs.</summary>
    [Theory]
    [MemberData(nameof(Scripts))]
    public void AdaptiveNative(string script) =>
        LuaScripts.AssertOutputWith(new() { ["TIERED_HOT_THRESHOLD"] = "40", ["TIERED_COMPILE_SYNC"] = "1" },
            script, "--jit", "adaptive", "--no-cache");

    [Theory]
    [MemberData(nameof(Scripts))]
    public void InterpreterWithGcStress(string script)
    {
        // Collecting at every safepoint finds values that are live but not rooted.
        if (LuaScripts.IsHeavy(script)) return;
        LuaScripts.AssertOutput(script, "--jit", "off", "--gc-stress");
    }
}

internal static class LuaScripts
{
    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir != null && !File.Exists(Path.Combine(dir, "Tiered.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("cannot find the repository root (Tiered.sln)");
    }

    public static string LuaDir => Path.Combine(RepoRoot, "tests", "lua");

    /// <summary>Scripts (relative to tests/lua) that have an expected output beside them.</summary>
    public static IEnumerable<string> All() =>
        Directory.EnumerateFiles(LuaDir, "*.lua", SearchOption.AllDirectories)
            .Where(f => File.Exists(Path.ChangeExtension(f, ".expected")))
            .Select(f => Path.GetRelativePath(LuaDir, f))
            .OrderBy(f => f, StringComparer.Ordinal);

    /// <summary>Scripts not run with a collection at every safepoint: too slow ("-- heavy"), or
    /// printing the order in which collections happen ("gc-timing"), which stress mode changes.</summary>
    public static bool IsHeavy(string script) =>
        File.ReadLines(Path.Combine(LuaDir, script)).Take(5).Any(l => l.Contains("-- heavy") || l.Contains("[gc-timing"));

    public static readonly string TestCacheDir = Path.Combine(Path.GetTempPath(), "tiered-test-cache-" + Environment.ProcessId);

    public static (int ExitCode, string StdOut, string StdErr) Run(string workDir, params string[] args) =>
        Run(workDir, new Dictionary<string, string>(), args);

    public static (int ExitCode, string StdOut, string StdErr) Run(string workDir, Dictionary<string, string> env, params string[] args)
    {
        ProcessStartInfo psi = TieredCommand.StartInfo(workDir, args);
        psi.Environment["TIERED_CACHE_DIR"] = TestCacheDir;  // never the user's own cache
        foreach (var (name, value) in env) psi.Environment[name] = value;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = ReadAllLatin1(p.StandardOutput.BaseStream);
        if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException($"tiered {string.Join(' ', args)} ran over 120 s"); }
        return (p.ExitCode, output, err.Result);
    }

    private static string ReadAllLatin1(Stream s)
    {
        var ms = new MemoryStream();
        s.CopyTo(ms);
        return Encoding.Latin1.GetString(ms.ToArray());
    }

    public static void AssertOutput(string script, params string[] options) => AssertOutputWith(new(), script, options);

    public static void AssertOutputWith(Dictionary<string, string> env, string script, params string[] options)
    {
        string path = Path.Combine(LuaDir, script);
        string expected = Encoding.Latin1.GetString(File.ReadAllBytes(Path.ChangeExtension(path, ".expected")));
        var (code, output, stderr) = Run(Path.GetDirectoryName(path)!, env, [.. new[] { "run" }, .. options, Path.GetFileName(path)]);
        if (output != expected)
        {
            string[] e = expected.Split('\n'), o = output.Split('\n');
            int line = 0;
            while (line < e.Length && line < o.Length && e[line] == o[line]) line++;
            Assert.Fail($"{script} ({string.Join(' ', options)}): output differs at line {line + 1}\n" +
                        $"expected: {(line < e.Length ? e[line] : "<end>")}\n" +
                        $"actual:   {(line < o.Length ? o[line] : "<end>")}\n" +
                        $"exit code {code}; stderr: {stderr}");
        }
        Assert.True(code == 0, $"{script}: exit code {code}; stderr: {stderr}");
    }
}

public class NativeTierFallbackTests
{
    // Eager mode loads LLVM on the script's thread; adaptive mode on the compiler thread (a low
    // threshold makes functions hot at once), and the exit waits for that attempt's warning.
    [Theory]
    [InlineData("eager")]
    [InlineData("adaptive")]
    public async Task WithoutLibLlvmTheScriptRunsInTheInterpreterAfterOneWarning(string jit)
    {
        string dir = Path.Combine(LuaScripts.LuaDir, "programs");
        var psi = TieredCommand.StartInfo(dir, ["run", "--jit", jit, "--no-cache", "fibonacci.lua"], redirectInput: false);
        psi.Environment["TIERED_LLVM_PATH"] = "/nonexistent/libLLVM.so.19.1";
        psi.Environment["TIERED_HOT_THRESHOLD"] = "5";
        using var p = System.Diagnostics.Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.Equal(0, p.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "fibonacci.expected")), output);
        string[] lines = (await err).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string warning = Assert.Single(lines);   // one warning, on one line
        Assert.StartsWith("tiered: warning:", warning);
        Assert.Contains("libllvm19", warning);
    }
}
