using System.Numerics;

namespace Tiered.Interpreter.Lib;

/// <summary>One parsed conversion of a printf format: %[flags][width][.precision]conversion.</summary>
internal struct FormatSpec
{
    public bool LeftAlign;     // '-'
    public bool ForceSign;     // '+'
    public bool SpaceSign;     // ' '
    public bool Alternate;     // '#'
    public bool ZeroPad;       // '0'
    public int Width;          // 0 = none
    public int Precision;      // -1 = none
    public byte Conversion;

    /// <summary>Parses a specification already validated to be flags, up to two width digits,
    /// an optional '.' with up to two digits, and the conversion letter.</summary>
    public static FormatSpec Parse(ReadOnlySpan<byte> spec)
    {
        var f = new FormatSpec { Precision = -1 };
        int i = 0;
        for (; i < spec.Length; i++)
        {
            switch (spec[i])
            {
                case (byte)'-': f.LeftAlign = true; continue;
                case (byte)'+': f.ForceSign = true; continue;
                case (byte)' ': f.SpaceSign = true; continue;
                case (byte)'#': f.Alternate = true; continue;
                case (byte)'0': f.ZeroPad = true; continue;
            }
            break;
        }
        while (i < spec.Length && CType.IsDigit(spec[i])) f.Width = f.Width * 10 + (spec[i++] - '0');
        if (i < spec.Length && spec[i] == '.')
        {
            i++;
            f.Precision = 0;
            while (i < spec.Length && CType.IsDigit(spec[i])) f.Precision = f.Precision * 10 + (spec[i++] - '0');
        }
        f.Conversion = i < spec.Length ? spec[i] : (byte)0;
        return f;
    }
}

/// <summary>
/// C printf conversions with glibc's exact output, for string.format. Floating-point
/// conversions are exact: the decimal digits come from the binary value by integer arithmetic
/// (a double is m * 2^e, so every digit can be computed exactly), and halfway cases round to
/// even, as glibc does. .NET's own formatting rounds halfway digits away from zero, so it is
/// not used for digits.
/// </summary>
internal static class CFormat
{
    // ------------------------------------------------------------------ padding

    /// <summary>Appends sign + prefix + zeros + body, padded to the width as the flags say.
    /// <paramref name="zeroPadAllowed"/> is false for inf/nan and when a precision turns off '0'.</summary>
    private static void Emit(ByteBuffer b, in FormatSpec f, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> body, bool zeroPadAllowed)
    {
        int len = prefix.Length + body.Length;
        int pad = f.Width > len ? f.Width - len : 0;
        if (f.LeftAlign)
        {
            b.Add(prefix);
            b.Add(body);
            b.AddRepeated((byte)' ', pad);
        }
        else if (f.ZeroPad && zeroPadAllowed)
        {
            b.Add(prefix);
            b.AddRepeated((byte)'0', pad);
            b.Add(body);
        }
        else
        {
            b.AddRepeated((byte)' ', pad);
            b.Add(prefix);
            b.Add(body);
        }
    }

    /// <summary>%s-style output of bytes: precision truncates, width pads with spaces.</summary>
    public static void FormatBytes(ByteBuffer b, in FormatSpec f, ReadOnlySpan<byte> s)
    {
        if (f.Precision >= 0 && s.Length > f.Precision) s = s[..f.Precision];
        Emit(b, f, default, s, zeroPadAllowed: false);
    }

    // ------------------------------------------------------------------ integers

    /// <summary>%d %i (signed), %u %o %x %X (the 64-bit pattern as unsigned).</summary>
    public static void FormatInteger(ByteBuffer b, in FormatSpec f, long value)
    {
        Span<byte> digits = stackalloc byte[24];
        bool signed = f.Conversion is (byte)'d' or (byte)'i';
        bool negative = signed && value < 0;
        ulong u = negative ? 0UL - (ulong)value : (ulong)value;
        int radix = f.Conversion switch { (byte)'o' => 8, (byte)'x' or (byte)'X' => 16, _ => 10 };
        ReadOnlySpan<byte> hexDigits = f.Conversion == 'X' ? "0123456789ABCDEF"u8 : "0123456789abcdef"u8;
        int n = 0;
        // Each radix with a constant divisor (a shift or a multiplication, not a division).
        switch (radix)
        {
            case 10: for (ulong v = u; v != 0; v /= 10) digits[n++] = (byte)('0' + (int)(v % 10)); break;
            case 16: for (ulong v = u; v != 0; v >>= 4) digits[n++] = hexDigits[(int)(v & 15)]; break;
            default: for (ulong v = u; v != 0; v >>= 3) digits[n++] = (byte)('0' + (int)(v & 7)); break;
        }
        digits[..n].Reverse();
        // A precision is a minimum digit count; precision 0 prints nothing for 0.
        int minDigits = f.Precision >= 0 ? f.Precision : 1;
        int zeros = Math.Max(0, minDigits - n);
        if (f.Alternate && radix == 8 && zeros == 0 && (n == 0 || digits[0] != '0')) zeros = 1;
        Span<byte> prefix = stackalloc byte[2];
        int np = 0;
        if (negative) prefix[np++] = (byte)'-';
        else if (signed && f.ForceSign) prefix[np++] = (byte)'+';
        else if (signed && f.SpaceSign) prefix[np++] = (byte)' ';
        if (f.Alternate && radix == 16 && u != 0)
        {
            prefix[np++] = (byte)'0';
            prefix[np++] = f.Conversion;
        }
        Span<byte> body = stackalloc byte[128];   // precision <= 99 plus at most 22 digits
        body[..zeros].Fill((byte)'0');
        digits[..n].CopyTo(body[zeros..]);
        Emit(b, f, prefix[..np], body[..(zeros + n)], zeroPadAllowed: f.Precision < 0);
    }

