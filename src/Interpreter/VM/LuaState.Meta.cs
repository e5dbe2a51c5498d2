using System.Runtime.CompilerServices;
using Tiered.Interpreter.Runtime;

namespace Tiered.Interpreter.VM;

// Slow paths shared by the interpreter, the library and (later) native code: metamethod
// lookup and dispatch, indexing chains, arithmetic with coercions, comparisons, concatenation
// and tostring. Values passed by `in` reference keep their stack address, which is how error
// messages find the variable name of an operand ("local 'a'").
public sealed unsafe partial class LuaState
{
    internal const int MaxTagLoop = 2000;

    public LuaTable* GetMetatable(in Value v) => v.Tag switch
    {
        Tag.Table => v.AsTable->Metatable,
        Tag.Userdata => ((Userdata*)v.P)->Metatable,
        Tag.String => StringMetatable,
        _ => TypeMetatables[(int)v.Tag],
    };

    /// <summary>Metamethod of a metatable, using the absence cache for the first eight events.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Value* FastMeta(LuaTable* mt, MetaEvent e)
    {
        if (mt == null) return TableOps.Absent;
        if ((int)e < 8 && (mt->Header.Flags & (1 << (int)e)) != 0) return TableOps.Absent;
        Value* tm = TableOps.GetShortString(mt, MetaNames[(int)e]);
        if (tm->Tag == Tag.Nil && (int)e < 8) mt->Header.Flags |= (byte)(1 << (int)e);
        return tm;
    }

    public Value* MetaOf(in Value v, MetaEvent e) => FastMeta(GetMetatable(v), e);

    // ------------------------------------------------------------------ calling metamethods

    /// <summary>Calls f(a, b) from host code and returns its first result.</summary>
    public Value CallMeta(in Value f, in Value a, in Value b)
    {
        Value* top = Thread->Top;
        CheckStackRoom(top, 4);
        top[0] = f; top[1] = a; top[2] = b;
        Thread->Top = top + 3;
        Call(top, 2, 1);
        Thread->Top = top;
        return top[0];
    }

    public void CallMetaNoResult(in Value f, in Value a, in Value b, in Value c)
    {
        Value* top = Thread->Top;
        CheckStackRoom(top, 5);
        top[0] = f; top[1] = a; top[2] = b; top[3] = c;
        Thread->Top = top + 4;
        Call(top, 3, 0);
        Thread->Top = top;
    }

    private void CheckStackRoom(Value* at, int n)
    {
        if (at + n > Thread->StackLimit) throw VmError("stack overflow");
        if (at + n > Thread->HighWater) Thread->HighWater = at + n;
    }

    // ------------------------------------------------------------------ indexing

    public Value Index(in Value obj, in Value key)
    {
        Value t = obj;
        for (int loop = 0; loop < MaxTagLoop; loop++)
        {
            Value* tm;
            if (t.Tag == Tag.Table)
            {
                Value* slot = TableOps.Get(t.AsTable, key);
                if (slot->Tag != Tag.Nil) return *slot;
                tm = FastMeta(t.AsTable->Metatable, MetaEvent.Index);
                if (tm->Tag == Tag.Nil) return default;
            }
            else
            {
                tm = MetaOf(t, MetaEvent.Index);
                if (tm->Tag == Tag.Nil)
                {
                    if (loop == 0) throw OperandError(obj, "index", key);
                    throw OperandError(t, "index", key);
                }
            }
            if (tm->IsFunction) return CallMeta(*tm, t, key);
            t = *tm;
        }
        throw VmError("'__index' chain too long; possible loop");
    }

    /// <summary>The lookup Index does for a string key that table <paramref name="t"/> lacks,
    /// as long as every __index on the way is a table (objects and their classes): the slot
    /// found, Absent when the chain ends without the key, or null when a function or anything
    /// but a table comes next, which Index must handle.</summary>
    internal Value* GetStringViaIndexTables(LuaTable* t, LuaString* key) => IndexCache.Lookup(Shared, t, key);

