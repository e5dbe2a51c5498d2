using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Tiered.NativeCache;

/// <summary>
/// The native code cache of one directory: opaque object code and profile blobs stored per
/// module (a chunk) and found by function key. It knows nothing of Lua or LLVM.
/// <para>
/// Nothing here throws because of what is on disk. A file that fails validation is logged,
/// listed in <see cref="CacheModule.Rejections"/>, treated as empty and rewritten by the next
/// save; a directory that cannot be trusted disables the store (modules then live in memory
/// only). Exceptions are kept for programming errors, such as a key of the wrong length.
/// </para>
/// Thread-safe. Several stores, in this or other processes, may share a directory.
/// </summary>
public sealed partial class NativeCacheStore
{
    private readonly NativeCacheOptions options;
    private readonly ILogger logger;
    private readonly Dictionary<string, CacheModule> modules = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private DirectoryTrust? trust;

    public NativeCacheStore(NativeCacheOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Header);
        if (options.SizeLimitBytes < 0)
            throw new ArgumentOutOfRangeException(nameof(options), "SizeLimitBytes must not be negative");
        this.options = options;
        this.logger = logger ?? NullLogger.Instance;
        Directory = new CacheDirectory(Path.TrimEndingDirectorySeparator(options.ResolveDirectory()), this.logger);
    }

    /// <summary>The cache directory (absolute).</summary>
    public string DirectoryPath => Directory.FullPath;

    /// <summary>What this process writes; files with another header are rebuilt.</summary>
    public CacheHeader Header => options.Header;

    public long SizeLimitBytes => options.SizeLimitBytes;

    /// <summary>
    /// Why the directory is not used, or null when it is. Checking it creates the directory
    /// (mode 0700) and its secret if they do not exist yet.
    /// </summary>
    public CacheRejection? DirectoryProblem => Trust.Problem;

    /// <summary>Whether modules are read from and saved to disk.</summary>
    public bool IsEnabled => Trust.IsTrusted;

    internal CacheDirectory Directory { get; }
    internal ILogger Logger => logger;
    internal NativeCacheOptions Options => options;
    internal DateTimeOffset Now => options.TimeProvider.GetUtcNow();

    /// <summary>The directory checked once per store: created with its secret if absent.</summary>
    internal DirectoryTrust Trust
    {
        get
        {
            lock (gate)
            {
                if (trust is null)
                {
                    trust = Directory.Check(create: true);
                    if (trust.Problem is not null)
                        Log.DirectoryRefused(logger, trust.Problem);
                }
                return trust;
            }
        }
    }

    /// <summary>Forgets the directory check, so the next use checks (and creates) the directory again.</summary>
    internal void ResetTrust()
    {
        lock (gate)
            trust = null;
    }

    /// <summary>
    /// The cache of one module (a chunk: a script path or a chunk name), with its file read
    /// and validated if there is one. Opening the same name again returns the same object.
    /// </summary>
    public CacheModule Open(string moduleName)
    {
        ArgumentNullException.ThrowIfNull(moduleName);
        DirectoryTrust current = Trust;
        lock (gate)
        {
            if (modules.TryGetValue(moduleName, out CacheModule? open))
                return open;
            var module = new CacheModule(this, moduleName, Directory.ModulePath(moduleName));
            module.Load(current);
            modules.Add(moduleName, module);
            return module;
        }
    }

    /// <summary>Saves every open module with unsaved changes; false if any save failed.</summary>
    public bool SaveAll()
    {
        List<CacheModule> open;
        lock (gate)
            open = [.. modules.Values];
        bool allSaved = true;
        foreach (CacheModule module in open)
            allSaved &= module.Save();
        return allSaved;
    }

    /// <summary>Called after a module file was written: keeps the directory under its limit.</summary>
    internal void AfterSave(string savedFile) => Directory.EnforceSizeLimit(options.SizeLimitBytes, savedFile);
}