    // ------------------------------------------------------------------ floating point

    /// <summary>%e %E %f %F %g %G %a %A of a double.</summary>
    public static void FormatFloat(ByteBuffer b, in FormatSpec f, double v)
    {
        bool upper = f.Conversion is (byte)'E' or (byte)'F' or (byte)'G' or (byte)'A';
        Span<byte> prefix = stackalloc byte[3];
        int np = 0;
        if (double.IsNegative(v)) prefix[np++] = (byte)'-';
        else if (f.ForceSign) prefix[np++] = (byte)'+';
        else if (f.SpaceSign) prefix[np++] = (byte)' ';
        if (!double.IsFinite(v))
        {
            string text = double.IsNaN(v) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
            Span<byte> t = stackalloc byte[3];
            for (int i = 0; i < 3; i++) t[i] = (byte)text[i];
            Emit(b, f, prefix[..np], t, zeroPadAllowed: false);
            return;
        }
        double a = Math.Abs(v);
        // The body is written in place; padding is inserted afterwards, when its length is known.
        int start = b.Length;
        b.Add(prefix[..np]);
        if ((f.Conversion | 0x20) == 'a') b.Add(upper ? "0X"u8 : "0x"u8);
        int bodyStart = b.Length;
        switch (f.Conversion | 0x20)
        {
            case 'f':
                AppendFixed(b, a, f.Precision < 0 ? 6 : f.Precision, f.Alternate);
                break;
            case 'e':
                AppendExponent(b, a, f.Precision < 0 ? 6 : f.Precision, f.Alternate, upper);
                break;
            case 'g':
                AppendGeneral(b, a, f.Precision < 0 ? 6 : f.Precision, f.Alternate, upper);
                break;
            default:
                AppendHex(b, a, f.Precision, f.Alternate, upper);
                break;
        }
        int pad = f.Width - (b.Length - start);
        if (pad <= 0) return;
        if (f.LeftAlign) b.AddRepeated((byte)' ', pad);
        else if (f.ZeroPad) b.Insert(bodyStart, (byte)'0', pad);
        else b.Insert(start, (byte)' ', pad);
    }

    /// <summary>The exact value of a finite double as mantissa * 2^exponent.</summary>
    private static (ulong Mantissa, int Exponent) Decompose(double a)
    {
        long bits = BitConverter.DoubleToInt64Bits(a);
        int biased = (int)((bits >> 52) & 0x7FF);
        ulong frac = (ulong)bits & ((1UL << 52) - 1);
        return biased == 0 ? (frac, -1074) : (frac | (1UL << 52), biased - 1075);
    }

    // Room for the digits of any rounded value: 309 integer digits of a double plus 99 decimals.
    private const int MaxDigits = 420;

    private static readonly BigInteger[] PowersOfTen = BuildPowersOfTen();

    private static BigInteger[] BuildPowersOfTen()
    {
        var p = new BigInteger[MaxDigits + 330];
        p[0] = BigInteger.One;
        for (int i = 1; i < p.Length; i++) p[i] = p[i - 1] * 10;
        return p;
    }

    private static readonly UInt128[] PowersOfTen128 = BuildPowersOfTen128();

    private static UInt128[] BuildPowersOfTen128()
    {
        var p = new UInt128[39];   // 10^38 < 2^127
        p[0] = 1;
        for (int i = 1; i < p.Length; i++) p[i] = p[i - 1] * 10;
        return p;
    }

