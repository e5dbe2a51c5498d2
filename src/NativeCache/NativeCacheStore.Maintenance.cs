namespace Tiered.NativeCache;

/// <summary>One module file, as <c>tiered cache list</c> shows it.</summary>
/// <param name="ModuleName">The module the file belongs to; null if the file cannot be read.</param>
/// <param name="EntryCount">Entries in the file; 0 if it cannot be read.</param>
/// <param name="LastUsed">When the module was last opened or saved (the file's modification time).</param>
/// <param name="Problem">Why the current engine would ignore the file, or null.</param>
public sealed record CacheModuleInfo(string FilePath, string? ModuleName, int EntryCount, long SizeBytes,
                                     DateTimeOffset LastUsed, CacheRejection? Problem);

/// <summary>The whole cache, as <c>tiered cache stats</c> shows it.</summary>
/// <param name="InvalidFiles">Module files the current engine would ignore (and rebuild).</param>
public sealed record CacheStats(string Directory, int ModuleFiles, long TotalBytes, int TotalEntries,
                                int InvalidFiles, long SizeLimitBytes);

// Maintenance for the CLI. These look at the directory afresh, do not create it, and do not
// mark modules as used.
public sealed partial class NativeCacheStore
{
    /// <summary>Every module file with its module, entry count, size and last use, most recent first.</summary>
    public IReadOnlyList<CacheModuleInfo> ListModules()
    {
        DirectoryTrust trust = Directory.Check(create: false);
        var list = new List<CacheModuleInfo>();
        if (!trust.Exists)
            return list;
        foreach (FileInfo file in Directory.ModuleFiles())
        {
            ModuleFileRead read = trust.Problem is null
                ? Directory.ReadModuleFile(file.FullName, trust.EffectiveUserId, trust.Secret, expectedModule: null, Header)
                : ModuleFileRead.Rejected(trust.Problem);
            list.Add(new CacheModuleInfo(file.FullName, read.Contents?.ModuleName, read.Contents?.Entries.Count ?? 0,
                                         file.Length, file.LastWriteTimeUtc, read.Problem));
        }
        list.Sort((a, b) => b.LastUsed.CompareTo(a.LastUsed));
        return list;
    }

    /// <summary>Totals over <see cref="ListModules"/>.</summary>
    public CacheStats GetStats()
    {
        IReadOnlyList<CacheModuleInfo> modules = ListModules();
        return new CacheStats(DirectoryPath, modules.Count, modules.Sum(m => m.SizeBytes),
                              modules.Sum(m => m.Problem is null ? m.EntryCount : 0),
                              modules.Count(m => m.Problem is not null), SizeLimitBytes);
    }

    /// <summary>
    /// Validates the directory, its secret and every module file; returns every problem
    /// (none for a healthy cache). With <paramref name="deleteInvalid"/>, files with a problem
    /// are deleted (the engine would rebuild them anyway).
    /// </summary>
    public IReadOnlyList<CacheRejection> Verify(bool deleteInvalid = false)
    {
        DirectoryTrust trust = Directory.Check(create: false);
        var problems = new List<CacheRejection>();
        if (trust.Problem is not null)
        {
            // Files in an untrusted directory are not read, and not deleted either.
            problems.Add(trust.Problem);
            return problems;
        }
        if (!trust.Exists)
            return problems;
        foreach (FileInfo file in Directory.ModuleFiles())
        {
            ModuleFileRead read = Directory.ReadModuleFile(file.FullName, trust.EffectiveUserId, trust.Secret, expectedModule: null, Header);
            if (read.Problem is null)
                continue;
            problems.Add(read.Problem);
            if (deleteInvalid)
                DeleteModuleFile(file.FullName);
        }
        return problems;
    }

    /// <summary>
    /// Deletes every module file, lock file and leftover temp file; keeps the directory and
    /// its secret. Returns the number of module files deleted. A directory owned by another
    /// user is left alone (0). Open modules keep their entries in memory.
    /// </summary>
    public int Clear()
    {
        DirectoryTrust trust = Directory.Check(create: false);
        if (!trust.Exists)
            return 0;
        if (trust.Problem is { Reason: CacheRejectionReason.DirectoryNotOwned or CacheRejectionReason.DirectoryUnusable
                                      or CacheRejectionReason.TrustCheckUnavailable })
        {
            Log.DirectoryRefused(Logger, trust.Problem);
            return 0;
        }
        int deleted = 0;
        foreach (FileInfo file in Directory.ModuleFiles())
            if (DeleteModuleFile(file.FullName))
                deleted++;
        try
        {
            foreach (FileInfo file in new DirectoryInfo(DirectoryPath).EnumerateFiles())
                if (file.Name.EndsWith(CacheDirectory.LockExtension, StringComparison.Ordinal)
                    || file.Name.EndsWith(CacheDirectory.TempExtension, StringComparison.Ordinal))
                    CacheDirectory.TryDelete(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // What could not be listed stays; a later clear tries again.
        }
        return deleted;
    }

    /// <summary>Deletes a module file under its lock, so no save is half-way through merging it.</summary>
    private bool DeleteModuleFile(string path)
    {
        FileLock? fileLock = FileLock.TryAcquire(CacheDirectory.LockPathFor(path), Options.LockTimeout, out _);
        try
        {
            return CacheDirectory.TryDelete(path);
        }
        finally
        {
            fileLock?.DeleteAndRelease();
        }
    }
}
