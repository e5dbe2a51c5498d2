using Xunit;
using System.Security.Cryptography;
using System.Text;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;

// The cache checks Unix owners and modes; so do its tests.
[assembly: SupportedOSPlatform("linux")]

namespace Tiered.NativeCache.Tests;

/// <summary>A private temporary directory; the cache lives in its "cache" subdirectory, created by the store.</summary>
internal sealed class TempCache : IDisposable
{
    public TempCache()
    {
        Root = Path.Combine(Path.GetTempPath(), "tiered-nc-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        CacheDir = Path.Combine(Root, "cache");
    }

    public string Root { get; }
    public string CacheDir { get; }

    public NativeCacheStore Store(CacheHeader? header = null, long sizeLimit = NativeCacheOptions.DefaultSizeLimitBytes,
                                  TimeProvider? clock = null, ILogger? logger = null, TimeSpan? lockTimeout = null)
        => new(new NativeCacheOptions
        {
            LockTimeout = lockTimeout ?? TimeSpan.FromSeconds(30),
            Directory = CacheDir,
            Header = header ?? Headers.Current,
            SizeLimitBytes = sizeLimit,
            TimeProvider = clock ?? TimeProvider.System,
        }, logger);

    public string FileOf(string module) => Path.Combine(CacheDir, CacheFileFormat.FileNameFor(module));

    public void Dispose()
    {
        try
        {
            // A test may have left a read-only or foreign-owned file; give everything back first.
            foreach (string dir in Directory.EnumerateDirectories(Root, "*", SearchOption.AllDirectories))
                File.SetUnixFileMode(dir, (UnixFileMode)0x1C0);
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

internal static class Headers
{
    public static readonly CacheHeader Current = new()
    {
        EngineBuildId = "tiered-test 1.0+abc",
        AbiVersion = 3,
        LlvmVersion = "19.1.7",
        TargetTriple = "x86_64-pc-linux-gnu",
        CpuName = "znver3",
        CpuFeatureHash = CacheHeader.HashCpuFeatures("+sse2,+avx2"),
        Pipeline = "default<O2>",
    };
}

internal static class Entries
{
    public static byte[] Key(string name) => SHA256.HashData(Encoding.UTF8.GetBytes(name));

    public static CacheEntry Make(string name, int codeSize = 64, string? variant = null)
    {
        byte[] code = new byte[codeSize];
        byte[] seed = SHA256.HashData(Encoding.UTF8.GetBytes(name + "/" + variant));
        for (int i = 0; i < code.Length; i++)
            code[i] = seed[i % seed.Length];
        return new CacheEntry(Key(name), "lua_fn_" + name, code,
                              profile: Encoding.UTF8.GetBytes("profile:" + name + variant),
                              feedback: Encoding.UTF8.GetBytes("feedback:" + name + variant));
    }

    public static void AssertSame(CacheEntry expected, CacheEntry actual)
    {
        Assert.Equal(expected.KeyHex, actual.KeyHex);
        Assert.Equal(expected.SymbolName, actual.SymbolName);
        Assert.Equal(expected.ObjectCode, actual.ObjectCode);
        Assert.Equal(expected.Profile, actual.Profile);
        Assert.Equal(expected.Feedback, actual.Feedback);
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;
    public override DateTimeOffset GetUtcNow() => Now;
    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>Collects log messages so tests can check that rejections are logged with their reasons.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly List<(LogLevel Level, string Message)> messages = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Messages
    {
        get { lock (messages) return [.. messages]; }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (messages) messages.Add((logLevel, formatter(state, exception)));
    }
}

internal static class Users
{
    public static bool IsRoot => Unix.FileStatus.TryGetEffectiveUserId(out uint uid, out _) && uid == 0;
}
