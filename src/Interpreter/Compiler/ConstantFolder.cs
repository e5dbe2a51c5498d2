namespace Tiered.Interpreter.Compiler;

/// <summary>Operators as the code generator sees them (independent of the syntax tree's enums).</summary>
internal enum BinOpr : byte
{
    // Arithmetic and bitwise, in the order of the *K / register opcodes.
    Add, Sub, Mul, Mod, Pow, Div, IDiv, BAnd, BOr, BXor, Shl, Shr,
    Concat,
    Eq, Ne, Lt, Le, Gt, Ge,
    And, Or,
}

internal enum UnOpr : byte { Minus, BNot, Not, Len }

/// <summary>
/// Compile-time evaluation of arithmetic on numeric literals, with Lua 5.4 semantics
/// (integer wraparound, floor division and modulo, '^' and '/' always float, bitwise
/// operations only on floats with an exact integer value). Folding is skipped whenever the
/// operation could raise an error at run time or produce NaN or a float zero, as the
/// reference compiler does: the run-time error (or the sign of -0.0) must stay observable.
/// </summary>
internal static class ConstantFolder
{
    /// <summary>Folds <paramref name="a"/> op <paramref name="b"/>; for unary minus and bnot pass b = integer 0.</summary>
    public static bool TryFold(BinOpr op, in ExpDesc a, in ExpDesc b, out ExpDesc result, bool unaryMinus = false, bool unaryBNot = false)
    {
        result = default;
        if (!a.IsNumeral || !b.IsNumeral) return false;
        bool aInt = a.Kind == ExpKind.KInt, bInt = b.Kind == ExpKind.KInt;
        long ai = a.IntValue, bi = b.IntValue;
        double af = aInt ? ai : a.FloatValue, bf = bInt ? bi : b.FloatValue;

        if (unaryMinus)
            return Accept(aInt ? ExpDesc.Int(unchecked(0 - ai)) : ExpDesc.Flt(-af), out result);
        if (unaryBNot)
        {
            if (!ToInteger(a, out long x)) return false;
            return Accept(ExpDesc.Int(~x), out result);
        }

        switch (op)
        {
            case BinOpr.BAnd: case BinOpr.BOr: case BinOpr.BXor: case BinOpr.Shl: case BinOpr.Shr:
            {
                if (!ToInteger(a, out long x) || !ToInteger(b, out long y)) return false;
                long r = op switch
                {
                    BinOpr.BAnd => x & y,
                    BinOpr.BOr => x | y,
                    BinOpr.BXor => x ^ y,
                    BinOpr.Shl => ShiftLeft(x, y),
                    _ => ShiftLeft(x, unchecked(0 - y)),
                };
                return Accept(ExpDesc.Int(r), out result);
            }
            case BinOpr.Div: case BinOpr.IDiv: case BinOpr.Mod:
                if (bf == 0) return false;  // division by zero: error or inf/nan, left to run time
                break;
        }

        if (aInt && bInt && op is not (BinOpr.Div or BinOpr.Pow))
        {
            long r = op switch
            {
                BinOpr.Add => unchecked(ai + bi),
                BinOpr.Sub => unchecked(ai - bi),
                BinOpr.Mul => unchecked(ai * bi),
                BinOpr.IDiv => IntFloorDiv(ai, bi),
                BinOpr.Mod => IntFloorMod(ai, bi),
                _ => throw new InvalidOperationException("not an arithmetic operator"),
            };
            return Accept(ExpDesc.Int(r), out result);
        }

        double f = op switch
        {
            BinOpr.Add => af + bf,
            BinOpr.Sub => af - bf,
            BinOpr.Mul => af * bf,
            BinOpr.Div => af / bf,
            BinOpr.Pow => bf == 2 ? af * af : Math.Pow(af, bf),
            BinOpr.IDiv => Math.Floor(af / bf),
            BinOpr.Mod => FloatFloorMod(af, bf),
            _ => throw new InvalidOperationException("not an arithmetic operator"),
        };
        return Accept(ExpDesc.Flt(f), out result);
    }

    private static bool Accept(ExpDesc r, out ExpDesc result)
    {
        result = r;
        // Neither NaN nor a float zero is folded (the latter to keep -0.0 distinct from 0.0).
        return r.Kind != ExpKind.KFlt || !(double.IsNaN(r.FloatValue) || r.FloatValue == 0);
    }

    private static bool ToInteger(in ExpDesc e, out long v)
    {
        if (e.Kind == ExpKind.KInt) { v = e.IntValue; return true; }
        return FloatToInteger(e.FloatValue, out v);
    }

    /// <summary>Exact float-to-integer conversion (fails for fractions, NaN and out-of-range values).</summary>
    public static bool FloatToInteger(double d, out long v)
    {
        v = 0;
        if (Math.Floor(d) != d || d < -9.2233720368547758E18 || d >= 9.2233720368547758E18) return false;
        v = (long)d;
        return true;
    }

    public static long ShiftLeft(long x, long y)
    {
        if (y < 0) return y <= -64 ? 0 : (long)((ulong)x >> (int)-y);
        return y >= 64 ? 0 : x << (int)y;
    }

    public static long IntFloorDiv(long a, long b)
    {
        if (b == -1) return unchecked(0 - a);  // avoids the overflow trap of MinValue / -1
        long q = a / b;
        if ((a % b != 0) && ((a ^ b) < 0)) q--;
        return q;
    }

    public static long IntFloorMod(long a, long b)
    {
        if (b == -1) return 0;
        long m = a % b;
        if (m != 0 && (m ^ b) < 0) m += b;
        return m;
    }

    public static double FloatFloorMod(double a, double b)
    {
        double m = a % b;  // C# % on doubles is C fmod: truncated, with the sign of a
        if (m > 0 ? b < 0 : (m < 0 && b > 0)) m += b;  // signs differ: floor instead of truncate
        return m;
    }
}
