namespace Tiered.Interpreter.Compiler;

// The compiler is single-pass over the syntax tree and never builds an intermediate form:
// an expression is compiled into an ExpDesc that says where its value *is* (a constant, a
// register, a table slot, a pending test...) without forcing it anywhere yet. The statement
// that consumes the expression then decides the cheapest way to materialize it: a constant
// can become an RK operand or an immediate, a relocatable instruction can write straight
// into the destination register, a comparison can stay a conditional jump.

/// <summary>Where the value of a partially compiled expression lives.</summary>
internal enum ExpKind : byte
{
    Void,      // empty expression list / no value
    Nil,
    True,
    False,
    KInt,      // integer constant: IntValue
    KFlt,      // float constant: FloatValue
    KStr,      // string constant not yet in the table: StrValue
    K,         // constant-table entry: Info = index
    NonReloc,  // value sits in a fixed register: Info = register
    Local,     // local variable: Info = register, VarIndex = index among the function's locals
    Upval,     // upvalue: Info = upvalue index
    Const,     // compile-time constant local: Info = index in ChunkCompiler.ActiveVars
    Indexed,   // R[Table][R[Key]]
    IndexUp,   // U[Table][K[Key]], key a short string constant
    IndexInt,  // R[Table][Key], key an integer 0..255
    IndexStr,  // R[Table][K[Key]], key a short string constant
    Jmp,       // comparison/test: Info = pc of its JMP
    Reloc,     // instruction whose A can still be chosen: Info = its pc
    Call,      // call instruction: Info = its pc
    Vararg,    // VarArg instruction: Info = its pc
}

/// <summary>
/// Expression descriptor. T and F are the patch lists of jumps taken when the expression is
/// true/false (threaded through the jump offsets of the JMP instructions, see FuncState.Jumps).
/// </summary>
internal struct ExpDesc
{
    public ExpKind Kind;
    public int Info;
    public long IntValue;
    public double FloatValue;
    public byte[]? StrValue;
    public int Table;     // indexed kinds: register or upvalue of the table
    public int Key;       // indexed kinds: register, constant index or integer key
    public int VarIndex;  // Local: index among the function's locals (FuncState.GetVar)
    public int T, F;

    public ExpDesc(ExpKind kind, int info = 0)
    {
        this = default;
        Kind = kind;
        Info = info;
        T = F = FuncState.NoJump;
    }

    public static ExpDesc Int(long v) => new(ExpKind.KInt) { IntValue = v };
    public static ExpDesc Flt(double v) => new(ExpKind.KFlt) { FloatValue = v };
    public static ExpDesc Str(byte[] s) => new(ExpKind.KStr) { StrValue = s };

    public readonly bool HasJumps => T != F;
    public readonly bool IsMultiResult => Kind is ExpKind.Call or ExpKind.Vararg;
    public readonly bool IsIndexed => Kind is ExpKind.Indexed or ExpKind.IndexUp or ExpKind.IndexInt or ExpKind.IndexStr;
    public readonly bool IsVariable => Kind is ExpKind.Local or ExpKind.Upval or ExpKind.Const || IsIndexed;

    /// <summary>A numeric literal with no pending jumps (candidate for folding or immediates).</summary>
    public readonly bool IsNumeral => !HasJumps && Kind is ExpKind.KInt or ExpKind.KFlt;
}