    public void SetIndex(in Value obj, in Value key, in Value val)
    {
        Value t = obj;
        for (int loop = 0; loop < MaxTagLoop; loop++)
        {
            Value* tm;
            if (t.Tag == Tag.Table)
            {
                LuaTable* h = t.AsTable;
                Value* slot = TableOps.Get(h, key);
                if (slot->Tag != Tag.Nil)
                {
                    *slot = val;
                    slot->Aux = 0;
                    if (key.Tag == Tag.String) IndexCache.NoteReplace(Shared, h, key.AsString);
                    return;
                }
                tm = FastMeta(h->Metatable, MetaEvent.NewIndex);
                if (tm->Tag == Tag.Nil) { RawSet(h, key, val); return; }
            }
            else
            {
                tm = MetaOf(t, MetaEvent.NewIndex);
                if (tm->Tag == Tag.Nil)
                {
                    if (loop == 0) throw OperandError(obj, "index", key);
                    throw OperandError(t, "index", key);
                }
            }
            if (tm->IsFunction) { CallMetaNoResult(*tm, t, key, val); return; }
            t = *tm;
        }
        throw VmError("'__newindex' chain too long; possible loop");
    }

    /// <summary>rawset with Lua's key checks ("table index is nil"/"NaN").</summary>
    public void RawSet(LuaTable* t, in Value key, in Value val)
    {
        Value k = key;
        if (k.Tag == Tag.Nil) throw VmError("table index is nil");
        if (k.Tag == Tag.Float)
        {
            if (double.IsNaN(k.D)) throw VmError("table index is NaN");
            if (Numbers.FloatToInteger(k.D, out long i)) k = Value.Int(i);
        }
        if (k.Tag == Tag.String) t->Header.Flags = 0;   // may add a metamethod: drop the absence cache
        TableOps.Set(this, t, k, val);
    }

    public Value RawGet(LuaTable* t, in Value key) => *TableOps.Get(t, key);

    // ------------------------------------------------------------------ arithmetic

    /// <summary>Arithmetic and bitwise operators on any values: numbers (strings are coerced)
    /// then metamethods, else Lua's error. <paramref name="op"/> is the metamethod event.</summary>
    public Value Arith(MetaEvent op, in Value a, in Value b)
    {
        bool bitwise = op >= MetaEvent.BAnd && op <= MetaEvent.Shr || op == MetaEvent.BNot;
        if (bitwise)
        {
            if (TryToIntegerForBitwise(a, out long x) && TryToIntegerForBitwise(b, out long y))
                return Value.Int(IntegerBitwise(op, x, y));
        }
        else if (ToNumber(a, out Value na) && ToNumber(b, out Value nb))
        {
            // lua5.4 does arithmetic on numeric strings in the string library's metamethods,
            // so an integer division by zero there is raised inside a C function: no position.
            if ((a.Tag == Tag.String || b.Tag == Tag.String) && (op == MetaEvent.Mod || op == MetaEvent.IDiv)
                && na.Tag == Tag.Integer && nb.Tag == Tag.Integer && nb.I == 0)
                throw new LuaRuntimeException(this, Value.Str(NewString(op == MetaEvent.Mod ? "attempt to perform 'n%0'" : "attempt to divide by zero")));
            return NumberArith(op, na, nb);
        }
        Value* tm = MetaOf(a, op);
        if (tm->Tag != Tag.Nil) return CallMeta(*tm, a, b);
        if (!bitwise && (a.Tag == Tag.String || b.Tag == Tag.String))
        {
            // lua5.4's string library does string arithmetic through metamethods: a string
            // operand that is not a numeral defers to the other operand's metamethod, else fails.
            if (b.Tag != Tag.String)
            {
                Value* other = MetaOf(b, op);
                if (other->Tag != Tag.Nil) return CallMeta(*other, a, b);
            }
            string ev = MetaEventNames.Names[(int)op][2..];
            throw RuntimeError($"attempt to {ev} a '{TypeName(a.Tag)}' with a '{TypeName(b.Tag)}'");
        }
        tm = MetaOf(b, op);
        if (tm->Tag != Tag.Nil) return CallMeta(*tm, a, b);
        throw ArithError(op, a, b);
    }

