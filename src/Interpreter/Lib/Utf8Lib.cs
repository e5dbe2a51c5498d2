using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using static Tiered.Interpreter.Lib.LibraryHelpers;

namespace Tiered.Interpreter.Lib;

/// <summary>The utf8 library (Lua 5.4 manual §6.5), as lua5.4 (5.4.4) behaves: sequences of up
/// to six bytes encode values up to 0x7FFFFFFF; strict mode (the default) also rejects
/// surrogates and values above 0x10FFFF, the lax flag accepts them.</summary>
public static unsafe class Utf8Lib
{
    private const uint MaxUtf = 0x7FFFFFFF;
    private const uint MaxUnicode = 0x10FFFF;

    public static void Open(LuaState L)
    {
        LuaTable* utf8 = NewLibrary(L,
            "utf8",
            [("char", Char), ("codepoint", CodePoint), ("len", Len), ("offset", Offset)]);
        // charpattern matches exactly one UTF-8 sequence: "[\0-\x7F\xC2-\xFD][\x80-\xBF]*" as raw
        // bytes (a C# string literal would encode \xC2 and the others as two bytes each).
        byte[] pattern = [(byte)'[', 0, (byte)'-', 0x7F, 0xC2, (byte)'-', 0xFD, (byte)']',
                          (byte)'[', 0x80, (byte)'-', 0xBF, (byte)']', (byte)'*'];
        SetValue(L, utf8, "charpattern", L.StringValue(pattern));

        // codes keeps its two iterators (strict and lax) as upvalues.
        HostClosure* codes = L.NewHostClosure(L.RegisterHostFunction(Codes, "codes"), 2);
        HostClosure.Upvalues(codes)[0] = L.NewHostFunction(IterateStrict, "for iterator");
        HostClosure.Upvalues(codes)[1] = L.NewHostFunction(IterateLax, "for iterator");
        SetValue(L, utf8, "codes", Value.Object(codes, Tag.HostFunction));
    }

    // ------------------------------------------------------------------ decoding and encoding

    private static bool IsContinuation(byte b) => (b & 0xC0) == 0x80;

    /// <summary>Byte at <paramref name="i"/>, or 0 past the end (C strings end with a NUL,
    /// and lua5.4's decoder relies on it to stop on truncated sequences).</summary>
    private static byte ByteAt(ReadOnlySpan<byte> s, long i) => i < s.Length ? s[(int)i] : (byte)0;

    // Smallest value that needs a sequence of (index + 1) bytes: shorter forms are overlong.
    private static ReadOnlySpan<uint> Limits => [~0u, 0x80, 0x800, 0x10000, 0x200000, 0x4000000];

    /// <summary>Decodes the sequence at <paramref name="pos"/>; returns the position after it,
    /// or -1 when the bytes there are not a valid sequence.</summary>
    private static long Decode(ReadOnlySpan<byte> s, long pos, bool strict, out uint code)
    {
        uint c = ByteAt(s, pos);
        uint res = 0;
        int count = 0;
        code = 0;
        if (c < 0x80) res = c;
        else
        {
            // Each set bit after the leading one announces one continuation byte.
            for (; (c & 0x40) != 0; c <<= 1)
            {
                uint cc = ByteAt(s, pos + ++count);
                if ((cc & 0xC0) != 0x80) return -1;
                res = (res << 6) | (cc & 0x3F);
            }
            res |= (c & 0x7F) << (count * 5);
            if (count > 5 || res > MaxUtf || res < Limits[count]) return -1;
        }
        if (strict && (res > MaxUnicode || (res >= 0xD800 && res <= 0xDFFF))) return -1;
        code = res;
        return pos + count + 1;
    }

    /// <summary>Appends the UTF-8 form of <paramref name="x"/> (at most 0x7FFFFFFF, six bytes).</summary>
    private static int Encode(Span<byte> buf, uint x)
    {
        if (x < 0x80)
        {
            buf[0] = (byte)x;
            return 1;
        }
        Span<byte> tmp = stackalloc byte[8];
        int n = 0;
        uint firstByteMax = 0x3F;   // payload that still fits in the first byte
        do
        {
            tmp[n++] = (byte)(0x80 | (x & 0x3F));
            x >>= 6;
            firstByteMax >>= 1;
        } while (x > firstByteMax);
        buf[0] = (byte)((~firstByteMax << 1) | x);
        for (int i = 0; i < n; i++) buf[1 + i] = tmp[n - 1 - i];
        return n + 1;
    }

    /// <summary>A relative string position: negative counts from the end, too negative is 0.</summary>
    private static long RelativePosition(long pos, long len)
    {
        if (pos >= 0) return pos;
        if (unchecked(0UL - (ulong)pos) > (ulong)len) return 0;
        return len + pos + 1;
    }

    // ------------------------------------------------------------------ functions

