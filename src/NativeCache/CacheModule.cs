using System.Diagnostics.CodeAnalysis;

namespace Tiered.NativeCache;

/// <summary>
/// The cached functions of one module. Lookups and puts work in memory; <see cref="Save"/>
/// merges them into the module's file. Thread-safe.
/// <para>
/// Merging: a save re-reads the file under the module's lock, so entries other processes
/// wrote since this module was opened are kept. Per key an entry with object code beats a
/// counts-only one (<see cref="CacheEntry.HasObjectCode"/>), whichever was put later; otherwise
/// the newest wins: an entry put here
/// replaces the file's unless the file's was put later (<see cref="CacheEntry.StoredAt"/>);
/// an entry only read here takes the file's version. Last-use stamps merge to the later one.
/// Removed keys are dropped unless the file's entry was put after the removal. After a save
/// this module holds the merged set.
/// </para>
/// </summary>
public sealed class CacheModule
{
    private readonly NativeCacheStore store;
    private readonly Lock sync = new();
    private readonly Lock saveGate = new();
    private Dictionary<CacheKey, CacheEntry> entries = new();
    // Put or removed since the last save, with the removal time for removed keys.
    private readonly Dictionary<CacheKey, CacheEntry> dirty = new();
    private readonly Dictionary<CacheKey, long> removed = new();
    private readonly List<CacheRejection> rejections = new();
    // The file on disk was rejected: the next save rewrites it even with nothing new.
    private bool rebuild;

    internal CacheModule(NativeCacheStore store, string name, string filePath)
    {
        this.store = store;
        Name = name;
        FilePath = filePath;
    }

    /// <summary>The module name given to <see cref="NativeCacheStore.Open"/>.</summary>
    public string Name { get; }

    /// <summary>The module's file: the hex SHA-256 of <see cref="Name"/> plus <c>.tcache</c>.</summary>
    public string FilePath { get; }

    /// <summary>Why this module's file (or the whole directory) was ignored, oldest first.</summary>
    public IReadOnlyList<CacheRejection> Rejections
    {
        get { lock (sync) return [.. rejections]; }
    }

    public int Count
    {
        get { lock (sync) return entries.Count; }
    }

    /// <summary>Whether there are puts or removals a <see cref="Save"/> would write.</summary>
    public bool HasUnsavedChanges
    {
        get { lock (sync) return dirty.Count > 0 || removed.Count > 0 || rebuild; }
    }

    /// <summary>A snapshot of the entries.</summary>
    public IReadOnlyList<CacheEntry> Entries
    {
        get { lock (sync) return [.. entries.Values]; }
    }

    /// <summary>Finds the entry for a function key, and marks it used. A key of the wrong length finds nothing.</summary>
    public bool TryGet(ReadOnlySpan<byte> functionKey, [MaybeNullWhen(false)] out CacheEntry entry)
    {
        entry = null;
        if (!CacheKey.TryCreate(functionKey, out CacheKey key))
            return false;
        lock (sync)
        {
            if (!entries.TryGetValue(key, out entry))
                return false;
        }
        // Written with the next save, but not a reason for one.
        entry.LastUsedTicks = store.Now.UtcTicks;
        return true;
    }

    /// <summary>Adds or replaces an entry in memory, stamped as used now; written by <see cref="Save"/>.</summary>
    public void Put(CacheEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        long now = store.Now.UtcTicks;
        entry.StoredAtTicks = now;
        entry.LastUsedTicks = now;
        CacheKey key = entry.CacheKey;
        lock (sync)
        {
            entries[key] = entry;
            dirty[key] = entry;
            removed.Remove(key);
        }
    }

    /// <summary>Forgets an entry (e.g. object code that failed to link), here and, on save, in the file.</summary>
    public bool Remove(ReadOnlySpan<byte> functionKey)
    {
        if (!CacheKey.TryCreate(functionKey, out CacheKey key))
            return false;
        lock (sync)
        {
            dirty.Remove(key);
            removed[key] = store.Now.UtcTicks;
            return entries.Remove(key);
        }
    }

