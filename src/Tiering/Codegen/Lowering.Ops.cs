using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using Tiered.Tiering.Llvm;
using static Tiered.Interpreter.Bytecode.Instruction;
using static Tiered.Tiering.Llvm.LlvmApi;

namespace Tiered.Tiering.Codegen;

// One case per opcode (see OpCode.cs for the semantics being implemented).
internal sealed unsafe partial class Lowering
{
    private nint[] P3 => [ptr, ptr, ptr];

    private void EmitInstruction(int pc)
    {
        uint i = code[pc];
        int a = A(i);
        nint next = blocks[pc + 1];
        switch (Op(i))
        {
            case OpCode.Move: Copy(Reg(a), Reg(B(i))); Br(next); break;
            case OpCode.LoadI: SetInt(Reg(a), I64(SBx(i))); Br(next); break;
            case OpCode.LoadF: SetFloat(Reg(a), F64(SBx(i))); Br(next); break;
            case OpCode.LoadK: Copy(Reg(a), Konst(Bx(i))); Br(next); break;
            case OpCode.LoadKX: Copy(Reg(a), Konst(Ax(code[pc + 1]))); Br(blocks[pc + 2]); break;
            case OpCode.LoadFalse: SetBool(Reg(a), LLVMConstInt(i1, 0, 0)); Br(next); break;
            case OpCode.LFalseSkip: SetBool(Reg(a), LLVMConstInt(i1, 0, 0)); Br(blocks[pc + 2]); break;
            case OpCode.LoadTrue: SetBool(Reg(a), LLVMConstInt(i1, 1, 0)); Br(next); break;
            case OpCode.LoadNil:
                for (int j = 0; j <= B(i); j++) SetNil(Reg(a + j));
                Br(next);
                break;
            case OpCode.GetUpval: Copy(Reg(a), UpvalueValue(B(i))); Br(next); break;
            case OpCode.SetUpval: Copy(UpvalueValue(B(i)), Reg(a)); Br(next); break;

            case OpCode.GetTabUp: EmitGetField(pc, a, UpvalueValue(B(i)), C(i), next); break;
            case OpCode.GetField: EmitGetField(pc, a, Reg(B(i)), C(i), next); break;
            case OpCode.GetTable: EmitGetTable(pc, a, Reg(B(i)), Reg(C(i)), 0, next); break;
            case OpCode.GetI: EmitGetTable(pc, a, Reg(B(i)), null, C(i), next); break;
            case OpCode.SetTabUp: EmitSetField(pc, UpvalueValue(a), B(i), RK(i), next); break;
            case OpCode.SetField: EmitSetField(pc, Reg(a), B(i), RK(i), next); break;
            case OpCode.SetTable: EmitSetTable(pc, Reg(a), Reg(B(i)), 0, RK(i), next); break;
            case OpCode.SetI: EmitSetTable(pc, Reg(a), null, B(i), RK(i), next); break;

            case OpCode.NewTable:
                {
                    int b = B(i), c = C(i);
                    if (K(i)) c += Ax(code[pc + 1]) * 256;
                    SavePc(pc + 2);
                    CallChecked(Writes.Register(a), "tiered_rt_newtable", [ptr, ptr, ptr, i32, i32], th, ci, Reg(a), I32(c), I32(b > 0 ? 1 << (b - 1) : 0));
                    Br(blocks[pc + 2]);
                    break;
                }
            case OpCode.Self: EmitSelf(pc, a, Reg(B(i)), K(i) ? Konst(C(i)) : Reg(C(i)), K(i) ? C(i) : -1, next); break;

            case OpCode.AddI: EmitArith(pc, MetaEvent.Add, a, Reg(B(i)), null, SC(i), next); break;
            case OpCode.AddK: case OpCode.SubK: case OpCode.MulK: case OpCode.ModK:
            case OpCode.PowK: case OpCode.DivK: case OpCode.IDivK:
                EmitArith(pc, (MetaEvent)(Op(i) - OpCode.AddK + (int)MetaEvent.Add), a, Reg(B(i)), Konst(C(i)), 0, next);
                break;
            case OpCode.Add: case OpCode.Sub: case OpCode.Mul: case OpCode.Mod:
            case OpCode.Pow: case OpCode.Div: case OpCode.IDiv:
                EmitArith(pc, (MetaEvent)(Op(i) - OpCode.Add + (int)MetaEvent.Add), a, Reg(B(i)), Reg(C(i)), 0, next);
                break;
            case OpCode.BAndK: case OpCode.BOrK: case OpCode.BXorK:
                EmitBitwise(pc, (MetaEvent)(Op(i) - OpCode.BAndK + (int)MetaEvent.BAnd), a, Reg(B(i)), Konst(C(i)), next);
                break;
            case OpCode.BAnd: case OpCode.BOr: case OpCode.BXor: case OpCode.Shl: case OpCode.Shr:
                EmitBitwise(pc, (MetaEvent)(Op(i) - OpCode.BAnd + (int)MetaEvent.BAnd), a, Reg(B(i)), Reg(C(i)), next);
                break;
            case OpCode.ShrI: case OpCode.ShlI:
                {
                    nint imm = Immediate(SC(i));
                    if (Op(i) == OpCode.ShrI) EmitBitwise(pc, MetaEvent.Shr, a, Reg(B(i)), imm, next);
                    else EmitBitwise(pc, MetaEvent.Shl, a, imm, Reg(B(i)), next);
                    break;
                }
            case OpCode.Unm: EmitUnary(pc, MetaEvent.Unm, a, Reg(B(i)), next); break;
            case OpCode.BNot: EmitUnary(pc, MetaEvent.BNot, a, Reg(B(i)), next); break;
            case OpCode.Not: SetBool(Reg(a), IsFalsy(Reg(B(i)))); Br(next); break;
            case OpCode.Len: EmitLen(pc, a, Reg(B(i)), next); break;
            case OpCode.Concat:
                SavePc(pc + 1);
                CallChecked(Writes.Registers(a, B(i)), "tiered_rt_concat", [ptr, ptr, ptr, i32], th, ci, Reg(a), I32(B(i)));
                Br(next);
                break;

            case OpCode.Close:
                SavePc(pc + 1);
                // Closing changes no register (captured ones have no local copy), unless a
                // __close handler sets a local through the debug library.
                CallChecked(Writes.Nothing, "tiered_rt_close", P3, th, ci, Reg(a));
                ContinueUnlessSentToInterpreter(next);
                break;
            case OpCode.Tbc:
                SavePc(pc + 1);
                CallChecked(Writes.Nothing, "tiered_rt_tbc", P3, th, ci, Reg(a));
                Br(next);
                break;
            case OpCode.Jmp: EmitJump(pc, pc + 1 + SJ(i)); break;

            case OpCode.Eq: EmitEquals(pc, Reg(a), Reg(B(i)), K(i)); break;
            case OpCode.Lt: case OpCode.Le:
                EmitCompare(pc, Op(i), Reg(a), Reg(B(i)), K(i));
                break;
            case OpCode.EqK: EmitEqualsConstant(pc, Reg(a), B(i), K(i)); break;
            case OpCode.EqI: case OpCode.LtI: case OpCode.LeI: case OpCode.GtI: case OpCode.GeI:
                EmitCompareImmediate(pc, Op(i), Reg(a), SB(i), C(i) != 0, K(i));
                break;
            case OpCode.Test:
                {
                    nint falsy = IsFalsy(Reg(a));
                    nint cond = K(i) ? falsy : LLVMBuildNot(B, falsy, "");   // skip the jump when truthy(R[A]) ~= k
                    CondBr(cond, blocks[pc + 2], JumpTarget(pc + 1));
                    break;
                }
            case OpCode.TestSet:
                {
                    nint rb = Reg(B(i));
                    nint falsy = IsFalsy(rb);
                    nint cond = K(i) ? falsy : LLVMBuildNot(B, falsy, "");
                    nint take = NewBlock();
                    CondBr(cond, blocks[pc + 2], take);
                    builder.PositionAtEnd(take);
                    Copy(Reg(a), rb);
                    Br(JumpTarget(pc + 1));
                    break;
                }

            case OpCode.Call: EmitCall(pc, a, B(i), C(i) - 1, next); break;
            case OpCode.TailCall:
                {
                    SavePc(pc + 1);
                    if (K(i)) CallChecked(Writes.From(a), "tiered_rt_close", P3, th, ci, Base());
                    int b = B(i);
                    nint generic = EmitNativeTailCall(pc, a, b);
                    // Anything else (a host function, __call): a call followed by a return of all
                    // its results.
                    builder.PositionAtEnd(generic);
                    CallChecked(Writes.From(a), "tiered_rt_call", [ptr, ptr, ptr, i32, i32], th, ci, Reg(a), I32(b == 0 ? -1 : b - 1), I32(-1));
                    nint top = LoadField(ptr, th, Layout.ThreadTop, Mem.Thread);
                    EmitReturn(a, CountBetween(StackReg(a), top));
                    break;
                }
            case OpCode.Return:
                {
                    int b = B(i);
                    nint ra = StackReg(a);
                    nint n = b != 0 ? I32(b - 1) : CountBetween(ra, LoadField(ptr, th, Layout.ThreadTop, Mem.Thread));
                    if (K(i))
                    {
                        SavePc(pc + 1);
                        StoreField(n, ci, Layout.FrameSavedCount, Mem.Frame);
                        StoreTop(ra, n);
                        // Closing runs __close handlers, but the values returned are set: only
                        // they are read back (the handlers may not change them).
                        CallChecked(b != 0 ? Writes.Registers(a, b - 1) : Writes.From(a), "tiered_rt_close", P3, th, ci, Base());
                    }
                    EmitReturn(a, n, b != 0 ? b - 1 : -1);
                    break;
                }
            case OpCode.Return0: EmitReturn(a, I32(0), 0); break;
            case OpCode.Return1: EmitReturn(a, I32(1), 1); break;

            case OpCode.ForPrep:
                {
                    // Written back first: registers clean at the loop's entry need not stay live
                    // through it for the exits' write-backs (less register pressure in the loop).
                    Flush();
                    bool integerLoop = IsIntegerLoop(pc);
                    if (integerLoop)
                    {
                        nint integers = NewBlock("forprep_integer_loop");
                        CondBr(LLVMBuildAnd(B, IsTag(Reg(a), Tag.Integer), IsTag(Reg(a + 2), Tag.Integer), ""), integers, DeoptBlock(pc, DeoptReason.FloatLoop));
                        builder.PositionAtEnd(integers);
                        AssumeIntegers(a, 0, 2);
                    }
                    EmitIntegerForPrep(a, next, blocks[pc + 2 + Bx(i)], integerLoop ? LoopMark(pc + 1) : 0);
                    // A limit that is not an integer, or a zero step (an error): the helper.
                    SavePc(pc + 1);
                    // With an integer initial value and step, the helper writes only the count
                    // and the control variable (the initial value): the copies of the initial
                    // value and step stay, as on the inline path, so that the loop sees one value
                    // of each from every way in (see IntegerLoopOsrEntry).
                    nint r = CallHelper(integerLoop ? Writes.Registers(a + 1, 1) : Writes.Registers(a, 4), "tiered_rt_forprep", i32, [ptr, ptr, ptr], th, ci, Reg(a));
                    nint bad = NewBlock();
                    nint good = NewBlock();
                    CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSLT, r, I32(0), ""), bad, good);
                    builder.PositionAtEnd(bad);
                    Leave(LLVMBuildNeg(B, r, ""));
                    builder.PositionAtEnd(good);
                    // An integer initial value and step make an integer loop, whatever the limit.
                    if (integerLoop)
                    {
                        SetInt(Reg(a + 3), LoadI64(Reg(a), 0));
                        AssumeIntegers(a, 0, 1, 2, 3);
                        LLVMBuildStore(B, LoadI64(Reg(a + 1), 0), LoopMark(pc + 1));
                    }
                    CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, r, I32(0), ""), next, blocks[pc + 2 + Bx(i)]);
                    break;
                }
            case OpCode.ForLoop: EmitForLoop(pc, a, pc + 1 - Bx(i), next); break;
            case OpCode.TForPrep:
                SavePc(pc + 1);
                CallChecked(Writes.Nothing, "tiered_rt_tbc", P3, th, ci, Reg(a + 3));
                Br(blocks[pc + 1 + Bx(i)]);
                break;
            case OpCode.TForCall:
                if (IsIpairsSite(pc)) EmitIpairsStep(a, C(i), next);
                SavePc(pc + 1);
                CallChecked(CallWrites(pc), "tiered_rt_tforcall", [ptr, ptr, ptr, i32], th, ci, Reg(a), I32(C(i)));
                ContinueUnlessSentToInterpreter(next);
                break;
            case OpCode.TForLoop:
                {
                    nint ctl = Reg(a + 4);
                    nint more = NewBlock();
                    CondBr(IsTag(ctl, Tag.Nil), next, more);
                    builder.PositionAtEnd(more);
                    Copy(Reg(a + 2), ctl);
                    EmitBackEdge(pc + 1 - Bx(i));
                    break;
                }
            case OpCode.SetList:
                {
                    int b = B(i);
                    int last = C(i);
                    if (K(i)) last += Ax(code[pc + 1]) * 256;
                    CallChecked(Writes.Nothing, "tiered_rt_setlist", [ptr, ptr, ptr, i32, i32], th, ci, Reg(a), I32(b == 0 ? -1 : b), I32(last));
                    Br(K(i) ? blocks[pc + 2] : next);
                    break;
                }
            case OpCode.Closure:
                SavePc(pc + 1);
                CallChecked(Writes.Register(a), "tiered_rt_closure", [ptr, ptr, ptr, i32], th, ci, Reg(a), I32(Bx(i)));
                Br(next);
                break;
            case OpCode.VarArg:
                SavePc(pc + 1);
                CallChecked(Writes.From(a), "tiered_rt_vararg", [ptr, ptr, ptr, i32], th, ci, Reg(a), I32(C(i) - 1));
                Br(next);
                break;
            case OpCode.VarArgPrep:
                {
                    SavePc(pc + 1);
                    EmitVarArgPrep();
                    nint funcSlot = LoadField(ptr, ci, Layout.FrameFunc, Mem.Frame);
                    LLVMBuildStore(B, Gep(funcSlot, Layout.ValueSize), baseSlot);
                    Reload();   // the fixed parameters moved with the frame
                    Br(next);
                    break;
                }
            case OpCode.ExtraArg: Br(next); break;
            default:
                // Unknown instruction: let the interpreter run it.
                Flush();
                SavePc(pc);
                Leave(I32(1));
                break;
        }
    }

    /// <summary>VarArgPrep, as LuaState.PrepareVarArgFrame does it: the function and the fixed
    /// parameters are copied above the arguments (the caller stored their count, or the
    /// parameters' if more, in ExtraArgs), the old parameter slots cleared, and the frame moved
    /// up; the extra arguments are then just below it, where VarArg finds them. A frame that
    /// would not fit the stack goes through the helper, which raises the error.</summary>
    private void EmitVarArgPrep()
    {
        nint func = LoadField(ptr, ci, Layout.FrameFunc, Mem.Frame);
        nint actual = LoadField(i32, ci, Layout.FrameExtraArgs, Mem.Frame);
        nint newFunc = GepDyn(func, LLVMBuildShl(B, LLVMBuildAdd(B, LLVMBuildSExt(B, actual, i64, ""), I64(1), ""), I64(4), ""));
        nint newTop = Gep(newFunc, (long)(LuaState.FrameSizeOf(proto) + 1) * Layout.ValueSize);
        nint overflow = NewBlock("varargprep_overflow");
        nint move = NewBlock("varargprep_move");
        nint done = NewBlock("varargprep_done");
        CondBrRare(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntUGT, newTop, LoadField(ptr, th, Layout.ThreadStackLimit, Mem.Thread), ""), overflow, move);
        builder.PositionAtEnd(overflow);
        CallChecked("tiered_rt_varargprep", [ptr, ptr], th, ci);
        Br(done);

        builder.PositionAtEnd(move);
        RaiseHighWater(newTop);
        // The copies go up, past every slot read (actual >= the parameters' count).
        Copy(newFunc, func);
        for (int j = 1; j <= proto.NumParams; j++)
        {
            Copy(Gep(newFunc, (long)j * Layout.ValueSize), Gep(func, (long)j * Layout.ValueSize));
            SetNil(Gep(func, (long)j * Layout.ValueSize));
        }
        StoreField(newFunc, ci, Layout.FrameFunc, Mem.Frame);
        StoreField(newTop, ci, Layout.FrameTop, Mem.Frame);
        StoreField(LLVMBuildSub(B, actual, I32(proto.NumParams), ""), ci, Layout.FrameExtraArgs, Mem.Frame);
        StoreField(newTop, th, Layout.ThreadTop, Mem.Thread);
        Br(done);
        builder.PositionAtEnd(done);
    }

    private nint RK(uint i) => K(i) ? Konst(C(i)) : Reg(C(i));

    private nint UpvalueValue(int index)
    {
        nint uv = LoadField(ptr, closurePtr, Layout.ClosureUpvalues + (long)index * 8, Mem.ClosureUpvalue);
        return LoadField(ptr, uv, Layout.UpvalValue, Mem.UpvalPointer);
    }

    private nint CountBetween(nint from, nint to)
    {
        nint bytes = LLVMBuildSub(B, LLVMBuildPtrToInt(B, to, i64, ""), LLVMBuildPtrToInt(B, from, i64, ""), "");
        return LLVMBuildTrunc(B, LLVMBuildAShr(B, bytes, I64(4), ""), i32, "");
    }

    private void StoreTop(nint from, nint count)
    {
        nint bytes = LLVMBuildShl(B, LLVMBuildSExt(B, count, i64, ""), I64(4), "");
        StoreField(GepDyn(from, bytes), th, Layout.ThreadTop, Mem.Thread);
    }

    /// <summary>Returns n values of registers a, a+1, ...: they are copied down to the frame's
    /// function slot, where the caller wants its results, with the thread's top just above them
    /// and their count in SavedCount (NativeStatus.Returned). A native caller then finds them in
    /// place; the interpreter's MoveResults copies from top - n, the same slots. Upvalues were
    /// closed before (a return that needs it is RETURN with k, which calls the close helper),
    /// so the frame's registers may be overwritten.</summary>
    private void EmitReturn(int a, nint n, int count = -1)
    {
        nint func = LoadField(ptr, ci, Layout.FrameFunc, Mem.Frame);
        if (proto.IsVararg)
        {
            // Give the frame back its original function slot (VarArgPrep moved it up).
            nint extra = LLVMBuildSExt(B, LoadField(i32, ci, Layout.FrameExtraArgs, Mem.Frame), i64, "");
            nint slots = LLVMBuildAdd(B, extra, I64(proto.NumParams + 1), "");
            func = GepDyn(func, LLVMBuildNeg(B, LLVMBuildShl(B, slots, I64(4), ""), ""));
            StoreField(func, ci, Layout.FrameFunc, Mem.Frame);
        }
        if (count >= 0)
        {
            // From the local copies: the destination is below every source slot, so copying
            // upwards never overwrites a value still to be read.
            for (int j = 0; j < count; j++) Copy(Gep(func, (long)j * Layout.ValueSize), Reg(a + j));
        }
        else
        {
            // Variable results are on the stack already (the call or vararg that produced
            // them wrote them there): moved down one by one.
            nint from = StackReg(a);
            nint total = LLVMBuildSExt(B, n, i64, "");
            nint before = builder.InsertBlock;
            nint loop = NewBlock(), body = NewBlock(), done = NewBlock();
            Br(loop);
            builder.PositionAtEnd(loop);
            nint j = LLVMBuildPhi(B, i64, "");
            LlvmBuilder.AddIncoming(j, I64(0), before);
            CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSLT, j, total, ""), body, done);
            builder.PositionAtEnd(body);
            nint offset = LLVMBuildShl(B, j, I64(4), "");
            Copy(GepDyn(func, offset), GepDyn(from, offset));
            LlvmBuilder.AddIncoming(j, LLVMBuildAdd(B, j, I64(1), ""), body);
            Br(loop);
            builder.PositionAtEnd(done);
        }
        StoreTop(func, n);
        StoreField(n, ci, Layout.FrameSavedCount, Mem.Frame);
        LeaveReturned();
    }

    private nint JumpTarget(int jmpPc) => blocks[jmpPc + 1 + SJ(code[jmpPc])];

    private void EmitJump(int pc, int target)
    {
        if (target <= pc) EmitBackEdge(target);
        else Br(blocks[target]);
    }

    /// <summary>The name of the private constant that holds the code's stamp.</summary>
    public const string StampName = "tiered_stamp";

    private nint stampGlobal;

    /// <summary>The code's stamp (FunctionKey.Stamp of its symbol) as a private constant, not an
    /// immediate, so that the compiler can give the code another symbol after lowering (a quick
    /// compilation) and set the stamp to match; the passes fold the load.</summary>
    private nint StampGlobal()
    {
        if (stampGlobal != 0) return stampGlobal;
        stampGlobal = module.AddGlobal(i64, StampName);
        LLVMSetInitializer(stampGlobal, I64(FunctionKey.Stamp(fnName)));
        LLVMSetGlobalConstant(stampGlobal, 1);
        LLVMSetLinkage(stampGlobal, LLVMLinkage.LLVMPrivateLinkage);
        return stampGlobal;
    }
}
