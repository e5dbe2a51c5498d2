using System.Diagnostics;
using Tiered.Tests.Shared;
using Xunit;

namespace Tiered.Report.Tests;

/// <summary>`tiered report` and `tiered run --report` as a user runs them: a separate process,
/// its exit code, stdout and stderr.</summary>
public class ReportCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tiered-report-cli-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    internal static (int Code, string Out, string Err) Tiered(string workingDirectory, params string[] args)
    {
        Assert.True(TieredCommand.Executable != null || File.Exists(TieredCommand.Dll), $"tiered.dll is not beside the tests ({TieredCommand.Dll})");
        var psi = TieredCommand.StartInfo(workingDirectory, args, redirectInput: false);
        using var p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync(), stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"tiered {string.Join(' ', args)} did not finish");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void RunWithReportPrintsTheTextReportToStderr()
    {
        File.WriteAllText(Path.Combine(dir, "hot.lua"), ProfileRuns.HotScript);
        var (code, stdout, stderr) = Tiered(dir, "run", "--jit", "eager", "--no-cache", "--report", "--profile", "p.json", "hot.lua");
        Assert.Equal(0, code);
        Assert.DoesNotContain("Tiered profile", stdout);
        Assert.Contains("Tiered profile: hot.lua (jit eager)", stderr);
        Assert.Contains("function <hot.lua:1>  hot.lua:1", stderr);

        // The file written by the same run renders the same hot table.
        var (rc, text, err) = Tiered(dir, "report", "p.json");
        Assert.Equal(0, rc);
        Assert.Equal("", err);
        Assert.Contains("function <hot.lua:1>  hot.lua:1", text);
    }

    [Fact]
    public void ProfileOfARunWithoutJitIsReadable()
    {
        File.WriteAllText(Path.Combine(dir, "a.lua"), "print(1)");
        var run = Tiered(dir, "run", "--jit", "off", "--profile", "off.json", "a.lua");
        Assert.Equal(0, run.Code);
        var (code, text, err) = Tiered(dir, "report", "off.json");
        Assert.Equal("", err);
        Assert.Equal(0, code);
        Assert.Contains("Tiered profile: a.lua (jit off)", text);
        Assert.Contains("No function reached the tier-up threshold.", text);
    }

    [Fact]
    public void ReportWritesHtmlToTheOutputFile()
    {
        File.WriteAllText(Path.Combine(dir, "p.json"), ProfileRuns.Hot.ToJson());
        var (code, stdout, stderr) = Tiered(dir, "report", "p.json", "--format", "html", "-o", "r.html");
        Assert.Equal(0, code);
        Assert.Equal("", stdout + stderr);
        string html = File.ReadAllText(Path.Combine(dir, "r.html"));
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("function &lt;hot.lua:1&gt;", html);
    }

    [Fact]
    public void MalformedProfileExitsOneWithOneLine()
    {
        File.WriteAllText(Path.Combine(dir, "bad.json"), "{ \"schema\": \"tiered-profile/1\", \"functions\": 7 }");
        var (code, stdout, stderr) = Tiered(dir, "report", "bad.json");
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("tiered: bad.json: not a valid tiered profile:", stderr);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("   at ", stderr);

        var missing = Tiered(dir, "report", "missing.json");
        Assert.Equal(1, missing.Code);
        Assert.StartsWith("tiered: cannot read missing.json", missing.Err);
    }

    [Theory]
    [InlineData("report")]
    [InlineData("report", "p.json", "--format", "pdf")]
    [InlineData("report", "p.json", "--bogus")]
    [InlineData("report", "a.json", "b.json")]
    [InlineData("report", "p.json", "-o")]
    public void UsageErrorsExitTwo(params string[] args)
    {
        var (code, _, stderr) = Tiered(dir, args);
        Assert.Equal(2, code);
        Assert.Contains("usage: tiered report", stderr);
    }
}
