// The cache file: one per module, named <hex SHA-256 of the module name>.tcache.
//
//   All integers little-endian.  str = u32 byte count + UTF-8;  bin = u32 byte count + bytes.
//
//    offset  size
//   +-------+----+------------------------------------------------------------------+
//   |     0 |  8 | magic "TIEREDNC"                                                 |
//   |     8 |  4 | u32  layout version (CacheFileFormat.Version)                    |
//   |    12 |  8 | u64  L = length of the whole file, trailer included              |
//   |    20 |  8 | i64  saved at, UTC ticks                                         |
//   +-------+----+------------------------------------------------------------------+
//   |    28 |    | str  module name (the chunk the file belongs to)                 |
//   |       |    | str  EngineBuildId         \                                     |
//   |       |  4 | i32  AbiVersion             |                                    |
//   |       |    | str  LlvmVersion            |  the CacheHeader: any field that    |
//   |       |    | str  TargetTriple           |  differs from the current one       |
//   |       |    | str  CpuName                |  discards the whole file            |
//   |       |    | str  CpuFeatureHash         |                                    |
//   |       |    | str  Pipeline              /                                     |
//   |       |  4 | u32  N = entry count                                             |
//   +-------+----+------------------------------------------------------------------+
//   |       |    | entry 0 .. N-1:                                                  |
//   |       | 32 |   function key                                                   |
//   |       |  8 |   i64  stored at (when put; decides merges, see below), ticks   |
//   |       |  8 |   i64  last used, UTC ticks                                      |
//   |       |    |   str  symbol name ("" in a counts-only entry)                   |
//   |       |    |   bin  object code (0 bytes: a counts-only entry)                |
//   |       |    |   bin  profile                                                   |
//   |       |    |   bin  feedback                                                  |
//   +-------+----+------------------------------------------------------------------+
//   |  L-64 | 32 | SHA-256 of bytes [0, L-64)                                       |
//   |  L-32 | 32 | HMAC-SHA256 of bytes [0, L-32), keyed by the per-user .secret    |
//   +-------+----+------------------------------------------------------------------+
//
// Reading checks, in order: magic, version, recorded length against the real one
// (truncated / trailing bytes), checksum, HMAC; only then are the contents parsed, and
// even then every count and length is bounds-checked, so a forged or buggy file can at
// worst be rejected as malformed. The checksum tells damage from forgery in the logs: a
// damaged file fails the checksum, a file written with another secret fails only the HMAC.
// The recorded length lets a truncated file be named as such rather than as a bad checksum.

using System.Buffers.Binary;
using System.Reflection.Metadata;
using System.Security.Cryptography;
using System.Text;

namespace Tiered.NativeCache;

/// <summary>Writes and reads the cache file drawn above.</summary>
public static class CacheFileFormat
{
    /// <summary>The layout version; bump it whenever the diagram changes.</summary>
    public const uint Version = 1;

    /// <summary>The extension of module files.</summary>
    public const string Extension = ".tcache";

    internal static ReadOnlySpan<byte> Magic => "TIEREDNC"u8;

    internal const int FixedPrefixSize = 28;  // magic, version, length, saved-at
    internal const int TrailerSize = 64;      // checksum, HMAC
    internal const int HashSize = 32;
    internal const int SecretSize = 32;
    private const int LengthOffset = 12;

    // Smallest possible file: the fixed prefix, eight empty strings or ints, an entry count.
    internal const int MinimumFileSize = FixedPrefixSize + 7 * 4 + 4 + 4 + TrailerSize;
    private const int MinimumEntrySize = CacheKey.Size + 8 + 8 + 4 * 4;

    /// <summary>The file name of a module: the hex SHA-256 of its name, then the extension.</summary>
    public static string FileNameFor(string moduleName)
        => Convert.ToHexStringLower(Sha256.Hash(Encoding.UTF8.GetBytes(moduleName))) + Extension;

    // ===================================================================== writing

