using Xunit;

namespace Tiered.Cli.Tests;

/// <summary><c>tiered cache</c> on a scratch cache filled by an eager run.</summary>
public sealed class CacheCommandTests : IDisposable
{
    private readonly ScratchDirectory dir = new();
    private readonly string cache;

    public CacheCommandTests()
    {
        cache = System.IO.Path.Combine(dir.Path, "cache");
        dir.Write("fib.lua", "local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end\nprint(fib(15))\n");
    }

    public void Dispose() => dir.Dispose();

    private CliResult Tiered(params string[] args) => TieredProcess.Run(dir.Path, null, args);

    private void Populate()
    {
        CliResult run = Tiered("run", "--jit", "eager", "--cache-dir", cache, "fib.lua");
        Assert.Equal("610\n", run.StdOut);
        Assert.Equal(0, run.ExitCode);
    }

    private string ModuleFile() => Assert.Single(Directory.GetFiles(cache, "*.tcache"));

    [Fact]
    public void ListShowsEachModuleInAlignedColumns()
    {
        Populate();
        CliResult r = Tiered("cache", "list", "--cache-dir", cache);
        Assert.Equal(0, r.ExitCode);
        string[] lines = r.StdOut.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^MODULE +FUNCTIONS +SIZE +TIER +LAST USE$", lines[0]);
        string row = lines[1];
        Assert.StartsWith("@" + System.IO.Path.Combine(dir.Path, "fib.lua"), row);
        Assert.Matches(@" 2 +\d+\.\d KiB +native +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", row);
        // Aligned: each heading starts where its column's values start (TIER, LAST USE)
        // or ends where they end (FUNCTIONS, SIZE are right-aligned).
        Assert.Equal(lines[0].IndexOf("TIER"), row.IndexOf("native"));
        Assert.Equal(lines[0].IndexOf("FUNCTIONS") + "FUNCTIONS".Length, row.IndexOf(" 2 ") + 2);
    }

    [Fact]
    public void StatsHonoursTheEnvironmentVariable()
    {
        Populate();
        CliResult r = TieredProcess.RunWithCache(dir.Path, null, cache, "cache", "stats");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"directory     {cache}\n", r.StdOut);
        Assert.Contains("module files  1 (0 not usable by this engine)\n", r.StdOut);
        Assert.Contains("functions     2\n", r.StdOut);
        Assert.Matches(@"size +\d+\.\d KiB of 256\.0 MiB limit", r.StdOut);
    }

    [Fact]
    public void VerifyReportsACorruptedFileAndDeleteRemovesIt()
    {
        Populate();
        CliResult ok = Tiered("cache", "verify", "--cache-dir", cache);
        Assert.Equal(0, ok.ExitCode);
        Assert.Equal($"cache ok: 1 module file checked in {cache}\n", ok.StdOut);

        string file = ModuleFile();
        byte[] bytes = File.ReadAllBytes(file);
        for (int i = bytes.Length / 2; i < bytes.Length / 2 + 8; i++) bytes[i] ^= 0x5A;
        File.WriteAllBytes(file, bytes);

        CliResult bad = Tiered("cache", "verify", "--cache-dir", cache);
        Assert.Equal(1, bad.ExitCode);
        Assert.StartsWith($"{file}: checksum mismatch", bad.StdOut);
        Assert.EndsWith($"1 problem in {cache}\n", bad.StdOut);

        CliResult list = Tiered("cache", "list", "--cache-dir", cache);
        Assert.Contains(" invalid ", list.StdOut);
        Assert.Contains("not used by this engine", list.StdOut);

        CliResult deleted = Tiered("cache", "verify", "--delete", "--cache-dir", cache);
        Assert.Contains("(deleted)", deleted.StdOut);
        Assert.False(File.Exists(file));
        Assert.Equal(0, Tiered("cache", "verify", "--cache-dir", cache).ExitCode);
    }

    [Fact]
    public void CorruptedFileIsRebuiltByTheNextRun()
    {
        Populate();
        string file = ModuleFile();
        File.WriteAllBytes(file, new byte[] { 1, 2, 3, 4 });
        Populate();
        CliResult r = Tiered("cache", "verify", "--cache-dir", cache);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains(" native ", Tiered("cache", "list", "--cache-dir", cache).StdOut);
    }

    [Fact]
    public void ClearRemovesEveryModuleAndKeepsTheSecret()
    {
        Populate();
        Assert.Equal(0, Tiered("run", "--jit", "eager", "--cache-dir", cache, "-e", "local s = 0 for i = 1, 10 do s = s + i end").ExitCode);
        Assert.Equal(2, Directory.GetFiles(cache, "*.tcache").Length);
        CliResult r = Tiered("cache", "clear", "--cache-dir", cache);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal($"removed 2 module files from {cache}\n", r.StdOut);
        Assert.Empty(Directory.GetFiles(cache, "*.tcache"));
        Assert.True(File.Exists(System.IO.Path.Combine(cache, ".secret")));
        Assert.Equal($"no cached modules in {cache}\n", Tiered("cache", "list", "--cache-dir", cache).StdOut);
    }

    [Fact]
    public void MissingDirectoryIsAnEmptyCacheAndIsNotCreated()
    {
        string missing = System.IO.Path.Combine(dir.Path, "never");
        CliResult r = Tiered("cache", "list", "--cache-dir", missing);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal($"no cached modules in {missing}\n", r.StdOut);
        Assert.False(Directory.Exists(missing));
    }
}
