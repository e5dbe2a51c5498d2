using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Runtime;
using Tiered.Tiering.Llvm;
using static Tiered.Interpreter.Bytecode.Instruction;
using static Tiered.Tiering.Llvm.LlvmApi;

namespace Tiered.Tiering.Codegen;

// Comparisons: EQ/LT/LE and their constant and immediate forms, inline for the types where no
// metamethod or content comparison is involved, with the helper (or, on sites specialised on
// numbers, a deopt) for the rest.
internal sealed unsafe partial class Lowering
{
    /// <summary>Branches on "cond ~= k": skip the following jump, else take it.</summary>
    private void BranchOnCondition(int pc, nint cond, bool k)
    {
        nint skip = k ? LLVMBuildNot(B, cond, "") : cond;
        CondBr(skip, blocks[pc + 2], JumpTarget(pc + 1));
    }

    private void EmitCompare(int pc, OpCode op, nint ra, nint rb, bool k)
    {
        // An order comparison that only ever saw numbers deoptimises on anything else.
        FeedbackBits f = Feedback(pc);
        bool numbersOnly = op != OpCode.Eq && !generic && f != 0 && (f & ~(FeedbackBits.Integer | FeedbackBits.Float)) == 0;
        nint slow = numbersOnly ? DeoptBlock(pc, DeoptReason.NotNumber) : NewBlock("slow");
        nint intBlock = NewBlock("int");
        nint floatCheck = NewBlock();
        CondBr(LLVMBuildAnd(B, IsTag(ra, Tag.Integer), IsTag(rb, Tag.Integer), ""), intBlock, floatCheck);
        builder.PositionAtEnd(intBlock);
        var ipred = op switch { OpCode.Eq => LLVMIntPredicate.LLVMIntEQ, OpCode.Lt => LLVMIntPredicate.LLVMIntSLT, _ => LLVMIntPredicate.LLVMIntSLE };
        BranchOnCondition(pc, LLVMBuildICmp(B, ipred, LoadI64(ra, 0), LoadI64(rb, 0), ""), k);

        builder.PositionAtEnd(floatCheck);
        nint floatBlock = NewBlock("float");
        var fpred = op switch { OpCode.Eq => LLVMRealPredicate.LLVMRealOEQ, OpCode.Lt => LLVMRealPredicate.LLVMRealOLT, _ => LLVMRealPredicate.LLVMRealOLE };
        nint mixedCheck = numbersOnly ? NewBlock() : slow;
        CondBr(LLVMBuildAnd(B, IsTag(ra, Tag.Float), IsTag(rb, Tag.Float), ""), floatBlock, mixedCheck);
        builder.PositionAtEnd(floatBlock);
        BranchOnCondition(pc, LLVMBuildFCmp(B, fpred, LoadF64(ra, 0), LoadF64(rb, 0), ""), k);
        if (numbersOnly)
        {
            // An integer and a float: compared as doubles when the integer converts exactly
            // (|i| <= 2^53), which is what Lua's exact comparison then amounts to.
            builder.PositionAtEnd(mixedCheck);
            nint mixed = NewBlock("mixed");
            nint ok = LLVMBuildAnd(B, LLVMBuildAnd(B, IsNumber(ra), IsNumber(rb), ""),
                LLVMBuildAnd(B, ExactAsDouble(ra), ExactAsDouble(rb), ""), "");
            Guard(ok, mixed, slow);
            builder.PositionAtEnd(mixed);
            BranchOnCondition(pc, LLVMBuildFCmp(B, fpred, AsDouble(ra), AsDouble(rb), ""), k);
            return;
        }

        builder.PositionAtEnd(slow);
        EmitCompareHelper(pc, op == OpCode.Eq ? 0 : op == OpCode.Lt ? 1 : 2, ra, rb, k);
    }

