using Xunit;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Tiered.NativeCache.Tests;

/// <summary>Every kind of bad file is ignored with a logged reason, and the next save rebuilds it.</summary>
public class ValidationTests
{
    private static CacheModule SaveOne(TempCache temp, string module = "m", string entry = "old", CacheHeader? header = null)
    {
        CacheModule cache = temp.Store(header).Open(module);
        cache.Put(Entries.Make(entry, codeSize: 300));
        Assert.True(cache.Save());
        return cache;
    }

    /// <summary>Opens the damaged module, checks the rejection and the log, then checks that a save rebuilds a valid file.</summary>
    private static void AssertRejectedThenRebuilt(TempCache temp, CacheRejectionReason expected, string module = "m", CacheHeader? header = null)
    {
        var logger = new ListLogger();
        CacheModule damaged = temp.Store(header, logger: logger).Open(module);
        Assert.Equal(0, damaged.Count);
        CacheRejection rejection = Assert.Single(damaged.Rejections);
        Assert.Equal(expected, rejection.Reason);
        Assert.Equal(temp.FileOf(module), rejection.Path);
        Assert.Contains(logger.Messages, m => m.Message.Contains(rejection.Message) && m.Level >= LogLevel.Information);

        // Rebuilt even with nothing new to write...
        Assert.True(damaged.HasUnsavedChanges);
        Assert.True(damaged.Save());
        CacheModule rebuilt = temp.Store(header).Open(module);
        Assert.Empty(rebuilt.Rejections);
        Assert.Equal(0, rebuilt.Count);

        // ...and with new entries.
        rebuilt.Put(Entries.Make("new"));
        Assert.True(rebuilt.Save());
        CacheModule check = temp.Store(header).Open(module);
        Assert.Empty(check.Rejections);
        Assert.True(check.TryGet(Entries.Key("new"), out _));
        Assert.False(check.TryGet(Entries.Key("old"), out _));
    }

    [Fact]
    public void Header_mismatch_discards_the_file_and_names_the_field()
    {
        using var temp = new TempCache();
        SaveOne(temp);
        CacheHeader upgraded = Headers.Current with { LlvmVersion = "20.1.0" };

        CacheModule module = temp.Store(upgraded).Open("m");
        CacheRejection rejection = Assert.Single(module.Rejections);
        Assert.Equal(CacheRejectionReason.HeaderMismatch, rejection.Reason);
        Assert.Contains("LlvmVersion", rejection.Detail);
        Assert.Contains("19.1.7", rejection.Detail);
        Assert.Contains("20.1.0", rejection.Detail);

        AssertRejectedThenRebuilt(temp, CacheRejectionReason.HeaderMismatch, header: upgraded);
        // The rebuilt file is now foreign to the old engine.
        Assert.Equal(CacheRejectionReason.HeaderMismatch, Assert.Single(temp.Store().Open("m").Rejections).Reason);
    }

    [Theory]
    [InlineData("EngineBuildId")]
    [InlineData("AbiVersion")]
    [InlineData("TargetTriple")]
    [InlineData("CpuName")]
    [InlineData("CpuFeatureHash")]
    [InlineData("Pipeline")]
    public void Every_header_field_counts(string field)
    {
        using var temp = new TempCache();
        SaveOne(temp);
        CacheHeader h = Headers.Current;
        CacheHeader other = field switch
        {
            "EngineBuildId" => h with { EngineBuildId = "other" },
            "AbiVersion" => h with { AbiVersion = 4 },
            "TargetTriple" => h with { TargetTriple = "aarch64-unknown-linux-gnu" },
            "CpuName" => h with { CpuName = "skylake" },
            "CpuFeatureHash" => h with { CpuFeatureHash = CacheHeader.HashCpuFeatures("+sse2") },
            _ => h with { Pipeline = "default<O1>" },
        };
        CacheRejection rejection = Assert.Single(temp.Store(other).Open("m").Rejections);
        Assert.Equal(CacheRejectionReason.HeaderMismatch, rejection.Reason);
        Assert.StartsWith(field + ":", rejection.Detail);
    }

