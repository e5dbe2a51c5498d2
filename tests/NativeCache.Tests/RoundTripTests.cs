using Xunit;
namespace Tiered.NativeCache.Tests;

public class RoundTripTests
{
    [Fact]
    public void Entries_put_and_saved_are_found_by_a_new_store()
    {
        using var temp = new TempCache();
        CacheEntry[] written = [Entries.Make("f1"), Entries.Make("f2", codeSize: 5000), Entries.Make("f3", codeSize: 0)];
        CacheModule module = temp.Store().Open("scripts/main.lua");
        foreach (CacheEntry entry in written)
            module.Put(entry);
        Assert.True(module.HasUnsavedChanges);
        Assert.True(module.Save());
        Assert.False(module.HasUnsavedChanges);

        CacheModule reopened = temp.Store().Open("scripts/main.lua");
        Assert.Empty(reopened.Rejections);
        Assert.Equal(3, reopened.Count);
        foreach (CacheEntry entry in written)
        {
            Assert.True(reopened.TryGet(entry.Key, out CacheEntry? found));
            Entries.AssertSame(entry, found);
        }
        Assert.False(reopened.TryGet(Entries.Key("absent"), out _));
        Assert.False(reopened.TryGet(new byte[5], out _));
    }

    [Fact]
    public void File_is_named_by_the_hash_of_the_module_and_is_private()
    {
        using var temp = new TempCache();
        CacheModule module = temp.Store().Open("=stdin");
        module.Put(Entries.Make("f"));
        Assert.True(module.Save());

        Assert.Equal(temp.FileOf("=stdin"), module.FilePath);
        Assert.Matches("^[0-9a-f]{64}\\.tcache$", Path.GetFileName(module.FilePath));
        Assert.Equal((UnixFileMode)0x180, File.GetUnixFileMode(module.FilePath));                    // 0600
        Assert.Equal((UnixFileMode)0x1C0, File.GetUnixFileMode(temp.CacheDir));                      // 0700
        Assert.Equal((UnixFileMode)0x180, File.GetUnixFileMode(Path.Combine(temp.CacheDir, ".secret")));
        Assert.Equal(32, new FileInfo(Path.Combine(temp.CacheDir, ".secret")).Length);
        Assert.Empty(Directory.GetFiles(temp.CacheDir, "*.tmp"));
    }

    [Fact]
    public void Removed_entries_are_gone_after_save_and_not_brought_back_by_another_store()
    {
        using var temp = new TempCache();
        CacheModule first = temp.Store().Open("m");
        first.Put(Entries.Make("keep"));
        first.Put(Entries.Make("drop"));
        Assert.True(first.Save());

        // A second process that read both entries and saves something else later.
        CacheModule second = temp.Store().Open("m");
        Assert.Equal(2, second.Count);

        Assert.True(first.Remove(Entries.Key("drop")));
        Assert.True(first.Save());

        second.Put(Entries.Make("other"));
        Assert.True(second.Save());

        CacheModule check = temp.Store().Open("m");
        Assert.True(check.TryGet(Entries.Key("keep"), out _));
        Assert.True(check.TryGet(Entries.Key("other"), out _));
        Assert.False(check.TryGet(Entries.Key("drop"), out _));
        Assert.False(second.TryGet(Entries.Key("drop"), out _));   // the merge updated second's view too
    }

    [Fact]
    public void A_save_picks_up_entries_another_store_wrote_meanwhile()
    {
        using var temp = new TempCache();
        CacheModule a = temp.Store().Open("m");
        CacheModule b = temp.Store().Open("m");
        a.Put(Entries.Make("from-a"));
        Assert.True(a.Save());
        b.Put(Entries.Make("from-b"));
        Assert.True(b.Save());

        Assert.True(b.TryGet(Entries.Key("from-a"), out _));
        Assert.Equal(2, temp.Store().Open("m").Count);
    }

    [Fact]
    public void Newest_put_wins_for_the_same_key()
    {
        using var temp = new TempCache();
        var clock = new ManualClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        CacheModule a = temp.Store(clock: clock).Open("m");
        CacheModule b = temp.Store(clock: clock).Open("m");

        CacheEntry older = Entries.Make("f", variant: "older");
        a.Put(older);
        clock.Advance(TimeSpan.FromSeconds(1));
        CacheEntry newer = Entries.Make("f", variant: "newer");
        b.Put(newer);

        Assert.True(b.Save());
        Assert.True(a.Save());   // saved last, but put first: b's entry stays

        Assert.True(temp.Store(clock: clock).Open("m").TryGet(Entries.Key("f"), out CacheEntry? found));
        Entries.AssertSame(newer, found);
        Assert.True(a.TryGet(Entries.Key("f"), out found));
        Entries.AssertSame(newer, found);
    }

