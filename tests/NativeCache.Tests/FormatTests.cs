using Xunit;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Tiered.NativeCache.Tests;

/// <summary>
/// The reader against hostile input. Damage is caught by the checksum and forgery by the HMAC,
/// so to reach the parser these tests re-sign every mutated file with the secret: whatever a
/// signed file says, reading it must end in contents or a rejection, never an exception.
/// </summary>
public class FormatTests
{
    private static readonly byte[] Secret = RandomNumberGenerator.GetBytes(32);

    private static byte[] Sample(int entries = 3)
    {
        var list = Enumerable.Range(0, entries).Select(i => Entries.Make("f" + i, codeSize: 20 + i)).ToList();
        var contents = new CacheFileContents("sample.lua", Headers.Current, DateTimeOffset.UnixEpoch, list);
        return CacheFileFormat.Write(contents, Secret).ToArray();
    }

    /// <summary>Fixes up the recorded length, checksum and HMAC of a mutated body.</summary>
    private static byte[] Sign(ReadOnlySpan<byte> body)
    {
        byte[] file = new byte[body.Length + 64];
        body.CopyTo(file);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(12), (ulong)file.Length);
        SHA256.HashData(file.AsSpan(0, body.Length), file.AsSpan(body.Length, 32));
        HMACSHA256.HashData(Secret, file.AsSpan(0, body.Length + 32), file.AsSpan(body.Length + 32, 32));
        return file;
    }

    [Fact]
    public void Written_file_reads_back()
    {
        byte[] file = Sample();
        Assert.True(CacheFileFormat.TryRead(file, Secret, out CacheFileContents? contents, out _));
        Assert.Equal("sample.lua", contents!.ModuleName);
        Assert.Equal(Headers.Current, contents.Header);
        Assert.Equal(3, contents.Entries.Count);
        Assert.Equal("TIEREDNC"u8.ToArray(), file[..8]);
        Assert.Equal(CacheFileFormat.Version, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(8)));
        Assert.Equal((ulong)file.Length, BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(12)));
    }

    [Fact]
    public void Signed_file_with_a_huge_entry_count_is_malformed()
    {
        byte[] body = Sample(0)[..^64];
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(body.Length - 4), uint.MaxValue);
        Assert.False(CacheFileFormat.TryRead(Sign(body), Secret, out _, out var problem));
        Assert.Equal(CacheRejectionReason.Malformed, problem.Reason);
    }

    [Fact]
    public void Signed_file_with_a_huge_string_length_is_malformed()
    {
        byte[] body = Sample()[..^64];
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(28), 0x7FFF_FFF0);   // the module name's length
        Assert.False(CacheFileFormat.TryRead(Sign(body), Secret, out _, out var problem));
        Assert.Equal(CacheRejectionReason.Malformed, problem.Reason);
    }

    [Fact]
    public void Random_mutations_of_a_signed_file_never_throw()
    {
        byte[] original = Sample()[..^64];
        var random = new Random(1234);
        int accepted = 0;
        for (int round = 0; round < 20_000; round++)
        {
            byte[] body = (byte[])original.Clone();
            switch (round % 4)
            {
                case 0:   // a few random bytes anywhere after the prefix
                    for (int k = 0; k < 1 + random.Next(4); k++)
                        body[28 + random.Next(body.Length - 28)] = (byte)random.Next(256);
                    break;
                case 1:   // a random 32-bit value where a length or count may be
                    BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(28 + random.Next(body.Length - 32)), (uint)random.NextInt64(uint.MaxValue + 1L));
                    break;
                case 2:   // cut short
                    body = body[..(28 + random.Next(body.Length - 28))];
                    break;
                default:  // grown with garbage
                    body = [.. body, .. RandomNumberGenerator.GetBytes(1 + random.Next(64))];
                    break;
            }
            if (CacheFileFormat.TryRead(Sign(body), Secret, out _, out _))
                accepted++;
        }
        Assert.True(accepted < 20_000);
    }

    [Fact]
    public void Random_bytes_are_never_accepted()
    {
        var random = new Random(99);
        for (int round = 0; round < 2_000; round++)
        {
            byte[] data = new byte[random.Next(300)];
            random.NextBytes(data);
            if (round % 2 == 0 && data.Length >= 8)
                "TIEREDNC"u8.CopyTo(data);
            Assert.False(CacheFileFormat.TryRead(data, Secret, out _, out _));
        }
    }
}