    /// <summary>Writes round(a * 10^scale) (a finite, positive; scale may be negative) as decimal
    /// digits, halfway cases to even. Returns the digit count ("0" for zero) and whether
    /// rounding went up, so the caller can tell the floor.</summary>
    private static int ScaledDigits(double a, int scale, Span<byte> dst, out bool roundedUp)
    {
        (ulong m, int e) = Decompose(a);
        if (TryScaledFast(m, e, scale, out UInt128 q, out int half))
        {
            roundedUp = half > 0 || (half == 0 && (q & 1) != 0);
            if (roundedUp) q++;
            return WriteDigits(q, dst);
        }
        // General case: a * 10^scale = num / den with big integers.
        BigInteger num = new(m), den = BigInteger.One;
        if (e >= 0) num <<= e; else den <<= -e;
        if (scale >= 0) num *= PowersOfTen[scale]; else den *= PowersOfTen[-scale];
        BigInteger n = BigInteger.DivRem(num, den, out BigInteger r);
        int c = (r << 1).CompareTo(den);
        roundedUp = c > 0 || (c == 0 && !n.IsEven);
        if (roundedUp) n += 1;
        string text = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (int i = 0; i < text.Length; i++) dst[i] = (byte)text[i];
        return text.Length;
    }

    /// <summary>floor(m * 2^e * 10^scale) in 128 bits when everything fits, with the sign of
    /// (remainder - half) in <paramref name="half"/>.</summary>
    private static bool TryScaledFast(ulong m, int e, int scale, out UInt128 q, out int half)
    {
        q = 0;
        half = -1;
        UInt128 num, den;
        if (scale >= 0)
        {
            if (scale > 19) return false;
            num = (UInt128)m * PowersOfTen128[scale];   // < 2^53 * 2^64
            if (e >= 0)
            {
                if (e > 10) return false;
                q = num << e;
                return true;
            }
            int shift = -e;
            if (shift >= 128) return false;
            q = num >> shift;
            UInt128 r = num - (q << shift);
            UInt128 h = (UInt128)1 << (shift - 1);
            half = r.CompareTo(h);
            return true;
        }
        if (-scale > 37) return false;
        den = PowersOfTen128[-scale];
        if (e >= 0)
        {
            if (e > 74) return false;
            num = (UInt128)m << e;
        }
        else
        {
            if (-e > 127 - 123) return false;   // den * 2^-e must stay below 2^127 (10^37 < 2^123)
            num = m;
            den <<= -e;
        }
        q = num / den;
        UInt128 rem = num - q * den;
        half = (rem << 1).CompareTo(den);
        return true;
    }

    private static int WriteDigits(UInt128 q, Span<byte> dst)
    {
        Span<byte> tmp = stackalloc byte[40];
        int n = 0;
        while (q > ulong.MaxValue)
        {
            UInt128 d = q / 10;
            tmp[n++] = (byte)('0' + (int)(q - d * 10));
            q = d;
        }
        ulong v = (ulong)q;
        do
        {
            tmp[n++] = (byte)('0' + (int)(v % 10));
            v /= 10;
        } while (v != 0);
        for (int i = 0; i < n; i++) dst[i] = tmp[n - 1 - i];
        return n;
    }

    /// <summary>%f body: digits of a with <paramref name="precision"/> decimals.</summary>
    private static void AppendFixed(ByteBuffer b, double a, int precision, bool alternate)
    {
        Span<byte> digits = stackalloc byte[MaxDigits];
        int n = a == 0 ? 1 : ScaledDigits(a, precision, digits, out _);
        if (a == 0) digits[0] = (byte)'0';
        if (n <= precision)
        {
            // Fewer digits than decimals: the value is below 1, print its leading zeros.
            b.Add('0');
            if (precision > 0 || alternate) b.Add('.');
            b.AddRepeated((byte)'0', precision - n);
            b.Add(digits[..n]);
            return;
        }
        int intLen = n - precision;
        b.Add(digits[..intLen]);
        if (precision > 0 || alternate) b.Add('.');
        b.Add(digits[intLen..n]);
    }

    /// <summary>The first precision+1 significant digits of a (rounded, into dst) and the
    /// decimal exponent of the first one. Carried tells that rounding added a digit (9.9 -> 10).
    /// a is finite and positive.</summary>
    private static (int Exponent, bool Carried) SignificantDigits(double a, int precision, Span<byte> dst)
    {
        int x = (int)Math.Floor(Math.Log10(a));
        int want = precision + 1;
        for (; ; )
        {
            // round(a / 10^(x - precision)) must have exactly precision+1 digits; Log10 may be
            // one off near powers of ten, which the digit count shows.
            int n = ScaledDigits(a, precision - x, dst, out bool up);
            bool isPowerOfTen = dst[0] == '1' && dst[1..n].IndexOfAnyExcept((byte)'0') < 0;
            if (n > want)
            {
                if (n == want + 1 && up && isPowerOfTen)
                {
                    // The floor had precision+1 digits: rounding carried into a new one.
                    return (x + 1, true);
                }
                x++;
                continue;
            }
            if (n < want || (up && isPowerOfTen))   // the floor had too few digits
            {
                x--;
                continue;
            }
            return (x, false);
        }
    }

