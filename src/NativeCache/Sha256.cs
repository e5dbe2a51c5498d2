using System.Buffers.Binary;
using System.Numerics;

namespace Tiered.NativeCache;

/// <summary>
/// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), written here in managed code.
/// </summary>
/// <remarks>
/// Why not System.Security.Cryptography: on Linux its hashes go through OpenSSL, and the first
/// hash of a process loads libssl, libcrypto and the OpenSSL configuration: measured 2026-11-22,
/// 9 ms of a `tiered run` whose code comes from the cache (about a fifth of the whole start-up).
/// Every run with the native tier hashes something (the host fingerprint, function keys, the
/// cache file's checksum and HMAC), and the inputs are small (a cache file is tens of KB), so
/// a plain implementation costs far less than that library load. The tests compare it with the
/// framework's hashes.
/// </remarks>
public sealed class Sha256
{
    public const int HashSize = 32;
    private const int BlockSize = 64;

    private static ReadOnlySpan<uint> RoundConstants =>
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    private readonly uint[] state = new uint[8];
    private readonly byte[] pending = new byte[BlockSize];
    private int pendingLength;
    private ulong totalLength;

    public Sha256() => Reset();

    /// <summary>SHA-256 of data.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var h = new Sha256();
        h.Append(data);
        return h.Finish();
    }

    /// <summary>SHA-256 of data, written to destination (32 bytes).</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var h = new Sha256();
        h.Append(data);
        h.Finish(destination);
    }

    /// <summary>HMAC-SHA256 of data under key.</summary>
    public static byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        var mac = new HmacSha256(key);
        mac.Append(data);
        return mac.Finish();
    }

    /// <summary>HMAC-SHA256 of data under key, written to destination (32 bytes).</summary>
    public static void Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var mac = new HmacSha256(key);
        mac.Append(data);
        mac.Finish(destination);
    }

    public void Reset()
    {
        ReadOnlySpan<uint> initial = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
        initial.CopyTo(state);
        pendingLength = 0;
        totalLength = 0;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        totalLength += (ulong)data.Length;
        if (pendingLength > 0)
        {
            int take = Math.Min(BlockSize - pendingLength, data.Length);
            data[..take].CopyTo(pending.AsSpan(pendingLength));
            pendingLength += take;
            data = data[take..];
            if (pendingLength < BlockSize) return;
            Compress(pending);
            pendingLength = 0;
        }
        while (data.Length >= BlockSize)
        {
            Compress(data[..BlockSize]);
            data = data[BlockSize..];
        }
        data.CopyTo(pending);
        pendingLength = data.Length;
    }

    /// <summary>The hash of everything appended since the last reset; the object is reset.</summary>
    public byte[] Finish()
    {
        var hash = new byte[HashSize];
        Finish(hash);
        return hash;
    }

    public void Finish(Span<byte> destination)
    {
        // Padding: a 1 bit, zeros up to 8 bytes short of a block boundary, the length in bits.
        ulong bits = totalLength * 8;
        Span<byte> tail = stackalloc byte[BlockSize * 2];
        pending.AsSpan(0, pendingLength).CopyTo(tail);
        tail[pendingLength] = 0x80;
        int tailLength = pendingLength + 1 + 8 <= BlockSize ? BlockSize : BlockSize * 2;
        tail[(pendingLength + 1)..(tailLength - 8)].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(tail[(tailLength - 8)..], bits);
        for (int offset = 0; offset < tailLength; offset += BlockSize) Compress(tail.Slice(offset, BlockSize));
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteUInt32BigEndian(destination[(i * 4)..], state[i]);
        Reset();
    }

    private void Compress(ReadOnlySpan<byte> block)
    {
        Span<uint> w = stackalloc uint[64];
        for (int i = 0; i < 16; i++) w[i] = BinaryPrimitives.ReadUInt32BigEndian(block[(i * 4)..]);
        for (int i = 16; i < 64; i++)
        {
            uint s0 = BitOperations.RotateRight(w[i - 15], 7) ^ BitOperations.RotateRight(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint s1 = BitOperations.RotateRight(w[i - 2], 17) ^ BitOperations.RotateRight(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6], h = state[7];
        ReadOnlySpan<uint> k = RoundConstants;
        for (int i = 0; i < 64; i++)
        {
            uint sum1 = BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25);
            uint choose = (e & f) ^ (~e & g);
            uint t1 = h + sum1 + choose + k[i] + w[i];
            uint sum0 = BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22);
            uint majority = (a & b) ^ (a & c) ^ (b & c);
            uint t2 = sum0 + majority;
            h = g; g = f; f = e; e = d + t1;
            d = c; c = b; b = a; a = t1 + t2;
        }
        state[0] += a; state[1] += b; state[2] += c; state[3] += d;
        state[4] += e; state[5] += f; state[6] += g; state[7] += h;
    }
}

/// <summary>HMAC-SHA256 (RFC 2104) over data appended in pieces.</summary>
public sealed class HmacSha256
{
    private const int BlockSize = 64;
    private readonly byte[] outerPad = new byte[BlockSize];
    private readonly Sha256 inner = new();

    public HmacSha256(ReadOnlySpan<byte> key)
    {
        // A key longer than a block is replaced by its hash; a shorter one is padded with zeros.
        Span<byte> block = stackalloc byte[BlockSize];
        block.Clear();
        if (key.Length > BlockSize) Sha256.Hash(key, block);
        else key.CopyTo(block);
        Span<byte> innerPad = stackalloc byte[BlockSize];
        for (int i = 0; i < BlockSize; i++)
        {
            innerPad[i] = (byte)(block[i] ^ 0x36);
            outerPad[i] = (byte)(block[i] ^ 0x5c);
        }
        inner.Append(innerPad);
    }

    public void Append(ReadOnlySpan<byte> data) => inner.Append(data);

    public byte[] Finish()
    {
        var mac = new byte[Sha256.HashSize];
        Finish(mac);
        return mac;
    }

    /// <summary>The MAC of everything appended; the object is not usable afterwards.</summary>
    public void Finish(Span<byte> destination)
    {
        Span<byte> innerHash = stackalloc byte[Sha256.HashSize];
        inner.Finish(innerHash);
        var outer = new Sha256();
        outer.Append(outerPad);
        outer.Append(innerHash);
        outer.Finish(destination);
    }
}
