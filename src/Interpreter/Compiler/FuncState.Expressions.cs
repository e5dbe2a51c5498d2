using Tiered.Interpreter.Bytecode;
using static Tiered.Interpreter.Bytecode.Instruction;

namespace Tiered.Interpreter.Compiler;

// Materializing expression descriptors: "discharging" turns variables into values, and the
// Exp2* family puts values into registers or constant operands, resolving pending jumps.
internal sealed partial class FuncState
{
    public const int MultRet = -1;

    private static ExpDesc ConstantToExp(Constant k) => k.Kind switch
    {
        ConstantKind.Nil => new ExpDesc(ExpKind.Nil),
        ConstantKind.False => new ExpDesc(ExpKind.False),
        ConstantKind.True => new ExpDesc(ExpKind.True),
        ConstantKind.Integer => ExpDesc.Int(k.Integer),
        ConstantKind.Float => ExpDesc.Flt(k.Float),
        _ => ExpDesc.Str(k.String!),
    };

    /// <summary>
    /// The value of a compile-time constant expression (nil, booleans, numbers, strings),
    /// used to turn 'local x &lt;const&gt; = expr' into a register-free constant.
    /// </summary>
    public bool TryExpToConstant(in ExpDesc e, out Constant value)
    {
        value = default;
        if (e.HasJumps) return false;
        switch (e.Kind)
        {
            case ExpKind.Nil: value = Constant.Nil; return true;
            case ExpKind.True: value = Constant.Bool(true); return true;
            case ExpKind.False: value = Constant.Bool(false); return true;
            case ExpKind.KInt: value = Constant.Int(e.IntValue); return true;
            case ExpKind.KFlt: value = Constant.Num(e.FloatValue); return true;
            case ExpKind.KStr: value = Constant.Str(e.StrValue!); return true;
            case ExpKind.Const: value = Chunk.ActiveVars[e.Info].Value; return true;
            default: return false;
        }
    }

    /// <summary>A multi-result expression (call or '...') produces exactly one value.</summary>
    public void SetOneRet(ref ExpDesc e)
    {
        if (e.Kind == ExpKind.Call)
        {
            // The call already asks for one result (C = 2); the result lands in its base register.
            e.Kind = ExpKind.NonReloc;
            e.Info = A(code[e.Info]);
        }
        else if (e.Kind == ExpKind.Vararg)
        {
            code[e.Info] = WithC(code[e.Info], 2);
            e.Kind = ExpKind.Reloc;
        }
    }

    /// <summary>A multi-result expression produces <paramref name="nresults"/> values (MultRet: all).</summary>
    public void SetReturns(ref ExpDesc e, int nresults)
    {
        uint i = code[e.Info];
        if (e.Kind == ExpKind.Call)
        {
            code[e.Info] = WithC(i, nresults + 1);
        }
        else
        {
            Check(e.Kind == ExpKind.Vararg, "SetReturns on a single-value expression");
            code[e.Info] = WithA(WithC(i, nresults + 1), FreeReg);
            ReserveRegs(1);
        }
    }

    public void SetMultRet(ref ExpDesc e) => SetReturns(ref e, MultRet);