    private static void AppendExponentSuffix(ByteBuffer b, int x, bool upper)
    {
        b.Add(upper ? 'E' : 'e');
        b.Add(x < 0 ? '-' : '+');
        int ax = Math.Abs(x);
        if (ax < 10) b.Add('0');
        b.AddAscii(ax.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>%e body.</summary>
    private static void AppendExponent(ByteBuffer b, double a, int precision, bool alternate, bool upper)
    {
        Span<byte> digits = stackalloc byte[MaxDigits];
        int x = 0;
        if (a == 0) digits[..(precision + 1)].Fill((byte)'0');
        else x = SignificantDigits(a, precision, digits).Exponent;
        b.Add(digits[0]);
        if (precision > 0 || alternate) b.Add('.');
        b.Add(digits[1..(precision + 1)]);
        AppendExponentSuffix(b, x, upper);
    }

    /// <summary>%g body: %e or %f style by the exponent, trailing zeros removed unless '#'.</summary>
    private static void AppendGeneral(ByteBuffer b, double a, int precision, bool alternate, bool upper)
    {
        if (precision == 0) precision = 1;
        Span<byte> buffer = stackalloc byte[MaxDigits];
        int x = 0;
        bool carried = false;
        if (a == 0) buffer[..precision].Fill((byte)'0');
        else (x, carried) = SignificantDigits(a, precision - 1, buffer);
        ReadOnlySpan<byte> digits = buffer[..precision];
        if (alternate && carried && x == precision)
        {
            // glibc quirk: it chose style f before rounding (no decimals, as x - 1 == precision - 1)
            // and keeps that digit count when the carry moves it to style e: 999999.5 -> "1.e+06".
            digits = digits[..1];
        }
        else if (!alternate)
        {
            int keep = digits.Length;
            while (keep > 1 && digits[keep - 1] == '0') keep--;
            digits = digits[..keep];
        }
        if (x < -4 || x >= precision)
        {
            b.Add(digits[0]);
            if (digits.Length > 1 || alternate) b.Add('.');
            b.Add(digits[1..]);
            AppendExponentSuffix(b, x, upper);
            return;
        }
        if (x >= 0)
        {
            // x < precision, so the integer part needs at most the digits there are, padded with 0s.
            if (digits.Length > x + 1)
            {
                b.Add(digits[..(x + 1)]);
                b.Add('.');
                b.Add(digits[(x + 1)..]);
            }
            else
            {
                b.Add(digits);
                b.AddRepeated((byte)'0', x + 1 - digits.Length);
                if (alternate) b.Add('.');
            }
        }
        else
        {
            b.AddAscii("0.");
            b.AddRepeated((byte)'0', -x - 1);
            b.Add(digits);
        }
    }

    /// <summary>%a body after "0x": glibc's form, h.hhhp±d, with the leading digit 1 for normal
    /// numbers and 0 for zero and subnormals (exponent -1022). A precision rounds the hex
    /// digits to even and a carry may make the leading digit 2.</summary>
    private static void AppendHex(ByteBuffer b, double a, int precision, bool alternate, bool upper)
    {
        long bits = BitConverter.DoubleToInt64Bits(a);
        int biased = (int)((bits >> 52) & 0x7FF);
        ulong frac = (ulong)bits & ((1UL << 52) - 1);
        int lead = biased == 0 ? 0 : 1;
        int exp = a == 0 ? 0 : biased == 0 ? -1022 : biased - 1023;
        string hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
        int ndigits;
        if (precision < 0)
        {
            ndigits = 13;
            while (ndigits > 0 && ((frac >> (4 * (13 - ndigits))) & 0xF) == 0) ndigits--;
            frac >>= 4 * (13 - ndigits);
        }
        else if (precision < 13)
        {
            int shift = 4 * (13 - precision);
            ulong kept = frac >> shift;
            ulong rest = frac & ((1UL << shift) - 1);
            ulong half = 1UL << (shift - 1);
            ulong lastDigit = precision == 0 ? (ulong)lead : kept;
            if (rest > half || (rest == half && (lastDigit & 1) != 0))
            {
                kept++;
                if (kept >> (4 * precision) != 0)
                {
                    lead++;
                    kept &= (1UL << (4 * precision)) - 1;
                }
            }
            frac = kept;
            ndigits = precision;
        }
        else ndigits = 13;
        b.Add((byte)('0' + lead));
        if (ndigits > 0 || alternate || precision > 0) b.Add('.');
        for (int i = ndigits - 1; i >= 0; i--) b.Add((byte)hex[(int)((frac >> (4 * i)) & 0xF)]);
        if (precision > 13) b.AddRepeated((byte)'0', precision - 13);
        b.Add(upper ? 'P' : 'p');
        b.Add(exp < 0 ? '-' : '+');
        b.AddAscii(Math.Abs(exp).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
