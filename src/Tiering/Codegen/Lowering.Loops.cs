using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Runtime;
using static Tiered.Interpreter.Bytecode.Instruction;
using Tiered.Tiering.Llvm;
using static Tiered.Tiering.Llvm.LlvmApi;

namespace Tiered.Tiering.Codegen;

// Loops: numeric for loops (integer loops inline, with their OSR entry) and every loop's
// back-edge, which counts toward the periodic interrupt check.
internal sealed unsafe partial class Lowering
{
    /// <summary>FORPREP of a loop whose initial value, limit and step are all integers (step not
    /// zero), inline: the iteration count into R[A+1] and the control variable into R[A+3], as
    /// the interpreter's PrepareNumericFor leaves them, or a jump past the loop when it runs
    /// zero times. Anything else (floats, strings, a zero step) continues to the helper.</summary>
    private void EmitIntegerForPrep(int a, nint body, nint skip, nint loopMark)
    {
        nint init = Reg(a), limit = Reg(a + 1), step = Reg(a + 2);
        nint allInts = LLVMBuildAnd(B, LLVMBuildAnd(B, IsTag(init, Tag.Integer), IsTag(limit, Tag.Integer), ""), IsTag(step, Tag.Integer), "");
        nint s = LoadI64(step, 0);
        nint fast = NewBlock("forprep_int"), helper = NewBlock("forprep_helper");
        CondBr(LLVMBuildAnd(B, allInts, LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntNE, s, I64(0), ""), ""), fast, helper);

