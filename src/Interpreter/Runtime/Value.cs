using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tiered.Interpreter.Runtime;

/// <summary>Type tags of <see cref="Value"/>. The numbering is part of the native ABI: the
/// code generator compares tags against these constants, so append, never renumber.</summary>
public enum Tag : byte
{
    Nil = 0,
    Boolean = 1,      // payload 0 or 1
    Integer = 2,      // payload int64
    Float = 3,        // payload double
    String = 4,       // payload LuaString*
    Table = 5,        // payload LuaTable*
    LuaFunction = 6,  // payload LuaClosure*
    HostFunction = 7, // payload HostClosure*
    Userdata = 8,     // payload Userdata*
    Thread = 9,       // payload LuaThread*
    LightUserdata = 10, // payload raw pointer, not collected
}

// A Lua value: 16 bytes, no NaN-boxing because Lua 5.4 needs full 64-bit integers.
//
//   byte 0          8     9        12           16
//        +----------+-----+--------+------------+
//        | payload  | tag | unused | aux (int32)|
//        +----------+-----+--------+------------+
//
// aux is free for containers: table nodes keep their collision-chain link in the key's aux.
[StructLayout(LayoutKind.Explicit, Size = 16)]
public unsafe struct Value
{
    [FieldOffset(0)] public long I;
    [FieldOffset(0)] public double D;
    [FieldOffset(0)] public void* P;
    [FieldOffset(8)] public Tag Tag;
    [FieldOffset(12)] public int Aux;

    public const int SizeInBytes = 16;
    public const int TagOffset = 8;

    // Properties, not static readonly fields: the interpreter loop is compiled fully optimised
    // at once, before the type's static constructor has run, and would read a field through
    // a static-base helper call on every use.
    public static Value Nil { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => default; }
    public static Value True { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => Make(1, Tag.Boolean); }
    public static Value False { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => Make(0, Tag.Boolean); }

    // The tag, the unused bytes and aux as one word: a constructor writes the payload and this,
    // two stores, where zeroing the struct first and then writing the tag byte takes three.
    [FieldOffset(8)] private long tagWord;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Value Make(long payload, Tag tag) { Unsafe.SkipInit(out Value r); r.I = payload; r.tagWord = (long)tag; return r; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Value Int(long v) => Make(v, Tag.Integer);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Value Float(double v) => Make(BitConverter.DoubleToInt64Bits(v), Tag.Float);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Value Bool(bool b) => Make(b ? 1 : 0, Tag.Boolean);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Value Str(LuaString* s) => Make((long)s, Tag.String);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Value Table(LuaTable* t) => Make((long)t, Tag.Table);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Value Object(void* p, Tag tag) => Make((long)p, tag);

    public readonly bool IsNil => Tag == Tag.Nil;
    public readonly bool IsNumber { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => Tag is Tag.Integer or Tag.Float; }
    public readonly bool IsFalsy { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => Tag == Tag.Nil || (Tag == Tag.Boolean && I == 0); }
    public readonly bool IsTruthy { [MethodImpl(MethodImplOptions.AggressiveInlining)] get => !IsFalsy; }
    /// <summary>True for every tag whose payload is a collectable heap object.</summary>
    public readonly bool IsCollectable => Tag >= Tag.String && Tag <= Tag.Thread;
    public readonly bool IsFunction => Tag is Tag.LuaFunction or Tag.HostFunction;

    public readonly LuaString* AsString => (LuaString*)P;
    public readonly LuaTable* AsTable => (LuaTable*)P;
    public readonly GcObject* AsGc => (GcObject*)P;

    /// <summary>Raw equality (no metamethods): what rawequal and table keys use.</summary>
    public static bool RawEquals(in Value a, in Value b)
    {
        if (a.Tag != b.Tag)
        {
            // Exact: an integer equals a float only if the float has exactly its value.
            if (a.Tag == Tag.Integer && b.Tag == Tag.Float) return Numbers.FloatToInteger(b.D, out long bi) && bi == a.I;
            if (a.Tag == Tag.Float && b.Tag == Tag.Integer) return Numbers.FloatToInteger(a.D, out long ai) && ai == b.I;
            return false;
        }
        switch (a.Tag)
        {
            case Tag.Nil: return true;
            case Tag.Float: return a.D == b.D;
            case Tag.String: return a.P == b.P || LuaString.ContentEquals(a.AsString, b.AsString);
            default: return a.I == b.I;
        }
    }
}