    /// <summary>x == constant (EQK). nil, booleans and short strings (which are interned, so
    /// equal contents means the same object) are decided by tag and payload alone; numbers and
    /// long strings take the general path.</summary>
    private void EmitEqualsConstant(int pc, nint ra, int index, bool k)
    {
        Constant c = proto.Constants[index];
        nint kv = Konst(index);
        switch (c.Kind)
        {
            case ConstantKind.Nil:
                BranchOnCondition(pc, IsTag(ra, Tag.Nil), k);
                return;
            case ConstantKind.True or ConstantKind.False:
                BranchOnCondition(pc, LLVMBuildAnd(B, IsTag(ra, Tag.Boolean),
                    LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, LoadI64(ra, 0), I64(c.Kind == ConstantKind.True ? 1 : 0), ""), ""), k);
                return;
            case ConstantKind.String when IsShortStringConstant(index):
                BranchOnCondition(pc, LLVMBuildAnd(B, IsTag(ra, Tag.String),
                    LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, LoadPtr(ra, 0), LoadPtr(kv, 0), ""), ""), k);
                return;
            default:
                EmitEquals(pc, ra, kv, k);
                return;
        }
    }

    /// <summary>x == y (EQ, and EQK with a number or long string) inline wherever no
    /// metamethod or content comparison can be involved: values of different types are unequal
    /// (except an integer and a float, compared exactly by the helper); nil, booleans,
    /// integers, floats, functions, threads and light userdata compare by payload; the same
    /// object is equal to itself; two different short strings, or two tables neither of which
    /// has a metatable (so no __eq), are unequal. Long strings and userdata or tables that may
    /// have __eq go to the helper.</summary>
    private void EmitEquals(int pc, nint ra, nint rb, bool k)
    {
        FeedbackBits f = Feedback(pc);
        if (!generic && f != 0 && (f & ~(FeedbackBits.Integer | FeedbackBits.Float)) == 0)
        {
            EmitCompare(pc, OpCode.Eq, ra, rb, k);   // numbers only so far: the numeric path
            return;
        }
        nint decide = NewBlock("eq_decide");
        nint slow = NewBlock("eq_slow");
        var results = new List<(nint Value, nint Block)>();
        nint True = LLVMConstInt(i1, 1, 0), False = LLVMConstInt(i1, 0, 0);
        void Result(nint value) { results.Add((value, builder.InsertBlock)); Br(decide); }

        nint ta = TagOf(ra), tb = TagOf(rb);
        nint same = NewBlock("eq_same"), differ = NewBlock("eq_differ");
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, ta, tb, ""), same, differ);

        builder.PositionAtEnd(differ);
        nint unequal = NewBlock();
        CondBr(LLVMBuildAnd(B, IsNumber(ra), IsNumber(rb), ""), slow, unequal);
        builder.PositionAtEnd(unequal);
        Result(False);

        builder.PositionAtEnd(same);
        nint bits = NewBlock("eq_bits"), nil = NewBlock(), flt = NewBlock(), str = NewBlock(), tbl = NewBlock(), udata = NewBlock();
        nint sw = LLVMBuildSwitch(B, ta, bits, 5);
        LLVMAddCase(sw, I8((int)Tag.Nil), nil);
        LLVMAddCase(sw, I8((int)Tag.Float), flt);
        LLVMAddCase(sw, I8((int)Tag.String), str);
        LLVMAddCase(sw, I8((int)Tag.Table), tbl);
        LLVMAddCase(sw, I8((int)Tag.Userdata), udata);

        builder.PositionAtEnd(bits);
        Result(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, LoadI64(ra, 0), LoadI64(rb, 0), ""));
        builder.PositionAtEnd(nil);
        Result(True);
        builder.PositionAtEnd(flt);
        Result(LLVMBuildFCmp(B, LLVMRealPredicate.LLVMRealOEQ, LoadF64(ra, 0), LoadF64(rb, 0), ""));

        builder.PositionAtEnd(str);
        nint pa = LoadPtr(ra, 0), pb = LoadPtr(rb, 0);
        nint strDiffer = NewBlock();
        nint identical = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, pa, pb, "");
        nint strSame = NewBlock();
        CondBr(identical, strSame, strDiffer);
        builder.PositionAtEnd(strSame);
        Result(True);
        builder.PositionAtEnd(strDiffer);
        nint shortUnequal = NewBlock();
        CondBr(LLVMBuildOr(B, IsShortString(pa), IsShortString(pb), ""), shortUnequal, slow);
        builder.PositionAtEnd(shortUnequal);
        Result(False);

        builder.PositionAtEnd(tbl);
        nint ta0 = LoadPtr(ra, 0), tb0 = LoadPtr(rb, 0);
        nint tblSame = NewBlock(), tblDiffer = NewBlock(), tblUnequal = NewBlock();
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, ta0, tb0, ""), tblSame, tblDiffer);
        builder.PositionAtEnd(tblSame);
        Result(True);
        builder.PositionAtEnd(tblDiffer);
        nint noMeta = LLVMBuildAnd(B,
            HasNoMetatable(ta0),
            HasNoMetatable(tb0), "");
        CondBr(noMeta, tblUnequal, slow);
        builder.PositionAtEnd(tblUnequal);
        Result(False);

        builder.PositionAtEnd(udata);
        nint udSame = NewBlock();
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, LoadPtr(ra, 0), LoadPtr(rb, 0), ""), udSame, slow);
        builder.PositionAtEnd(udSame);
        Result(True);

        builder.PositionAtEnd(decide);
        BranchOnCondition(pc, Phi(i1, results.ToArray()), k);

        builder.PositionAtEnd(slow);
        EmitCompareHelper(pc, 0, ra, rb, k);
    }

    /// <summary>Not an integer, or an integer that a double represents exactly.</summary>
    private nint ExactAsDouble(nint value)
    {
        nint biased = LLVMBuildAdd(B, LoadI64(value, 0), I64(1L << 53), "");
        nint exact = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntULE, biased, I64(1L << 54), "");
        return LLVMBuildOr(B, LLVMBuildNot(B, IsTag(value, Tag.Integer), ""), exact, "");
    }

    private void EmitCompareHelper(int pc, int op, nint x, nint y, bool k)
    {
        SavePc(pc + 1);
        nint r = CallHelper(Writes.Nothing, "tiered_rt_compare", i32, [ptr, ptr, i32, ptr, ptr], th, ci, I32(op), x, y);
        nint failed = NewBlock();
        nint ok = NewBlock();
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSLT, r, I32(0), ""), failed, ok);
        builder.PositionAtEnd(failed);
        Leave(LLVMBuildNeg(B, r, ""));
        builder.PositionAtEnd(ok);
        BranchOnCondition(pc, LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntNE, r, I32(0), ""), k);
    }

    private void EmitCompareImmediate(int pc, OpCode op, nint ra, int imm, bool floatImmediate, bool k)
    {
        nint slow = NewBlock("slow");
        nint intBlock = NewBlock("int");
        nint floatCheck = NewBlock();
        CondBr(IsTag(ra, Tag.Integer), intBlock, floatCheck);
        builder.PositionAtEnd(intBlock);
        var ipred = op switch
        {
            OpCode.EqI => LLVMIntPredicate.LLVMIntEQ,
            OpCode.LtI => LLVMIntPredicate.LLVMIntSLT,
            OpCode.LeI => LLVMIntPredicate.LLVMIntSLE,
            OpCode.GtI => LLVMIntPredicate.LLVMIntSGT,
            _ => LLVMIntPredicate.LLVMIntSGE,
        };
        BranchOnCondition(pc, LLVMBuildICmp(B, ipred, LoadI64(ra, 0), I64(imm), ""), k);
        builder.PositionAtEnd(floatCheck);
        nint floatBlock = NewBlock("float");
        CondBr(IsTag(ra, Tag.Float), floatBlock, slow);
        builder.PositionAtEnd(floatBlock);
        var fpred = op switch
        {
            OpCode.EqI => LLVMRealPredicate.LLVMRealOEQ,
            OpCode.LtI => LLVMRealPredicate.LLVMRealOLT,
            OpCode.LeI => LLVMRealPredicate.LLVMRealOLE,
            OpCode.GtI => LLVMRealPredicate.LLVMRealOGT,
            _ => LLVMRealPredicate.LLVMRealOGE,
        };
        BranchOnCondition(pc, LLVMBuildFCmp(B, fpred, LoadF64(ra, 0), F64(imm), ""), k);
        builder.PositionAtEnd(slow);
        if (op == OpCode.EqI)
        {
            // Anything but a number differs from a number (equality across types is never a
            // metamethod), as the interpreter's EQI decides.
            BranchOnCondition(pc, LLVMConstInt(i1, 0, 0), k);
            return;
        }
        nint immValue = scratch;
        if (floatImmediate) SetFloat(immValue, F64(imm)); else SetInt(immValue, I64(imm));
        switch (op)
        {
            case OpCode.EqI: EmitCompareHelper(pc, 0, ra, immValue, k); break;
            case OpCode.LtI: EmitCompareHelper(pc, 1, ra, immValue, k); break;
            case OpCode.LeI: EmitCompareHelper(pc, 2, ra, immValue, k); break;
            case OpCode.GtI: EmitCompareHelper(pc, 1, immValue, ra, k); break;
            default: EmitCompareHelper(pc, 2, immValue, ra, k); break;
        }
    }
}
