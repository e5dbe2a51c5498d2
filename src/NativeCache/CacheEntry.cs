using System.Buffers.Binary;

namespace Tiered.NativeCache;

/// <summary>
/// One compiled function in a module's cache file. The store treats every field as opaque
/// bytes: the key is whatever the engine hashes a function to (32 bytes), the object code is
/// what the JIT will link, the profile and feedback are the engine's own encodings.
/// The arrays are owned by the entry once it is put: do not change them afterwards.
/// </summary>
public sealed class CacheEntry
{
    /// <summary>Length of a function key in bytes.</summary>
    public const int KeySize = CacheKey.Size;

    private readonly byte[] key;
    private long storedAtTicks;
    private long lastUsedTicks;

    /// <param name="key">Exactly <see cref="KeySize"/> bytes; copied.</param>
    /// <param name="symbolName">The symbol to look up in the object code once it is linked.</param>
    public CacheEntry(ReadOnlySpan<byte> key, string symbolName, byte[] objectCode, byte[]? profile = null, byte[]? feedback = null)
        : this(key, symbolName, objectCode, profile ?? [], feedback ?? [], default, default)
    {
    }

    internal CacheEntry(ReadOnlySpan<byte> key, string symbolName, byte[] objectCode, byte[] profile, byte[] feedback,
                        DateTimeOffset storedAt, DateTimeOffset lastUsed)
    {
        if (key.Length != KeySize)
            throw new ArgumentException($"a function key is {KeySize} bytes, not {key.Length}", nameof(key));
        ArgumentNullException.ThrowIfNull(symbolName);
        ArgumentNullException.ThrowIfNull(objectCode);
        this.key = key.ToArray();
        SymbolName = symbolName;
        ObjectCode = objectCode;
        Profile = profile;
        Feedback = feedback;
        storedAtTicks = storedAt.UtcTicks;
        lastUsedTicks = lastUsed.UtcTicks;
    }

    /// <summary>The function key (<see cref="KeySize"/> bytes).</summary>
    public ReadOnlySpan<byte> Key => key;
    public string KeyHex => Convert.ToHexStringLower(key);
    public string SymbolName { get; }
    /// <summary>Relocatable object code, as the code generator emitted it; empty for a
    /// counts-only entry (a function that was counted but not compiled).</summary>
    public byte[] ObjectCode { get; }
    /// <summary>False for a counts-only entry: it carries a profile and feedback, no code.
    /// Merging never lets such an entry replace one with code (see <see cref="CacheModule"/>).</summary>
    public bool HasObjectCode => ObjectCode.Length > 0;
    public byte[] Profile { get; }
    public byte[] Feedback { get; }

    /// <summary>When the entry was put (UTC): of two entries for one key, the later put wins. Set by the store.</summary>
    public DateTimeOffset StoredAt => new(Interlocked.Read(ref storedAtTicks), TimeSpan.Zero);

    /// <summary>When the entry was last put or found (UTC). Set by the store.</summary>
    public DateTimeOffset LastUsed => new(Interlocked.Read(ref lastUsedTicks), TimeSpan.Zero);

    internal long StoredAtTicks
    {
        get => Interlocked.Read(ref storedAtTicks);
        set => Interlocked.Exchange(ref storedAtTicks, value);
    }

    internal long LastUsedTicks
    {
        get => Interlocked.Read(ref lastUsedTicks);
        set => Interlocked.Exchange(ref lastUsedTicks, value);
    }

    internal CacheKey CacheKey => new(key);

}

/// <summary>A function key as a dictionary key: 32 bytes held as four words.</summary>
internal readonly struct CacheKey : IEquatable<CacheKey>
{
    public const int Size = 32;

    private readonly ulong w0, w1, w2, w3;

    public CacheKey(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
            throw new ArgumentException($"a function key is {Size} bytes, not {bytes.Length}", nameof(bytes));
        w0 = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        w1 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
        w2 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]);
        w3 = BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]);
    }

    public static bool TryCreate(ReadOnlySpan<byte> bytes, out CacheKey key)
    {
        key = bytes.Length == Size ? new CacheKey(bytes) : default;
        return bytes.Length == Size;
    }

    public bool Equals(CacheKey other) => w0 == other.w0 && w1 == other.w1 && w2 == other.w2 && w3 == other.w3;
    public override bool Equals(object? obj) => obj is CacheKey other && Equals(other);
    // The key is already a cryptographic hash: any word is well spread.
    public override int GetHashCode() => (int)w0;
}
