using Tiered.Interpreter.Bytecode;
using static Tiered.Interpreter.Bytecode.Instruction;

namespace Tiered.Interpreter.Compiler;

// Operators: folding, immediate and constant operand forms, conditional jumps.
//
// Unlike the reference implementation there is no MMBIN follow-up instruction, so the VM
// cannot tell that operands were swapped or an operator was rewritten: an arithmetic or
// bitwise instruction must always compute exactly "left op right" with the metamethod of
// that very operator. Hence 'a - 1' is SubK (never AddI -1), '1 + a' and 'a << 1' use two
// registers, and only "register op constant" gets the K/immediate forms. Comparisons are
// free to swap because each comparison opcode states its own operand order.
internal sealed partial class FuncState
{
    // ---- Conditions --------------------------------------------------------------------

    private int JumpOnCond(ref ExpDesc e, bool cond)
    {
        if (e.Kind == ExpKind.Reloc)
        {
            uint ie = code[e.Info];
            if (Op(ie) == OpCode.Not)
            {
                // 'not x' as a condition: test x with the opposite sense instead.
                RemoveLastInstruction();
                return CondJump(OpCode.Test, B(ie), 0, 0, !cond);
            }
        }
        Discharge2AnyReg(ref e);
        FreeExp(e);
        return CondJump(OpCode.TestSet, NoReg, e.Info, 0, cond);
    }

    /// <summary>Falls through when the expression is true; its false list collects the jumps out.</summary>
    public void GoIfTrue(ref ExpDesc e)
    {
        int pc;
        DischargeVars(ref e);
        switch (e.Kind)
        {
            case ExpKind.Jmp:
                NegateCondition(e);
                pc = e.Info;
                break;
            case ExpKind.K: case ExpKind.KFlt: case ExpKind.KInt: case ExpKind.KStr: case ExpKind.True:
                pc = NoJump;  // always true
                break;
            default:
                pc = JumpOnCond(ref e, false);
                break;
        }
        Concat(ref e.F, pc);
        PatchToHere(e.T);
        e.T = NoJump;
    }

    /// <summary>Falls through when the expression is false; its true list collects the jumps out.</summary>
    public void GoIfFalse(ref ExpDesc e)
    {
        int pc;
        DischargeVars(ref e);
        switch (e.Kind)
        {
            case ExpKind.Jmp: pc = e.Info; break;
            case ExpKind.Nil: case ExpKind.False: pc = NoJump; break;  // always false
            default: pc = JumpOnCond(ref e, true); break;
        }
        Concat(ref e.T, pc);
        PatchToHere(e.F);
        e.F = NoJump;
    }

    private void CodeNot(ref ExpDesc e)
    {
        switch (e.Kind)
        {
            case ExpKind.Nil: case ExpKind.False:
                e.Kind = ExpKind.True;
                break;
            case ExpKind.K: case ExpKind.KFlt: case ExpKind.KInt: case ExpKind.KStr: case ExpKind.True:
                e.Kind = ExpKind.False;
                break;
            case ExpKind.Jmp:
                NegateCondition(e);
                break;
            case ExpKind.Reloc:
            case ExpKind.NonReloc:
                Discharge2AnyReg(ref e);
                FreeExp(e);
                e.Info = EmitABC(OpCode.Not, 0, e.Info, 0);
                e.Kind = ExpKind.Reloc;
                break;
            default:
                Check(false, "'not' of a non-value");
                break;
        }
        (e.F, e.T) = (e.T, e.F);
        RemoveValues(e.F);  // values are useless once negated
        RemoveValues(e.T);
    }

    // ---- Unary operators ----------------------------------------------------------------