    /// <summary>Builds the whole file. Entries are written in the order given.</summary>
    internal static BlobBuilder Write(CacheFileContents contents, byte[] secret)
    {
        var builder = new BlobBuilder();
        builder.WriteBytes(Magic.ToArray());
        builder.WriteUInt32(Version);
        Blob lengthSlot = builder.ReserveBytes(8);
        builder.WriteInt64(contents.SavedAt.UtcTicks);

        WriteString(builder, contents.ModuleName);
        CacheHeader h = contents.Header;
        WriteString(builder, h.EngineBuildId);
        builder.WriteInt32(h.AbiVersion);
        WriteString(builder, h.LlvmVersion);
        WriteString(builder, h.TargetTriple);
        WriteString(builder, h.CpuName);
        WriteString(builder, h.CpuFeatureHash);
        WriteString(builder, h.Pipeline);

        builder.WriteUInt32((uint)contents.Entries.Count);
        foreach (CacheEntry entry in contents.Entries)
        {
            builder.WriteBytes(entry.Key.ToArray());
            builder.WriteInt64(entry.StoredAtTicks);
            builder.WriteInt64(entry.LastUsedTicks);
            WriteString(builder, entry.SymbolName);
            WriteBinary(builder, entry.ObjectCode);
            WriteBinary(builder, entry.Profile);
            WriteBinary(builder, entry.Feedback);
        }

        new BlobWriter(lengthSlot).WriteUInt64((ulong)(builder.Count + TrailerSize));

        var checksum = new Sha256();
        foreach (Blob blob in builder.GetBlobs())
            checksum.Append(blob.GetBytes());
        builder.WriteBytes(checksum.Finish());
        var hmac = new HmacSha256(secret);
        foreach (Blob blob in builder.GetBlobs())
            hmac.Append(blob.GetBytes());
        builder.WriteBytes(hmac.Finish());
        return builder;
    }

    private static void WriteString(BlobBuilder builder, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        builder.WriteUInt32((uint)bytes.Length);
        builder.WriteBytes(bytes);
    }

    private static void WriteBinary(BlobBuilder builder, byte[] value)
    {
        builder.WriteUInt32((uint)value.Length);
        builder.WriteBytes(value);
    }

    // ===================================================================== reading

    /// <summary>
    /// Validates and parses a whole file. Never throws for any content: a file that fails a
    /// check yields <paramref name="problem"/> (reason and detail) and no contents.
    /// </summary>
    internal static bool TryRead(ReadOnlySpan<byte> data, byte[] secret, out CacheFileContents? contents,
                                 out (CacheRejectionReason Reason, string Detail) problem)
    {
        contents = null;
        problem = default;

        if (data.Length < Magic.Length)
        {
            problem = Magic.StartsWith(data)
                ? (CacheRejectionReason.Truncated, $"{data.Length} bytes")
                : (CacheRejectionReason.ForeignMagic, $"starts with {Describe(data)}");
            return false;
        }
        if (!data.StartsWith(Magic))
        {
            problem = (CacheRejectionReason.ForeignMagic, $"starts with {Describe(data[..Magic.Length])}");
            return false;
        }
        if (data.Length < LengthOffset + 8)
        {
            problem = (CacheRejectionReason.Truncated, $"{data.Length} bytes, not even a header");
            return false;
        }
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(data[Magic.Length..]);
        if (version != Version)
        {
            problem = (CacheRejectionReason.UnsupportedVersion, $"version {version}, this engine reads {Version}");
            return false;
        }
        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(data[LengthOffset..]);
        if ((ulong)data.Length < declared)
        {
            problem = (CacheRejectionReason.Truncated, $"{data.Length} of {declared} bytes");
            return false;
        }
        if ((ulong)data.Length > declared)
        {
            problem = (CacheRejectionReason.TrailingBytes, $"{data.Length} bytes, {declared} recorded");
            return false;
        }
        if (data.Length < MinimumFileSize)
        {
            problem = (CacheRejectionReason.Truncated, $"{data.Length} bytes, smaller than any cache file");
            return false;
        }

        int bodyLength = data.Length - TrailerSize;
        Span<byte> hash = stackalloc byte[HashSize];
        Sha256.Hash(data[..bodyLength], hash);
        if (!CryptographicOperations.FixedTimeEquals(hash, data.Slice(bodyLength, HashSize)))
        {
            problem = (CacheRejectionReason.ChecksumMismatch, "the contents were damaged");
            return false;
        }
        Sha256.Hmac(secret, data[..(bodyLength + HashSize)], hash);
        if (!CryptographicOperations.FixedTimeEquals(hash, data.Slice(bodyLength + HashSize, HashSize)))
        {
            problem = (CacheRejectionReason.HmacMismatch, "written with another secret, or altered");
            return false;
        }

        try
        {
            if (TryParse(data[..bodyLength], out contents, out string? error))
                return true;
            problem = (CacheRejectionReason.Malformed, error);
            return false;
        }
        catch (BadImageFormatException e)
        {
            // BlobReader's own bounds checks; TryParse checks first, this is the backstop.
            problem = (CacheRejectionReason.Malformed, e.Message);
            contents = null;
            return false;
        }
    }