    private static bool TryToIntegerForBitwise(in Value v, out long i)
    {
        if (v.Tag == Tag.Integer) { i = v.I; return true; }
        if (v.Tag == Tag.Float) return Numbers.FloatToInteger(v.D, out i);
        i = 0;   // strings are not converted for bitwise operators (lua5.4 has no string metamethods for them)
        return false;
    }

    public static long IntegerBitwise(MetaEvent op, long x, long y) => op switch
    {
        MetaEvent.BAnd => x & y,
        MetaEvent.BOr => x | y,
        MetaEvent.BXor => x ^ y,
        MetaEvent.Shl => Numbers.ShiftLeft(x, y),
        MetaEvent.Shr => Numbers.ShiftLeft(x, unchecked(-y)),
        _ => ~x,   // BNot
    };

    /// <summary>Arithmetic on two numbers (no metamethods). Integer division by zero raises.</summary>
    public Value NumberArith(MetaEvent op, in Value a, in Value b)
    {
        if (a.Tag == Tag.Integer && b.Tag == Tag.Integer && op != MetaEvent.Div && op != MetaEvent.Pow)
        {
            long x = a.I, y = b.I;
            switch (op)
            {
                case MetaEvent.Add: return Value.Int(unchecked(x + y));
                case MetaEvent.Sub: return Value.Int(unchecked(x - y));
                case MetaEvent.Mul: return Value.Int(unchecked(x * y));
                case MetaEvent.Unm: return Value.Int(unchecked(-x));
                case MetaEvent.Mod:
                    if (y == 0) throw VmError("attempt to perform 'n%0'");
                    return Value.Int(Numbers.Mod(x, y));
                case MetaEvent.IDiv:
                    if (y == 0) throw VmError("attempt to divide by zero");
                    return Value.Int(Numbers.FloorDiv(x, y));
            }
        }
        double p = a.Tag == Tag.Integer ? a.I : a.D;
        double q = b.Tag == Tag.Integer ? b.I : b.D;
        return Value.Float(op switch
        {
            MetaEvent.Add => p + q,
            MetaEvent.Sub => p - q,
            MetaEvent.Mul => p * q,
            MetaEvent.Div => p / q,
            MetaEvent.Mod => FloatModLua(p, q),
            MetaEvent.IDiv => Math.Floor(p / q),
            MetaEvent.Pow => q == 2 ? p * p : Math.Pow(p, q),
            _ => -p,   // Unm
        });
    }

    private static double FloatModLua(double a, double b) => Numbers.FloatMod(a, b);

    private LuaRuntimeException ArithError(MetaEvent op, in Value a, in Value b)
    {
        bool bitwise = op >= MetaEvent.BAnd && op <= MetaEvent.Shr || op == MetaEvent.BNot;
        if (bitwise)
        {
            if (a.IsNumber && b.IsNumber)
            {
                // Both numbers: name the one that is a float without an integer value.
                bool firstIsInteger = TryToIntegerForBitwise(a, out _);
                string info = firstIsInteger ? VariableInfo(in b) : VariableInfo(in a);
                return VmError($"number{info} has no integer representation");
            }
            return a.IsNumber ? OperandError(b, "perform bitwise operation on") : OperandError(a, "perform bitwise operation on");
        }
        if (op == MetaEvent.Concat)
        {
            bool aOk = a.Tag == Tag.String || a.IsNumber;
            return aOk ? OperandError(b, "concatenate") : OperandError(a, "concatenate");
        }
        bool first = ToNumber(a, out _);
        return first ? OperandError(b, "perform arithmetic on") : OperandError(a, "perform arithmetic on");
    }

    /// <summary>"attempt to {verb} a {type} value{ (kind 'name')}".</summary>
    internal LuaRuntimeException OperandError(in Value v, string verb, in Value key = default)
    {
        string info = VariableInfo(in v);
        return VmError($"attempt to {verb} a {TypeNameForMessage(v)} value{info}");
    }

    // ------------------------------------------------------------------ comparison

