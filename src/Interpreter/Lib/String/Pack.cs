using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;

namespace Tiered.Interpreter.Lib;

// string.pack, string.unpack and string.packsize (manual §6.4.2). Sizes are those of the
// reference build on x86-64 Linux: short 2, int 4, long 8, size_t 8, lua_Integer 8, float 4,
// double and lua_Number 8, maximum alignment 8; native byte order is little-endian.
public static unsafe partial class StringLib
{
    private enum PackOption { Int, Uint, Float, Number, Double, Char, String, ZString, Padding, PadAlign, Nop }

    private const int MaxIntSize = 16;       // largest i[n]/I[n]
    private const int IntegerSize = 8;       // sizeof(lua_Integer)
    private const int NativeMaxAlign = 8;    // default for '!'
    private const byte PackPadByte = 0;

    /// <summary>Parser state: the format, read position, current endianness and alignment.</summary>
    private ref struct PackFormat
    {
        public ReadOnlySpan<byte> Fmt;
        public int Pos;
        public bool Little;
        public int MaxAlign;
        public LuaState L;

        public PackFormat(LuaState L, LuaString* fmt)
        {
            ReadOnlySpan<byte> f = LuaString.Span(fmt);
            int zero = f.IndexOf((byte)0);
            Fmt = zero >= 0 ? f[..zero] : f;   // the format is a C string: it ends at a 0 byte
            Pos = 0;
            Little = BitConverter.IsLittleEndian;
            MaxAlign = 1;
            this.L = L;
        }

        public readonly bool AtEnd => Pos >= Fmt.Length;

        private readonly byte Peek => Pos < Fmt.Length ? Fmt[Pos] : (byte)0;

        private int ReadNumber(int def)
        {
            if (!CType.IsDigit(Peek)) return def;
            int a = 0;
            do a = a * 10 + (Fmt[Pos++] - '0');
            while (CType.IsDigit(Peek) && a <= ((int)MaxStringSize - 9) / 10);
            return a;
        }

        private int ReadSizeLimit(int def)
        {
            int sz = ReadNumber(def);
            if (sz > MaxIntSize || sz <= 0)
                throw L.RuntimeError($"integral size ({sz}) out of limits [1,{MaxIntSize}]");
            return sz;
        }

        /// <summary>Reads one option and its size.</summary>
        public PackOption ReadOption(out int size)
        {
            byte opt = Fmt[Pos++];
            size = 0;
            switch (opt)
            {
                case (byte)'b': size = 1; return PackOption.Int;
                case (byte)'B': size = 1; return PackOption.Uint;
                case (byte)'h': size = 2; return PackOption.Int;
                case (byte)'H': size = 2; return PackOption.Uint;
                case (byte)'l': size = 8; return PackOption.Int;
                case (byte)'L': size = 8; return PackOption.Uint;
                case (byte)'j': size = 8; return PackOption.Int;
                case (byte)'J': size = 8; return PackOption.Uint;
                case (byte)'T': size = 8; return PackOption.Uint;
                case (byte)'f': size = 4; return PackOption.Float;
                case (byte)'n': size = 8; return PackOption.Number;
                case (byte)'d': size = 8; return PackOption.Double;
                case (byte)'i': size = ReadSizeLimit(4); return PackOption.Int;
                case (byte)'I': size = ReadSizeLimit(4); return PackOption.Uint;
                case (byte)'s': size = ReadSizeLimit(8); return PackOption.String;
                case (byte)'c':
                    size = ReadNumber(-1);
                    if (size == -1) throw L.RuntimeError("missing size for format option 'c'");
                    return PackOption.Char;
                case (byte)'z': return PackOption.ZString;
                case (byte)'x': size = 1; return PackOption.Padding;
                case (byte)'X': return PackOption.PadAlign;
                case (byte)' ': break;
                case (byte)'<': Little = true; break;
                case (byte)'>': Little = false; break;
                case (byte)'=': Little = BitConverter.IsLittleEndian; break;
                case (byte)'!': MaxAlign = ReadSizeLimit(NativeMaxAlign); break;
                default: throw ByteError(L, $"invalid format option '{(char)opt}'");
            }
            return PackOption.Nop;
        }

        /// <summary>Reads an option, its size and the padding that aligns it at <paramref name="total"/>.</summary>
        public PackOption ReadDetails(long total, out int size, out int toAlign)
        {
            PackOption opt = ReadOption(out size);
            int align = size;
            if (opt == PackOption.PadAlign)
            {
                // 'X' aligns like the option after it, which it consumes.
                if (AtEnd || ReadOption(out align) == PackOption.Char || align == 0)
                    throw L.ArgError(1, "invalid next option for option 'X'");
            }
            if (align <= 1 || opt == PackOption.Char) toAlign = 0;
            else
            {
                if (align > MaxAlign) align = MaxAlign;
                if ((align & (align - 1)) != 0) throw L.ArgError(1, "format asks for alignment not power of 2");
                toAlign = (align - (int)(total & (align - 1))) & (align - 1);
            }
            return opt;
        }
    }

