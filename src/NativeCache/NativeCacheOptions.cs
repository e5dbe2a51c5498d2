namespace Tiered.NativeCache;

/// <summary>Settings of one <see cref="NativeCacheStore"/>.</summary>
public sealed class NativeCacheOptions
{
    /// <summary>256 MiB.</summary>
    public const long DefaultSizeLimitBytes = 256L * 1024 * 1024;

    /// <summary>
    /// The cache directory. Null means the default: <c>$TIERED_CACHE_DIR</c> if set, else
    /// <c>$XDG_CACHE_HOME/tiered</c> if XDG_CACHE_HOME is an absolute path, else
    /// <c>~/.cache/tiered</c>. An explicit value (e.g. a CLI option) beats all of them.
    /// </summary>
    public string? Directory { get; init; }

    /// <summary>Total size of the module files above which least-recently-used ones are deleted.</summary>
    public long SizeLimitBytes { get; init; } = DefaultSizeLimitBytes;

    /// <summary>What the current process would write; files with another header are rebuilt.</summary>
    public required CacheHeader Header { get; init; }

    /// <summary>How long a save waits for another process's save of the same module.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock for last-use stamps (tests substitute their own).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The directory this store uses: <see cref="Directory"/> or the default.</summary>
    public string ResolveDirectory() => Path.GetFullPath(Directory ?? DefaultDirectory());

    /// <summary>The default directory from the process environment (see <see cref="Directory"/>).</summary>
    public static string DefaultDirectory() => DefaultDirectory(Environment.GetEnvironmentVariable);

    internal static string DefaultDirectory(Func<string, string?> environment)
    {
        string? overridden = environment("TIERED_CACHE_DIR");
        if (!string.IsNullOrEmpty(overridden))
            return overridden;
        // The XDG base directory spec says relative values are invalid and must be ignored.
        string? xdg = environment("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg))
            return Path.Combine(xdg, "tiered");
        string home = environment("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".cache", "tiered");
    }
}
