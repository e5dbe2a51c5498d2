using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Tiered;

public enum LuaValueType { Nil, Boolean, Integer, Float, String, Table, Function, Userdata, Thread }

/// <summary>
/// A Lua value on the .NET side. Numbers, booleans and strings are copied (strings are the
/// UTF-8 decoding of the Lua bytes); tables and functions are handles (<see cref="LuaTable"/>,
/// <see cref="LuaFunction"/>) that keep the Lua object alive; .NET objects passed in with
/// <see cref="FromObject"/> come back as themselves (<see cref="AsObject"/>); other userdata
/// and threads are opaque handles that can only be passed back to Lua.
/// </summary>
public readonly struct LuaValue : IEquatable<LuaValue>
{
    private readonly long bits;      // integer, float bits or boolean
    private readonly object? obj;    // string, LuaTable, LuaFunction or LuaReference

    public LuaValueType Type { get; }

    private LuaValue(LuaValueType type, long bits, object? obj)
    {
        Type = type;
        this.bits = bits;
        this.obj = obj;
    }

    public static LuaValue Nil => default;
    public bool IsNil => Type == LuaValueType.Nil;

    public static LuaValue FromBoolean(bool b) => new(LuaValueType.Boolean, b ? 1 : 0, null);
    public static LuaValue FromInteger(long i) => new(LuaValueType.Integer, i, null);
    public static LuaValue FromFloat(double d) => new(LuaValueType.Float, BitConverter.DoubleToInt64Bits(d), null);
    public static LuaValue FromString(string? s) => s == null ? Nil : new(LuaValueType.String, 0, s);
    public static LuaValue FromTable(LuaTable? t) => t == null ? Nil : new(LuaValueType.Table, 0, t);
    public static LuaValue FromFunction(LuaFunction? f) => f == null ? Nil : new(LuaValueType.Function, 0, f);
    /// <summary>A .NET object for Lua: a userdata whose [LuaMember] methods and properties
    /// scripts can use (<see cref="LuaMemberAttribute"/>); nothing else of it is visible.
    /// Null gives nil. The object stays alive while Lua holds the userdata.</summary>
    /// <exception cref="ArgumentException">A [LuaMember] of the object's type has a type that
    /// cannot be passed between Lua and .NET.</exception>
    public static LuaValue FromObject(object? o)
    {
        if (o == null) return Nil;
        if (o is IHandle or LuaValue) throw new ArgumentException("Lua values are not wrapped; pass them as LuaValue", nameof(o));
        HostType.For(o.GetType());   // reflect (once per type) now: a bad member fails here, not in Lua
        return new(LuaValueType.Userdata, 0, o);
    }

    internal static LuaValue FromOpaque(LuaValueType type, LuaReference r) => new(type, 0, r);

    public static implicit operator LuaValue(bool b) => FromBoolean(b);
    public static implicit operator LuaValue(int i) => FromInteger(i);
    public static implicit operator LuaValue(long i) => FromInteger(i);
    public static implicit operator LuaValue(double d) => FromFloat(d);
    public static implicit operator LuaValue(string? s) => FromString(s);
    public static implicit operator LuaValue(LuaTable? t) => FromTable(t);
    public static implicit operator LuaValue(LuaFunction? f) => FromFunction(f);

    internal object? Object => obj;
    internal long Bits => bits;

    /// <summary>Lua truthiness: false only for nil and false.</summary>
    public bool AsBoolean() => Type switch
    {
        LuaValueType.Nil => false,
        LuaValueType.Boolean => bits != 0,
        _ => true,
    };

    /// <summary>The integer, or a float with an exact integer value.</summary>
    public long AsInteger()
    {
        if (TryGetInteger(out long i)) return i;
        throw new InvalidCastException($"Lua {TypeName} value has no integer representation");
    }

    public double AsNumber() => Type switch
    {
        LuaValueType.Integer => bits,
        LuaValueType.Float => BitConverter.Int64BitsToDouble(bits),
        _ => throw new InvalidCastException($"Lua {TypeName} value is not a number"),
    };

    /// <summary>Strings as they are; numbers in Lua's format; other types fail.</summary>
    public string AsString() => Type switch
    {
        LuaValueType.String => (string)obj!,
        LuaValueType.Integer or LuaValueType.Float => ToString(),
        _ => throw new InvalidCastException($"Lua {TypeName} value is not a string"),
    };

    public LuaTable AsTable() => obj as LuaTable ?? throw new InvalidCastException($"Lua {TypeName} value is not a table");
    public LuaFunction AsFunction() => obj as LuaFunction ?? throw new InvalidCastException($"Lua {TypeName} value is not a function");

    /// <summary>The .NET object of a userdata made by <see cref="FromObject"/>.</summary>
    public object AsObject() =>
        Type == LuaValueType.Userdata && obj is not IHandle ? obj! : throw new InvalidCastException($"Lua {TypeName} value is not a .NET object");

    /// <summary>The .NET object of a userdata made by <see cref="FromObject"/>, when it is a T.</summary>
    public bool TryGetObject<T>([NotNullWhen(true)] out T? value) where T : class
    {
        if (Type == LuaValueType.Userdata && obj is T typed and not IHandle) { value = typed; return true; }
        value = null;
        return false;
    }

    private bool TryGetInteger(out long i)
    {
        if (Type == LuaValueType.Integer) { i = bits; return true; }
        if (Type == LuaValueType.Float)
        {
            double d = BitConverter.Int64BitsToDouble(bits);
            if (d >= -9.2233720368547758e18 && d < 9.2233720368547758e18 && Math.Floor(d) == d) { i = (long)d; return true; }
        }
        i = 0;
        return false;
    }

    /// <summary>Converts to T when the value has that type (numbers convert between
    /// integer and floating types when exact).</summary>
    public bool TryGet<T>(out T value)
    {
        object? result = null;
        Type t = typeof(T);
        if (t == typeof(LuaValue)) result = this;
        else if (t == typeof(bool)) { if (Type == LuaValueType.Boolean) result = bits != 0; }
        else if (t == typeof(long)) { if (TryGetInteger(out long i)) result = i; }
        else if (t == typeof(int)) { if (TryGetInteger(out long i) && i is >= int.MinValue and <= int.MaxValue) result = (int)i; }
        else if (t == typeof(double)) { if (Type is LuaValueType.Integer or LuaValueType.Float) result = AsNumber(); }
        else if (t == typeof(float)) { if (Type is LuaValueType.Integer or LuaValueType.Float) result = (float)AsNumber(); }
        else if (t == typeof(string)) { if (Type == LuaValueType.String) result = obj; }
        else if (obj is T) result = obj;
        if (result is T typed) { value = typed; return true; }
        value = default!;
        return false;
    }

    private string TypeName => Type switch
    {
        LuaValueType.Integer or LuaValueType.Float => "number",
        _ => Type.ToString().ToLowerInvariant(),
    };

    /// <summary>Lua's tostring for nil, booleans, numbers and strings; a type tag otherwise.</summary>
    public override string ToString() => Type switch
    {
        LuaValueType.Nil => "nil",
        LuaValueType.Boolean => bits != 0 ? "true" : "false",
        LuaValueType.Integer => bits.ToString(CultureInfo.InvariantCulture),
        LuaValueType.Float => FormatFloat(BitConverter.Int64BitsToDouble(bits)),
        LuaValueType.String => (string)obj!,
        _ => obj!.ToString()!,
    };

    private static string FormatFloat(double d)
    {
        if (double.IsNaN(d)) return d > 0 ? "nan" : "-nan";
        if (double.IsInfinity(d)) return d > 0 ? "inf" : "-inf";
        string s = d.ToString("G14", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') || s.Contains('n') ? s.Replace("E+", "e+").Replace("E-", "e-") : s + ".0";
    }

    /// <summary>Lua raw equality: 1 == 1.0; tables and functions by identity.</summary>
    public bool Equals(LuaValue other)
    {
        if (Type != other.Type)
        {
            if (Type == LuaValueType.Integer && other.Type == LuaValueType.Float) return other.TryGetInteger(out long a) && a == bits;
            if (Type == LuaValueType.Float && other.Type == LuaValueType.Integer) return TryGetInteger(out long b) && b == other.bits;
            return false;
        }
        return Type switch
        {
            LuaValueType.Nil => true,
            LuaValueType.Float => AsNumber() == other.AsNumber(),
            LuaValueType.String => (string)obj! == (string)other.obj!,
            LuaValueType.Boolean or LuaValueType.Integer => bits == other.bits,
            _ when obj is not IHandle || other.obj is not IHandle => ReferenceEquals(obj, other.obj),
            _ => ((IHandle)obj!).Anchor.SameObject(((IHandle)other.obj!).Anchor),
        };
    }

    public override bool Equals(object? obj) => obj is LuaValue v && Equals(v);

    public override int GetHashCode() => Type switch
    {
        LuaValueType.Nil => 0,
        LuaValueType.Integer => bits.GetHashCode(),
        LuaValueType.Float => TryGetInteger(out long i) ? i.GetHashCode() : AsNumber().GetHashCode(),
        LuaValueType.String => obj!.GetHashCode(),
        LuaValueType.Boolean => bits == 0 ? 1 : 2,
        _ when obj is not IHandle => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj),
        _ => ((IHandle)obj!).Anchor.Pointer.GetHashCode(),
    };

    public static bool operator ==(LuaValue a, LuaValue b) => a.Equals(b);
    public static bool operator !=(LuaValue a, LuaValue b) => !a.Equals(b);
}