    /// <summary>Turns a variable into a value: a register, or a relocatable load instruction.</summary>
    public void DischargeVars(ref ExpDesc e)
    {
        switch (e.Kind)
        {
            case ExpKind.Const:
            {
                ExpDesc v = ConstantToExp(Chunk.ActiveVars[e.Info].Value);
                v.T = e.T; v.F = e.F;
                e = v;
                break;
            }
            case ExpKind.Local:
                e.Kind = ExpKind.NonReloc;  // Info already is the register
                break;
            case ExpKind.Upval:
                e.Info = EmitABC(OpCode.GetUpval, 0, e.Info, 0);
                e.Kind = ExpKind.Reloc;
                break;
            case ExpKind.IndexUp:
                e.Info = EmitABC(OpCode.GetTabUp, 0, e.Table, e.Key);
                e.Kind = ExpKind.Reloc;
                break;
            case ExpKind.IndexInt:
                FreeRegister(e.Table);
                e.Info = EmitABC(OpCode.GetI, 0, e.Table, e.Key);
                e.Kind = ExpKind.Reloc;
                break;
            case ExpKind.IndexStr:
                FreeRegister(e.Table);
                e.Info = EmitABC(OpCode.GetField, 0, e.Table, e.Key);
                e.Kind = ExpKind.Reloc;
                break;
            case ExpKind.Indexed:
                if (e.Table > e.Key) { FreeRegister(e.Table); FreeRegister(e.Key); }
                else { FreeRegister(e.Key); FreeRegister(e.Table); }
                e.Info = EmitABC(OpCode.GetTable, 0, e.Table, e.Key);
                e.Kind = ExpKind.Reloc;
                break;
            case ExpKind.Vararg:
            case ExpKind.Call:
                SetOneRet(ref e);
                break;
        }
    }

    private void StringToK(ref ExpDesc e)
    {
        e.Info = StringK(e.StrValue!);
        e.Kind = ExpKind.K;
    }

    /// <summary>Puts the value (not its pending jumps) into register <paramref name="reg"/>.</summary>
    private void Discharge2Reg(ref ExpDesc e, int reg)
    {
        DischargeVars(ref e);
        switch (e.Kind)
        {
            case ExpKind.Nil: LoadNil(reg, 1); break;
            case ExpKind.False: EmitABC(OpCode.LoadFalse, reg, 0, 0); break;
            case ExpKind.True: EmitABC(OpCode.LoadTrue, reg, 0, 0); break;
            case ExpKind.KStr: StringToK(ref e); LoadConstant(reg, e.Info); break;
            case ExpKind.K: LoadConstant(reg, e.Info); break;
            case ExpKind.KFlt: LoadFloat(reg, e.FloatValue); break;
            case ExpKind.KInt: LoadInt(reg, e.IntValue); break;
            case ExpKind.Reloc: code[e.Info] = WithA(code[e.Info], reg); break;
            case ExpKind.NonReloc: if (reg != e.Info) EmitABC(OpCode.Move, reg, e.Info, 0); break;
            case ExpKind.Jmp: return;  // the jump lists are resolved by Exp2Reg
            default: Check(false, "discharging an expression without value"); break;
        }
        e.Info = reg;
        e.Kind = ExpKind.NonReloc;
    }

    private void Discharge2AnyReg(ref ExpDesc e)
    {
        if (e.Kind != ExpKind.NonReloc)
        {
            ReserveRegs(1);
            Discharge2Reg(ref e, FreeReg - 1);
        }
    }

    private int CodeLoadBool(int reg, OpCode op)
    {
        GetLabel();  // these instructions are jump targets
        return EmitABC(op, reg, 0, 0);
    }

    /// <summary>Puts the final value of the expression, jumps included, into register <paramref name="reg"/>.</summary>
    public void Exp2Reg(ref ExpDesc e, int reg)
    {
        Discharge2Reg(ref e, reg);
        if (e.Kind == ExpKind.Jmp) Concat(ref e.T, e.Info);  // the test itself jumps when true
        if (e.HasJumps)
        {
            int loadFalse = NoJump, loadTrue = NoJump;
            if (NeedValue(e.T) || NeedValue(e.F))
            {
                // Some jump carries no value: materialize the boolean with LFalseSkip/LoadTrue.
                int skip = e.Kind == ExpKind.Jmp ? NoJump : Jump();
                loadFalse = CodeLoadBool(reg, OpCode.LFalseSkip);
                loadTrue = CodeLoadBool(reg, OpCode.LoadTrue);
                PatchToHere(skip);
            }
            int end = GetLabel();
            PatchListAux(e.F, end, reg, loadFalse);
            PatchListAux(e.T, end, reg, loadTrue);
        }
        e.T = e.F = NoJump;
        e.Info = reg;
        e.Kind = ExpKind.NonReloc;
    }