    private static unsafe bool TryParse(ReadOnlySpan<byte> body, out CacheFileContents? contents, out string error)
    {
        contents = null;
        fixed (byte* start = body)
        {
            var reader = new BlobReader(start, body.Length);
            reader.Offset = Magic.Length + 4 + 8;
            long savedAtTicks = reader.ReadInt64();
            if (!IsValidTicks(savedAtTicks))
            {
                error = $"save time {savedAtTicks} out of range";
                return false;
            }

            if (!TryReadString(ref reader, "module name", out string moduleName, out error)
                || !TryReadString(ref reader, "engine build id", out string engineBuildId, out error))
                return false;
            if (reader.RemainingBytes < 4)
            {
                error = "ends inside the header";
                return false;
            }
            int abiVersion = reader.ReadInt32();
            if (!TryReadString(ref reader, "LLVM version", out string llvmVersion, out error)
                || !TryReadString(ref reader, "target triple", out string targetTriple, out error)
                || !TryReadString(ref reader, "CPU name", out string cpuName, out error)
                || !TryReadString(ref reader, "CPU feature hash", out string cpuFeatureHash, out error)
                || !TryReadString(ref reader, "pipeline", out string pipeline, out error))
                return false;
            var header = new CacheHeader
            {
                EngineBuildId = engineBuildId,
                AbiVersion = abiVersion,
                LlvmVersion = llvmVersion,
                TargetTriple = targetTriple,
                CpuName = cpuName,
                CpuFeatureHash = cpuFeatureHash,
                Pipeline = pipeline,
            };

            if (reader.RemainingBytes < 4)
            {
                error = "ends before the entry count";
                return false;
            }
            uint count = reader.ReadUInt32();
            // Checked before anything is allocated for the entries.
            if (count > (uint)(reader.RemainingBytes / MinimumEntrySize))
            {
                error = $"{count} entries cannot fit in {reader.RemainingBytes} bytes";
                return false;
            }
            var entries = new List<CacheEntry>((int)count);
            for (uint i = 0; i < count; i++)
            {
                if (reader.RemainingBytes < CacheKey.Size + 16)
                {
                    error = $"entry {i} is cut short";
                    return false;
                }
                byte[] key = reader.ReadBytes(CacheKey.Size);
                long storedAt = reader.ReadInt64();
                long lastUsed = reader.ReadInt64();
                if (!IsValidTicks(storedAt) || !IsValidTicks(lastUsed))
                {
                    error = $"entry {i}: time {storedAt} or {lastUsed} out of range";
                    return false;
                }
                if (!TryReadString(ref reader, $"entry {i} symbol", out string symbol, out error)
                    || !TryReadBinary(ref reader, $"entry {i} object code", out byte[] objectCode, out error)
                    || !TryReadBinary(ref reader, $"entry {i} profile", out byte[] profile, out error)
                    || !TryReadBinary(ref reader, $"entry {i} feedback", out byte[] feedback, out error))
                    return false;
                entries.Add(new CacheEntry(key, symbol, objectCode, profile, feedback,
                                           new DateTimeOffset(storedAt, TimeSpan.Zero), new DateTimeOffset(lastUsed, TimeSpan.Zero)));
            }
            if (reader.RemainingBytes != 0)
            {
                error = $"{reader.RemainingBytes} bytes after the last entry";
                return false;
            }
            contents = new CacheFileContents(moduleName, header, new DateTimeOffset(savedAtTicks, TimeSpan.Zero), entries);
            error = "";
            return true;
        }
    }

    private static bool TryReadLength(ref BlobReader reader, string what, out int length, out string error)
    {
        length = 0;
        if (reader.RemainingBytes < 4)
        {
            error = $"{what}: ends before its length";
            return false;
        }
        uint value = reader.ReadUInt32();
        if (value > (uint)reader.RemainingBytes)
        {
            error = $"{what}: length {value} exceeds the {reader.RemainingBytes} bytes left";
            return false;
        }
        length = (int)value;
        error = "";
        return true;
    }

    private static bool TryReadString(ref BlobReader reader, string what, out string value, out string error)
    {
        value = "";
        if (!TryReadLength(ref reader, what, out int length, out error))
            return false;
        value = reader.ReadUTF8(length);
        return true;
    }

    private static bool TryReadBinary(ref BlobReader reader, string what, out byte[] value, out string error)
    {
        value = [];
        if (!TryReadLength(ref reader, what, out int length, out error))
            return false;
        value = reader.ReadBytes(length);
        return true;
    }

    private static bool IsValidTicks(long ticks) => ticks >= DateTime.MinValue.Ticks && ticks <= DateTime.MaxValue.Ticks;

    private static string Describe(ReadOnlySpan<byte> bytes)
        => bytes.Length == 0 ? "nothing (empty file)" : "0x" + Convert.ToHexStringLower(bytes[..Math.Min(bytes.Length, 8)]);
}

/// <summary>What one cache file holds.</summary>
internal sealed record CacheFileContents(string ModuleName, CacheHeader Header, DateTimeOffset SavedAt, IReadOnlyList<CacheEntry> Entries);
