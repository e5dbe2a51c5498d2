using System.Numerics;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using static Tiered.Interpreter.Lib.LibraryHelpers;

namespace Tiered.Interpreter.Lib;

/// <summary>The mathematical library (Lua 5.4 manual §6.7). Results, subtypes and messages
/// follow lua5.4 (5.4.4): functions that round return integers when the result fits, and
/// math.random is xoshiro256** seeded the way lua5.4 seeds it, so seeded sequences match.</summary>
public static unsafe class MathLib
{
    public static void Open(LuaState L)
    {
        LuaTable* math = NewLibrary(L,
            "math",
            [
                ("abs", Abs), ("ceil", Ceil), ("floor", Floor), ("fmod", FMod), ("modf", ModF),
                ("max", Max), ("min", Min), ("sqrt", Sqrt), ("sin", Sin), ("cos", Cos), ("tan", Tan),
                ("asin", Asin), ("acos", Acos), ("atan", Atan), ("exp", Exp), ("log", Log),
                ("tointeger", ToInteger), ("type", Type), ("ult", Ult), ("deg", Deg), ("rad", Rad),
                // lua5.4 as distributed (Debian, Ubuntu) is built with LUA_COMPAT_MATHLIB, so
                // scripts can see these 5.2-era functions; they are kept for compatibility.
                ("atan2", Atan), ("cosh", Cosh), ("sinh", Sinh), ("tanh", Tanh), ("pow", Pow),
                ("frexp", FrExp), ("ldexp", LdExp), ("log10", Log10),
            ]);
        MarkIntrinsic(L, math, "sqrt", HostIntrinsic.MathSqrt);
        MarkIntrinsic(L, math, "abs", HostIntrinsic.MathAbs);
        MarkIntrinsic(L, math, "floor", HostIntrinsic.MathFloor);
        MarkIntrinsic(L, math, "ceil", HostIntrinsic.MathCeil);
        MarkIntrinsic(L, math, "min", HostIntrinsic.MathMin);
        MarkIntrinsic(L, math, "max", HostIntrinsic.MathMax);
        SetValue(L, math, "pi", Value.Float(Math.PI));
        SetValue(L, math, "huge", Value.Float(double.PositiveInfinity));
        SetValue(L, math, "maxinteger", Value.Int(long.MaxValue));
        SetValue(L, math, "mininteger", Value.Int(long.MinValue));

        // random and randomseed share their generator state through an upvalue, as in lua5.4,
        // so each state has its own sequence.
        Userdata* state = L.NewUserdata(sizeof(Xoshiro256));
        Value stateValue = Value.Object(state, Tag.Userdata);
        Xoshiro256* rng = RandomState(state);
        rng->Seed((ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds(), (ulong)System.Random.Shared.NextInt64());
        SetValue(L, math, "random", NewClosureWithState(L, Random, "random", stateValue));
        SetValue(L, math, "randomseed", NewClosureWithState(L, RandomSeed, "randomseed", stateValue));
    }

    private static Value NewClosureWithState(LuaState L, HostFunction fn, string name, in Value state)
    {
        HostClosure* c = L.NewHostClosure(L.RegisterHostFunction(fn, name), 1);
        HostClosure.Upvalues(c)[0] = state;
        return Value.Object(c, Tag.HostFunction);
    }

    // ------------------------------------------------------------------ rounding

    /// <summary>Pushes a float that holds an integral value as an integer when it fits
    /// (lua5.4's floor/ceil/modf results), otherwise as the float itself.</summary>
    private static void PushIntegralFloat(LuaState L, double d)
    {
        if (Numbers.FloatToInteger(d, out long i)) L.PushInteger(i);
        else L.PushNumber(d);
    }

    private static int Abs(LuaState L, int argc)
    {
        // Only a true integer keeps its subtype: strings go through the float path, as in lua5.4.
        Value v = L.Arg(1);
        if (v.Tag == Tag.Integer) L.PushInteger(v.I < 0 ? unchecked(0 - v.I) : v.I);
        else L.PushNumber(Math.Abs(L.CheckNumber(1)));
        return 1;
    }

    private static int Floor(LuaState L, int argc)
    {
        Value v = L.Arg(1);
        if (v.Tag == Tag.Integer) L.Push(v);
        else PushIntegralFloat(L, Math.Floor(L.CheckNumber(1)));
        return 1;
    }

    private static int Ceil(LuaState L, int argc)
    {
        Value v = L.Arg(1);
        if (v.Tag == Tag.Integer) L.Push(v);
        else PushIntegralFloat(L, Math.Ceiling(L.CheckNumber(1)));
        return 1;
    }

    private static int FMod(LuaState L, int argc)
    {
        Value a = L.Arg(1), b = L.Arg(2);
        if (a.Tag == Tag.Integer && b.Tag == Tag.Integer)
        {
            long d = b.I;
            if ((ulong)d + 1 <= 1)
            {
                // d is 0 or -1: the C remainder would trap on both.
                if (d == 0) throw L.ArgError(2, "zero");
                L.PushInteger(0);
            }
            else L.PushInteger(a.I % d);   // truncated remainder, like C's %
            return 1;
        }
        // The % operator on doubles is C's fmod (truncated remainder). lua5.4 checks both
        // arguments in one call's argument list, which its compiler evaluates right to left:
        // with both wrong, the second is the one named.
        double y = L.CheckNumber(2);
        L.PushNumber(L.CheckNumber(1) % y);
        return 1;
    }

    private static int ModF(LuaState L, int argc)
    {
        Value v = L.Arg(1);
        if (v.Tag == Tag.Integer)
        {
            L.Push(v);
            L.PushNumber(0.0);
            return 2;
        }
        double n = L.CheckNumber(1);
        double ip = n < 0 ? Math.Ceiling(n) : Math.Floor(n);
        PushIntegralFloat(L, ip);
        // The fraction of an infinity is 0, not inf - inf.
        L.PushNumber(n == ip ? 0.0 : n - ip);
        return 2;
    }

    // ------------------------------------------------------------------ comparisons

    // max and min compare their arguments with the '<' operator (metamethods included) and
    // return the winning argument itself, so math.max("a", "b") is "b", as in lua5.4.
    private static int Max(LuaState L, int argc)
    {
        if (argc < 1) throw L.ArgError(1, "value expected");
        int best = 1;
        for (int i = 2; i <= argc; i++)
            if (L.LessThan(*L.ArgSlot(best), *L.ArgSlot(i))) best = i;
        L.Push(L.Arg(best));
        return 1;
    }

    private static int Min(LuaState L, int argc)
    {
        if (argc < 1) throw L.ArgError(1, "value expected");
        int best = 1;
        for (int i = 2; i <= argc; i++)
            if (L.LessThan(*L.ArgSlot(i), *L.ArgSlot(best))) best = i;
        L.Push(L.Arg(best));
        return 1;
    }

    private static int Ult(LuaState L, int argc)
    {
        long a = L.CheckInteger(1), b = L.CheckInteger(2);
        L.PushBoolean((ulong)a < (ulong)b);
        return 1;
    }

    // ------------------------------------------------------------------ functions of floats

    private static int Sqrt(LuaState L, int argc) { L.PushNumber(Math.Sqrt(L.CheckNumber(1))); return 1; }
    private static int Sin(LuaState L, int argc) { L.PushNumber(Math.Sin(L.CheckNumber(1))); return 1; }
    private static int Cos(LuaState L, int argc) { L.PushNumber(Math.Cos(L.CheckNumber(1))); return 1; }
    private static int Tan(LuaState L, int argc) { L.PushNumber(Math.Tan(L.CheckNumber(1))); return 1; }
    private static int Asin(LuaState L, int argc) { L.PushNumber(Math.Asin(L.CheckNumber(1))); return 1; }
    private static int Acos(LuaState L, int argc) { L.PushNumber(Math.Acos(L.CheckNumber(1))); return 1; }
    private static int Exp(LuaState L, int argc) { L.PushNumber(Math.Exp(L.CheckNumber(1))); return 1; }

    private static int Deg(LuaState L, int argc) { L.PushNumber(L.CheckNumber(1) * (180.0 / Math.PI)); return 1; }
    private static int Rad(LuaState L, int argc) { L.PushNumber(L.CheckNumber(1) * (Math.PI / 180.0)); return 1; }

    private static int Atan(LuaState L, int argc)
    {
        double y = L.CheckNumber(1);
        double x = L.OptNumber(2, 1.0);
        L.PushNumber(Math.Atan2(y, x));
        return 1;
    }

    private static int Log(LuaState L, int argc)
    {
        double x = L.CheckNumber(1);
        double result;
        if (L.IsNoneOrNil(2)) result = NaturalLog(x);
        else
        {
            // Bases 2 and 10 use the dedicated functions, which are exact on powers of the base.
            double b = L.CheckNumber(2);
            result = b == 2.0 ? Log2(x) : b == 10.0 ? Math.Log10(x) : NaturalLog(x) / NaturalLog(b);
        }
        L.PushNumber(result);
        return 1;
    }

    // ------------------------------------------------------------------ compatibility functions

    private static int Cosh(LuaState L, int argc) { L.PushNumber(Math.Cosh(L.CheckNumber(1))); return 1; }
    private static int Sinh(LuaState L, int argc) { L.PushNumber(Math.Sinh(L.CheckNumber(1))); return 1; }
    private static int Tanh(LuaState L, int argc) { L.PushNumber(Math.Tanh(L.CheckNumber(1))); return 1; }
    private static int Log10(LuaState L, int argc) { L.PushNumber(Math.Log10(L.CheckNumber(1))); return 1; }

    private static int Pow(LuaState L, int argc)
    {
        double x = L.CheckNumber(1), y = L.CheckNumber(2);
        L.PushNumber(Math.Pow(x, y));
        return 1;
    }

    /// <summary>frexp: x = m * 2^e with 0.5 &lt;= |m| &lt; 1; zeros, infinities and NaN come back
    /// unchanged with e = 0, as glibc does.</summary>
    private static int FrExp(LuaState L, int argc)
    {
        double x = L.CheckNumber(1);
        if (x == 0 || !double.IsFinite(x))
        {
            L.PushNumber(x);
            L.PushInteger(0);
            return 2;
        }
        int e = Math.ILogB(x) + 1;
        L.PushNumber(Math.ScaleB(x, -e));
        L.PushInteger(e);
        return 2;
    }

    private static int LdExp(LuaState L, int argc)
    {
        double x = L.CheckNumber(1);
        int e = unchecked((int)L.CheckInteger(2));   // C's (int) cast: the exponent wraps to 32 bits
        L.PushNumber(Math.ScaleB(x, e));
        return 1;
    }

    // glibc's log and log2 return a NaN with the sign bit set for negative arguments, which
    // lua5.4 prints as "-nan"; .NET returns a positive NaN ("nan"). log10 agrees on both.
    private static readonly double NegativeNaN = BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8_0000_0000_0000));

    private static double NaturalLog(double x) => x < 0 ? NegativeNaN : Math.Log(x);

    private static double Log2(double x) => x < 0 ? NegativeNaN : Math.Log2(x);

    // ------------------------------------------------------------------ number subtypes

    private static int ToInteger(LuaState L, int argc)
    {
        // lua5.4.4 converts strings too: math.tointeger("8") is 8.
        if (LuaState.TryToInteger(L.Arg(1), out long i)) L.PushInteger(i);
        else
        {
            L.CheckAny(1);
            L.PushNil();
        }
        return 1;
    }

    private static int Type(LuaState L, int argc)
    {
        Value v = L.Arg(1);
        if (v.Tag == Tag.Integer) L.PushString("integer");
        else if (v.Tag == Tag.Float) L.PushString("float");
        else
        {
            L.CheckAny(1);
            L.PushNil();
        }
        return 1;
    }

    // ------------------------------------------------------------------ pseudo-random numbers

    private static Xoshiro256* RandomState(Userdata* u) => (Xoshiro256*)(u + 1);

    private static Xoshiro256* RandomStateOf(LuaState L) => RandomState((Userdata*)L.HostUpvalues[0].P);

    private static int Random(LuaState L, int argc)
    {
        Xoshiro256* rng = RandomStateOf(L);
        // The draw comes first: a call with bad arguments still advances the generator.
        ulong rv = rng->Next();
        long low, up;
        switch (argc)
        {
            case 0:
                L.PushNumber(Xoshiro256.ToUnitFloat(rv));
                return 1;
            case 1:
                low = 1;
                up = L.CheckInteger(1);
                if (up == 0)
                {
                    // random(0): all 64 bits as an integer.
                    L.PushInteger((long)rv);
                    return 1;
                }
                break;
            case 2:
                low = L.CheckInteger(1);
                up = L.CheckInteger(2);
                break;
            default:
                throw L.RuntimeError("wrong number of arguments");
        }
        if (low > up) throw L.ArgError(1, "interval is empty");
        ulong offset = rng->Project(rv, unchecked((ulong)up - (ulong)low));
        L.PushInteger(unchecked((long)(offset + (ulong)low)));
        return 1;
    }

    private static int RandomSeed(LuaState L, int argc)
    {
        Xoshiro256* rng = RandomStateOf(L);
        ulong n1, n2;
        if (argc == 0)
        {
            n1 = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            n2 = (ulong)System.Random.Shared.NextInt64();
        }
        else
        {
            n1 = (ulong)L.CheckInteger(1);
            n2 = (ulong)L.OptInteger(2, 0);
        }
        rng->Seed(n1, n2);
        // lua5.4.4 returns the two seed components, so a random seeding can be replayed.
        L.PushInteger((long)n1);
        L.PushInteger((long)n2);
        return 2;
    }

    /// <summary>The xoshiro256** generator (Blackman and Vigna), with lua5.4's seeding and its
    /// conversions to floats and to integer ranges.</summary>
    internal struct Xoshiro256
    {
        public ulong S0, S1, S2, S3;

        /// <summary>lua5.4's seeding: the state {n1, 0xff, n2, 0} (never all zero), then 16
        /// draws are discarded so that close seeds give unrelated sequences.</summary>
        public void Seed(ulong n1, ulong n2)
        {
            S0 = n1;
            S1 = 0xff;
            S2 = n2;
            S3 = 0;
            for (int i = 0; i < 16; i++) Next();
        }

        public ulong Next()
        {
            ulong result = BitOperations.RotateLeft(S1 * 5, 7) * 9;
            ulong t = S1 << 17;
            S2 ^= S0;
            S3 ^= S1;
            S1 ^= S2;
            S0 ^= S3;
            S2 ^= t;
            S3 = BitOperations.RotateLeft(S3, 45);
            return result;
        }

        /// <summary>A float in [0, 1) from the top 53 bits of a draw.</summary>
        public static double ToUnitFloat(ulong rv) => (rv >> 11) * (1.0 / (1UL << 53));

        /// <summary>A value in [0, n] from the draw <paramref name="rv"/>: masks it with the
        /// smallest 2^b - 1 covering n and draws again while the result is above n (no bias).</summary>
        public ulong Project(ulong rv, ulong n)
        {
            if ((n & (n + 1)) == 0) return rv & n;   // n + 1 is a power of 2
            ulong mask = n;
            mask |= mask >> 1;
            mask |= mask >> 2;
            mask |= mask >> 4;
            mask |= mask >> 8;
            mask |= mask >> 16;
            mask |= mask >> 32;
            while ((rv &= mask) > n) rv = Next();
            return rv;
        }
    }
}