    private static int Char(LuaState L, int argc)
    {
        Span<byte> buf = argc <= 64 ? stackalloc byte[argc * 6] : new byte[argc * 6];
        int len = 0;
        for (int i = 1; i <= argc; i++)
        {
            long code = L.CheckInteger(i);
            if ((ulong)code > MaxUtf) throw L.ArgError(i, "value out of range");
            len += Encode(buf[len..], (uint)code);
        }
        L.PushString(buf[..len]);
        return 1;
    }

    private static int CodePoint(LuaState L, int argc)
    {
        ReadOnlySpan<byte> s = L.CheckBytes(1);
        long len = s.Length;
        long first = RelativePosition(L.OptInteger(2, 1), len);
        long last = RelativePosition(L.OptInteger(3, first), len);
        bool lax = L.ToBoolean(4);
        if (first < 1) throw L.ArgError(2, "out of bounds");
        if (last > len) throw L.ArgError(3, "out of bounds");
        if (first > last) return 0;
        long count = last - first + 1;
        if (count >= int.MaxValue || L.Top + count + 20 > L.Thread->StackLimit)
            throw L.RuntimeError("string slice too long");
        L.CheckStack((int)count);
        int n = 0;
        // A sequence that starts inside the slice may end after it.
        for (long pos = first - 1; pos < last;)
        {
            pos = Decode(s, pos, !lax, out uint code);
            if (pos < 0) throw L.RuntimeError("invalid UTF-8 code");
            L.PushInteger(code);
            n++;
        }
        return n;
    }

    private static int Len(LuaState L, int argc)
    {
        ReadOnlySpan<byte> s = L.CheckBytes(1);
        long len = s.Length;
        long pos = RelativePosition(L.OptInteger(2, 1), len);
        long last = RelativePosition(L.OptInteger(3, -1), len);
        bool lax = L.ToBoolean(4);
        if (!(1 <= pos && --pos <= len)) throw L.ArgError(2, "initial position out of bounds");
        if (!(--last < len)) throw L.ArgError(3, "final position out of bounds");
        long n = 0;
        while (pos <= last)
        {
            long next = Decode(s, pos, !lax, out _);
            if (next < 0)
            {
                L.PushNil();
                L.PushInteger(pos + 1);
                return 2;
            }
            pos = next;
            n++;
        }
        L.PushInteger(n);
        return 1;
    }

    private static int Offset(LuaState L, int argc)
    {
        ReadOnlySpan<byte> s = L.CheckBytes(1);
        long len = s.Length;
        long n = L.CheckInteger(2);
        long pos = RelativePosition(L.OptInteger(3, n >= 0 ? 1 : len + 1), len);
        if (!(1 <= pos && --pos <= len)) throw L.ArgError(3, "position out of bounds");
        if (n == 0)
        {
            // Start of the sequence that holds byte pos.
            while (pos > 0 && IsContinuation(ByteAt(s, pos))) pos--;
        }
        else
        {
            if (IsContinuation(ByteAt(s, pos))) throw L.RuntimeError("initial position is a continuation byte");
            if (n < 0)
            {
                for (; n < 0 && pos > 0; n++)
                {
                    do pos--; while (pos > 0 && IsContinuation(ByteAt(s, pos)));
                }
            }
            else
            {
                // The first character is the one at pos itself.
                for (n--; n > 0 && pos < len; n--)
                {
                    do pos++; while (IsContinuation(ByteAt(s, pos)));
                }
            }
        }
        if (n == 0) L.PushInteger(pos + 1);
        else L.PushNil();
        return 1;
    }

    private static int Codes(LuaState L, int argc)
    {
        bool lax = L.ToBoolean(2);
        L.CheckString(1);
        L.Push(L.HostUpvalues[lax ? 1 : 0]);
        L.Push(L.Arg(1));
        L.PushInteger(0);
        return 3;
    }

    private static int IterateStrict(LuaState L, int argc) => Iterate(L, strict: true);
    private static int IterateLax(LuaState L, int argc) => Iterate(L, strict: false);

    /// <summary>One step of utf8.codes. The control value is the byte position of the previous
    /// character (0 at the start); the continuation bytes after it are skipped, so stray
    /// continuation bytes are passed over rather than reported, as in lua5.4.4.</summary>
    private static int Iterate(LuaState L, bool strict)
    {
        ReadOnlySpan<byte> s = L.CheckBytes(1);
        ulong len = (ulong)s.Length;
        LuaState.TryToInteger(L.Arg(2), out long control);
        ulong pos = (ulong)control;
        if (pos < len)
            while (IsContinuation(ByteAt(s, (long)pos))) pos++;
        if (pos >= len) return 0;
        if (Decode(s, (long)pos, strict, out uint code) < 0) throw L.RuntimeError("invalid UTF-8 code");
        L.PushInteger((long)pos + 1);
        L.PushInteger(code);
        return 2;
    }
}
