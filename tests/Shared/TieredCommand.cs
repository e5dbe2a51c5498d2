using System.Diagnostics;

namespace Tiered.Tests.Shared;

/// <summary>
/// How the tests start the tiered command as a child process: the framework-dependent build
/// beside the tests (dotnet tiered.dll), or, when TIERED_TEST_EXE names an executable, that one,
/// so the suites that run the command can check a published build (scripts/publish) as users run
/// it: TIERED_TEST_EXE=artifacts/publish/tiered/tiered dotnet test ...
/// </summary>
public static class TieredCommand
{
    /// <summary>The published executable under test, or null for tiered.dll.</summary>
    public static string? Executable
    {
        get
        {
            string? exe = Environment.GetEnvironmentVariable("TIERED_TEST_EXE");
            return string.IsNullOrEmpty(exe) ? null : Path.GetFullPath(exe);
        }
    }

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "tiered.dll");

    /// <summary>A start of tiered in <paramref name="workDir"/> with <paramref name="args"/>,
    /// output and error redirected (and input if <paramref name="redirectInput"/>).</summary>
    public static ProcessStartInfo StartInfo(string workDir, IEnumerable<string> args, bool redirectInput = true)
    {
        string? exe = Executable;
        var psi = new ProcessStartInfo(exe ?? "dotnet")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        if (exe == null)
        {
            psi.ArgumentList.Add(Dll);
            psi.Environment["DOTNET_TieredCompilation"] = "0";   // short runs: skip tier-0 JIT work
        }
        foreach (string a in args) psi.ArgumentList.Add(a);
        return psi;
    }
}
