using Tiered.Interpreter.Bytecode;
using static Tiered.Interpreter.Bytecode.Instruction;

namespace Tiered.Interpreter.Compiler;

// ---------------------------------------------------------------------------------------
// Per-function code generation state: the growing instruction list, constants, registers
// and scopes of the function being compiled. The syntax-tree walker (ChunkCompiler) drives it;
// the expression machinery lives in the partial files FuncState.Jumps/Expressions/Operators.
//
// Register layout of a frame, as in the reference implementation:
//
//   0 .. NumVarStack-1     active local variables, in declaration order (compile-time
//                          constants take no register)
//   NumVarStack .. FreeReg-1   temporaries of the statement being compiled
//
// Temporaries are strictly stack-allocated: FreeRegister must always release the top one.
// ---------------------------------------------------------------------------------------

/// <summary>An active local variable (an entry of ChunkCompiler.ActiveVars).</summary>
internal sealed class VarDesc(string name, VarKind kind)
{
    public readonly string Name = name;
    public VarKind Kind = kind;
    public int Register;
    public int DebugIndex = -1;          // index in the function's LocalVars (-1: none)
    public Constant Value;                // value of a compile-time constant
}

/// <summary>A lexical block (do/end, loop body, function body...).</summary>
internal sealed class BlockScope
{
    public BlockScope? Previous;
    public int FirstLabel;       // first label of this block in ChunkCompiler.Labels
    public int FirstGoto;        // first pending goto of this block in ChunkCompiler.PendingGotos
    public int NumActiveVars;    // active locals outside the block
    public bool HasUpval;        // some local of the block is captured (or to-be-closed)
    public bool IsLoop;          // 'break' resolves here
    public bool InsideTbc;       // inside the scope of a to-be-closed variable
}

internal sealed partial class FuncState
{
    public const int NoJump = -1;
    /// <summary>"No register" marker when patching a TestSet into a Test.</summary>
    public const int NoReg = MaxA;
    /// <summary>Registers per frame (exclusive limit, as in the reference implementation).</summary>
    public const int MaxRegisters = 255;
    public const int MaxLocals = 200;
    public const int MaxUpvalues = 255;
    /// <summary>Strings up to this length are "short" and usable as GetField/SetField/Self keys.</summary>
    public const int MaxShortStringLength = 40;
    /// <summary>Largest constant index usable as an RK operand.</summary>
    public const int MaxIndexRK = MaxB;

    public readonly ChunkCompiler Chunk;
    public readonly FuncState? Parent;
    public readonly FunctionProto Proto;

    private readonly List<uint> code = [];
    private readonly List<int> lineInfo = [];
    private readonly List<Constant> constants = [];
    private readonly Dictionary<Constant, int> constantIndex = [];
    public readonly List<UpvalueDesc> Upvalues = [];
    public readonly List<FunctionProto> Protos = [];
    public readonly List<LocalVarDesc> LocalVars = [];

    public BlockScope? Block;
    /// <summary>Index in ChunkCompiler.ActiveVars of this function's first local.</summary>
    public readonly int FirstLocal;
    /// <summary>Index in ChunkCompiler.Labels of this function's first label.</summary>
    public readonly int FirstLabel;
    /// <summary>Active local declarations, compile-time constants included.</summary>
    public int NumActiveVars;
    public int FreeReg;
    /// <summary>pc of the last jump target: no peephole may merge instructions across it.</summary>
    public int LastTarget;
    /// <summary>Some return must close upvalues or to-be-closed variables.</summary>
    public bool NeedClose;
    /// <summary>Source line given to emitted instructions.</summary>
    public int Line;

    public FuncState(ChunkCompiler chunk, FuncState? parent, FunctionProto proto)
    {
        Chunk = chunk;
        Parent = parent;
        Proto = proto;
        FirstLocal = chunk.ActiveVars.Count;
        FirstLabel = chunk.Labels.Count;
        Line = proto.LineDefined;
    }

    public int Pc => code.Count;

    // ---- Instructions -----------------------------------------------------------------

    public int Emit(uint instruction)
    {
        code.Add(instruction);
        lineInfo.Add(Line);
        return code.Count - 1;
    }

    public int EmitABC(OpCode op, int a, int b, int c, bool k = false) => Emit(ABC(op, a, b, c, k));
    public int EmitABx(OpCode op, int a, int bx) => Emit(ABx(op, a, bx));
    public int EmitAsBx(OpCode op, int a, int sbx) => Emit(AsBx(op, a, sbx));
    public int EmitExtraArg(int ax) => Emit(Instruction.Ax(OpCode.ExtraArg, ax));

    public uint GetCode(int pc) => code[pc];
    public void SetCode(int pc, uint instruction) => code[pc] = instruction;

    /// <summary>Gives the last instruction the line of the construct it implements.</summary>
    public void FixLine(int line) => lineInfo[^1] = line;

    public void RemoveLastInstruction()
    {
        code.RemoveAt(code.Count - 1);
        lineInfo.RemoveAt(lineInfo.Count - 1);
    }

    /// <summary>The previous instruction if it may be merged with the next one (not a jump target).</summary>
    public bool TryPreviousInstruction(out uint instruction)
    {
        if (Pc > LastTarget && Pc > 0) { instruction = code[^1]; return true; }
        instruction = 0;
        return false;
    }

    public void LoadNil(int from, int n)
    {
        int last = from + n - 1;
        if (TryPreviousInstruction(out uint prev) && Op(prev) == OpCode.LoadNil)
        {
            int pfrom = A(prev), plast = pfrom + B(prev);
            if ((pfrom <= from && from <= plast + 1) || (from <= pfrom && pfrom <= last + 1))
            {
                // Overlapping or adjacent ranges: extend the previous LoadNil.
                from = Math.Min(from, pfrom);
                last = Math.Max(last, plast);
                code[^1] = ABC(OpCode.LoadNil, from, last - from, 0);
                return;
            }
        }
        EmitABC(OpCode.LoadNil, from, n - 1, 0);
    }