    private static void PackInteger(ByteBuffer b, ulong n, bool little, int size, bool negative)
    {
        Span<byte> buf = b.Reserve(size);
        for (int i = 0; i < size; i++)
        {
            // Bytes beyond the 8 of a lua_Integer are sign extension.
            byte v = i < IntegerSize ? (byte)(n >> (8 * i)) : (negative ? (byte)0xFF : (byte)0);
            buf[little ? i : size - 1 - i] = v;
        }
    }

    private static void PackBytes(ByteBuffer b, ReadOnlySpan<byte> raw, bool little)
    {
        Span<byte> buf = b.Reserve(raw.Length);
        for (int i = 0; i < raw.Length; i++) buf[i] = raw[little == BitConverter.IsLittleEndian ? i : raw.Length - 1 - i];
    }

    private static int Pack(LuaState L, int argc)
    {
        var h = new PackFormat(L, L.CheckString(1));
        ByteBuffer b = ByteBuffer.Rent(L);
        int arg = 1;
        long total = 0;
        while (!h.AtEnd)
        {
            PackOption opt = h.ReadDetails(total, out int size, out int toAlign);
            total += toAlign + size;
            b.AddRepeated(PackPadByte, toAlign);
            arg++;
            if (arg > argc && opt is not (PackOption.Padding or PackOption.PadAlign or PackOption.Nop))
            {
                // The reference pushes a nil right after the arguments before it packs, so the
                // first missing argument is reported as a nil.
                string expected = opt is PackOption.Char or PackOption.String or PackOption.ZString ? "string" : "number";
                throw L.ArgError(arg, expected + " expected, got nil");
            }
            switch (opt)
            {
                case PackOption.Int:
                    {
                        long n = L.CheckInteger(arg);
                        if (size < IntegerSize)
                        {
                            long lim = 1L << (size * 8 - 1);
                            if (!(-lim <= n && n < lim)) throw L.ArgError(arg, "integer overflow");
                        }
                        PackInteger(b, (ulong)n, h.Little, size, n < 0);
                        break;
                    }
                case PackOption.Uint:
                    {
                        long n = L.CheckInteger(arg);
                        if (size < IntegerSize && (ulong)n >= 1UL << (size * 8))
                            throw L.ArgError(arg, "unsigned overflow");
                        PackInteger(b, (ulong)n, h.Little, size, false);
                        break;
                    }
                case PackOption.Float:
                    {
                        float x = (float)L.CheckNumber(arg);
                        PackBytes(b, new ReadOnlySpan<byte>(&x, 4), h.Little);
                        break;
                    }
                case PackOption.Number:
                case PackOption.Double:
                    {
                        double x = L.CheckNumber(arg);
                        PackBytes(b, new ReadOnlySpan<byte>(&x, 8), h.Little);
                        break;
                    }
                case PackOption.Char:
                    {
                        ReadOnlySpan<byte> s = L.CheckBytes(arg);
                        if (s.Length > size) throw L.ArgError(arg, "string longer than given size");
                        b.Add(s);
                        b.AddRepeated(PackPadByte, size - s.Length);
                        break;
                    }
                case PackOption.String:
                    {
                        ReadOnlySpan<byte> s = L.CheckBytes(arg);
                        if (size < 8 && (ulong)s.Length >= 1UL << (size * 8))
                            throw L.ArgError(arg, "string length does not fit in given size");
                        PackInteger(b, (ulong)s.Length, h.Little, size, false);
                        b.Add(s);
                        total += s.Length;
                        break;
                    }
                case PackOption.ZString:
                    {
                        ReadOnlySpan<byte> s = L.CheckBytes(arg);
                        if (s.IndexOf((byte)0) >= 0) throw L.ArgError(arg, "string contains zeros");
                        b.Add(s);
                        b.Add((byte)0);
                        total += s.Length + 1;
                        break;
                    }
                case PackOption.Padding:
                    b.Add(PackPadByte);
                    arg--;
                    break;
                default:   // PadAlign, Nop: no argument
                    arg--;
                    break;
            }
        }
        L.Push(Value.Str(b.ToLuaString()));
        b.Release();
        return 1;
    }

