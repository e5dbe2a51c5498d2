using System.Text;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;

namespace Tiered.Interpreter.Lib;

// string.format (manual §6.4): C printf conversions checked the way lua5.4 checks them (each
// conversion accepts only some flags; width and precision have at most two digits), plus
// Lua's own %q and %s with tostring semantics. The digits themselves come from CFormat.
public static unsafe partial class StringLib
{
    /// <summary>Characters a specification may span before its conversion letter: "-+ #0123456789.".</summary>
    private static bool IsSpecChar(byte c) => (uint)(c - '0') <= 9 || c is (byte)'-' or (byte)'+' or (byte)' ' or (byte)'#' or (byte)'.';

    // Flags each conversion accepts (the reference's L_FMTFLAGS*).
    private static ReadOnlySpan<byte> FlagsFloat => "-+ #0"u8;
    private static ReadOnlySpan<byte> FlagsHex => "-#0"u8;
    private static ReadOnlySpan<byte> FlagsInt => "-+ 0"u8;
    private static ReadOnlySpan<byte> FlagsUnsigned => "-0"u8;
    private static ReadOnlySpan<byte> FlagsChar => "-"u8;

    // A specification is at most this long, conversion included (MAX_FORMAT - 10 in lstrlib).
    private const int MaxSpecLength = 21;

    private static int Format(LuaState L, int argc)
    {
        LuaString* fmt = L.CheckString(1);
        byte* p = LuaString.Data(fmt);
        byte* end = p + fmt->Length;
        ByteBuffer b = ByteBuffer.Rent(L);
        int arg = 1;
        while (p < end)
        {
            // The text up to the next '%' in one piece.
            int run = new ReadOnlySpan<byte>(p, (int)(end - p)).IndexOf((byte)'%');
            if (run != 0)
            {
                if (run < 0) run = (int)(end - p);
                b.Add(p, run);
                p += run;
                continue;
            }
            p++;
            if (*p == '%')   // at the end this reads the string's terminating 0
            {
                b.Add((byte)'%');
                p++;
                continue;
            }
            if (++arg > argc) throw L.ArgError(arg, "no value");
            int len = 0;
            while (IsSpecChar(p[len])) len++;
            len++;   // the conversion letter (or whatever stopped the span)
            if (len > MaxSpecLength) throw L.RuntimeError("invalid format (too long)");
            var spec = new ReadOnlySpan<byte>(p, len);
            p += len;
            FormatItem(L, b, spec, arg);
        }
        L.Push(Value.Str(b.ToLuaString()));
        b.Release();
        return 1;
    }

    private static void FormatItem(LuaState L, ByteBuffer b, ReadOnlySpan<byte> spec, int arg)
    {
        FormatSpec f;
        switch (spec[^1])
        {
            case (byte)'c':
                {
                    CheckSpec(L, spec, FlagsChar, precision: false);
                    f = FormatSpec.Parse(spec);
                    byte ch = (byte)L.CheckInteger(arg);
                    CFormat.FormatBytes(b, f, new ReadOnlySpan<byte>(&ch, 1));
                    return;
                }
            case (byte)'d':
            case (byte)'i':
                FormatIntegerItem(L, b, spec, arg, FlagsInt);
                return;
            case (byte)'u':
                FormatIntegerItem(L, b, spec, arg, FlagsUnsigned);
                return;
            case (byte)'o':
            case (byte)'x':
            case (byte)'X':
                FormatIntegerItem(L, b, spec, arg, FlagsHex);
                return;
            case (byte)'a':
            case (byte)'A':
                {
                    CheckSpec(L, spec, FlagsFloat, precision: true);
                    double d = L.CheckNumber(arg);
                    CFormat.FormatFloat(b, FormatSpec.Parse(spec), d);
                    return;
                }
            case (byte)'e':
            case (byte)'E':
            case (byte)'f':
            case (byte)'g':
            case (byte)'G':
                {
                    double d = L.CheckNumber(arg);
                    CheckSpec(L, spec, FlagsFloat, precision: true);
                    CFormat.FormatFloat(b, FormatSpec.Parse(spec), d);
                    return;
                }
            case (byte)'p':
                {
                    Value v = L.Arg(arg);
                    CheckSpec(L, spec, FlagsChar, precision: false);
                    bool isPointer = v.IsCollectable || v.Tag == Tag.LightUserdata;
                    // The same text as tostring shows for the object's address.
                    string text = isPointer ? "0x" + ((ulong)v.P).ToString("x") : "(null)";
                    CFormat.FormatBytes(b, FormatSpec.Parse(spec), Encoding.ASCII.GetBytes(text));
                    return;
                }
            case (byte)'q':
                if (spec.Length != 1) throw L.RuntimeError("specifier '%q' cannot have modifiers");
                AddLiteral(L, b, arg);
                return;
            case (byte)'s':
                {
                    LuaString* s = L.ToStringMeta(L.Arg(arg));
                    ReadOnlySpan<byte> bytes = LuaString.Span(s);
                    if (spec.Length == 1)
                    {
                        b.Add(bytes);   // no modifiers: the whole string, zeros included
                        return;
                    }
                    if (bytes.IndexOf((byte)0) >= 0) throw L.ArgError(arg, "string contains zeros");
                    CheckSpec(L, spec, FlagsChar, precision: true);
                    if (spec.IndexOf((byte)'.') < 0 && bytes.Length >= 100) b.Add(bytes);   // no width can matter
                    else CFormat.FormatBytes(b, FormatSpec.Parse(spec), bytes);
                    return;
                }
            default:
                throw ByteError(L, "invalid conversion '%" + SpecText(spec) + "' to 'format'");
        }
    }

