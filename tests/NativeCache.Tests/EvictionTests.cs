using Xunit;
namespace Tiered.NativeCache.Tests;

/// <summary>Above the size limit, the least recently used module files go first.</summary>
public class EvictionTests
{
    private static readonly DateTimeOffset Start = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static long SaveModule(NativeCacheStore store, string name, int codeSize)
    {
        CacheModule module = store.Open(name);
        module.Put(Entries.Make(name, codeSize));
        Assert.True(module.Save());
        return File.Exists(module.FilePath) ? new FileInfo(module.FilePath).Length : 0;
    }

    private static long TotalSize(TempCache temp) => Directory.GetFiles(temp.CacheDir, "*.tcache").Sum(f => new FileInfo(f).Length);

    [Fact]
    public void Oldest_modules_are_evicted_to_stay_under_the_limit()
    {
        using var temp = new TempCache();
        var clock = new ManualClock(Start);
        const long Limit = 10_000;
        NativeCacheStore store = temp.Store(sizeLimit: Limit, clock: clock);
        for (int i = 0; i < 5; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            SaveModule(store, "m" + i, 3000);
            Assert.True(TotalSize(temp) <= Limit);
        }
        // About 3.2 KB each: three fit, the two oldest were evicted.
        Assert.False(File.Exists(temp.FileOf("m0")));
        Assert.False(File.Exists(temp.FileOf("m1")));
        Assert.True(File.Exists(temp.FileOf("m2")));
        Assert.True(File.Exists(temp.FileOf("m3")));
        Assert.True(File.Exists(temp.FileOf("m4")));
        // Evicted files' lock files go with them.
        Assert.False(File.Exists(Path.ChangeExtension(temp.FileOf("m0"), ".lock")));
    }

    [Fact]
    public void Opening_a_module_counts_as_a_use()
    {
        using var temp = new TempCache();
        var clock = new ManualClock(Start);
        const long Limit = 10_000;
        for (int i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            SaveModule(temp.Store(sizeLimit: Limit, clock: clock), "m" + i, 3000);
        }
        // A later run uses m0 (the oldest) without changing it.
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, temp.Store(sizeLimit: Limit, clock: clock).Open("m0").Count);

        clock.Advance(TimeSpan.FromMinutes(1));
        SaveModule(temp.Store(sizeLimit: Limit, clock: clock), "m3", 3000);
        Assert.True(File.Exists(temp.FileOf("m0")));
        Assert.False(File.Exists(temp.FileOf("m1")));
        Assert.True(File.Exists(temp.FileOf("m2")));
        Assert.True(File.Exists(temp.FileOf("m3")));
    }

    [Fact]
    public void The_module_just_saved_goes_last_even_with_an_older_stamp()
    {
        using var temp = new TempCache();
        var clock = new ManualClock(Start);
        const long Limit = 7_000;
        SaveModule(temp.Store(sizeLimit: Limit, clock: clock), "new", 3000);
        // A process whose clock is behind saves: its file carries the older stamp, yet stays.
        clock.Now = Start - TimeSpan.FromDays(1);
        SaveModule(temp.Store(sizeLimit: Limit, clock: clock), "a", 3000);
        SaveModule(temp.Store(sizeLimit: Limit, clock: clock), "b", 3000);
        Assert.True(File.Exists(temp.FileOf("b")));
        Assert.True(TotalSize(temp) <= Limit);
    }

    [Fact]
    public void A_module_larger_than_the_limit_is_not_kept()
    {
        using var temp = new TempCache();
        var logger = new ListLogger();
        CacheModule module = temp.Store(sizeLimit: 1000, logger: logger).Open("huge");
        module.Put(Entries.Make("f", codeSize: 5000));
        Assert.True(module.Save());
        Assert.False(File.Exists(module.FilePath));
        Assert.Contains(logger.Messages, m => m.Message.Contains("exceeds the size limit"));
        Assert.True(module.TryGet(Entries.Key("f"), out _));   // still usable in memory
    }

    [Fact]
    public void Stale_temp_files_are_cleaned_up()
    {
        using var temp = new TempCache();
        NativeCacheStore store = temp.Store();
        store.Open("m");
        string stale = Path.Combine(temp.CacheDir, "dead.123.abc.tmp");
        string fresh = Path.Combine(temp.CacheDir, "live.456.def.tmp");
        File.WriteAllText(stale, "x");
        File.WriteAllText(fresh, "x");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddDays(-1));
        SaveModule(store, "m", 10);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(fresh));
    }
}
