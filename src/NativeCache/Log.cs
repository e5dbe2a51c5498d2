using Microsoft.Extensions.Logging;

namespace Tiered.NativeCache;

/// <summary>Every message the native cache logs, in one table (event ids 2100-2199).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning, Message = "Native cache disabled: {Rejection}")]
    public static partial void DirectoryRefused(ILogger logger, CacheRejection rejection);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Native cache file ignored, it will be rebuilt: {Rejection}")]
    public static partial void FileRejected(ILogger logger, CacheRejection rejection);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Native cache file out of date, it will be rebuilt: {Rejection}")]
    public static partial void FileOutOfDate(ILogger logger, CacheRejection rejection);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Debug, Message = "Native cache: {Count} entries for {Module} loaded from {Path}")]
    public static partial void Loaded(ILogger logger, int count, string module, string path);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Debug, Message = "Native cache: {Count} entries for {Module} saved to {Path} ({Bytes} bytes)")]
    public static partial void Saved(ILogger logger, int count, string module, string path, long bytes);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "Native cache: could not save {Module}: {Reason}")]
    public static partial void SaveFailed(ILogger logger, string module, string reason);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Information, Message = "Native cache: evicted {Path} ({Bytes} bytes, last used {LastUsed:u}) to stay under {Limit} bytes")]
    public static partial void Evicted(ILogger logger, string path, long bytes, DateTimeOffset lastUsed, long limit);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Warning, Message = "Native cache: could not evict {Path}: {Reason}")]
    public static partial void EvictionFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Information, Message = "Native cache: created {Path}")]
    public static partial void Created(ILogger logger, string path);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Warning, Message = "Native cache: {Path} alone ({Bytes} bytes) exceeds the size limit of {Limit} bytes")]
    public static partial void FileOverLimit(ILogger logger, string path, long bytes, long limit);
}
