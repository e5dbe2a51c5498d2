namespace Tiered.Interpreter.Bytecode;

// The instruction set of the tier-0 interpreter. Every instruction is 32 bits:
//
//   bit  31       24 23     16 15 14       7 6      0
//        +----------+---------+--+----------+--------+
//  iABC  |    C(8)  |   B(8)  |k |   A(8)   | op(7)  |
//        +----------+---------+--+----------+--------+
//  iABx  |         Bx(17)        |   A(8)   | op(7)  |
//  iAsBx |        sBx(17)        |   A(8)   | op(7)  |   sBx = Bx - 65535
//  iAx   |              Ax(25)              | op(7)  |
//  isJ   |              sJ(25)              | op(7)  |   sJ  = Ax - 16777215
//        +-----------------------------------+--------+
//
// Notation: R[x] is register x of the current frame; K[x] is constant x; U[x] is upvalue x;
// RK(C) is K[C] when k is set, else R[C]; sC/sB are signed 8-bit operands stored with an
// excess of 127 (sC = C - 127). "pc++" skips the next instruction (always a JMP after a
// test). Conditional tests follow "if (cond ~= k) then pc++", so the following JMP is taken
// exactly when cond == k.
//
// Arithmetic never needs a separate metamethod instruction: the instruction itself takes the
// fast path for numbers and otherwise calls the runtime, which coerces strings and tries the
// metamethods. That keeps one instruction per source operation, which is what the native
// tier lowers and what the type-feedback slots describe.
public enum OpCode : byte
{
    Move,       // A B      R[A] := R[B]
    LoadI,      // A sBx    R[A] := sBx (integer)
    LoadF,      // A sBx    R[A] := (float)sBx
    LoadK,      // A Bx     R[A] := K[Bx]
    LoadKX,     // A        R[A] := K[Ax of the next instruction, an ExtraArg]
    LoadFalse,  // A        R[A] := false
    LFalseSkip, // A        R[A] := false; pc++
    LoadTrue,   // A        R[A] := true
    LoadNil,    // A B      R[A], ..., R[A+B] := nil

    GetUpval,   // A B      R[A] := U[B]
    SetUpval,   // A B      U[B] := R[A]

    GetTabUp,   // A B C    R[A] := U[B][K[C]]          K[C] is a string
    GetTable,   // A B C    R[A] := R[B][R[C]]
    GetI,       // A B C    R[A] := R[B][C]             C is an unsigned integer key
    GetField,   // A B C    R[A] := R[B][K[C]]          K[C] is a string

    SetTabUp,   // A B C k  U[A][K[B]] := RK(C)         K[B] is a string
    SetTable,   // A B C k  R[A][R[B]] := RK(C)
    SetI,       // A B C k  R[A][B] := RK(C)
    SetField,   // A B C k  R[A][K[B]] := RK(C)         K[B] is a string

    NewTable,   // A B C k  R[A] := {}; B: hash size hint (0, or log2(size)+1); C: array size
                //          hint; when k is set the next ExtraArg holds (array size / 256)
    Self,       // A B C k  R[A+1] := R[B]; R[A] := R[B][RK(C)]    RK(C) is a string

    AddI,       // A B sC   R[A] := R[B] + sC
    AddK,       // A B C    R[A] := R[B] + K[C]         K[C] is a number
    SubK,       // A B C    R[A] := R[B] - K[C]
    MulK,       // A B C    R[A] := R[B] * K[C]
    ModK,       // A B C    R[A] := R[B] % K[C]
    PowK,       // A B C    R[A] := R[B] ^ K[C]
    DivK,       // A B C    R[A] := R[B] / K[C]
    IDivK,      // A B C    R[A] := R[B] // K[C]
    BAndK,      // A B C    R[A] := R[B] & K[C]         K[C] is an integer
    BOrK,       // A B C    R[A] := R[B] | K[C]
    BXorK,      // A B C    R[A] := R[B] ~ K[C]
    ShrI,       // A B sC   R[A] := R[B] >> sC
    ShlI,       // A B sC   R[A] := sC << R[B]

    Add,        // A B C    R[A] := R[B] + R[C]
    Sub,        // A B C    R[A] := R[B] - R[C]
    Mul,        // A B C    R[A] := R[B] * R[C]
    Mod,        // A B C    R[A] := R[B] % R[C]
    Pow,        // A B C    R[A] := R[B] ^ R[C]
    Div,        // A B C    R[A] := R[B] / R[C]
    IDiv,       // A B C    R[A] := R[B] // R[C]
    BAnd,       // A B C    R[A] := R[B] & R[C]
    BOr,        // A B C    R[A] := R[B] | R[C]
    BXor,       // A B C    R[A] := R[B] ~ R[C]
    Shl,        // A B C    R[A] := R[B] << R[C]
    Shr,        // A B C    R[A] := R[B] >> R[C]

    Unm,        // A B      R[A] := -R[B]
    BNot,       // A B      R[A] := ~R[B]
    Not,        // A B      R[A] := not R[B]
    Len,        // A B      R[A] := #R[B]
    Concat,     // A B      R[A] := R[A] .. ... .. R[A+B-1]  (B >= 2 values; may clobber R[A+1..])

    Close,      // A        close upvalues and to-be-closed variables >= R[A]
    Tbc,        // A        mark R[A] as a to-be-closed variable
    Jmp,        // sJ       pc += sJ

