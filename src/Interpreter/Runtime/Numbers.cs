using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Tiered.Interpreter.Runtime;

/// <summary>Lua 5.4 number semantics: conversions, integer/float arithmetic corner cases and
/// the exact text forms lua5.4 prints.</summary>
public static class Numbers
{
    /// <summary>Float to integer only when the value is integral and in range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool FloatToInteger(double d, out long i)
    {
        if (d >= -9223372036854775808.0 && d < 9223372036854775808.0)
        {
            long v = (long)d;
            if (v == d) { i = v; return true; }
        }
        i = 0;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long FloorDiv(long a, long b)
    {
        if (b == -1) return unchecked(-a);   // avoids the overflow trap of MinValue / -1
        long q = a / b;
        if ((a % b != 0) && ((a ^ b) < 0)) q--;
        return q;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Mod(long a, long b)
    {
        if (b == -1) return 0;
        long r = a % b;
        if (r != 0 && (r ^ b) < 0) r += b;
        return r;
    }

    public static double FloatMod(double a, double b)
    {
        double m = a % b;   // C fmod: truncated remainder
        if (m > 0 ? b < 0 : (m < 0 && b > 0)) m += b;   // signs differ: move into b's range
        return m;
    }

    public static double FloatFloorDiv(double a, double b) => Math.Floor(a / b);

    public static long ShiftLeft(long x, long n)
    {
        if (n <= -64 || n >= 64) return 0;
        if (n >= 0) return (long)((ulong)x << (int)n);
        return (long)((ulong)x >> (int)-n);
    }

    // ------------------------------------------------------------------ string -> number

    private static bool IsSpace(byte c) => c == ' ' || (c >= '\t' && c <= '\r');
    private static int HexValue(byte c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    private static bool IsHex(byte c) => (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');

    /// <summary>Converts a numeral as Lua's tonumber does (surrounding spaces allowed,
    /// hex integers wrap around, decimal integers that overflow become floats).</summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out Value result)
    {
        result = default;
        int a = 0, b = s.Length;
        while (a < b && IsSpace(s[a])) a++;
        while (b > a && IsSpace(s[b - 1])) b--;
        s = s[a..b];
        if (s.Length == 0) return false;
        if (TryParseInteger(s, out long iv)) { result = Value.Int(iv); return true; }
        if (TryParseFloat(s, out double dv)) { result = Value.Float(dv); return true; }
        return false;
    }

    private static bool TryParseInteger(ReadOnlySpan<byte> s, out long value)
    {
        value = 0;
        int i = 0;
        bool neg = false;
        if (s[0] == '-') { neg = true; i++; } else if (s[0] == '+') i++;
        if (i >= s.Length) return false;
        ulong a = 0;
        bool any = false;
        if (s.Length - i > 2 && s[i] == '0' && (s[i + 1] | 0x20) == 'x')
        {
            for (i += 2; i < s.Length && IsHex(s[i]); i++) { a = a * 16 + (ulong)HexValue(s[i]); any = true; }
        }
        else
        {
            for (; i < s.Length && s[i] >= '0' && s[i] <= '9'; i++)
            {
                int d = s[i] - '0';
                if (a >= 922337203685477580UL && (a > 922337203685477580UL || d > 7 + (neg ? 1 : 0)))
                    return false;   // overflow: it is a float
                a = a * 10 + (ulong)d;
                any = true;
            }
        }
        if (!any || i != s.Length) return false;
        value = neg ? (long)(0 - a) : (long)a;
        return true;
    }

    private static bool TryParseFloat(ReadOnlySpan<byte> s, out double value)
    {
        value = 0;
        foreach (byte c in s) if (c == 'n' || c == 'N') return false;   // rejects "inf" and "nan"
        int i = 0;
        bool neg = false;
        if (s[0] == '-') { neg = true; i++; } else if (s[0] == '+') i++;
        if (s.Length - i > 2 && s[i] == '0' && (s[i + 1] | 0x20) == 'x')
        {
            if (!TryParseHexFloat(s[(i + 2)..], out value)) return false;
            if (neg) value = -value;
            return true;
        }
        // Validate the decimal form: digits [. digits] [e [sign] digits], at least one digit.
        int j = i, digits = 0;
        while (j < s.Length && s[j] >= '0' && s[j] <= '9') { j++; digits++; }
        if (j < s.Length && s[j] == '.') { j++; while (j < s.Length && s[j] >= '0' && s[j] <= '9') { j++; digits++; } }
        if (digits == 0) return false;
        if (j < s.Length && (s[j] | 0x20) == 'e')
        {
            j++;
            if (j < s.Length && (s[j] == '+' || s[j] == '-')) j++;
            int ed = 0;
            while (j < s.Length && s[j] >= '0' && s[j] <= '9') { j++; ed++; }
            if (ed == 0) return false;
        }
        if (j != s.Length) return false;
        string text = Encoding.ASCII.GetString(s);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryParseHexFloat(ReadOnlySpan<byte> s, out double value)
    {
        value = 0;
        double m = 0;
        int exp = 0, i = 0, digits = 0;
        bool dot = false;
        for (; i < s.Length; i++)
        {
            byte c = s[i];
            if (c == '.') { if (dot) break; dot = true; continue; }
            if (!IsHex(c)) break;
            digits++;
            if (m < 1e300) m = m * 16 + HexValue(c); else if (!dot) exp += 4;
            if (dot) exp -= 4;
        }
        if (digits == 0) return false;
        if (i < s.Length && (s[i] | 0x20) == 'p')
        {
            i++;
            bool eneg = false;
            if (i < s.Length && (s[i] == '+' || s[i] == '-')) { eneg = s[i] == '-'; i++; }
            int e = 0, ed = 0;
            for (; i < s.Length && s[i] >= '0' && s[i] <= '9'; i++) { if (e < 100000) e = e * 10 + (s[i] - '0'); ed++; }
            if (ed == 0) return false;
            exp += eneg ? -e : e;
        }
        if (i != s.Length) return false;
        value = Math.ScaleB(m, exp);
        return true;
    }

    // ------------------------------------------------------------------ number -> string

    public static string IntegerToString(long v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>The most bytes an integer's decimal form takes ("-9223372036854775808").</summary>
    public const int MaxIntegerLength = 20;

    /// <summary>Writes an integer's decimal form as bytes (at least MaxIntegerLength of room);
    /// returns how many.</summary>
    public static int WriteInteger(long v, Span<byte> destination)
    {
        System.Buffers.Text.Utf8Formatter.TryFormat(v, destination, out int written);
        return written;
    }

    /// <summary>lua_Number to string as lua5.4 prints it: "%.14g", plus ".0" when it looks like an integer.</summary>
    public static string FloatToString(double d)
    {
        string s = FormatG(d, 14, false, false);
        foreach (char c in s)
            if (!(c == '-' || (c >= '0' && c <= '9'))) return s;
        return s + ".0";
    }

    /// <summary>C's %.{precision}g (also %G when <paramref name="upper"/>, '#' flag as <paramref name="alternate"/>).</summary>
    public static string FormatG(double d, int precision, bool alternate, bool upper)
    {
        if (!double.IsFinite(d)) return NonFinite(d, upper);
        if (precision == 0) precision = 1;
        if (d == 0)
        {
            string z = double.IsNegative(d) ? "-0" : "0";
            if (alternate) z += "." + new string('0', precision - 1);
            return z;
        }
        string e = d.ToString("E" + (precision - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        int ePos = e.IndexOf('E');
        int x = int.Parse(e.AsSpan(ePos + 1), CultureInfo.InvariantCulture);
        string body;
        if (x < -4 || x >= precision)
        {
            string mant = e[..ePos];
            if (!alternate) mant = StripZeros(mant);
            body = mant + (upper ? "E" : "e") + (x < 0 ? "-" : "+") + Math.Abs(x).ToString("00", CultureInfo.InvariantCulture);
        }
        else
        {
            body = d.ToString("F" + (precision - 1 - x).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (!alternate) body = StripZeros(body);
        }
        return body;
    }

    private static string StripZeros(string s)
    {
        if (s.IndexOf('.') < 0) return s;
        s = s.TrimEnd('0');
        return s.EndsWith('.') ? s[..^1] : s;
    }

    public static string NonFinite(double d, bool upper)
    {
        string s = double.IsNaN(d) ? (double.IsNegative(d) ? "-nan" : "nan") : (d < 0 ? "-inf" : "inf");
        return upper ? s.ToUpperInvariant() : s;
    }
}
