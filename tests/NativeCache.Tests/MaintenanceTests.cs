using Xunit;
namespace Tiered.NativeCache.Tests;

/// <summary>list, stats, verify and clear, as the CLI uses them.</summary>
public class MaintenanceTests
{
    [Fact]
    public void List_and_stats_describe_every_module()
    {
        using var temp = new TempCache();
        var clock = new ManualClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        NativeCacheStore store = temp.Store(clock: clock);
        CacheModule a = store.Open("a.lua");
        a.Put(Entries.Make("a1"));
        a.Put(Entries.Make("a2"));
        Assert.True(a.Save());
        clock.Advance(TimeSpan.FromHours(1));
        CacheModule b = store.Open("b.lua");
        b.Put(Entries.Make("b1"));
        Assert.True(b.Save());

        IReadOnlyList<CacheModuleInfo> modules = store.ListModules();
        Assert.Equal(["b.lua", "a.lua"], modules.Select(m => m.ModuleName));
        Assert.Equal([1, 2], modules.Select(m => m.EntryCount));
        Assert.All(modules, m => Assert.Null(m.Problem));
        Assert.Equal(clock.Now, modules[0].LastUsed);
        Assert.Equal(new FileInfo(a.FilePath).Length, modules[1].SizeBytes);

        CacheStats stats = store.GetStats();
        Assert.Equal(2, stats.ModuleFiles);
        Assert.Equal(3, stats.TotalEntries);
        Assert.Equal(0, stats.InvalidFiles);
        Assert.Equal(modules.Sum(m => m.SizeBytes), stats.TotalBytes);
        Assert.Equal(temp.CacheDir, stats.Directory);
    }

    [Fact]
    public void Verify_reports_each_bad_file_and_can_delete_them()
    {
        using var temp = new TempCache();
        NativeCacheStore store = temp.Store();
        foreach (string name in new[] { "good", "flipped", "stale" })
        {
            CacheModule module = temp.Store(name == "stale" ? Headers.Current with { AbiVersion = 1 } : null).Open(name);
            module.Put(Entries.Make(name));
            Assert.True(module.Save());
        }
        byte[] data = File.ReadAllBytes(temp.FileOf("flipped"));
        data[40] ^= 1;
        File.WriteAllBytes(temp.FileOf("flipped"), data);

        IReadOnlyList<CacheRejection> problems = store.Verify();
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Reason == CacheRejectionReason.ChecksumMismatch && p.Path == temp.FileOf("flipped"));
        Assert.Contains(problems, p => p.Reason == CacheRejectionReason.HeaderMismatch && p.Path == temp.FileOf("stale"));
        Assert.Equal("stale", store.ListModules().Single(m => m.FilePath == temp.FileOf("stale")).ModuleName);
        Assert.Equal(2, store.GetStats().InvalidFiles);

        Assert.Equal(2, store.Verify(deleteInvalid: true).Count);
        Assert.Empty(store.Verify());
        Assert.Equal(["good"], store.ListModules().Select(m => m.ModuleName));
    }

    [Fact]
    public void Verify_reports_an_unsafe_directory()
    {
        using var temp = new TempCache();
        temp.Store().Open("m");
        File.SetUnixFileMode(temp.CacheDir, (UnixFileMode)0x1FF);
        Assert.Equal(CacheRejectionReason.DirectoryWritableByOthers, Assert.Single(temp.Store().Verify()).Reason);
    }

    [Fact]
    public void Maintenance_of_a_missing_directory_finds_nothing_and_creates_nothing()
    {
        using var temp = new TempCache();
        NativeCacheStore store = temp.Store();
        Assert.Empty(store.ListModules());
        Assert.Empty(store.Verify());
        Assert.Equal(0, store.GetStats().ModuleFiles);
        Assert.Equal(0, store.Clear());
        Assert.False(Directory.Exists(temp.CacheDir));
    }

    [Fact]
    public void Clear_deletes_modules_and_keeps_the_secret()
    {
        using var temp = new TempCache();
        NativeCacheStore store = temp.Store();
        for (int i = 0; i < 3; i++)
        {
            CacheModule module = store.Open("m" + i);
            module.Put(Entries.Make("f"));
            Assert.True(module.Save());
        }
        string secret = Path.Combine(temp.CacheDir, ".secret");
        byte[] before = File.ReadAllBytes(secret);

        Assert.Equal(3, store.Clear());
        Assert.Equal([secret], Directory.GetFileSystemEntries(temp.CacheDir));
        Assert.Equal(before, File.ReadAllBytes(secret));
        Assert.Empty(store.ListModules());

        // An open module still holds its entries and writes them back.
        Assert.True(store.Open("m0").TryGet(Entries.Key("f"), out _));
        store.Open("m0").Put(Entries.Make("g"));
        Assert.True(store.Open("m0").Save());
        Assert.Equal(2, temp.Store().Open("m0").Count);
    }
}