    [Fact]
    public void A_later_counts_only_entry_does_not_replace_compiled_code_but_a_compiled_one_replaces_counts()
    {
        using var temp = new TempCache();
        var clock = new ManualClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        CacheModule compiler = temp.Store(clock: clock).Open("m");
        CacheModule counter = temp.Store(clock: clock).Open("m");

        CacheEntry compiled = Entries.Make("f", variant: "code");
        compiler.Put(compiled);
        Assert.True(compiler.Save());
        clock.Advance(TimeSpan.FromSeconds(1));
        // Another process only counted f (it never saw the compiled entry) and saves later.
        CacheEntry counts = Entries.Make("f", codeSize: 0, variant: "counts");
        Assert.False(counts.HasObjectCode);
        counter.Put(counts);
        Assert.True(counter.Save());

        Assert.True(temp.Store(clock: clock).Open("m").TryGet(Entries.Key("f"), out CacheEntry? found));
        Entries.AssertSame(compiled, found);

        // Code put first but saved after a later counts-only entry reached the file: code stays.
        CacheEntry compiledG = Entries.Make("g", variant: "code");
        compiler.Put(compiledG);
        clock.Advance(TimeSpan.FromSeconds(1));
        counter.Put(Entries.Make("g", codeSize: 0, variant: "counts"));
        Assert.True(counter.Save());
        Assert.True(compiler.Save());
        Assert.True(temp.Store(clock: clock).Open("m").TryGet(Entries.Key("g"), out found));
        Entries.AssertSame(compiledG, found);
    }

    [Fact]
    public void A_later_put_beats_a_later_use_of_the_older_entry()
    {
        using var temp = new TempCache();
        var clock = new ManualClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        CacheModule first = temp.Store(clock: clock).Open("m");
        first.Put(Entries.Make("f", variant: "v1"));
        Assert.True(first.Save());

        CacheModule recompiler = temp.Store(clock: clock).Open("m");
        CacheModule user = temp.Store(clock: clock).Open("m");
        clock.Advance(TimeSpan.FromSeconds(1));
        CacheEntry recompiled = Entries.Make("f", variant: "v2");
        recompiler.Put(recompiled);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(user.TryGet(Entries.Key("f"), out _));   // uses v1 after v2 was put elsewhere
        user.Put(Entries.Make("g"));
        Assert.True(user.Save());
        Assert.True(recompiler.Save());

        Assert.True(temp.Store(clock: clock).Open("m").TryGet(Entries.Key("f"), out CacheEntry? found));
        Entries.AssertSame(recompiled, found);
        Assert.Equal(clock.Now, found.LastUsed);   // the later use is kept
    }

    [Fact]
    public void Last_use_is_recorded_and_survives_a_save()
    {
        using var temp = new TempCache();
        var clock = new ManualClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        CacheModule module = temp.Store(clock: clock).Open("m");
        module.Put(Entries.Make("f"));
        Assert.True(module.Save());

        clock.Advance(TimeSpan.FromHours(5));
        CacheModule reader = temp.Store(clock: clock).Open("m");
        Assert.True(reader.TryGet(Entries.Key("f"), out CacheEntry? entry));
        Assert.Equal(clock.Now, entry.LastUsed);
        reader.Put(Entries.Make("g"));
        Assert.True(reader.Save());

        Assert.True(temp.Store(clock: clock).Open("m").Entries.All(e => e.LastUsed == clock.Now));
    }

    [Fact]
    public void A_save_after_the_directory_was_deleted_recreates_it_with_everything_known()
    {
        using var temp = new TempCache();
        CacheModule module = temp.Store().Open("m");
        module.Put(Entries.Make("f"));
        Assert.True(module.Save());
        Directory.Delete(temp.CacheDir, recursive: true);

        module.Put(Entries.Make("g"));
        Assert.True(module.Save());
        CacheModule check = temp.Store().Open("m");
        Assert.Empty(check.Rejections);
        Assert.Equal(2, check.Count);
    }

    [Fact]
    public void Opening_a_module_twice_gives_the_same_object_and_nothing_to_save_is_not_an_error()
    {
        using var temp = new TempCache();
        NativeCacheStore store = temp.Store();
        Assert.Same(store.Open("m"), store.Open("m"));
        Assert.True(store.Open("m").Save());
        Assert.False(File.Exists(temp.FileOf("m")));
        Assert.True(store.SaveAll());
    }

    [Fact]
    public void A_key_of_the_wrong_length_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => new CacheEntry(new byte[31], "f", []));
    }

    [Fact]
    public void Default_directory_follows_the_environment()
    {
        static Func<string, string?> Env(params (string Name, string Value)[] vars)
            => name => vars.FirstOrDefault(v => v.Name == name).Value;

        Assert.Equal("/custom", NativeCacheOptions.DefaultDirectory(Env(("TIERED_CACHE_DIR", "/custom"), ("XDG_CACHE_HOME", "/xdg"), ("HOME", "/home/u"))));
        Assert.Equal("/xdg/tiered", NativeCacheOptions.DefaultDirectory(Env(("XDG_CACHE_HOME", "/xdg"), ("HOME", "/home/u"))));
        Assert.Equal("/home/u/.cache/tiered", NativeCacheOptions.DefaultDirectory(Env(("XDG_CACHE_HOME", "relative"), ("HOME", "/home/u"))));
        Assert.Equal("/home/u/.cache/tiered", NativeCacheOptions.DefaultDirectory(Env(("HOME", "/home/u"))));
        var options = new NativeCacheOptions { Header = Headers.Current, Directory = "/explicit" };
        Assert.Equal("/explicit", options.ResolveDirectory());
    }
}