    public void Prefix(UnOpr op, ref ExpDesc e, int line)
    {
        DischargeVars(ref e);
        switch (op)
        {
            case UnOpr.Minus:
            case UnOpr.BNot:
            {
                ExpDesc zero = ExpDesc.Int(0);
                if (ConstantFolder.TryFold(BinOpr.Add, e, zero, out ExpDesc folded,
                        unaryMinus: op == UnOpr.Minus, unaryBNot: op == UnOpr.BNot))
                {
                    e = folded;
                    break;
                }
                CodeUnary(op == UnOpr.Minus ? OpCode.Unm : OpCode.BNot, ref e, line);
                break;
            }
            case UnOpr.Len:
                CodeUnary(OpCode.Len, ref e, line);
                break;
            case UnOpr.Not:
                CodeNot(ref e);
                break;
        }
    }

    private void CodeUnary(OpCode op, ref ExpDesc e, int line)
    {
        int r = Exp2AnyReg(ref e);
        FreeExp(e);
        e.Info = EmitABC(op, 0, r, 0);
        e.Kind = ExpKind.Reloc;
        FixLine(line);
    }

    // ---- Binary operators ---------------------------------------------------------------

    /// <summary>Prepares the first operand before the second one is compiled.</summary>
    public void Infix(BinOpr op, ref ExpDesc v)
    {
        DischargeVars(ref v);
        switch (op)
        {
            case BinOpr.And: GoIfTrue(ref v); break;
            case BinOpr.Or: GoIfFalse(ref v); break;
            case BinOpr.Concat: Exp2NextReg(ref v); break;  // operands must be consecutive
            case BinOpr.Add: case BinOpr.Sub: case BinOpr.Mul: case BinOpr.Div: case BinOpr.Mod:
            case BinOpr.IDiv: case BinOpr.Pow: case BinOpr.BAnd: case BinOpr.BOr: case BinOpr.BXor:
            case BinOpr.Shl: case BinOpr.Shr:
                // A numeral may still fold or become an immediate (ShlI); anything else goes to a register.
                if (!v.IsNumeral) Exp2AnyReg(ref v);
                break;
            case BinOpr.Eq: case BinOpr.Ne:
                if (!v.IsNumeral) Exp2RK(ref v);
                break;
            case BinOpr.Lt: case BinOpr.Le: case BinOpr.Gt: case BinOpr.Ge:
                if (!IsSCNumber(v, out _, out _)) Exp2AnyReg(ref v);
                break;
        }
    }

    /// <summary>Completes 'e1 op e2' into e1. <paramref name="line"/> is the operator's line.</summary>
    public void Posfix(BinOpr op, ref ExpDesc e1, ref ExpDesc e2, int line)
    {
        DischargeVars(ref e2);
        if (op <= BinOpr.Shr && ConstantFolder.TryFold(op, e1, e2, out ExpDesc folded))
        {
            e1 = folded;
            return;
        }
        switch (op)
        {
            case BinOpr.And:
                Check(e1.T == NoJump, "open true list in 'and'");
                Concat(ref e2.F, e1.F);
                e1 = e2;
                break;
            case BinOpr.Or:
                Check(e1.F == NoJump, "open false list in 'or'");
                Concat(ref e2.T, e1.T);
                e1 = e2;
                break;
            case BinOpr.Concat:
                Exp2NextReg(ref e2);
                CodeConcat(ref e1, ref e2, line);
                break;
            case BinOpr.Add:
                if (IsSCInt(e2)) CodeImmediate(OpCode.AddI, ref e1, e2, line);
                else CodeArith(op, ref e1, ref e2, line);
                break;
            case BinOpr.Sub: case BinOpr.Mul: case BinOpr.Div: case BinOpr.Mod: case BinOpr.IDiv: case BinOpr.Pow:
                CodeArith(op, ref e1, ref e2, line);
                break;
            case BinOpr.BAnd: case BinOpr.BOr: case BinOpr.BXor:
                if (e2.Kind == ExpKind.KInt && Exp2K(ref e2)) CodeBinK(op, ref e1, ref e2, line);
                else CodeBinRegs(op, ref e1, ref e2, line);
                break;
            case BinOpr.Shl:
                if (IsSCInt(e1))
                {
                    // 'imm << x': ShlI computes sC << R[B].
                    int imm = (int)e1.IntValue + OffsetSC;
                    int r = Exp2AnyReg(ref e2);
                    FreeExp(e2);
                    e1.Info = EmitABC(OpCode.ShlI, 0, r, imm);
                    e1.Kind = ExpKind.Reloc;
                    e1.T = e1.F = NoJump;
                    FixLine(line);
                }
                else CodeBinRegs(op, ref e1, ref e2, line);
                break;
            case BinOpr.Shr:
                if (IsSCInt(e2)) CodeImmediate(OpCode.ShrI, ref e1, e2, line);
                else CodeBinRegs(op, ref e1, ref e2, line);
                break;
            case BinOpr.Eq: case BinOpr.Ne:
                CodeEq(op, ref e1, ref e2, line);
                break;
            case BinOpr.Gt: case BinOpr.Ge:
                // 'a > b' is 'b < a' and 'a >= b' is 'b <= a'.
                (e1, e2) = (e2, e1);
                CodeOrder(op == BinOpr.Gt ? OpCode.Lt : OpCode.Le, ref e1, ref e2, line);
                break;
            case BinOpr.Lt:
                CodeOrder(OpCode.Lt, ref e1, ref e2, line);
                break;
            case BinOpr.Le:
                CodeOrder(OpCode.Le, ref e1, ref e2, line);
                break;
        }
    }

