using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Tiered.NativeCache.Tests;

/// <summary>Our SHA-256 and HMAC-SHA256 (what keys, names and authenticates every cache file)
/// against the published test vectors and the framework's own implementation.</summary>
public class Sha256Tests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void Hashes_the_published_test_vectors(string message, string expected)
    {
        Assert.Equal(expected, Convert.ToHexStringLower(Sha256.Hash(Encoding.ASCII.GetBytes(message))));
    }

    [Fact]
    public void Hashes_every_length_around_the_block_and_padding_boundaries_as_the_framework_does()
    {
        var random = new Random(7);
        for (int length = 0; length <= 300; length++)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(SHA256.HashData(data), Sha256.Hash(data));
        }
    }

    [Fact]
    public void Appending_in_pieces_gives_the_hash_of_the_whole()
    {
        var random = new Random(11);
        byte[] data = new byte[5000];
        random.NextBytes(data);
        var h = new Sha256();
        for (int at = 0; at < data.Length;)
        {
            int piece = Math.Min(random.Next(0, 150), data.Length - at);
            h.Append(data.AsSpan(at, piece));
            at += piece;
        }
        Assert.Equal(SHA256.HashData(data), h.Finish());
        // Finish resets: the object hashes a new message from the start.
        h.Append("abc"u8);
        Assert.Equal(SHA256.HashData("abc"u8), h.Finish());
    }

    [Fact]
    public void Hmac_matches_rfc_4231_test_case_2()
    {
        byte[] mac = Sha256.Hmac("Jefe"u8, "what do ya want for nothing?"u8);
        Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", Convert.ToHexStringLower(mac));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(131)]
    public void Hmac_matches_the_framework_for_short_block_sized_and_long_keys(int keyLength)
    {
        var random = new Random(keyLength);
        byte[] key = new byte[keyLength], data = new byte[1000];
        random.NextBytes(key);
        random.NextBytes(data);
        Assert.Equal(HMACSHA256.HashData(key, data), Sha256.Hmac(key, data));
        var mac = new HmacSha256(key);
        mac.Append(data.AsSpan(0, 333));
        mac.Append(data.AsSpan(333));
        Assert.Equal(HMACSHA256.HashData(key, data), mac.Finish());
    }
}
