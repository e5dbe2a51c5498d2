using Xunit;
using System.Diagnostics;

namespace Tiered.NativeCache.Tests;

/// <summary>Many writers of one module, in threads and in processes, leave one valid file holding every entry.</summary>
public class ConcurrencyTests
{
    [Fact]
    public void Threads_with_separate_stores_saving_one_module_keep_every_entry()
    {
        using var temp = new TempCache();
        const int Threads = 8, Iterations = 25;
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            for (int i = 0; i < Iterations; i++)
            {
                CacheModule module = temp.Store().Open("shared.lua");
                Assert.Empty(module.Rejections);
                module.Put(Entries.Make($"t{t}:{i}"));
                module.Put(Entries.Make("common", variant: $"{t}/{i}"));
                Assert.True(module.Save());
            }
        });
        AssertUnion(temp, "shared.lua", Enumerable.Range(0, Threads).SelectMany(t => Enumerable.Range(0, Iterations).Select(i => $"t{t}:{i}")));
    }

    [Fact]
    public void One_module_object_saved_from_many_threads_while_others_put()
    {
        using var temp = new TempCache();
        CacheModule module = temp.Store().Open("m");
        Parallel.For(0, 200, i =>
        {
            module.Put(Entries.Make("e" + i));
            if (i % 7 == 0)
                Assert.True(module.Save());
        });
        Assert.True(module.Save());
        AssertUnion(temp, "m", Enumerable.Range(0, 200).Select(i => "e" + i));
    }

    [Fact]
    public async Task Child_processes_saving_one_module_keep_every_entry()
    {
        using var temp = new TempCache();
        const int Processes = 4, Iterations = 15;
        string assembly = typeof(Program).Assembly.Location;
        var children = new List<Process>();
        try
        {
            for (int p = 0; p < Processes; p++)
            {
                var start = new ProcessStartInfo(DotnetHost())
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                foreach (string arg in new[] { assembly, "save-worker", temp.CacheDir, "shared.lua", $"p{p}", Iterations.ToString() })
                    start.ArgumentList.Add(arg);
                children.Add(Process.Start(start)!);
            }
            // Threads of this process join in, against the same file.
            Parallel.For(0, 2, t => Assert.Equal(0, Program.SaveWorker(temp.CacheDir, "shared.lua", $"t{t}", Iterations)));

            foreach (Process child in children)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
                Task<string> stderr = child.StandardError.ReadToEndAsync(timeout.Token);
                string stdout = await child.StandardOutput.ReadToEndAsync(timeout.Token);
                await child.WaitForExitAsync(timeout.Token);
                Assert.True(child.ExitCode == 0, $"child exited {child.ExitCode}: {stdout} {await stderr}");
                Assert.Equal("ok", stdout);
            }
        }
        finally
        {
            foreach (Process child in children)
            {
                if (!child.HasExited)
                    child.Kill();
                child.Dispose();
            }
        }
        IEnumerable<string> workers = Enumerable.Range(0, Processes).Select(p => $"p{p}").Concat(["t0", "t1"]);
        AssertUnion(temp, "shared.lua", workers.SelectMany(w => Enumerable.Range(0, Iterations).Select(i => $"{w}:{i}")));
    }

    [Fact]
    public void A_save_that_cannot_get_the_lock_fails_and_keeps_its_changes()
    {
        using var temp = new TempCache();
        var logger = new ListLogger();
        CacheModule module = temp.Store(logger: logger, lockTimeout: TimeSpan.FromMilliseconds(100)).Open("m");
        module.Put(Entries.Make("f"));
        string lockPath = Path.ChangeExtension(module.FilePath, ".lock");
        using (new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            Assert.False(module.Save());
            Assert.True(module.HasUnsavedChanges);
            Assert.Contains(logger.Messages, m => m.Message.Contains("could not lock"));
        }
        Assert.True(module.Save());
        Assert.True(temp.Store().Open("m").TryGet(Entries.Key("f"), out _));
    }

    private static void AssertUnion(TempCache temp, string module, IEnumerable<string> names)
    {
        CacheModule check = temp.Store().Open(module);
        Assert.Empty(check.Rejections);
        foreach (string name in names)
        {
            Assert.True(check.TryGet(Entries.Key(name), out CacheEntry? entry), $"entry {name} was lost");
            Entries.AssertSame(Entries.Make(name, codeSize: entry.ObjectCode.Length), entry);
        }
        Assert.Empty(Directory.GetFiles(temp.CacheDir, "*.tmp"));
        Assert.Empty(temp.Store().Verify());
    }

    /// <summary>The dotnet host running this test: the CLI exports it as DOTNET_HOST_PATH.</summary>
    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
            return host;
        string? self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet")
            return self;
        // <root>/shared/Microsoft.NETCore.App/<version>/ -> <root>/dotnet
        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string candidate = Path.GetFullPath(Path.Combine(runtime, "..", "..", "..", "dotnet"));
        return File.Exists(candidate) ? candidate : "dotnet";
    }
}
