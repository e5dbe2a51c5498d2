using System.Buffers;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;

namespace Tiered.Interpreter.Lib;

// Reading: the formats of file:read / io.read / io.lines (manual §6.8, file:read).
//   "n"  a numeral, read as PUC Lua does: at most 200 characters of what could start a
//        number, then converted; fails (nil) when the characters are not a number
//   "l"  a line without its end of line; "L" with it; nil at end of file
//   "a"  the rest of the file ("" at end of file, never nil)
//   k    up to k bytes (nil at end of file); 0 tests for end of file ("" or nil)
// A leading '*' is skipped (Lua 5.3 spelled the formats "*l", "*a"...). Reading stops at the
// first format that fails; that one gives nil. An I/O error replaces all results by
// (nil, message, errno).
public static unsafe partial class IoLib
{
    /// <summary>PUC Lua's L_MAXLENNUM: longest numeral "n" reads.</summary>
    private const int MaxNumeralLength = 200;

    /// <summary>g_read: reads one value per format (a line when there are none) and pushes them.
    /// <paramref name="firstArg"/> is the argument number of the first format, for errors.</summary>
    private static int ReadFormats(LuaState L, LuaFile f, Value* formats, int count, int firstArg)
    {
        f.Error = 0;
        Value* start = L.Top;
        bool ok;
        int pushed;
        if (count == 0)
        {
            ok = ReadLine(L, f, keepNewline: false);
            pushed = 1;
        }
        else
        {
            L.CheckStack(count);
            ok = true;
            pushed = 0;
            for (int i = 0; i < count && ok; i++, pushed++)
            {
                Value format = formats[i];
                int arg = firstArg + i;
                if (format.IsNumber)
                {
                    long n;
                    if (format.Tag == Tag.Integer) n = format.I;
                    else if (!Numbers.FloatToInteger(format.D, out n)) throw L.ArgError(arg, "number has no integer representation");
                    ok = n == 0 ? TestEof(L, f) : ReadChars(L, f, n < 0 ? long.MaxValue : n);
                    continue;
                }
                if (format.Tag != Tag.String)
                    throw L.ArgError(arg, $"string expected, got {L.TypeNameForMessage(format)}");
                ReadOnlySpan<byte> p = LuaString.Span(format.AsString);
                if (p.Length > 0 && p[0] == '*') p = p[1..];
                switch (p.Length > 0 ? p[0] : 0)
                {
                    case (byte)'n': ok = ReadNumber(L, f); break;
                    case (byte)'l': ok = ReadLine(L, f, keepNewline: false); break;
                    case (byte)'L': ok = ReadLine(L, f, keepNewline: true); break;
                    case (byte)'a': ReadAll(L, f); ok = true; break;
                    default: throw L.ArgError(arg, "invalid format");
                }
            }
        }
        if (f.Error != 0)
        {
            L.Top = start;
            return PushFailure(L, f.Error, null);
        }
        if (!ok) L.Top[-1] = default;   // the failed format gives nil
        return pushed;
    }

    /// <summary>Collects bytes that span several read-ahead chunks.</summary>
    private ref struct ByteAccumulator
    {
        private byte[]? array;
        private int length;

        public readonly int Length => length;

        public void Append(ReadOnlySpan<byte> bytes)
        {
            if (array == null || length + bytes.Length > array.Length)
            {
                byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(length + bytes.Length, (array?.Length ?? 128) * 2));
                if (array != null)
                {
                    array.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(array);
                }
                array = bigger;
            }
            bytes.CopyTo(array.AsSpan(length));
            length += bytes.Length;
        }

        public readonly ReadOnlySpan<byte> Span => array == null ? default : array.AsSpan(0, length);