    /// <summary>Puts the value into the next free register (reserving it).</summary>
    public void Exp2NextReg(ref ExpDesc e)
    {
        DischargeVars(ref e);
        FreeExp(e);
        ReserveRegs(1);
        Exp2Reg(ref e, FreeReg - 1);
    }

    /// <summary>Puts the value into some register (a local's own register if possible) and returns it.</summary>
    public int Exp2AnyReg(ref ExpDesc e)
    {
        DischargeVars(ref e);
        if (e.Kind == ExpKind.NonReloc)
        {
            if (!e.HasJumps) return e.Info;
            if (e.Info >= NumVarStack)
            {
                // A temporary: resolve the jumps into the same register.
                Exp2Reg(ref e, e.Info);
                return e.Info;
            }
            // A local with pending jumps must not be overwritten: use a fresh register.
        }
        Exp2NextReg(ref e);
        return e.Info;
    }

    /// <summary>Like Exp2AnyReg, but an upvalue may stay an upvalue (GetTabUp can index it).</summary>
    public void Exp2AnyRegUp(ref ExpDesc e)
    {
        if (e.Kind != ExpKind.Upval || e.HasJumps) Exp2AnyReg(ref e);
    }

    /// <summary>Makes the expression a value: a register or a constant.</summary>
    public void Exp2Val(ref ExpDesc e)
    {
        if (e.HasJumps) Exp2AnyReg(ref e);
        else DischargeVars(ref e);
    }

    /// <summary>Turns a constant expression into a K operand if its index fits an RK field.</summary>
    private bool Exp2K(ref ExpDesc e)
    {
        if (e.HasJumps) return false;
        int info;
        switch (e.Kind)
        {
            case ExpKind.True: info = AddConstant(Constant.Bool(true)); break;
            case ExpKind.False: info = AddConstant(Constant.Bool(false)); break;
            case ExpKind.Nil: info = AddConstant(Constant.Nil); break;
            case ExpKind.KInt: info = IntK(e.IntValue); break;
            case ExpKind.KFlt: info = NumberK(e.FloatValue); break;
            case ExpKind.KStr: info = StringK(e.StrValue!); break;
            case ExpKind.K: info = e.Info; break;
            default: return false;
        }
        if (info > MaxIndexRK) return false;
        e.Kind = ExpKind.K;
        e.Info = info;
        return true;
    }

    /// <summary>An RK operand: true if it became a constant, false if it is in a register.</summary>
    public bool Exp2RK(ref ExpDesc e)
    {
        if (Exp2K(ref e)) return true;
        Exp2AnyReg(ref e);
        return false;
    }

    private void CodeABRK(OpCode op, int a, int b, ref ExpDesc ec)
    {
        bool k = Exp2RK(ref ec);
        EmitABC(op, a, b, ec.Info, k);
    }

    /// <summary>Stores the value of <paramref name="ex"/> into variable <paramref name="var"/>.</summary>
    public void StoreVar(in ExpDesc var, ref ExpDesc ex)
    {
        switch (var.Kind)
        {
            case ExpKind.Local:
                FreeExp(ex);
                Exp2Reg(ref ex, var.Info);  // compute the value straight into the local
                return;
            case ExpKind.Upval:
            {
                int r = Exp2AnyReg(ref ex);
                EmitABC(OpCode.SetUpval, r, var.Info, 0);
                break;
            }
            case ExpKind.IndexUp: CodeABRK(OpCode.SetTabUp, var.Table, var.Key, ref ex); break;
            case ExpKind.IndexInt: CodeABRK(OpCode.SetI, var.Table, var.Key, ref ex); break;
            case ExpKind.IndexStr: CodeABRK(OpCode.SetField, var.Table, var.Key, ref ex); break;
            case ExpKind.Indexed: CodeABRK(OpCode.SetTable, var.Table, var.Key, ref ex); break;
            default: Check(false, "store into a non-variable"); break;
        }
        FreeExp(ex);
    }