    private static int PackSize(LuaState L, int argc)
    {
        var h = new PackFormat(L, L.CheckString(1));
        long total = 0;
        while (!h.AtEnd)
        {
            PackOption opt = h.ReadDetails(total, out int size, out int toAlign);
            if (opt is PackOption.String or PackOption.ZString) throw L.ArgError(1, "variable-length format");
            size += toAlign;
            if (total > MaxStringSize - size) throw L.ArgError(1, "format result too large");
            total += size;
        }
        L.PushInteger(total);
        return 1;
    }

    private static long UnpackInteger(LuaState L, ReadOnlySpan<byte> s, bool little, int size, bool signed)
    {
        ulong res = 0;
        int limit = Math.Min(size, IntegerSize);
        for (int i = limit - 1; i >= 0; i--)
        {
            res <<= 8;
            res |= s[little ? i : size - 1 - i];
        }
        if (size < IntegerSize)
        {
            if (signed)
            {
                ulong mask = 1UL << (size * 8 - 1);
                res = (res ^ mask) - mask;   // sign extension
            }
        }
        else if (size > IntegerSize)
        {
            // The extra bytes must be a sign (or zero) extension of the value read.
            byte mask = !signed || (long)res >= 0 ? (byte)0 : (byte)0xFF;
            for (int i = limit; i < size; i++)
                if (s[little ? i : size - 1 - i] != mask)
                    throw L.RuntimeError($"{size}-byte integer does not fit into Lua Integer");
        }
        return (long)res;
    }

    private static int Unpack(LuaState L, int argc)
    {
        var h = new PackFormat(L, L.CheckString(1));
        LuaString* dataString = L.CheckString(2);
        ReadOnlySpan<byte> data = LuaString.Span(dataString);
        long ld = data.Length;
        long pos = StartPosition(L.OptInteger(3, 1), ld) - 1;
        if (pos > ld) throw L.ArgError(3, "initial position out of string");
        int n = 0;
        while (!h.AtEnd)
        {
            PackOption opt = h.ReadDetails(pos, out int size, out int toAlign);
            if ((long)toAlign + size > ld - pos) throw L.ArgError(2, "data string too short");
            pos += toAlign;
            L.CheckStack(2);
            n++;
            ReadOnlySpan<byte> at = data[(int)pos..];
            switch (opt)
            {
                case PackOption.Int:
                case PackOption.Uint:
                    L.PushInteger(UnpackInteger(L, at, h.Little, size, opt == PackOption.Int));
                    break;
                case PackOption.Float:
                    {
                        float x;
                        UnpackBytes(at[..4], new Span<byte>(&x, 4), h.Little);
                        L.PushNumber(x);
                        break;
                    }
                case PackOption.Number:
                case PackOption.Double:
                    {
                        double x;
                        UnpackBytes(at[..8], new Span<byte>(&x, 8), h.Little);
                        L.PushNumber(x);
                        break;
                    }
                case PackOption.Char:
                    L.PushString(at[..size]);
                    break;
                case PackOption.String:
                    {
                        ulong len = (ulong)UnpackInteger(L, at, h.Little, size, false);
                        if (len > (ulong)(ld - pos - size)) throw L.ArgError(2, "data string too short");
                        L.PushString(at.Slice(size, (int)len));
                        pos += (long)len;
                        break;
                    }
                case PackOption.ZString:
                    {
                        int len = at.IndexOf((byte)0);
                        if (len < 0) throw L.ArgError(2, "unfinished string for format 'z'");
                        L.PushString(at[..len]);
                        pos += len + 1;
                        break;
                    }
                default:   // padding and options without data
                    n--;
                    break;
            }
            pos += size;
        }
        L.PushInteger(pos + 1);
        return n + 1;
    }

    private static void UnpackBytes(ReadOnlySpan<byte> src, Span<byte> dst, bool little)
    {
        for (int i = 0; i < src.Length; i++) dst[i] = src[little == BitConverter.IsLittleEndian ? i : src.Length - 1 - i];
    }
}