    [Fact]
    public void Truncated_file_is_rejected()
    {
        using var temp = new TempCache();
        SaveOne(temp);
        string path = temp.FileOf("m");
        byte[] data = File.ReadAllBytes(path);
        File.WriteAllBytes(path, data[..(data.Length - 100)]);
        AssertRejectedThenRebuilt(temp, CacheRejectionReason.Truncated);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(19)]
    [InlineData(60)]
    public void File_cut_anywhere_is_rejected_as_truncated(int keep)
    {
        using var temp = new TempCache();
        SaveOne(temp);
        string path = temp.FileOf("m");
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..keep]);
        AssertRejectedThenRebuilt(temp, CacheRejectionReason.Truncated);
    }

    [Fact]
    public void Bit_flip_is_a_checksum_mismatch()
    {
        using var temp = new TempCache();
        SaveOne(temp);
        string path = temp.FileOf("m");
        byte[] data = File.ReadAllBytes(path);
        data[data.Length - 64 - 150] ^= 0x10;   // inside the object code
        File.WriteAllBytes(path, data);
        AssertRejectedThenRebuilt(temp, CacheRejectionReason.ChecksumMismatch);
    }

    [Fact]
    public void File_written_with_another_secret_is_an_hmac_mismatch()
    {
        using var temp = new TempCache();
        using var elsewhere = new TempCache();
        SaveOne(elsewhere);
        temp.Store().Open("m");   // creates the directory and its own secret
        File.Copy(elsewhere.FileOf("m"), temp.FileOf("m"));
        AssertRejectedThenRebuilt(temp, CacheRejectionReason.HmacMismatch);
    }

    [Fact]
    public void Forged_contents_with_a_correct_checksum_are_an_hmac_mismatch()
    {
        using var temp = new TempCache();
        SaveOne(temp);
        string path = temp.FileOf("m");
        byte[] data = File.ReadAllBytes(path);
        data[data.Length - 64 - 150] ^= 0xFF;
        SHA256.HashData(data.AsSpan(0, data.Length - 64), data.AsSpan(data.Length - 64, 32));
        File.WriteAllBytes(path, data);
        AssertRejectedThenRebuilt(temp, CacheRejectionReason.HmacMismatch);
    }

    [Fact]
    public void Foreign_file_is_rejected_by_its_magic()
    {
        using var temp = new TempCache();
        temp.Store().Open("m");
        File.WriteAllBytes(temp.FileOf("m"), [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        AssertRejectedThenRebuilt(temp, CacheRejectionReason.ForeignMagic);
    }

    [Fact]
    public void Other_layout_version_is_rejected()
    {
        using var temp = new TempCache();
        SaveOne(temp);
        string path = temp.FileOf("m");
        byte[] data = File.ReadAllBytes(path);
        data[8] = 99;
        File.WriteAllBytes(path, data);
        AssertRejectedThenRebuilt(temp, CacheRejectionReason.UnsupportedVersion);
    }

    [Fact]
    public void Bytes_appended_are_rejected()
    {
        using var temp = new TempCache();
        SaveOne(temp);
        File.AppendAllText(temp.FileOf("m"), "junk");
        AssertRejectedThenRebuilt(temp, CacheRejectionReason.TrailingBytes);
    }

    [Fact]
    public void Another_modules_file_under_this_name_is_rejected()
    {
        using var temp = new TempCache();
        SaveOne(temp, module: "a.lua");
        File.Copy(temp.FileOf("a.lua"), temp.FileOf("b.lua"));
        AssertRejectedThenRebuilt(temp, CacheRejectionReason.ModuleMismatch, module: "b.lua");
    }

    [Fact]
    public void Group_writable_file_is_rejected()
    {
        using var temp = new TempCache();
        SaveOne(temp);
        File.SetUnixFileMode(temp.FileOf("m"), (UnixFileMode)0x1B0);   // 0660
        AssertRejectedThenRebuilt(temp, CacheRejectionReason.FileWritableByOthers);
        Assert.Equal((UnixFileMode)0x180, File.GetUnixFileMode(temp.FileOf("m")));   // the rebuilt file is 0600 again
    }

    [Fact]
    public void Symbolic_link_is_rejected()
    {
        using var temp = new TempCache();
        SaveOne(temp, module: "real");
        temp.Store().Open("m");
        File.CreateSymbolicLink(temp.FileOf("m"), temp.FileOf("real"));
        AssertRejectedThenRebuilt(temp, CacheRejectionReason.NotRegularFile);
    }

    [Fact]
    public void File_owned_by_another_user_is_rejected()
    {
        // Changing a file's owner needs root; as another user this test has nothing to check.
        if (!Users.IsRoot)
            return;
        using var temp = new TempCache();
        SaveOne(temp);
        Chown(temp.FileOf("m"), 12345);
        AssertRejectedThenRebuilt(temp, CacheRejectionReason.FileNotOwned);
    }

    internal static void Chown(string path, int uid)
    {
        using var chown = System.Diagnostics.Process.Start("chown", [uid.ToString(), path])!;
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }
}
