namespace Tiered.NativeCache;

/// <summary>
/// Why a cache file, or the whole cache directory, was not used. Kept as a table so logs,
/// <see cref="CacheModule.Rejections"/> and <c>tiered cache verify</c> name every reason the
/// same way. A rejected module file is treated as empty and rewritten by the next save; a
/// rejected directory disables the store for the process (entries live in memory only).
/// </summary>
public enum CacheRejectionReason
{
    // ------------------------------------------------------------------ the directory
    /// <summary>The cache directory is owned by another user.</summary>
    DirectoryNotOwned = 1,
    /// <summary>The cache directory is writable by group or others (e.g. mode 0777).</summary>
    DirectoryWritableByOthers,
    /// <summary>The cache path exists and is not a directory, or cannot be created or examined.</summary>
    DirectoryUnusable,
    /// <summary>The <c>.secret</c> file is not ours, not private (0600), or not 32 bytes.</summary>
    SecretUnusable,
    /// <summary>Owners cannot be checked on this platform, so nothing in the cache is trusted.</summary>
    TrustCheckUnavailable,

    // ------------------------------------------------------------------ a module file
    /// <summary>The file is a symbolic link, a device, a directory...</summary>
    NotRegularFile,
    /// <summary>The file is owned by another user.</summary>
    FileNotOwned,
    /// <summary>The file is writable by group or others.</summary>
    FileWritableByOthers,
    /// <summary>The file is larger than any cache file the store reads.</summary>
    TooLarge,
    /// <summary>The file could not be read.</summary>
    ReadError,
    /// <summary>The file does not start with the cache magic: not a cache file.</summary>
    ForeignMagic,
    /// <summary>The file was written in another layout version.</summary>
    UnsupportedVersion,
    /// <summary>The file is shorter than its recorded length (an interrupted copy, a full disk).</summary>
    Truncated,
    /// <summary>The file is longer than its recorded length.</summary>
    TrailingBytes,
    /// <summary>The SHA-256 of the contents does not match: the file was damaged.</summary>
    ChecksumMismatch,
    /// <summary>The HMAC does not match this user's secret: written with another secret, or forged.</summary>
    HmacMismatch,
    /// <summary>The checksum and HMAC match but the contents do not parse (a writer bug).</summary>
    Malformed,
    /// <summary>The file belongs to another module (copied or renamed).</summary>
    ModuleMismatch,
    /// <summary>The file was written for another engine, ABI, LLVM, target, CPU or pipeline.</summary>
    HeaderMismatch,
}

/// <summary>One reason a file or the directory was not used, with the details.</summary>
/// <param name="Path">The file or directory concerned.</param>
/// <param name="Detail">What exactly was found, e.g. the differing header field.</param>
public sealed record CacheRejection(CacheRejectionReason Reason, string Path, string Detail)
{
    /// <summary>The reason in words, for logs and the CLI.</summary>
    public string Message => $"{Describe(Reason)}: {Detail}";

    public override string ToString() => $"{Path}: {Message}";

    public static string Describe(CacheRejectionReason reason) => reason switch
    {
        CacheRejectionReason.DirectoryNotOwned => "cache directory is owned by another user",
        CacheRejectionReason.DirectoryWritableByOthers => "cache directory is writable by group or others",
        CacheRejectionReason.DirectoryUnusable => "cache directory is unusable",
        CacheRejectionReason.SecretUnusable => "cache secret is unusable",
        CacheRejectionReason.TrustCheckUnavailable => "cannot check file owners",
        CacheRejectionReason.NotRegularFile => "not a regular file",
        CacheRejectionReason.FileNotOwned => "file is owned by another user",
        CacheRejectionReason.FileWritableByOthers => "file is writable by group or others",
        CacheRejectionReason.TooLarge => "file is too large",
        CacheRejectionReason.ReadError => "file could not be read",
        CacheRejectionReason.ForeignMagic => "not a Tiered cache file",
        CacheRejectionReason.UnsupportedVersion => "unsupported cache format version",
        CacheRejectionReason.Truncated => "file is truncated",
        CacheRejectionReason.TrailingBytes => "file has bytes after its end",
        CacheRejectionReason.ChecksumMismatch => "checksum mismatch",
        CacheRejectionReason.HmacMismatch => "HMAC mismatch",
        CacheRejectionReason.Malformed => "malformed contents",
        CacheRejectionReason.ModuleMismatch => "file belongs to another module",
        CacheRejectionReason.HeaderMismatch => "written for another engine or machine",
        _ => reason.ToString(),
    };

    /// <summary>Whether the reason concerns the whole directory rather than one file.</summary>
    public bool IsDirectoryProblem => Reason <= CacheRejectionReason.TrustCheckUnavailable;
}