        builder.PositionAtEnd(fast);
        nint i0 = LoadI64(init, 0), lim = LoadI64(limit, 0);
        nint up = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSGT, s, I64(0), "");
        nint empty = LLVMBuildSelect(B, up, LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSGT, i0, lim, ""),
            LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSLT, i0, lim, ""), "");
        nint runs = NewBlock("forprep_runs");
        CondBr(empty, skip, runs);
        builder.PositionAtEnd(runs);
        // Distance over |step|, unsigned (no overflow for any pair of 64-bit integers).
        nint distance = LLVMBuildSelect(B, up, LLVMBuildSub(B, lim, i0, ""), LLVMBuildSub(B, i0, lim, ""), "");
        nint magnitude = LLVMBuildSelect(B, up, s, LLVMBuildAdd(B, LLVMBuildNeg(B, LLVMBuildAdd(B, s, I64(1), ""), ""), I64(1), ""), "");
        nint count = LLVMBuildUDiv(B, distance, magnitude, "");
        SetInt(limit, count);
        SetInt(Reg(a + 3), i0);
        if (loopMark != 0) LLVMBuildStore(B, count, loopMark);
        Br(body);
        builder.PositionAtEnd(helper);
    }

    /// <summary>Whether the numeric for loop prepared at <paramref name="forPrepPc"/> is compiled
    /// as an integer loop: the interpreter prepared none there as a float loop. Its control
    /// registers then hold integers on every path into the body (a float loop deoptimises at
    /// FORPREP, at FORLOOP, or at an OSR entry), so LLVM knows the tags and keeps the loop
    /// variable an integer in a machine register, with no float variant of the loop's step and
    /// no tag test of the variable in the body.</summary>
    private bool IsIntegerLoop(int forPrepPc) =>
        forPrepPc >= 0 && Op(code[forPrepPc]) == OpCode.ForPrep && (Feedback(forPrepPc) & FeedbackBits.FloatLoop) == 0;

    /// <summary>Restates the tags of registers a + offsets as integer in their local copies, where
    /// the code has checked (or a helper guarantees) that they are: a store of the same tag
    /// (the stack is unchanged), which lets LLVM drop later tests of it.</summary>
    private void AssumeIntegers(int a, params int[] offsets)
    {
        foreach (int k in offsets)
            if (Promoted(a + k)) LLVMBuildStore(B, I8((int)Tag.Integer), Gep(regSlots[a + k], Layout.ValueTag));
    }

    /// <summary>The OSR entry of an integer loop's body at <paramref name="header"/>: the control
    /// registers the interpreter left must be those of an integer loop (else a deopt), and their
    /// tags are restated before the body is entered. What the bytecode makes true at the header
    /// is restated too, so that the copies LLVM merges there from this entry and from the loop
    /// are the same values: the internal index equals the control variable (ForPrep and ForLoop
    /// set both), and a step loaded by the instruction before ForPrep (as `for i = 1, n` does)
    /// is that constant (checked: only ForPrep's prologue writes it). The loop then keeps one
    /// machine register for the index and none for the step.</summary>
    private nint IntegerLoopOsrEntry(int header)
    {
        int a = A(code[header - 1]);
        nint entry = NewBlock(header, "osr_integer_loop");
        nint saved = builder.InsertBlock;
        builder.PositionAtEnd(entry);
        nint ok = LLVMBuildAnd(B, IsTag(Reg(a), Tag.Integer), IsTag(Reg(a + 1), Tag.Integer), "");
        ok = LLVMBuildAnd(B, ok, IsTag(Reg(a + 2), Tag.Integer), "");
        ok = LLVMBuildAnd(B, ok, IsTag(Reg(a + 3), Tag.Integer), "");
        bool constantStep = header >= 2 && Op(code[header - 2]) == OpCode.LoadI && A(code[header - 2]) == a + 2;
        long step = constantStep ? SBx(code[header - 2]) : 0;
        if (constantStep)
            ok = LLVMBuildAnd(B, ok, LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, LoadI64(Reg(a + 2), 0), I64(step), ""), "");
        nint enter = NewBlock(header, "");
        CondBr(ok, enter, DeoptBlock(header, DeoptReason.FloatLoop));
        builder.PositionAtEnd(enter);
        AssumeIntegers(a, 0, 1, 2, 3);
        if (Promoted(a) && Promoted(a + 3)) LLVMBuildStore(B, LoadI64(Reg(a + 3), 0), regSlots[a]);
        if (constantStep && Promoted(a + 2)) LLVMBuildStore(B, I64(step), regSlots[a + 2]);
        LLVMBuildStore(B, LoadI64(Reg(a + 1), 0), LoopMark(header));
        Br(blocks[header]);
        builder.PositionAtEnd(saved);
        return entry;
    }

    private void EmitForLoop(int pc, int a, int target, nint next)
    {
        nint intBlock = NewBlock("int");
        if (IsIntegerLoop(target - 1))
        {
            // Always true on the paths that reach it (see IsIntegerLoop); LLVM removes it.
            CondBr(IsTag(Reg(a + 2), Tag.Integer), intBlock, DeoptBlock(pc, DeoptReason.FloatLoop));
            EmitIntegerForLoop(pc, a, target, next, intBlock, counted: true);
            return;
        }
        nint floatBlock = NewBlock("float");
        CondBr(IsTag(Reg(a + 2), Tag.Integer), intBlock, floatBlock);
        EmitIntegerForLoop(pc, a, target, next, intBlock, counted: false);

        builder.PositionAtEnd(floatBlock);
        nint ra = Reg(a);
        nint step = LoadF64(Reg(a + 2), 0);
        nint fidx = LLVMBuildFAdd(B, LoadF64(ra, 0), step, "");
        nint limit = LoadF64(Reg(a + 1), 0);
        nint up = LLVMBuildFCmp(B, LLVMRealPredicate.LLVMRealOGT, step, F64(0), "");
        nint cond = LLVMBuildSelect(B, up,
            LLVMBuildFCmp(B, LLVMRealPredicate.LLVMRealOLE, fidx, limit, ""),
            LLVMBuildFCmp(B, LLVMRealPredicate.LLVMRealOLE, limit, fidx, ""), "");
        nint fiterate = NewBlock();
        CondBr(cond, fiterate, next);
        builder.PositionAtEnd(fiterate);
        Store(fidx, ra, 0);
        SetFloat(Reg(a + 3), fidx);
        EmitBackEdge(target);
    }

    /// <summary>The integer step of a numeric for loop; <paramref name="counted"/>: an integer
    /// loop (IsIntegerLoop), whose entries set its mark, takes the counted back-edge.</summary>
    private void EmitIntegerForLoop(int pc, int a, int target, nint next, nint intBlock, bool counted)
    {
        builder.PositionAtEnd(intBlock);
        nint ra = Reg(a);
        nint count = LoadI64(Reg(a + 1), 0);
        nint iterate = NewBlock();
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, count, I64(0), ""), next, iterate);
        builder.PositionAtEnd(iterate);
        nint left = LLVMBuildSub(B, count, I64(1), "");
        Store(left, Reg(a + 1), 0);
        nint idx = LLVMBuildAdd(B, LoadI64(ra, 0), LoadI64(Reg(a + 2), 0), "");
        Store(idx, ra, 0);
        SetInt(Reg(a + 3), idx);
        if (counted) EmitCountedBackEdge(target, left);
        else EmitBackEdge(target);
    }

    // ------------------------------------------------------------------ back-edges

    /// <summary>Back-edges counted in a local (a machine register) between two updates of the
    /// shared interrupt countdown: a store to shared memory on every iteration would make the
    /// loop wait on its own store (about 10% of a tight loop's time).</summary>
    private const int BackEdgeBatch = 64;

    private nint backEdgeCount;

    /// <summary>A loop back-edge: the periodic interrupt check, then the jump. Every
    /// <see cref="BackEdgeBatch"/> back-edges the shared countdown is lowered by that much, and
    /// the interrupt helper runs when it reaches zero, so scripts are interrupted after the
    /// same number of back-edges as before, give or take one batch.</summary>
    private void EmitBackEdge(int target, nint destination = 0)
    {
        // A tail-recursive jump back to the start goes to `destination` (the call entry, which
        // reads the parameters from the stack) on every path.
        nint to = destination != 0 ? destination : blocks[target];
        nint local = BackEdgeCounter();
        nint left = LLVMBuildSub(B, LLVMBuildLoad2(B, i32, local, ""), I32(1), "");
        LLVMBuildStore(B, left, local);
        nint batch = NewBlock("backedge_batch");
        CondBrRare(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSLE, left, I32(0), ""), batch, to);
        builder.PositionAtEnd(batch);
        EmitBatch(target, to, left, reenter: destination == 0);
    }

    /// <summary>The back-edge of an integer for loop, which counts its iterations down anyway:
    /// its back-edges are added to the local count only when the iteration count reaches a
    /// multiple of <see cref="BackEdgeBatch"/> (so at the loop's last back-edge too), as many as
    /// were made since the last time (the loop's mark, set where the loop is entered). The loop
    /// then carries no counter of its own from one iteration to the next: a counter that LLVM
    /// spills makes each iteration wait on its store.</summary>
    private void EmitCountedBackEdge(int target, nint newCount)
    {
        nint to = blocks[target];
        nint account = NewBlock("backedge_account");
        CondBrRare(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, LLVMBuildAnd(B, newCount, I64(BackEdgeBatch - 1), ""), I64(0), ""), account, to);
        builder.PositionAtEnd(account);
        nint mark = LoopMark(target);
        nint made = LLVMBuildTrunc(B, LLVMBuildSub(B, LLVMBuildLoad2(B, i64, mark, ""), newCount, ""), i32, "");
        LLVMBuildStore(B, newCount, mark);
        nint local = BackEdgeCounter();
        nint left = LLVMBuildSub(B, LLVMBuildLoad2(B, i32, local, ""), made, "");
        LLVMBuildStore(B, left, local);
        nint batch = NewBlock("backedge_batch");
        CondBrRare(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSLE, left, I32(0), ""), batch, to);
        builder.PositionAtEnd(batch);
        EmitBatch(target, to, left, reenter: true);
    }

    /// <summary>Hands the back-edges counted locally (a batch, and as many as the local count
    /// went below zero) to the shared countdown, and runs the interrupt helper when that
    /// reaches zero.</summary>
    private void EmitBatch(int target, nint to, nint left, bool reenter)
    {
        LLVMBuildStore(B, I32(BackEdgeBatch), BackEdgeCounter());
        nint shared = LLVMBuildSub(B, LoadField(i32, sharedPtr, Layout.SharedNativeCountdown, Mem.Counter), LLVMBuildSub(B, I32(BackEdgeBatch), left, ""), "");
        StoreField(shared, sharedPtr, Layout.SharedNativeCountdown, Mem.Counter);
        nint tick = NewBlock("interrupt");
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSLE, shared, I32(0), ""), tick, to);
        builder.PositionAtEnd(tick);
        SavePc(target);
        // The helper returns Exit (the interpreter goes on at the loop header, and enters the
        // newer code there) when this code has been replaced: see FunctionKey.Stamp.
        CallChecked(Writes.Nothing, "tiered_rt_interrupt", [ptr, ptr, i64], th, ci, LLVMBuildLoad2(B, i64, StampGlobal(), ""));
        // Back into the loop the way OSR enters it (registers read from the stack, the frame's
        // pc dispatched), not with a branch to the header: the helper call is then outside the
        // loop, and LLVM may hoist the loop's loads (a table's array, its size) out of it. The
        // stack is up to date: the helper call wrote back every register that may be dirty.
        if (reenter && osrEntry != 0 && entryPcs.Contains(target)) Br(osrEntry);
        else Br(to);
    }

    private readonly Dictionary<int, nint> loopMarks = new();

    /// <summary>The iteration count of the integer loop at <paramref name="header"/> when its
    /// back-edges were last added to the local count (an i64 alloca; see EmitCountedBackEdge).
    /// Each way into the loop sets it: ForPrep and the OSR entry.</summary>
    private nint LoopMark(int header)
    {
        if (!loopMarks.TryGetValue(header, out nint mark))
            loopMarks[header] = mark = EntryAlloca(i64, slot => LLVMBuildStore(B, I64(0), slot));
        return mark;
    }

    /// <summary>The function's local back-edge count (an i32 alloca in the entry block, so
    /// LLVM keeps it in a register), starting at a full batch.</summary>
    private nint BackEdgeCounter()
    {
        if (backEdgeCount != 0) return backEdgeCount;
        return backEdgeCount = EntryAlloca(i32, slot => LLVMBuildStore(B, I32(BackEdgeBatch), slot));
    }
}