    Eq,         // A B k    if ((R[A] == R[B]) ~= k) then pc++
    Lt,         // A B k    if ((R[A] <  R[B]) ~= k) then pc++
    Le,         // A B k    if ((R[A] <= R[B]) ~= k) then pc++
    EqK,        // A B k    if ((R[A] == K[B]) ~= k) then pc++
    EqI,        // A sB k   if ((R[A] == sB) ~= k) then pc++    C=1 when sB came from a float literal
    LtI,        // A sB k   if ((R[A] <  sB) ~= k) then pc++    C as for EqI
    LeI,        // A sB k   if ((R[A] <= sB) ~= k) then pc++
    GtI,        // A sB k   if ((R[A] >  sB) ~= k) then pc++
    GeI,        // A sB k   if ((R[A] >= sB) ~= k) then pc++

    Test,       // A k      if (truthy(R[A]) ~= k) then pc++
    TestSet,    // A B k    if (truthy(R[B]) ~= k) then pc++ else R[A] := R[B]

    Call,       // A B C    R[A], ..., R[A+C-2] := R[A](R[A+1], ..., R[A+B-1])
                //          B=0: arguments up to the stack top; C=0: keep all results (sets top)
    TailCall,   // A B C k  return R[A](R[A+1], ..., R[A+B-1]); k: close upvalues first
    Return,     // A B C k  return R[A], ..., R[A+B-2]; B=0: up to the top; k: close first
    Return0,    //          return (no values, nothing to close)
    Return1,    // A        return R[A] (nothing to close)

    ForLoop,    // A Bx     numeric loop step; if more iterations then pc -= Bx
    ForPrep,    // A Bx     prepare R[A..A+2] (init, limit, step); if the loop runs zero
                //          times then pc += Bx + 1; the control variable is R[A+3]
    TForPrep,   // A Bx     create the to-be-closed R[A+3]; pc += Bx (to the TForCall)
    TForCall,   // A C      R[A+4], ..., R[A+3+C] := R[A](R[A+1], R[A+2])
    TForLoop,   // A Bx     if R[A+4] ~= nil then { R[A+2] := R[A+4]; pc -= Bx }

    SetList,    // A B C k  R[A][C+i] := R[A+i], 1 <= i <= B; B=0: up to the top;
                //          k: C is extended by the next ExtraArg (C += Ax * 256)
    Closure,    // A Bx     R[A] := closure(child prototype Bx)
    VarArg,     // A C      R[A], ..., R[A+C-2] := vararg; C=0: all of them (sets top)
    VarArgPrep, // A        adjust the frame of a vararg function with A fixed parameters
    ExtraArg,   // Ax       extra (larger) argument for the previous instruction
}

/// <summary>Encoding and decoding of the 32-bit instruction formats drawn in OpCode.cs.</summary>
public static class Instruction
{
    public const int MaxA = 255, MaxB = 255, MaxC = 255;
    public const int MaxBx = (1 << 17) - 1;
    public const int OffsetSBx = MaxBx >> 1;          // 65535
    public const int MaxAx = (1 << 25) - 1;
    public const int OffsetSJ = MaxAx >> 1;           // 16777215
    public const int OffsetSC = 127;                   // sB and sC store value + 127

    public static OpCode Op(uint i) => (OpCode)(i & 0x7F);
    public static int A(uint i) => (int)((i >> 7) & 0xFF);
    public static bool K(uint i) => ((i >> 15) & 1) != 0;
    public static int B(uint i) => (int)((i >> 16) & 0xFF);
    public static int C(uint i) => (int)(i >> 24);
    public static int SB(uint i) => B(i) - OffsetSC;
    public static int SC(uint i) => C(i) - OffsetSC;
    public static int Bx(uint i) => (int)(i >> 15);
    public static int SBx(uint i) => Bx(i) - OffsetSBx;
    public static int Ax(uint i) => (int)(i >> 7);
    public static int SJ(uint i) => Ax(i) - OffsetSJ;

    public static uint ABC(OpCode op, int a, int b, int c, bool k = false) =>
        (uint)op | ((uint)a << 7) | ((k ? 1u : 0u) << 15) | ((uint)b << 16) | ((uint)c << 24);
    public static uint ABx(OpCode op, int a, int bx) => (uint)op | ((uint)a << 7) | ((uint)bx << 15);
    public static uint AsBx(OpCode op, int a, int sbx) => ABx(op, a, sbx + OffsetSBx);
    public static uint Ax(OpCode op, int ax) => (uint)op | ((uint)ax << 7);
    public static uint SJ(OpCode op, int sj) => Ax(op, sj + OffsetSJ);

    public static uint WithA(uint i, int a) => (i & ~(0xFFu << 7)) | ((uint)a << 7);
    public static uint WithB(uint i, int b) => (i & ~(0xFFu << 16)) | ((uint)b << 16);
    public static uint WithC(uint i, int c) => (i & 0x00FFFFFFu) | ((uint)c << 24);
    public static uint WithK(uint i, bool k) => (i & ~(1u << 15)) | ((k ? 1u : 0u) << 15);
    public static uint WithBx(uint i, int bx) => (i & 0x7FFFu) | ((uint)bx << 15);
    public static uint WithSJ(uint i, int sj) => (i & 0x7Fu) | ((uint)(sj + OffsetSJ) << 7);
}
