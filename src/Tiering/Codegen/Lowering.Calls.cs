using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using Tiered.Tiering.Llvm;
using static Tiered.Interpreter.Bytecode.Instruction;
using static Tiered.Tiering.Llvm.LlvmApi;

namespace Tiered.Tiering.Codegen;

// Calls. A call of a Lua function that already has native code goes native-to-native: the
// frame is pushed inline (missing parameters set to nil, a vararg callee's argument count
// stored for its VarArgPrep) and the callee's entry called directly. Everything else (host
// functions, __call, interpreted callees, calls too deep to nest) goes through tiered_rt_call,
// which runs the callee in the interpreter.
internal sealed unsafe partial class Lowering
{
    private void EmitCall(int pc, int a, int b, int nresults, nint next)
    {
        if (IsIntrinsicSite(pc)) EmitIntrinsics(a, b, nresults + 1, next);
        SavePc(pc + 1);
        Flush();   // the callee reads its arguments, and the GC the caller's registers, from the stack
        // Every path emitted below starts after this flush (the inline library functions branch
        // off before it), so no register is dirty on them: none is written over the callee's
        // frame by a helper's flush, whatever the tracking assumed at the instruction's start.
        Array.Fill(dirty, false);
        nint ra = StackReg(a);
        nint argsEnd;
        if (b != 0)
        {
            argsEnd = Gep(ra, (long)b * Layout.ValueSize);
            StoreField(argsEnd, th, Layout.ThreadTop, Mem.Thread);
        }
        else argsEnd = LoadField(ptr, th, Layout.ThreadTop, Mem.Thread);
        nint nargs = LLVMBuildSub(B, CountBetween(ra, argsEnd), I32(1), "");

        nint generic = NewBlock("call_generic");
        nint isLua = NewBlock("call_lua");
        // The local copy equals the stack slot after the flush, and is likely in a machine register.
        CondBr(IsTag(Reg(a), Tag.LuaFunction), isLua, generic);

        builder.PositionAtEnd(isLua);
        nint closure = LoadField(ptr, Reg(a), 0, Mem.Value);
        nint callee = LoadField(ptr, closure, Layout.ClosureProto, Mem.Closure);
        nint newCi = Gep(ci, Layout.FrameSize);
        nint called = NewBlock("call_made");
        nint returned = NewBlock("call_returned");
        nint completed = NewBlock("call_completed");
        var statuses = new List<(nint Status, nint Block)>();
        InlineTarget? target = InlineTargetAt(pc, b);
        if (target != null && target.Info != proto)
        {
            nint notInline = NewBlock("call_not_inline");
            statuses.Add(EmitInlineCall(target, a, nresults, callee, newCi, returned, notInline));
            Br(called);
            builder.PositionAtEnd(notInline);
        }
        if (IsSelfCallSite(pc, b))
        {
            nint other = BranchOnSelf(callee, ra, nargs, b, out nint selfTop, out nint selfOk);
            nint selfPush = NewBlock("call_self_push");
            CondBr(LLVMBuildAnd(B, selfOk, NestingAllowed(newCi), ""), selfPush, generic);
            builder.PositionAtEnd(selfPush);
            if (target != null && target.Info == proto)
            {
                // A recursion's next level in line (its own calls are made as in this code).
                // Where every return of this prototype gives the results wanted, its returns
                // complete the call without the nil fill, as the self-call's below.
                PushFrame(ra, newCi, selfTop, protoPtr, nresults);
                bool enough = nresults > 0 && MinResults() >= nresults;
                nint inlineReturned = enough ? NewBlock("inline_self_returned") : returned;
                statuses.Add(EmitInlineBody(target, a, newCi, inlineReturned));
                Br(called);
                if (enough)
                {
                    builder.PositionAtEnd(inlineReturned);
                    CompleteReturned(ra, newCi, nresults, fillMissing: false);
                    Br(completed);
                }
            }
            else
            {
                nint selfStatus = PushFrameAndCall(ra, newCi, selfTop, protoPtr, fn, nresults);
                statuses.Add((selfStatus, builder.InsertBlock));
                if (nresults > 0 && MinResults() >= nresults)
                {
                    // Every return of this prototype gives at least the results wanted, so a
                    // native return needs no nil fill (nor the count it would read): it is
                    // completed here, and only the other statuses go on to `called`.
                    nint selfReturned = NewBlock("call_self_returned");
                    CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, selfStatus, I32(0), ""), selfReturned, called);
                    builder.PositionAtEnd(selfReturned);
                    CompleteReturned(ra, newCi, nresults, fillMissing: false);
                    Br(completed);
                }
                else Br(called);
            }
            builder.PositionAtEnd(other);
        }
        nint direct = LLVMBuildAnd(B, EntersDirectly(callee, ra, out nint entry, out nint frameTop), NestingAllowed(newCi), "");
        nint push = NewBlock("call_push");
        CondBr(direct, push, generic);
        builder.PositionAtEnd(push);
        AdjustArguments(ra, nargs, callee, newCi);
        nint status0 = PushFrameAndCall(ra, newCi, frameTop, callee, entry, nresults);
        statuses.Add((status0, builder.InsertBlock));
        Br(called);

        builder.PositionAtEnd(called);
        nint status = statuses[0].Status;
        if (statuses.Count > 1)
        {
            status = LLVMBuildPhi(B, i32, "");
            foreach (var (value, block) in statuses) LlvmBuilder.AddIncoming(status, value, block);
        }
        // Every way the call completes (returned, finished by the interpreter after a deopt, or
        // made by the runtime) joins here, where the local copies of the results are read back
        // once: the stack is the truth now.
        Writes results = CallWrites(pc);

        nint notReturned = NewBlock();
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, status, I32(0), ""), returned, notReturned);

        // The callee stopped in the middle (deopt): the interpreter finishes it.
        builder.PositionAtEnd(notReturned);
        nint exited = NewBlock("call_exited");
        nint failed = NewBlock("call_failed");
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, status, I32(1), ""), exited, failed);
        builder.PositionAtEnd(exited);
        CallChecked(Writes.Nothing, "tiered_rt_finishcall", [ptr, ptr, ptr], th, ci, newCi);
        Br(completed);
        builder.PositionAtEnd(failed);
        // Error or yield beneath: the frames stay for the handler. A yield resumes the callee
        // later in the interpreter, which then completes this call for the caller's frame.
        nint isYield = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, status, I32((int)NativeStatus.Yield), "");
        nint flags = LoadField(i32, newCi, Layout.FrameFlagsField, Mem.Frame);
        StoreField(LLVMBuildSelect(B, isYield, LLVMBuildOr(B, flags, I32((int)FrameFlags.FinishOp), ""), flags, ""), newCi, Layout.FrameFlagsField, Mem.Frame);
        Leave(status);

        builder.PositionAtEnd(returned);
        CompleteReturned(ra, newCi, nresults, fillMissing: true);
        Br(completed);

        builder.PositionAtEnd(generic);
        CallChecked(Writes.Nothing, "tiered_rt_call", [ptr, ptr, ptr, i32, i32], th, ci, ra, nargs, I32(nresults));
        Br(completed);

        builder.PositionAtEnd(completed);
        Reload(results);
        ContinueUnlessSentToInterpreter(next);
    }

    /// <summary>A call the callee's native code returned from: this frame is current again.
    /// The callee left its results from ra up (EmitReturn); with <paramref name="fillMissing"/>
    /// the missing ones become nil, as MoveResults does (the callee's count says how many it
    /// left). With nresults < 0 the top stays where the return put it, just above all results.</summary>
    private void CompleteReturned(nint ra, nint newCi, int nresults, bool fillMissing)
    {
        StoreField(ci, th, Layout.ThreadCi, Mem.Thread);
        if (nresults < 0) return;
        if (fillMissing)
        {
            nint n = LoadField(i32, newCi, Layout.FrameSavedCount, Mem.Frame);
            for (int j = 0; j < nresults; j++)
            {
                nint nilBlock = NewBlock();
                nint after = NewBlock();
                CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSGT, n, I32(j), ""), after, nilBlock);
                builder.PositionAtEnd(nilBlock);
                SetNil(Gep(ra, (long)j * Layout.ValueSize));
                Br(after);
                builder.PositionAtEnd(after);
            }
        }
        StoreField(LoadField(ptr, ci, Layout.FrameTop, Mem.Frame), th, Layout.ThreadTop, Mem.Thread);
    }

    /// <summary>Pushes the callee's frame, as LuaState.PrepareCall does but for the pc (the
    /// callee is entered at 0 and stores its own before anything can read it) and ExtraArgs
    /// (read only in vararg frames: AdjustArguments stores it for those), and calls its native
    /// code; returns the call's status.</summary>
    private nint PushFrameAndCall(nint ra, nint newCi, nint frameTop, nint callee, nint entry, int nresults)
    {
        PushFrame(ra, newCi, frameTop, callee, nresults);
        nint* args = stackalloc nint[3] { th, newCi, I32(0) };
        return LLVMBuildCall2(B, EntryType, entry, args, 3, "");
    }

    /// <summary>The stores of a callee frame's push (see PushFrameAndCall).</summary>
    private void PushFrame(nint ra, nint newCi, nint frameTop, nint callee, int nresults)
    {
        RaiseHighWater(frameTop);
        StoreField(ra, newCi, Layout.FrameFunc, Mem.Frame);
        StoreField(frameTop, newCi, Layout.FrameTop, Mem.Frame);
        StoreField(I32(nresults), newCi, Layout.FrameNResults, Mem.Frame);
        StoreField(I32(0), newCi, Layout.FrameFlagsField, Mem.Frame);
        StoreField(newCi, th, Layout.ThreadCi, Mem.Thread);
        StoreField(frameTop, th, Layout.ThreadTop, Mem.Thread);
        StoreField(LLVMBuildAdd(B, LoadField(i32, callee, Layout.ProtoCallCount, Mem.Counter), I32(1), ""), callee, Layout.ProtoCallCount, Mem.Counter);
    }

    /// <summary>Raises the thread's high-water mark (what the collector clears above the top)
    /// to <paramref name="frameTop"/> if it is below: a branch, not a store on every call, as
    /// the mark is nearly always above already.</summary>
    private void RaiseHighWater(nint frameTop)
    {
        nint highWater = LoadField(ptr, th, Layout.ThreadHighWater, Mem.Thread);
        nint raise = NewBlock("raise_high_water");
        nint done = NewBlock();
        CondBrRare(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntUGT, frameTop, highWater, ""), raise, done);
        builder.PositionAtEnd(raise);
        StoreField(frameTop, th, Layout.ThreadHighWater, Mem.Thread);
        Br(done);
        builder.PositionAtEnd(done);
    }

    /// <summary>Whether one more native frame may nest: room on the machine stack
    /// (NativeStackLimit leaves room for the runtime's own frames, so a direct call keeps no
    /// depth count) and in the frame array. Where this frame is on the machine stack is read
    /// off the scratch slot's address: llvm.frameaddress would need a frame pointer, which
    /// takes a register from every function that calls.</summary>
    private nint NestingAllowed(nint newCi)
    {
        nint ok = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntUGT, scratch, LoadField(ptr, sharedPtr, Layout.SharedNativeStackLimit, Mem.Shared), "");
        return LLVMBuildAnd(B, ok, LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntULT, newCi, LoadField(ptr, th, Layout.ThreadFramesLimit, Mem.Thread), ""), "");
    }

    private int minResults = -1;

    /// <summary>The fewest results any reachable return of this function gives (int.MaxValue
    /// if none does); a return of a variable count, or a tail call's, counts as 0. Only
    /// reachable ones count: the compiler ends every function with a RETURN0 that a function
    /// ending in a return never reaches.</summary>
    private int MinResults()
    {
        if (minResults >= 0) return minResults;
        int min = int.MaxValue;
        var seen = new bool[code.Length];
        var work = new Stack<int>();
        work.Push(0);
        seen[0] = true;
        while (work.Count > 0)
        {
            int pc = work.Pop();
            uint i = code[pc];
            int n = Op(i) switch
            {
                OpCode.Return0 => 0,
                OpCode.Return1 => 1,
                OpCode.Return => B(i) != 0 ? B(i) - 1 : 0,
                OpCode.TailCall => 0,
                _ => int.MaxValue,
            };
            min = Math.Min(min, n);
            foreach (int next in Successors(pc))
                if (next >= 0 && next < code.Length && !seen[next]) { seen[next] = true; work.Push(next); }
        }
        return minResults = min;
    }

    /// <summary>A call site that the interpreter saw calling this function's own prototype
    /// (FeedbackBits.SelfCall), with all parameters supplied if the count is fixed.</summary>
    private bool IsSelfCallSite(int pc, int b) =>
        !proto.IsVararg && pc < feedback.Length && (feedback[pc] & (byte)FeedbackBits.SelfCall) != 0
        && (b == 0 || b - 1 >= proto.NumParams);

    /// <summary>After a call: when the callee marked this frame FrameFlags.ToInterpreter (it
    /// changed a local through debug.setlocal, so the native copy is stale, or it set a hook),
    /// the mark is cleared and the frame goes to the interpreter (Exit), which carries on from
    /// the next instruction. The frame is complete there: the registers were written back
    /// before the call and its results are in place.</summary>
    private void ContinueUnlessSentToInterpreter(nint next)
    {
        nint flags = LoadField(i32, ci, Layout.FrameFlagsField, Mem.Frame);
        nint sent = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntNE, LLVMBuildAnd(B, flags, I32((int)FrameFlags.ToInterpreter), ""), I32(0), "");
        nint exit = NewBlock("to_interpreter");
        CondBrRare(sent, exit, next);
        builder.PositionAtEnd(exit);
        StoreField(LLVMBuildAnd(B, flags, I32(~(int)FrameFlags.ToInterpreter), ""), ci, Layout.FrameFlagsField, Mem.Frame);
        Leave(I32((int)NativeStatus.Exit));
    }

    /// <summary>A proper tail call of a Lua function with native code: the
    /// callee takes over this frame, as the interpreter's TailCall does (function and arguments
    /// moved down to the frame's slot, the frame re-aimed at the callee), and its entry is
    /// reached by a musttail call, so tail recursion runs in constant machine stack. Another Lua
    /// callee, and any from a vararg function, goes to the interpreter (TailCallInInterpreter).
    /// Returns the block where every other callee (a host function, __call) continues: the
    /// caller emits the generic call there.</summary>
    private nint EmitNativeTailCall(int pc, int a, int b)
    {
        Flush();
        // Every path below starts after this flush: none may write a register's copy over the
        // arguments moved into the frame (the interrupt check of a self tail jump calls a helper).
        Array.Fill(dirty, false);
        nint ra = StackReg(a);
        nint argsEnd = b != 0 ? Gep(ra, (long)b * Layout.ValueSize) : LoadField(ptr, th, Layout.ThreadTop, Mem.Thread);
        if (b != 0) StoreField(argsEnd, th, Layout.ThreadTop, Mem.Thread);
        nint nargs = LLVMBuildSub(B, CountBetween(ra, argsEnd), I32(1), "");
        nint generic = NewBlock("tail_generic");
        nint isLua = NewBlock("tail_lua");
        CondBr(IsTag(ra, Tag.LuaFunction), isLua, generic);

        builder.PositionAtEnd(isLua);
        nint interpreted = TailCallInInterpreter(pc);
        if (proto.IsVararg)
        {
            // A vararg frame is not taken over here: every Lua callee goes to the interpreter.
            Br(interpreted);
            return generic;
        }
        nint callee = LoadField(ptr, LoadField(ptr, ra, 0, Mem.Value), Layout.ClosureProto, Mem.Closure);
        nint dest = LoadField(ptr, ci, Layout.FrameFunc, Mem.Frame);
        if (IsSelfCallSite(pc, b))
        {
            // Tail recursion: constants for the frame. The same closure again is a loop: the
            // arguments become the parameters and the code starts over, in this machine frame.
            // Another closure of this prototype (other upvalues) is entered by a tail call.
            nint other = BranchOnSelf(callee, dest, nargs, b, out nint selfTop, out nint selfOk);
            nint self = NewBlock("tail_self");
            CondBr(selfOk, self, interpreted);
            builder.PositionAtEnd(self);
            nint again = NewBlock("tail_self_again");
            nint takeSelf = NewBlock("tail_take_self");
            CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, LoadField(ptr, ra, 0, Mem.Value), closurePtr, ""), again, takeSelf);
            // Only the function and the parameters move: the checks above saw all of them
            // supplied, and arguments past them are unreachable (the prototype has no `...`).
            builder.PositionAtEnd(again);
            TakeOverFrame(pc, ra, dest, nargs, selfTop, protoPtr, entry: null, moved: proto.NumParams + 1);
            builder.PositionAtEnd(takeSelf);
            TakeOverFrame(pc, ra, dest, nargs, selfTop, protoPtr, fn, moved: proto.NumParams + 1);
            builder.PositionAtEnd(other);
        }
        nint direct = EntersDirectly(callee, dest, out nint entry, out nint frameTop);
        nint take = NewBlock("tail_take");
        CondBr(direct, take, interpreted);
        builder.PositionAtEnd(take);
        TakeOverFrame(pc, ra, dest, nargs, frameTop, callee, entry);
        return generic;
    }

    /// <summary>A tail call of a Lua function this code cannot enter itself (no native code,
    /// no room, or a vararg caller): the frame goes to the interpreter (Exit) at the
    /// TAILCALL, which makes the call in place of the frame. Made through the runtime from here
    /// instead, each such call would nest a machine frame, and a tail recursion through one
    /// would run out of C stack where lua5.4 runs in constant space. The registers are in the
    /// stack already (the tail call's flush).</summary>
    private nint TailCallInInterpreter(int pc)
    {
        nint saved = builder.InsertBlock;
        nint block = NewBlock("tail_in_interpreter");
        builder.PositionAtEnd(block);
        SavePc(pc);
        Leave(I32((int)NativeStatus.Exit));
        builder.PositionAtEnd(saved);
        return block;
    }

    /// <summary>The tail call proper: function and arguments moved down to the frame's slot
    /// <paramref name="dest"/>, the frame re-aimed at the callee, and its entry musttail-called;
    /// or, with a null entry (the same closure again), a jump back to this function's start,
    /// with the interrupt check of a loop's back-edge (a tail-recursive loop can be stopped too).
    /// <paramref name="moved"/>: how many values move when that is known (a self call's function
    /// and parameters); else all, nargs + 1, and then, the callee being any function, its
    /// arguments are made what its code expects (AdjustArguments).</summary>
    private void TakeOverFrame(int pc, nint ra, nint dest, nint nargs, nint frameTop, nint callee, nint? entry, int moved = -1)
    {
        // Move function and arguments down (dest is below ra, so copying upwards is safe).
        if (moved >= 0)
            for (int k = 0; k < moved; k++) Copy(Gep(dest, (long)k * Layout.ValueSize), Gep(ra, (long)k * Layout.ValueSize));
        else
        {
            nint copyLoop = NewBlock();
            nint copied = NewBlock();
            nint count = LLVMBuildAdd(B, LLVMBuildSExt(B, nargs, i64, ""), I64(1), "");
            nint before = builder.InsertBlock;
            Br(copyLoop);
            builder.PositionAtEnd(copyLoop);
            nint j = LLVMBuildPhi(B, i64, "");
            LlvmBuilder.AddIncoming(j, I64(0), before);
            nint offset = LLVMBuildShl(B, j, I64(4), "");
            Copy(GepDyn(dest, offset), GepDyn(ra, offset));
            nint nextJ = LLVMBuildAdd(B, j, I64(1), "");
            LlvmBuilder.AddIncoming(j, nextJ, copyLoop);
            CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntULT, nextJ, count, ""), copyLoop, copied);
            builder.PositionAtEnd(copied);
        }
        if (moved < 0) AdjustArguments(dest, nargs, callee, ci);
        RaiseHighWater(frameTop);
        StoreField(frameTop, ci, Layout.FrameTop, Mem.Frame);
        nint flags = LLVMBuildAnd(B, LoadField(i32, ci, Layout.FrameFlagsField, Mem.Frame), I32((int)(FrameFlags.Fresh | FrameFlags.FinishOp)), "");
        StoreField(LLVMBuildOr(B, flags, I32((int)FrameFlags.TailCalled), ""), ci, Layout.FrameFlagsField, Mem.Frame);
        StoreField(frameTop, th, Layout.ThreadTop, Mem.Thread);
        StoreField(LLVMBuildAdd(B, LoadField(i32, callee, Layout.ProtoCallCount, Mem.Counter), I32(1), ""), callee, Layout.ProtoCallCount, Mem.Counter);
        if (entry is not nint target)
        {
            EmitBackEdge(0, callEntry);
            return;
        }
        nint* args = stackalloc nint[3] { th, ci, I32(0) };
        nint status = LLVMBuildCall2(B, EntryType, target, args, 3, "");
        LLVMSetTailCallKind(status, 2);   // musttail
        LLVMBuildRet(B, status);
    }

    /// <summary>At a self-call site (IsSelfCallSite): branches on the callee being this
    /// function's prototype and returns the block for every other callee. In the block where it
    /// is, the builder is left with the callee frame's top for a function slot at
    /// <paramref name="func"/> and the condition for entering this function's code directly:
    /// what EntersDirectly checks, with the frame size and parameter count as constants. The
    /// prototype's entry is still checked, so a function sent back to the interpreter for good
    /// (RecordDeopt) is not re-entered here.</summary>
    private nint BranchOnSelf(nint callee, nint func, nint nargs, int b, out nint frameTop, out nint ok)
    {
        nint self = NewBlock("self");
        nint other = NewBlock("other");
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, callee, protoPtr, ""), self, other);
        builder.PositionAtEnd(self);
        frameTop = Gep(func, (long)(LuaState.FrameSizeOf(proto) + 1) * Layout.ValueSize);
        ok = LLVMBuildAnd(B, LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntNE, LoadField(ptr, protoPtr, Layout.ProtoNativeEntry, Mem.Proto), LLVMConstNull(ptr), ""),
            LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntULE, frameTop, LoadField(ptr, th, Layout.ThreadStackLimit, Mem.Thread), ""), "");
        if (b == 0) ok = LLVMBuildAnd(B, ok, LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSGE, nargs, I32(proto.NumParams), ""), "");
        return other;
    }

    /// <summary>Whether a call can enter the callee's native code itself, with its function slot
    /// at <paramref name="func"/>: it has native code (<paramref name="entry"/>), and its frame,
    /// up to <paramref name="frameTop"/>, fits the stack (a vararg callee's VarArgPrep checks the
    /// room for the frame it moves up).</summary>
    private nint EntersDirectly(nint callee, nint func, out nint entry, out nint frameTop)
    {
        entry = LoadField(ptr, callee, Layout.ProtoNativeEntry, Mem.Proto);
        nint maxStack = LLVMBuildSExt(B, LoadField(i32, callee, Layout.ProtoMaxStackSize, Mem.Proto), i64, "");
        frameTop = GepDyn(func, LLVMBuildShl(B, LLVMBuildAdd(B, maxStack, I64(1), ""), I64(4), ""));
        return LLVMBuildAnd(B, LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntNE, entry, LLVMConstNull(ptr), ""),
            LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntULE, frameTop, LoadField(ptr, th, Layout.ThreadStackLimit, Mem.Thread), ""), "");
    }

    /// <summary>Makes a callee's arguments, at <paramref name="func"/> + 1 on, what its code
    /// expects, as LuaState.PushLuaFrame does: parameters the caller did not supply become nil,
    /// and a vararg callee's frame gets the count its VarArgPrep reads (ExtraArgs: the arguments,
    /// or the parameters if more). Both are rare: the usual call supplies every parameter of a
    /// fixed-parameter function, and passes through one untaken branch.</summary>
    private void AdjustArguments(nint func, nint nargs, nint callee, nint frame)
    {
        nint numParams = LoadField(i32, callee, Layout.ProtoNumParams, Mem.Proto);
        nint isVararg = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntNE, LoadField(i32, callee, Layout.ProtoIsVararg, Mem.Proto), I32(0), "");
        nint missing = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSLT, nargs, numParams, "");
        nint adjust = NewBlock("args_adjust");
        nint fill = NewBlock("args_fill");
        nint filled = NewBlock("args_filled");
        nint done = NewBlock("args_done");
        CondBrRare(LLVMBuildOr(B, missing, isVararg, ""), adjust, done);

        builder.PositionAtEnd(adjust);
        CondBr(missing, fill, filled);
        builder.PositionAtEnd(fill);
        nint j = LLVMBuildPhi(B, i32, "");
        LlvmBuilder.AddIncoming(j, nargs, adjust);
        SetNil(GepDyn(func, LLVMBuildShl(B, LLVMBuildSExt(B, LLVMBuildAdd(B, j, I32(1), ""), i64, ""), I64(4), "")));
        nint nextJ = LLVMBuildAdd(B, j, I32(1), "");
        LlvmBuilder.AddIncoming(j, nextJ, fill);
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSLT, nextJ, numParams, ""), fill, filled);

        builder.PositionAtEnd(filled);
        nint actual = LLVMBuildSelect(B, missing, numParams, nargs, "");
        StoreField(LLVMBuildSelect(B, isVararg, actual, I32(0), ""), frame, Layout.FrameExtraArgs, Mem.Frame);
        Br(done);
        builder.PositionAtEnd(done);
    }
}