    private static bool IsSCInt(in ExpDesc e) => e.Kind == ExpKind.KInt && !e.HasJumps && FitsSC(e.IntValue);

    /// <summary>A numeral usable as a signed 8-bit immediate; isFloat tells the VM to compare as a float.</summary>
    private static bool IsSCNumber(in ExpDesc e, out int immediate, out bool isFloat)
    {
        immediate = 0;
        isFloat = false;
        long i;
        if (e.HasJumps) return false;
        if (e.Kind == ExpKind.KInt) i = e.IntValue;
        else if (e.Kind == ExpKind.KFlt && ConstantFolder.FloatToInteger(e.FloatValue, out i)) isFloat = true;
        else return false;
        if (!FitsSC(i)) return false;
        immediate = (int)i + OffsetSC;
        return true;
    }

    private static OpCode RegisterOpcode(BinOpr op) => (OpCode)((int)OpCode.Add + (int)op);
    private static OpCode ConstantOpcode(BinOpr op) => op switch
    {
        BinOpr.Add => OpCode.AddK, BinOpr.Sub => OpCode.SubK, BinOpr.Mul => OpCode.MulK,
        BinOpr.Mod => OpCode.ModK, BinOpr.Pow => OpCode.PowK, BinOpr.Div => OpCode.DivK,
        BinOpr.IDiv => OpCode.IDivK, BinOpr.BAnd => OpCode.BAndK, BinOpr.BOr => OpCode.BOrK,
        BinOpr.BXor => OpCode.BXorK,
        _ => throw new InvalidOperationException("no constant form for " + op),
    };

    /// <summary>R[A] := R[B] op sC with the immediate taken from <paramref name="e2"/>.</summary>
    private void CodeImmediate(OpCode op, ref ExpDesc e1, in ExpDesc e2, int line)
    {
        int imm = (int)e2.IntValue + OffsetSC;
        int r = Exp2AnyReg(ref e1);
        FreeExp(e1);
        e1.Info = EmitABC(op, 0, r, imm);
        e1.Kind = ExpKind.Reloc;
        FixLine(line);
    }

    private void CodeArith(BinOpr op, ref ExpDesc e1, ref ExpDesc e2, int line)
    {
        if (e2.IsNumeral && Exp2K(ref e2)) CodeBinK(op, ref e1, ref e2, line);
        else CodeBinRegs(op, ref e1, ref e2, line);
    }