        public void Dispose()
        {
            if (array != null) ArrayPool<byte>.Shared.Return(array);
            array = null;
        }
    }

    private static bool ReadLine(LuaState L, LuaFile f, bool keepNewline)
    {
        ReadOnlySpan<byte> chunk = f.Peek();
        int nl = chunk.IndexOf((byte)'\n');
        if (nl >= 0)
        {
            // The common case: the whole line is already buffered.
            L.PushString(chunk[..(keepNewline ? nl + 1 : nl)]);
            f.Consume(nl + 1);
            return true;
        }
        var acc = new ByteAccumulator();
        try
        {
            bool sawNewline = false;
            while (!chunk.IsEmpty)
            {
                nl = chunk.IndexOf((byte)'\n');
                if (nl >= 0)
                {
                    acc.Append(chunk[..(keepNewline ? nl + 1 : nl)]);
                    f.Consume(nl + 1);
                    sawNewline = true;
                    break;
                }
                acc.Append(chunk);
                f.Consume(chunk.Length);
                chunk = f.Peek();
            }
            L.PushString(acc.Span);
            return sawNewline || acc.Length > 0;
        }
        finally { acc.Dispose(); }
    }

    private static void ReadAll(LuaState L, LuaFile f)
    {
        var acc = new ByteAccumulator();
        try
        {
            for (ReadOnlySpan<byte> chunk = f.Peek(); !chunk.IsEmpty; chunk = f.Peek())
            {
                acc.Append(chunk);
                f.Consume(chunk.Length);
            }
            L.PushString(acc.Span);
        }
        finally { acc.Dispose(); }
    }

    private static bool ReadChars(LuaState L, LuaFile f, long n)
    {
        var acc = new ByteAccumulator();
        try
        {
            while (n > 0)
            {
                ReadOnlySpan<byte> chunk = f.Peek();
                if (chunk.IsEmpty) break;
                int take = (int)Math.Min(chunk.Length, n);
                acc.Append(chunk[..take]);
                f.Consume(take);
                n -= take;
            }
            L.PushString(acc.Span);
            return acc.Length > 0;
        }
        finally { acc.Dispose(); }
    }

    private static bool TestEof(LuaState L, LuaFile f)
    {
        bool more = !f.Peek().IsEmpty;
        L.PushString(""u8);
        return more;
    }

    /// <summary>Reads the longest prefix that can start a numeral, keeping one byte of
    /// look-ahead that is given back at the end (C's ungetc).</summary>
    private ref struct NumeralScanner
    {
        private readonly LuaFile file;
        private readonly Span<byte> buffer;
        public int Length;
        public int Current;   // the look-ahead byte, -1 at end of file
        public bool Overflowed;

        public NumeralScanner(LuaFile file, Span<byte> buffer)
        {
            this.file = file;
            this.buffer = buffer;
            Length = 0;
            Overflowed = false;
            do Current = file.ReadByte(); while (Current is ' ' or (>= '\t' and <= '\r'));
        }

        /// <summary>Accepts the look-ahead byte and reads the next one.</summary>
        private bool Next()
        {
            if (Length >= MaxNumeralLength) { Overflowed = true; return false; }
            buffer[Length++] = (byte)Current;
            Current = file.ReadByte();
            return true;
        }

        public bool Accept(char a, char b) => (Current == a || Current == b) && Next();

        public int Digits(bool hex)
        {
            int count = 0;
            while (Current >= 0 && (hex ? char.IsAsciiHexDigit((char)Current) : char.IsAsciiDigit((char)Current)) && Next()) count++;
            return count;
        }

        public readonly ReadOnlySpan<byte> Text => Overflowed ? default : buffer[..Length];
    }

    private static bool ReadNumber(LuaState L, LuaFile f)
    {
        Span<byte> buffer = stackalloc byte[MaxNumeralLength];
        var scan = new NumeralScanner(f, buffer);
        int count = 0;
        bool hex = false;
        scan.Accept('-', '+');
        if (scan.Accept('0', '0'))
        {
            if (scan.Accept('x', 'X')) hex = true;
            else count = 1;   // the '0' is a digit
        }
        count += scan.Digits(hex);
        if (scan.Accept('.', '.')) count += scan.Digits(hex);
        if (count > 0 && (hex ? scan.Accept('p', 'P') : scan.Accept('e', 'E')))
        {
            scan.Accept('-', '+');
            scan.Digits(false);
        }
        if (scan.Current >= 0) f.UnreadByte();
        if (Numbers.TryParse(scan.Text, out Value number))
        {
            L.Push(number);
            return true;
        }
        L.PushNil();
        return false;
    }
}