    private static bool FitsSBx(long i) => -OffsetSBx <= i && i <= MaxBx - OffsetSBx;
    public static bool FitsSC(long i) => -OffsetSC <= i && i <= MaxC - OffsetSC;

    public void LoadConstant(int reg, int k)
    {
        if (k <= MaxBx) EmitABx(OpCode.LoadK, reg, k);
        else { EmitABx(OpCode.LoadKX, reg, 0); EmitExtraArg(k); }
    }

    public void LoadInt(int reg, long i)
    {
        if (FitsSBx(i)) EmitAsBx(OpCode.LoadI, reg, (int)i);
        else LoadConstant(reg, IntK(i));
    }

    public void LoadFloat(int reg, double f)
    {
        if (ConstantFolder.FloatToInteger(f, out long i) && FitsSBx(i) && !(f == 0 && double.IsNegative(f)))
            EmitAsBx(OpCode.LoadF, reg, (int)i);
        else LoadConstant(reg, NumberK(f));
    }

    // ---- Constants --------------------------------------------------------------------

    public int AddConstant(Constant k)
    {
        if (constantIndex.TryGetValue(k, out int index)) return index;
        index = constants.Count;
        constants.Add(k);
        constantIndex.Add(k, index);
        return index;
    }

    public int StringK(byte[] s) => AddConstant(Constant.Str(s));
    public int IntK(long i) => AddConstant(Constant.Int(i));
    public int NumberK(double d) => AddConstant(Constant.Num(d));
    public Constant ConstantAt(int index) => constants[index];

    // ---- Registers --------------------------------------------------------------------

    public VarDesc GetVar(int vidx) => Chunk.ActiveVars[FirstLocal + vidx];

    /// <summary>Number of registers used by the first <paramref name="nvar"/> active locals.</summary>
    public int RegLevel(int nvar)
    {
        while (nvar-- > 0)
        {
            VarDesc v = GetVar(nvar);
            if (v.Kind != VarKind.CompileTimeConst) return v.Register + 1;
        }
        return 0;
    }

    /// <summary>Registers occupied by active locals.</summary>
    public int NumVarStack => RegLevel(NumActiveVars);

    public void CheckStack(int n)
    {
        int newStack = FreeReg + n;
        if (newStack > Proto.MaxStackSize)
        {
            if (newStack >= MaxRegisters)
                Chunk.Error("function or expression needs too many registers");
            Proto.MaxStackSize = newStack;
        }
    }

    public void ReserveRegs(int n)
    {
        CheckStack(n);
        FreeReg += n;
    }

    public void FreeRegister(int reg)
    {
        if (reg >= NumVarStack)
        {
            FreeReg--;
            Check(reg == FreeReg, "freeing a register that is not the top temporary");
        }
    }

    public void FreeExp(in ExpDesc e)
    {
        if (e.Kind == ExpKind.NonReloc) FreeRegister(e.Info);
    }

    /// <summary>Frees the registers of two operands, top one first.</summary>
    public void FreeExps(in ExpDesc e1, in ExpDesc e2)
    {
        int r1 = e1.Kind == ExpKind.NonReloc ? e1.Info : -1;
        int r2 = e2.Kind == ExpKind.NonReloc ? e2.Info : -1;
        if (r1 > r2) { if (r1 >= 0) FreeRegister(r1); if (r2 >= 0) FreeRegister(r2); }
        else { if (r2 >= 0) FreeRegister(r2); if (r1 >= 0) FreeRegister(r1); }
    }

    public static void Check(bool condition, string what)
    {
        if (!condition) throw new InvalidOperationException("compiler invariant violated: " + what);
    }

    // ---- Completion -------------------------------------------------------------------

    /// <summary>
    /// Final pass: returns learn whether they must close upvalues (k) and whether the frame is
    /// a vararg frame (C = NumParams + 1), and jumps to jumps are short-circuited.
    /// </summary>
    public void Finish()
    {
        FunctionProto p = Proto;
        for (int pc = 0; pc < code.Count; pc++)
        {
            uint i = code[pc];
            switch (Op(i))
            {
                case OpCode.Return0:
                case OpCode.Return1:
                    if (!(NeedClose || p.IsVararg)) break;
                    // Return0/Return1 cannot close or restore a vararg frame: use the general form.
                    i = ABC(OpCode.Return, A(i), B(i), C(i), K(i));
                    goto case OpCode.Return;
                case OpCode.Return:
                case OpCode.TailCall:
                    if (NeedClose) i = WithK(i, true);
                    if (p.IsVararg) i = Instruction.WithC(i, p.NumParams + 1);
                    code[pc] = i;
                    break;
                case OpCode.Jmp:
                    FixJump(pc, FinalTarget(pc));
                    break;
            }
        }
        p.Code = [.. code];
        p.LineInfo = [.. lineInfo];
        p.Constants = [.. constants];
        p.Upvalues = [.. Upvalues];
        p.Protos = [.. Protos];
        p.LocalVars = [.. LocalVars];
        if (p.MaxStackSize < 2) p.MaxStackSize = 2;
    }

    private int FinalTarget(int pc)
    {
        for (int count = 0; count < 100; count++)  // bounded: 'goto' can build jump cycles
        {
            uint i = code[pc];
            if (Op(i) != OpCode.Jmp) break;
            pc += SJ(i) + 1;
        }
        return pc;
    }
}