    private static void FormatIntegerItem(LuaState L, ByteBuffer b, ReadOnlySpan<byte> spec, int arg, ReadOnlySpan<byte> flags)
    {
        long n = L.CheckInteger(arg);
        CheckSpec(L, spec, flags, precision: true);
        CFormat.FormatInteger(b, FormatSpec.Parse(spec), n);
    }

    /// <summary>The specification as C would print it: up to a 0 byte, bytes as chars.</summary>
    private static string SpecText(ReadOnlySpan<byte> spec)
    {
        int z = spec.IndexOf((byte)0);
        return Encoding.Latin1.GetString(z >= 0 ? spec[..z] : spec);
    }

    /// <summary>Checks flags (only the allowed ones), a width of up to two digits and, when
    /// allowed, a precision of up to two digits, ending at the conversion letter.</summary>
    private static void CheckSpec(LuaState L, ReadOnlySpan<byte> spec, ReadOnlySpan<byte> flags, bool precision)
    {
        int i = 0;
        while (flags.IndexOf(spec[i]) >= 0) i++;
        if (spec[i] != '0')   // a width cannot start with '0'
        {
            i = SkipTwoDigits(spec, i);
            if (spec[i] == '.' && precision) i = SkipTwoDigits(spec, i + 1);
        }
        if (!CType.IsAlpha(spec[i]))
            throw ByteError(L, "invalid conversion specification: '%" + SpecText(spec) + "'");
    }

    private static int SkipTwoDigits(ReadOnlySpan<byte> spec, int i)
    {
        if (CType.IsDigit(spec[i]))
        {
            i++;
            if (CType.IsDigit(spec[i])) i++;
        }
        return i;
    }

    // ------------------------------------------------------------------ %q

    /// <summary>%q: the value as Lua source that reads back as the same value.</summary>
    private static void AddLiteral(LuaState L, ByteBuffer b, int arg)
    {
        Value v = L.Arg(arg);
        switch (v.Tag)
        {
            case Tag.String:
                AddQuoted(b, LuaString.Span(v.AsString));
                break;
            case Tag.Integer:
                // mininteger has no decimal literal (its negation overflows): use hex.
                b.AddAscii(v.I == long.MinValue ? "0x8000000000000000" : Numbers.IntegerToString(v.I));
                break;
            case Tag.Float:
                if (double.IsPositiveInfinity(v.D)) b.AddAscii("1e9999");
                else if (double.IsNegativeInfinity(v.D)) b.AddAscii("-1e9999");
                else if (double.IsNaN(v.D)) b.AddAscii("(0/0)");
                else CFormat.FormatFloat(b, new FormatSpec { Precision = -1, Conversion = (byte)'a' }, v.D);   // exact
                break;
            case Tag.Nil:
            case Tag.Boolean:
                b.Add(LuaString.Span(L.ToStringMeta(v)));
                break;
            default:
                throw L.ArgError(arg, "value has no literal form");
        }
    }

    private static void AddQuoted(ByteBuffer b, ReadOnlySpan<byte> s)
    {
        b.Add('"');
        for (int i = 0; i < s.Length; i++)
        {
            byte c = s[i];
            if (c == '"' || c == '\\' || c == '\n')
            {
                b.Add('\\');
                b.Add(c);
            }
            else if (CType.IsCntrl(c))
            {
                // \ddd, shortened when the next character cannot be read as part of it.
                bool nextIsDigit = i + 1 < s.Length && CType.IsDigit(s[i + 1]);
                b.Add('\\');
                b.AddAscii(nextIsDigit ? c.ToString("000") : c.ToString());
            }
            else b.Add(c);
        }
        b.Add('"');
    }
}
