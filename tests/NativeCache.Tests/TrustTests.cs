using Xunit;
namespace Tiered.NativeCache.Tests;

/// <summary>A directory others could write to, or a secret others could read, disables the store.</summary>
public class TrustTests
{
    [Fact]
    public void World_writable_directory_is_refused_and_nothing_is_written()
    {
        using var temp = new TempCache();
        Directory.CreateDirectory(temp.CacheDir);
        File.SetUnixFileMode(temp.CacheDir, (UnixFileMode)0x1FF);   // 0777
        var logger = new ListLogger();
        NativeCacheStore store = temp.Store(logger: logger);

        CacheModule module = store.Open("m");
        CacheRejection rejection = Assert.Single(module.Rejections);
        Assert.Equal(CacheRejectionReason.DirectoryWritableByOthers, rejection.Reason);
        Assert.Contains("0777", rejection.Detail);
        Assert.True(rejection.IsDirectoryProblem);
        Assert.False(store.IsEnabled);
        Assert.Equal(rejection, store.DirectoryProblem);
        Assert.Contains(logger.Messages, m => m.Message.Contains("writable by group or others"));

        // Still works in memory; never touches the disk.
        module.Put(Entries.Make("f"));
        Assert.True(module.TryGet(Entries.Key("f"), out _));
        Assert.False(module.Save());
        Assert.Empty(Directory.GetFileSystemEntries(temp.CacheDir));
    }

    [Fact]
    public void Valid_files_in_a_directory_that_became_world_writable_are_not_read()
    {
        using var temp = new TempCache();
        CacheModule first = temp.Store().Open("m");
        first.Put(Entries.Make("f"));
        Assert.True(first.Save());
        File.SetUnixFileMode(temp.CacheDir, (UnixFileMode)0x1FA);   // 0772

        CacheModule module = temp.Store().Open("m");
        Assert.Equal(0, module.Count);
        Assert.Equal(CacheRejectionReason.DirectoryWritableByOthers, Assert.Single(module.Rejections).Reason);
    }

    [Fact]
    public void Directory_owned_by_another_user_is_refused()
    {
        // Changing an owner needs root; as another user this test has nothing to check.
        if (!Users.IsRoot)
            return;
        using var temp = new TempCache();
        Directory.CreateDirectory(temp.CacheDir);
        ValidationTests.Chown(temp.CacheDir, 12345);
        NativeCacheStore store = temp.Store();
        Assert.Equal(CacheRejectionReason.DirectoryNotOwned, Assert.Single(store.Open("m").Rejections).Reason);
    }

    [Fact]
    public void Readable_secret_is_refused()
    {
        using var temp = new TempCache();
        temp.Store().Open("m");
        File.SetUnixFileMode(Path.Combine(temp.CacheDir, ".secret"), (UnixFileMode)0x1A4);   // 0644
        Assert.Equal(CacheRejectionReason.SecretUnusable, Assert.Single(temp.Store().Open("m").Rejections).Reason);
    }

    [Fact]
    public void Secret_of_the_wrong_size_is_refused()
    {
        using var temp = new TempCache();
        temp.Store().Open("m");
        File.WriteAllBytes(Path.Combine(temp.CacheDir, ".secret"), new byte[7]);
        CacheRejection rejection = Assert.Single(temp.Store().Open("m").Rejections);
        Assert.Equal(CacheRejectionReason.SecretUnusable, rejection.Reason);
        Assert.Contains("7 bytes", rejection.Detail);
    }

    [Fact]
    public void Cache_path_that_is_a_file_is_refused()
    {
        using var temp = new TempCache();
        File.WriteAllText(temp.CacheDir, "not a directory");
        Assert.Equal(CacheRejectionReason.DirectoryUnusable, Assert.Single(temp.Store().Open("m").Rejections).Reason);
    }

    [Fact]
    public void Many_stores_creating_the_directory_at_once_agree_on_one_secret()
    {
        using var temp = new TempCache();
        NativeCacheStore[] stores = Enumerable.Range(0, 16).Select(_ => temp.Store()).ToArray();
        Parallel.For(0, stores.Length, i =>
        {
            CacheModule module = stores[i].Open("m");
            Assert.Empty(module.Rejections);
            module.Put(Entries.Make("f" + i));
            Assert.True(module.Save());
        });
        CacheModule check = temp.Store().Open("m");
        Assert.Empty(check.Rejections);
        Assert.Equal(16, check.Count);
    }
}
