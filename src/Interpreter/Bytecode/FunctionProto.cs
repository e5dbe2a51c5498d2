namespace Tiered.Interpreter.Bytecode;

/// <summary>
/// A compiled function as the compiler produces it: plain managed data, no Lua heap objects.
/// The runtime turns it into an unmanaged prototype when the chunk is loaded
/// (see Runtime/ProtoLoader.cs); the disassembler and the compiler tests read it directly.
/// </summary>
public sealed class FunctionProto
{
    /// <summary>Chunk name as used in messages ("script.lua", "=stdin", "[string \"...\"]" source form).</summary>
    public string Source = "?";
    public int LineDefined;          // 0 for the main chunk
    public int LastLineDefined;
    public int NumParams;
    public bool IsVararg;
    public int MaxStackSize = 2;     // registers the frame needs (at least 2)

    public uint[] Code = [];
    /// <summary>Source line of each instruction, same length as <see cref="Code"/>.</summary>
    public int[] LineInfo = [];
    public Constant[] Constants = [];
    public UpvalueDesc[] Upvalues = [];
    public FunctionProto[] Protos = [];
    /// <summary>Local variable debug info, in order of declaration (as luac lists them).</summary>
    public LocalVarDesc[] LocalVars = [];
}

public enum ConstantKind : byte { Nil, False, True, Integer, Float, String }

/// <summary>A constant-table entry. Strings are raw bytes (Lua strings are byte strings).</summary>
public readonly struct Constant : IEquatable<Constant>
{
    public readonly ConstantKind Kind;
    public readonly long Integer;
    public readonly double Float;
    public readonly byte[]? String;

    private Constant(ConstantKind kind, long i, double d, byte[]? s) { Kind = kind; Integer = i; Float = d; String = s; }

    public static readonly Constant Nil = new(ConstantKind.Nil, 0, 0, null);
    public static Constant Bool(bool b) => new(b ? ConstantKind.True : ConstantKind.False, 0, 0, null);
    public static Constant Int(long v) => new(ConstantKind.Integer, v, 0, null);
    public static Constant Num(double v) => new(ConstantKind.Float, 0, v, null);
    public static Constant Str(byte[] v) => new(ConstantKind.String, 0, 0, v);

    public bool Equals(Constant o)
    {
        if (Kind != o.Kind) return false;
        return Kind switch
        {
            ConstantKind.Integer => Integer == o.Integer,
            // Compare bit patterns so 0.0 and -0.0 (and NaN) stay distinct constants.
            ConstantKind.Float => BitConverter.DoubleToInt64Bits(Float) == BitConverter.DoubleToInt64Bits(o.Float),
            ConstantKind.String => String!.AsSpan().SequenceEqual(o.String),
            _ => true,
        };
    }
    public override bool Equals(object? obj) => obj is Constant c && Equals(c);
    public override int GetHashCode() => Kind switch
    {
        ConstantKind.Integer => Integer.GetHashCode(),
        ConstantKind.Float => Float.GetHashCode(),
        ConstantKind.String => HashBytes(String!),
        _ => (int)Kind,
    };
    private static int HashBytes(byte[] b) { var h = new HashCode(); h.AddBytes(b); return h.ToHashCode(); }
}

/// <summary>
/// Where a closure finds upvalue i when it is created: InStack = true means register Index of
/// the enclosing function's frame; false means upvalue Index of the enclosing closure.
/// </summary>
public readonly record struct UpvalueDesc(string Name, bool InStack, int Index, VarKind Kind);

public enum VarKind : byte { Regular, Const, Close, CompileTimeConst }

/// <summary>A local variable is live in the registers for pc in [StartPc, EndPc).</summary>
public readonly record struct LocalVarDesc(string Name, int StartPc, int EndPc);