    public bool ValuesEqual(in Value a, in Value b)
    {
        if (a.Tag != b.Tag)
        {
            if (a.IsNumber && b.IsNumber) return Value.RawEquals(a, b);
            return false;
        }
        switch (a.Tag)
        {
            case Tag.Table:
            case Tag.Userdata:
                {
                    if (a.P == b.P) return true;
                    Value* tm = MetaOf(a, MetaEvent.Eq);
                    if (tm->Tag == Tag.Nil) tm = MetaOf(b, MetaEvent.Eq);
                    if (tm->Tag == Tag.Nil) return false;
                    return CallMeta(*tm, a, b).IsTruthy;
                }
            default: return Value.RawEquals(a, b);
        }
    }

    public bool LessThan(in Value a, in Value b)
    {
        if (a.IsNumber && b.IsNumber) return NumLess(a, b);
        if (a.Tag == Tag.String && b.Tag == Tag.String) return StringCompare(a.AsString, b.AsString) < 0;
        return CompareMeta(MetaEvent.Lt, a, b);
    }

    public bool LessEqual(in Value a, in Value b)
    {
        if (a.IsNumber && b.IsNumber) return NumLessEqual(a, b);
        if (a.Tag == Tag.String && b.Tag == Tag.String) return StringCompare(a.AsString, b.AsString) <= 0;
        return CompareMeta(MetaEvent.Le, a, b);
    }

    private bool CompareMeta(MetaEvent e, in Value a, in Value b)
    {
        Value* tm = MetaOf(a, e);
        if (tm->Tag == Tag.Nil) tm = MetaOf(b, e);
        if (tm->Tag != Tag.Nil) return CallMeta(*tm, a, b).IsTruthy;
        string t1 = TypeNameForMessage(a), t2 = TypeNameForMessage(b);
        if (t1 == t2) throw VmError($"attempt to compare two {t1} values");
        throw VmError($"attempt to compare {t1} with {t2}");
    }

    public static int StringCompare(LuaString* a, LuaString* b) =>
        LuaString.Span(a).SequenceCompareTo(LuaString.Span(b));

    public static bool NumLess(in Value a, in Value b)
    {
        if (a.Tag == Tag.Integer)
        {
            if (b.Tag == Tag.Integer) return a.I < b.I;
            return IntLessFloat(a.I, b.D);
        }
        if (b.Tag == Tag.Float) return a.D < b.D;
        return FloatLessInt(a.D, b.I);
    }

    public static bool NumLessEqual(in Value a, in Value b)
    {
        if (a.Tag == Tag.Integer)
        {
            if (b.Tag == Tag.Integer) return a.I <= b.I;
            return IntLessEqualFloat(a.I, b.D);
        }
        if (b.Tag == Tag.Float) return a.D <= b.D;
        return FloatLessEqualInt(a.D, b.I);
    }

    private const long IntFitsFloat = 1L << 53;
    private static bool Fits(long i) => (ulong)(i + IntFitsFloat) <= (ulong)(2 * IntFitsFloat);

    public static bool IntLessFloat(long i, double f)
    {
        if (Fits(i)) return i < f;
        if (double.IsNaN(f)) return false;
        if (f >= 9223372036854775808.0) return true;
        if (f < -9223372036854775808.0) return false;
        double c = Math.Ceiling(f);
        return c == f ? i < (long)f : i < (long)c;   // i < f  <=>  i < ceil(f)
    }

    public static bool IntLessEqualFloat(long i, double f)
    {
        if (Fits(i)) return i <= f;
        if (double.IsNaN(f)) return false;
        if (f >= 9223372036854775808.0) return true;
        if (f < -9223372036854775808.0) return false;
        return i <= (long)Math.Floor(f);   // i <= f  <=>  i <= floor(f)
    }

    public static bool FloatLessInt(double f, long i)
    {
        if (Fits(i)) return f < i;
        if (double.IsNaN(f)) return false;
        if (f >= 9223372036854775808.0) return false;
        if (f < -9223372036854775808.0) return true;
        return (long)Math.Floor(f) < i;   // f < i  <=>  floor(f) < i
    }

    public static bool FloatLessEqualInt(double f, long i)
    {
        if (Fits(i)) return f <= i;
        if (double.IsNaN(f)) return false;
        if (f >= 9223372036854775808.0) return false;
        if (f < -9223372036854775808.0) return true;
        return (long)Math.Ceiling(f) <= i;   // f <= i  <=>  ceil(f) <= i
    }