    /// <summary>obj:name(...) — method in R[base], receiver in R[base+1].</summary>
    public void Self(ref ExpDesc e, ref ExpDesc key)
    {
        Exp2AnyReg(ref e);
        int objReg = e.Info;
        FreeExp(e);
        e.Info = FreeReg;
        e.Kind = ExpKind.NonReloc;
        ReserveRegs(2);
        CodeABRK(OpCode.Self, e.Info, objReg, ref key);
        FreeExp(key);
    }

    private bool IsKStr(in ExpDesc e)
    {
        if (e.Kind != ExpKind.K || e.HasJumps || e.Info > MaxB) return false;
        Constant k = constants[e.Info];
        return k.Kind == ConstantKind.String && k.String!.Length <= MaxShortStringLength;
    }

    private static bool IsCInt(in ExpDesc e) =>
        e.Kind == ExpKind.KInt && !e.HasJumps && e.IntValue >= 0 && e.IntValue <= MaxC;

    /// <summary>
    /// t[k]: <paramref name="t"/> must be a local, a register or an upvalue (see Exp2AnyRegUp)
    /// and becomes an indexed variable, picking the GetTabUp/GetField/GetI/GetTable family.
    /// </summary>
    public void Indexed(ref ExpDesc t, ref ExpDesc k)
    {
        if (k.Kind == ExpKind.KStr) StringToK(ref k);
        Check(!t.HasJumps && t.Kind is ExpKind.Local or ExpKind.NonReloc or ExpKind.Upval, "indexing a non-register");
        if (t.Kind == ExpKind.Upval && !IsKStr(k)) Exp2AnyReg(ref t);  // GetTabUp takes only short-string keys
        if (t.Kind == ExpKind.Upval)
        {
            t.Table = t.Info;
            t.Key = k.Info;
            t.Kind = ExpKind.IndexUp;
            return;
        }
        t.Table = t.Info;  // register of the local or temporary
        if (IsKStr(k)) { t.Key = k.Info; t.Kind = ExpKind.IndexStr; }
        else if (IsCInt(k)) { t.Key = (int)k.IntValue; t.Kind = ExpKind.IndexInt; }
        else { t.Key = Exp2AnyReg(ref k); t.Kind = ExpKind.Indexed; }
    }

    /// <summary>SetList for a table in <paramref name="baseReg"/>; <paramref name="toStore"/> = MultRet stores up to the top.</summary>
    public void SetList(int baseReg, int numStored, int toStore)
    {
        if (toStore == MultRet) toStore = 0;
        if (numStored <= MaxC) EmitABC(OpCode.SetList, baseReg, toStore, numStored);
        else
        {
            EmitABC(OpCode.SetList, baseReg, toStore, numStored % (MaxC + 1), true);
            EmitExtraArg(numStored / (MaxC + 1));
        }
        FreeReg = baseReg + 1;  // the list items are consumed
    }

    /// <summary>Fills in the size hints of the NewTable at <paramref name="pc"/> (always followed by an ExtraArg).</summary>
    public void SetTableSize(int pc, int reg, int arraySize, int hashSize)
    {
        int b = hashSize != 0 ? CeilLog2(hashSize) + 1 : 0;
        int extra = arraySize / (MaxC + 1);
        int c = arraySize % (MaxC + 1);
        code[pc] = ABC(OpCode.NewTable, reg, b, c, extra > 0);
        code[pc + 1] = Instruction.Ax(OpCode.ExtraArg, extra);
    }

    private static int CeilLog2(int x)
    {
        int l = 0;
        for (x--; x > 0; x >>= 1) l++;
        return l;
    }

    public void Ret(int first, int nret)
    {
        OpCode op = nret switch { 0 => OpCode.Return0, 1 => OpCode.Return1, _ => OpCode.Return };
        EmitABC(op, first, nret + 1, 0);
    }
}