    /// <summary>
    /// Writes the module's entries, merged with what is on disk, to its file (temp file and
    /// atomic rename, under the module's lock file), then evicts old modules if the directory
    /// is over its size limit. Returns false, with the reason logged, when nothing could be
    /// written (directory refused, lock not obtained in time, I/O error); the changes stay
    /// pending for the next save. Never throws for cache problems.
    /// </summary>
    public bool Save()
    {
        lock (saveGate)
        {
            Dictionary<CacheKey, CacheEntry> dirtyNow;
            Dictionary<CacheKey, long> removedNow;
            Dictionary<CacheKey, CacheEntry> known;
            lock (sync)
            {
                if (dirty.Count == 0 && removed.Count == 0 && !rebuild)
                    return true;
                dirtyNow = new(dirty);
                removedNow = new(removed);
                known = new(entries);
            }

            // Someone deleted the whole cache directory while we ran: start it afresh.
            if (!System.IO.Directory.Exists(store.DirectoryPath))
                store.ResetTrust();
            DirectoryTrust trust = store.Trust;
            if (!trust.IsTrusted)
            {
                Log.SaveFailed(store.Logger, Name, trust.Problem?.Message ?? "the cache directory is missing");
                return false;
            }

            FileLock? fileLock = FileLock.TryAcquire(CacheDirectory.LockPathFor(FilePath), store.Options.LockTimeout, out string lockFailure);
            if (fileLock is null)
            {
                Log.SaveFailed(store.Logger, Name, $"could not lock {CacheDirectory.LockPathFor(FilePath)} within {store.Options.LockTimeout.TotalSeconds:0.#} s: {lockFailure}");
                return false;
            }
            Dictionary<CacheKey, CacheEntry> merged;
            try
            {
                ModuleFileRead onDisk = store.Directory.ReadModuleFile(FilePath, trust.EffectiveUserId, trust.Secret, Name, store.Header);
                if (onDisk.Problem is not null)
                    Reject(onDisk.Problem);
                merged = Merge(onDisk.State == ModuleFileState.Valid ? onDisk.Contents!.Entries : null, known, dirtyNow, removedNow);

                DateTimeOffset now = store.Now;
                var contents = new CacheFileContents(Name, store.Header, now, [.. merged.Values]);
                var blob = CacheFileFormat.Write(contents, trust.Secret!);
                store.Directory.ReplaceFile(FilePath, blob, now);
                Log.Saved(store.Logger, merged.Count, Name, FilePath, blob.Count);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.SaveFailed(store.Logger, Name, e.Message);
                return false;
            }
            finally
            {
                fileLock.Dispose();
            }

            lock (sync)
            {
                // Puts and removals made while the file was being written stay pending.
                foreach ((CacheKey key, CacheEntry entry) in dirtyNow)
                    if (dirty.TryGetValue(key, out CacheEntry? current) && ReferenceEquals(current, entry))
                        dirty.Remove(key);
                foreach ((CacheKey key, long when) in removedNow)
                    if (removed.TryGetValue(key, out long current) && current == when)
                        removed.Remove(key);
                foreach ((CacheKey key, CacheEntry entry) in dirty)
                    merged[key] = entry;
                foreach (CacheKey key in removed.Keys)
                    merged.Remove(key);
                entries = merged;
                rebuild = false;
            }
        }
        store.AfterSave(FilePath);
        return true;
    }

    /// <summary>The union described in the class comment. <paramref name="onDisk"/> is null when the file is absent or invalid.</summary>
    private static Dictionary<CacheKey, CacheEntry> Merge(IReadOnlyList<CacheEntry>? onDisk, Dictionary<CacheKey, CacheEntry> known,
                                                           Dictionary<CacheKey, CacheEntry> dirty, Dictionary<CacheKey, long> removed)
    {
        var merged = new Dictionary<CacheKey, CacheEntry>();
        if (onDisk is null)
        {
            // Nothing usable on disk (never written, evicted, cleared, damaged): keep all we know.
            foreach ((CacheKey key, CacheEntry entry) in known)
                merged[key] = entry;
        }
        else
        {
            // The file is the truth for entries not put here; ours only refresh their last use.
            foreach (CacheEntry entry in onDisk)
            {
                CacheKey key = entry.CacheKey;
                if (known.TryGetValue(key, out CacheEntry? ours) && ours.LastUsedTicks > entry.LastUsedTicks)
                    entry.LastUsedTicks = ours.LastUsedTicks;
                merged[key] = entry;
            }
        }
        foreach ((CacheKey key, CacheEntry entry) in dirty)
        {
            if (merged.TryGetValue(key, out CacheEntry? theirs))
            {
                // A process that only counted a function must not drop the code another compiled.
                CacheEntry winner = theirs.HasObjectCode != entry.HasObjectCode
                    ? (theirs.HasObjectCode ? theirs : entry)
                    : theirs.StoredAtTicks > entry.StoredAtTicks ? theirs : entry;
                winner.LastUsedTicks = Math.Max(theirs.LastUsedTicks, entry.LastUsedTicks);
                merged[key] = winner;
            }
            else
            {
                merged[key] = entry;
            }
        }
        foreach ((CacheKey key, long when) in removed)
            if (merged.TryGetValue(key, out CacheEntry? entry) && entry.StoredAtTicks <= when)
                merged.Remove(key);
        return merged;
    }

    /// <summary>Reads the module's file at open.</summary>
    internal void Load(DirectoryTrust trust)
    {
        if (!trust.IsTrusted)
        {
            if (trust.Problem is not null)
                lock (sync) rejections.Add(trust.Problem);
            return;
        }
        ModuleFileRead read = store.Directory.ReadModuleFile(FilePath, trust.EffectiveUserId, trust.Secret, Name, store.Header);
        switch (read.State)
        {
            case ModuleFileState.Valid:
                lock (sync)
                {
                    foreach (CacheEntry entry in read.Contents!.Entries)
                        entries[entry.CacheKey] = entry;
                }
                CacheDirectory.Touch(FilePath, store.Now);
                Log.Loaded(store.Logger, read.Contents.Entries.Count, Name, FilePath);
                break;
            case ModuleFileState.Rejected:
                Reject(read.Problem!);
                break;
        }
    }

    private void Reject(CacheRejection problem)
    {
        lock (sync)
        {
            rebuild = true;
            // The same damage seen at open and again at save is one rejection.
            if (rejections.Count > 0 && rejections[^1] == problem)
                return;
            rejections.Add(problem);
        }
        if (problem.Reason == CacheRejectionReason.HeaderMismatch)
            Log.FileOutOfDate(store.Logger, problem);
        else
            Log.FileRejected(store.Logger, problem);
    }
}