    // ------------------------------------------------------------------ length, concat, tostring

    public Value Length(in Value v)
    {
        if (v.Tag == Tag.String) return Value.Int(v.AsString->Length);
        Value* tm = MetaOf(v, MetaEvent.Len);
        if (tm->Tag != Tag.Nil) return CallMeta(*tm, v, v);
        if (v.Tag == Tag.Table) return Value.Int(TableOps.Length(v.AsTable));
        throw OperandError(v, "get length of");
    }

    /// <summary>Concatenates the n values at <paramref name="first"/>; the result is left in first[0].
    /// Runs of strings/numbers are joined at once; other pairs go through __concat, right to left.</summary>
    [SkipLocalsInit]   // the buffer is written before it is read
    public void Concat(Value* first, int n)
    {
        Span<byte> small = stackalloc byte[512];
        while (n > 1)
        {
            Value* top = first + n;   // one past the last operand
            Value a = top[-2], b = top[-1];
            if (!(a.Tag == Tag.String || a.IsNumber) || !(b.Tag == Tag.String || b.IsNumber))
            {
                Value* tm = MetaOf(a, MetaEvent.Concat);
                if (tm->Tag == Tag.Nil) tm = MetaOf(b, MetaEvent.Concat);
                if (tm->Tag == Tag.Nil) throw ArithError(MetaEvent.Concat, in top[-2], in top[-1]);
                Thread->Top = top;
                top[-2] = CallMeta(*tm, a, b);
                n--;
                continue;
            }
            // Join as many string/number operands as possible.
            int count = 2;
            long total = ByteLengthOf(a) + ByteLengthOf(b);
            while (count < n && (top[-count - 1].Tag == Tag.String || top[-count - 1].IsNumber))
            {
                total += ByteLengthOf(top[-count - 1]);
                count++;
            }
            if (total > int.MaxValue - 64) throw VmError("string length overflow");
            byte[]? rented = null;
            Span<byte> buf = total <= 512 ? small[..(int)total] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent((int)total));
            int pos = 0;
            for (int i = count; i >= 1; i--)
            {
                Value v = top[-i];
                if (v.Tag == Tag.String)
                {
                    LuaString.Span(v.AsString).CopyTo(buf[pos..]);
                    pos += v.AsString->Length;
                }
                else if (v.Tag == Tag.Integer)
                {
                    pos += Numbers.WriteInteger(v.I, buf[pos..]);   // ByteLengthOf reserved the room
                }
                else
                {
                    string s = Numbers.FloatToString(v.D);
                    for (int j = 0; j < s.Length; j++) buf[pos++] = (byte)s[j];
                }
            }
            top[-count] = Value.Str(NewString(buf[..pos]));
            if (rented != null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            n -= count - 1;
        }
    }

    private static long ByteLengthOf(in Value v) =>
        v.Tag == Tag.String ? v.AsString->Length : (v.Tag == Tag.Integer ? Numbers.MaxIntegerLength : 40);

    /// <summary>tostring(): __tostring, then __name, then the default forms.</summary>
    public LuaString* ToStringMeta(in Value v)
    {
        Value* tm = MetaOf(v, MetaEvent.ToString);
        if (tm->Tag != Tag.Nil)
        {
            Value r = CallMeta(*tm, v, v);
            if (r.Tag != Tag.String)
            {
                if (r.IsNumber) return NumberToString(r);
                throw RuntimeError("'__tostring' must return a string");
            }
            return r.AsString;
        }
        switch (v.Tag)
        {
            case Tag.String: return v.AsString;
            case Tag.Integer:
            case Tag.Float: return NumberToString(v);
            case Tag.Nil: return NewString("nil");
            case Tag.Boolean: return NewString(v.I != 0 ? "true" : "false");
        }
        string kind = TypeName(v.Tag);
        LuaTable* mt = GetMetatable(v);
        if (mt != null)
        {
            Value* name = TableOps.GetShortString(mt, MetaNames[(int)MetaEvent.Name]);
            if (name->Tag == Tag.String) kind = LuaString.ToManaged(name->AsString);
        }
        return NewString(kind + ": 0x" + ((ulong)v.P).ToString("x"));
    }
}