    private void CodeBinK(BinOpr op, ref ExpDesc e1, ref ExpDesc e2, int line)
    {
        int k = e2.Info;
        int r = Exp2AnyReg(ref e1);
        FreeExp(e1);
        e1.Info = EmitABC(ConstantOpcode(op), 0, r, k);
        e1.Kind = ExpKind.Reloc;
        FixLine(line);
    }

    private void CodeBinRegs(BinOpr op, ref ExpDesc e1, ref ExpDesc e2, int line)
    {
        // The second operand is materialized first: the first may be a numeral left
        // unmaterialized by Infix, and only needs a register now.
        int r2 = Exp2AnyReg(ref e2);
        int r1 = Exp2AnyReg(ref e1);
        FreeExps(e1, e2);
        e1.Info = EmitABC(RegisterOpcode(op), 0, r1, r2);
        e1.Kind = ExpKind.Reloc;
        FixLine(line);
    }

    private void CodeConcat(ref ExpDesc e1, ref ExpDesc e2, int line)
    {
        // 'a .. b .. c' is right associative: when e2 is itself a Concat starting right after
        // e1, widen that instruction instead of emitting another one.
        if (TryPreviousInstruction(out uint prev) && Op(prev) == OpCode.Concat)
        {
            int n = B(prev);
            Check(e1.Info + 1 == A(prev), "concat operands not consecutive");
            FreeExp(e2);
            code[^1] = WithB(WithA(prev, e1.Info), n + 1);
        }
        else
        {
            EmitABC(OpCode.Concat, e1.Info, 2, 0);
            FreeExp(e2);
            FixLine(line);
        }
    }

    private void CodeEq(BinOpr op, ref ExpDesc e1, ref ExpDesc e2, int line)
    {
        if (e1.Kind != ExpKind.NonReloc)
        {
            // e1 is a constant (Infix made it a K or kept a numeral): equality is symmetric.
            (e1, e2) = (e2, e1);
        }
        int r1 = Exp2AnyReg(ref e1);
        OpCode opcode;
        int r2;
        bool isFloat = false;
        if (IsSCNumber(e2, out int imm, out isFloat)) { opcode = OpCode.EqI; r2 = imm; }
        else if (Exp2RK(ref e2)) { opcode = OpCode.EqK; r2 = e2.Info; }
        else { opcode = OpCode.Eq; r2 = Exp2AnyReg(ref e2); }
        FreeExps(e1, e2);
        e1.Info = CondJump(opcode, r1, r2, isFloat ? 1 : 0, op == BinOpr.Eq);
        e1.Kind = ExpKind.Jmp;
        FixTestLine(line);
    }

    private void CodeOrder(OpCode op, ref ExpDesc e1, ref ExpDesc e2, int line)
    {
        int r1, r2;
        bool isFloat;
        if (IsSCNumber(e2, out int imm, out isFloat))
        {
            r1 = Exp2AnyReg(ref e1);
            r2 = imm;
            op = op == OpCode.Lt ? OpCode.LtI : OpCode.LeI;
        }
        else if (IsSCNumber(e1, out imm, out isFloat))
        {
            // 'imm < x' is 'x > imm'; 'imm <= x' is 'x >= imm'.
            r1 = Exp2AnyReg(ref e2);
            r2 = imm;
            op = op == OpCode.Lt ? OpCode.GtI : OpCode.GeI;
        }
        else
        {
            r1 = Exp2AnyReg(ref e1);
            r2 = Exp2AnyReg(ref e2);
        }
        FreeExps(e1, e2);
        e1.Info = CondJump(op, r1, r2, isFloat ? 1 : 0, true);
        e1.Kind = ExpKind.Jmp;
        FixTestLine(line);
    }

    /// <summary>A comparison and its JMP both belong to the operator's line.</summary>
    private void FixTestLine(int line)
    {
        lineInfo[^1] = line;
        lineInfo[^2] = line;
    }
}
