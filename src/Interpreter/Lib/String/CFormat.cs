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
        string hexDigits = f.Conversion == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
        int n = 0;
        for (ulong v = u; v != 0; v /= (ulong)radix) digits[n++] = (byte)hexDigits[(int)(v % (ulong)radix)];
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
        Span<byte> body = zeros + n <= 128 ? stackalloc byte[zeros + n] : new byte[zeros + n];
        body[..zeros].Fill((byte)'0');
        digits[..n].CopyTo(body[zeros..]);
        Emit(b, f, prefix[..np], body, zeroPadAllowed: f.Precision < 0);
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
        var body = new ByteBuffer(32);
        switch (f.Conversion | 0x20)
        {
            case 'f':
                AppendFixed(body, a, f.Precision < 0 ? 6 : f.Precision, f.Alternate);
                break;
            case 'e':
                AppendExponent(body, a, f.Precision < 0 ? 6 : f.Precision, f.Alternate, upper);
                break;
            case 'g':
                AppendGeneral(body, a, f.Precision < 0 ? 6 : f.Precision, f.Alternate, upper);
                break;
            default:
                prefix[np++] = (byte)'0';
                prefix[np++] = (byte)(upper ? 'X' : 'x');
                AppendHex(body, a, f.Precision, f.Alternate, upper);
                break;
        }
        Emit(b, f, prefix[..np], body.Span, zeroPadAllowed: true);
    }

    /// <summary>The exact value of a finite double as mantissa * 2^exponent.</summary>
    private static (ulong Mantissa, int Exponent) Decompose(double a)
    {
        long bits = BitConverter.DoubleToInt64Bits(a);
        int biased = (int)((bits >> 52) & 0x7FF);
        ulong frac = (ulong)bits & ((1UL << 52) - 1);
        return biased == 0 ? (frac, -1074) : (frac | (1UL << 52), biased - 1075);
    }

    private static readonly BigInteger[] PowersOfTen = BuildPowersOfTen();

    private static BigInteger[] BuildPowersOfTen()
    {
        var p = new BigInteger[420];
        p[0] = BigInteger.One;
        for (int i = 1; i < p.Length; i++) p[i] = p[i - 1] * 10;
        return p;
    }

    private static BigInteger Pow10(int n) => n < PowersOfTen.Length ? PowersOfTen[n] : BigInteger.Pow(10, n);

    /// <summary>num / den rounded to the nearest integer, halfway cases to even.</summary>
    private static BigInteger DivideRoundHalfEven(BigInteger num, BigInteger den)
    {
        BigInteger q = BigInteger.DivRem(num, den, out BigInteger r);
        int c = (r * 2).CompareTo(den);
        if (c > 0 || (c == 0 && !q.IsEven)) q += 1;
        return q;
    }

    /// <summary>round(a * 10^precision), exactly. a is finite and not negative.</summary>
    private static BigInteger ScaledRound(double a, int precision)
    {
        (ulong m, int e) = Decompose(a);
        if (m == 0) return BigInteger.Zero;
        if (e >= 0) return (new BigInteger(m) << e) * Pow10(precision);
        int shift = -e;
        if (precision <= 19 && shift < 128)
        {
            // Fast path: m < 2^53 and 10^19 < 2^64, so the product fits in 128 bits.
            UInt128 prod = (UInt128)m * Pow10U64(precision);
            UInt128 q = prod >> shift;
            UInt128 r = prod - (q << shift);
            UInt128 half = (UInt128)1 << (shift - 1);
            if (r > half || (r == half && (q & 1) != 0)) q++;
            return (BigInteger)q;
        }
        return DivideRoundHalfEven(new BigInteger(m) * Pow10(precision), BigInteger.One << shift);
    }

    private static ulong Pow10U64(int n)
    {
        ulong p = 1;
        for (int i = 0; i < n; i++) p *= 10;
        return p;
    }

    /// <summary>%f body: digits of a with <paramref name="precision"/> decimals.</summary>
    private static void AppendFixed(ByteBuffer b, double a, int precision, bool alternate)
    {
        string digits = ScaledRound(a, precision).ToString();
        if (digits.Length <= precision) digits = new string('0', precision - digits.Length + 1) + digits;
        int intLen = digits.Length - precision;
        b.AddAscii(digits[..intLen]);
        if (precision > 0 || alternate) b.Add('.');
        b.AddAscii(digits[intLen..]);
    }

    /// <summary>The first precision+1 significant digits of a (rounded) and the decimal
    /// exponent of the first one. a is finite and positive.</summary>
    private static (string Digits, int Exponent) SignificantDigits(double a, int precision)
    {
        (ulong m, int e) = Decompose(a);
        int x = (int)Math.Floor(Math.Log10(a));
        BigInteger value = new(m);
        BigInteger lower = Pow10(precision), upper = Pow10(precision + 1);
        for (; ; )
        {
            // a / 10^(x - precision) = num / den
            BigInteger num = value, den = BigInteger.One;
            if (e >= 0) num <<= e; else den <<= -e;
            int scale = precision - x;
            if (scale >= 0) num *= Pow10(scale); else den *= Pow10(-scale);
            BigInteger q = BigInteger.Divide(num, den);
            // Log10 may be one off near powers of ten: correct the exponent first.
            if (q >= upper) { x++; continue; }
            if (q < lower) { x--; continue; }
            BigInteger n = DivideRoundHalfEven(num, den);
            if (n == upper)
            {
                n = lower;
                x++;
            }
            return (n.ToString(), x);
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
        (string digits, int x) = a == 0 ? (new string('0', precision + 1), 0) : SignificantDigits(a, precision);
        b.Add((byte)digits[0]);
        if (precision > 0 || alternate) b.Add('.');
        b.AddAscii(digits[1..]);
        AppendExponentSuffix(b, x, upper);
    }

    /// <summary>%g body: %e or %f style by the exponent, trailing zeros removed unless '#'.</summary>
    private static void AppendGeneral(ByteBuffer b, double a, int precision, bool alternate, bool upper)
    {
        if (precision == 0) precision = 1;
        (string digits, int x) = a == 0 ? (new string('0', precision), 0) : SignificantDigits(a, precision - 1);
        if (!alternate)
        {
            int keep = digits.Length;
            while (keep > 1 && digits[keep - 1] == '0') keep--;
            digits = digits[..keep];
        }
        if (x < -4 || x >= precision)
        {
            b.Add((byte)digits[0]);
            if (digits.Length > 1 || alternate) b.Add('.');
            b.AddAscii(digits[1..]);
            AppendExponentSuffix(b, x, upper);
            return;
        }
        if (x >= 0)
        {
            // digits has at most precision digits and x < precision.
            string intPart = digits.Length > x + 1 ? digits[..(x + 1)] : digits + new string('0', x + 1 - digits.Length);
            string fracPart = digits.Length > x + 1 ? digits[(x + 1)..] : "";
            b.AddAscii(intPart);
            if (fracPart.Length > 0 || alternate) b.Add('.');
            b.AddAscii(fracPart);
        }
        else
        {
            b.AddAscii("0.");
            b.AddRepeated((byte)'0', -x - 1);
            b.AddAscii(digits);
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
