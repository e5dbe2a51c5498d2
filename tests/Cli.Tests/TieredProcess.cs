using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Tiered.Tests.Shared;

namespace Tiered.Cli.Tests;

/// <summary>The built CLI (tiered.dll beside the tests, or TIERED_TEST_EXE: TieredCommand) run
/// as a child process.</summary>
public sealed record CliResult(int ExitCode, string StdOut, string StdErr);

public static class TieredProcess
{
    /// <summary>Runs tiered with <paramref name="args"/> in <paramref name="workDir"/>, writing
    /// <paramref name="stdin"/> to its input (then closing it). The native cache goes to
    /// <paramref name="cacheDir"/> or a scratch directory, never the user's own.</summary>
    public static CliResult Run(string workDir, string? stdin, params string[] args) => RunWithCache(workDir, stdin, null, args);

    /// <summary>Starts tiered with all three streams redirected, for tests that talk to it.</summary>
    public static Process Start(string workDir, params string[] args)
    {
        ProcessStartInfo psi = TieredCommand.StartInfo(workDir, args);
        psi.Environment["TIERED_CACHE_DIR"] = Path.Combine(workDir, "default-cache");
        return Process.Start(psi)!;
    }

    public const int SigInt = 2;

    /// <summary>POSIX kill(2): sends a signal (Process.Kill only sends SIGKILL).</summary>
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, int signal);

    public static CliResult RunWithCache(string workDir, string? stdin, string? cacheDir, params string[] args)
    {
        ProcessStartInfo psi = TieredCommand.StartInfo(workDir, args);
        psi.Environment["TIERED_CACHE_DIR"] = cacheDir ?? Path.Combine(workDir, "default-cache");
        using Process p = Process.Start(psi)!;
        Task<string> output = p.StandardOutput.ReadToEndAsync();
        Task<string> error = p.StandardError.ReadToEndAsync();
        if (stdin != null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(true);
            throw new TimeoutException($"tiered {string.Join(' ', args)} ran over 120 s");
        }
        return new CliResult(p.ExitCode, output.Result.Replace("\r\n", "\n"), error.Result.Replace("\r\n", "\n"));
    }
}

/// <summary>A scratch directory per test, deleted afterwards.</summary>
public sealed class ScratchDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("tiered-cli-test-").FullName;

    public string Write(string name, string text)
    {
        string file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, text, new UTF8Encoding(false));
        return file;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
