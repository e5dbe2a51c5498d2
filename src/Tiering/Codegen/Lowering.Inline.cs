using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using Tiered.Tiering.Llvm;
using static Tiered.Interpreter.Bytecode.Instruction;
using static Tiered.Tiering.Llvm.LlvmApi;

namespace Tiered.Tiering.Codegen;

/// <summary>A small function whose code a call site carries in line: its prototype, the
/// feedback and mode its own native code was compiled from, and that code's stamp
/// (Proto.NativeStamp). The stamp names the callee's bytecode and constants (through its key)
/// and its feedback, in every run, so a callee whose stamp matches is this function and a
/// caller loaded from the native cache can check its callee as well. A function in line in
/// itself (a recursion's next level, at a call site where it calls itself) has the feedback of
/// the code being compiled and stamp 0: the self-call's checks are its guard.</summary>
public sealed record InlineTarget(FunctionProto Info, byte[] Feedback, bool Generic, long Stamp);

// Inlining. A call site that the interpreter saw calling one small function with no calls
// and no loops of its own (a leaf: an accessor, a formula) gets that function's code in line,
// lowered by a second Lowering into this function, on the path where the call would have
// entered the callee's native code directly. The callee's frame is still pushed (a few
// stores LLVM forwards to the loads that read them), so everything in its code works as in
// its own function: helpers see a complete frame, errors name it, a guard that fails writes
// back its registers and stores its pc. Only the way out differs: where the callee's own code
// returns a status, its inline copy branches to the call's continuation with that status, so
// a deopt leaves the frame to the interpreter (tiered_rt_finishcall) as after a real call.
// The copy is used while the callee's stamp is the one it was made from: another function,
// or the same one recompiled on wider feedback, is called as before.
// A small recursive function (calls allowed, but no tail calls, loops or closures) gets the
// same treatment at its self-call sites, one level deep: the copy, lowered from the code being
// compiled, makes its own calls as that code does, so fib's leaves run in line and every
// other level makes a machine call. The self-call's checks (same prototype, native entry,
// room) guard it.
internal sealed unsafe partial class Lowering
{
    /// <summary>Call sites (pc) whose callee's code goes in line (see InlineTarget).</summary>
    public IReadOnlyDictionary<int, InlineTarget>? InlineTargets { get; init; }

    // In a callee's inline copy: where a return goes on, the block every other way out
    // joins, the phi there that receives their statuses (0 when lowering a function of its
    // own), and the caller's copies of the arguments.
    private nint inlineReturned, inlineDone, inlineStatus;
    private nint[]? inlineArguments;

    /// <summary>Leaves the function with <paramref name="status"/>: a return, or in an inline
    /// copy a branch to the call's continuation.</summary>
    private void Leave(nint status)
    {
        if (inlineDone == 0) { LLVMBuildRet(B, status); return; }
        LlvmBuilder.AddIncoming(inlineStatus, status, builder.InsertBlock);
        Br(inlineDone);
    }

    /// <summary>Leaves after a return (status Returned): in an inline copy, straight on to the
    /// caller's code for a returned call.</summary>
    private void LeaveReturned()
    {
        if (inlineDone == 0) LLVMBuildRet(B, I32(0));
        else Br(inlineReturned);
    }

    /// <summary>Whether a function's code may go in line: no more than
    /// <paramref name="maxInstructions"/> instructions, fixed parameters, and nothing that
    /// calls, loops, creates closures or closes upvalues (the copy has no entry but its start,
    /// and leaves only through Leave). In line in itself (<paramref name="self"/>: one level
    /// of a recursion), its calls are made as in its own code; a tail call would not be one
    /// there (it would keep the copy's frame), so it still may not have those.</summary>
    public static bool IsInlinable(FunctionProto p, int maxInstructions, bool self = false)
    {
        if (p.IsVararg || p.Code.Length > maxInstructions || p.Protos.Length > 0) return false;
        foreach (uint i in p.Code)
        {
            switch (Op(i))
            {
                case OpCode.Call when self: break;
                case OpCode.Call or OpCode.TailCall or OpCode.TForPrep or OpCode.TForCall or OpCode.TForLoop
                    or OpCode.ForPrep or OpCode.ForLoop or OpCode.Closure or OpCode.VarArg or OpCode.VarArgPrep
                    or OpCode.Close or OpCode.Tbc:
                    return false;
                case OpCode.Jmp when SJ(i) < 0: return false;
                case OpCode.Return when K(i): return false;
            }
        }
        return true;
    }

    /// <summary>Emits this function's code into <paramref name="outer"/> as a callee whose frame
    /// <paramref name="frame"/> the caller has pushed, with its parameters from the caller's
    /// <paramref name="arguments"/>; returns the block that starts it. A return goes on at
    /// <paramref name="returned"/>; every other way out joins <paramref name="done"/>, adding
    /// its status to <paramref name="status"/>.</summary>
    private nint EmitInline(nint outer, nint thread, nint frame, nint[] arguments, nint returned, nint done, nint status)
    {
        fn = outer;
        th = thread;
        ci = frame;
        inlineArguments = arguments;
        inlineReturned = returned;
        inlineDone = done;
        inlineStatus = status;
        nint start = NewBlock(code.Length, "inline");
        blocks = new nint[code.Length + 1];
        for (int pc = 0; pc < code.Length; pc++) blocks[pc] = NewBlock(pc, "");
        blocks[code.Length] = LLVMAppendBasicBlockInContext(ctx.Handle, fn, "");   // falls off the end: never reached

        // The slots go at the start of the function's entry block, where LLVM promotes them.
        nint first = LLVMGetFirstInstruction(LLVMGetEntryBasicBlock(fn));
        LLVMPositionBuilderBefore(B, first);
        baseSlot = LLVMBuildAlloca(B, ptr, "");
        scratch = LLVMBuildAlloca(B, ctx.StructType([i64, i64]), "");
        CreateSlots();

        builder.PositionAtEnd(start);
        ReadFrame();
        LoadParameters();
        Br(blocks[0]);
        EmitInstructions();
        builder.Dispose();
        return start;
    }

    /// <summary>The callee to put in line at the call at <paramref name="pc"/>, if any: one
    /// with a fixed argument count (b) that supplies all its parameters.</summary>
    private InlineTarget? InlineTargetAt(int pc, int b) =>
        InlineTargets != null && InlineTargets.TryGetValue(pc, out InlineTarget? t) && b != 0 && b - 1 >= t.Info.NumParams ? t : null;

    /// <summary>The call's inline path, from the block of a Lua function callee (its closure
    /// and prototype known): when the callee's stamp is the target's and its frame fits, the
    /// frame is pushed and the callee's code runs in line, taking its parameters from this
    /// function's copies. A return goes on at <paramref name="returned"/> (as a call's), every
    /// other way out (a deopt, an error) joins the call's other statuses through the returned
    /// (status, block); anything else goes on at <paramref name="otherwise"/>.</summary>
    private (nint Status, nint Block) EmitInlineCall(InlineTarget target, int a, int nresults, nint callee,
        nint newCi, nint returned, nint otherwise)
    {
        nint ra = StackReg(a);
        nint stamp = LoadField(i64, callee, Layout.ProtoNativeStamp, Mem.Proto);
        nint fits = NewBlock("inline_fits");
        Guard(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, stamp, I64(target.Stamp), ""), fits, otherwise);
        builder.PositionAtEnd(fits);
        // The frame's size is the target's (the stamp names its code).
        nint frameTop = Gep(ra, (long)(LuaState.FrameSizeOf(target.Info) + 1) * Layout.ValueSize);
        nint room = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntULE, frameTop, LoadField(ptr, th, Layout.ThreadStackLimit, Mem.Thread), "");
        room = LLVMBuildAnd(B, room, LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntULT, newCi, LoadField(ptr, th, Layout.ThreadFramesLimit, Mem.Thread), ""), "");
        nint push = NewBlock("inline_push");
        Guard(room, push, otherwise);
        builder.PositionAtEnd(push);
        PushFrame(ra, newCi, frameTop, callee, nresults);
        return EmitInlineBody(target, a, newCi, returned);
    }

    /// <summary>The target's code in line, for the call at register <paramref name="a"/> whose
    /// frame <paramref name="newCi"/> has just been pushed: a return goes on at
    /// <paramref name="returned"/>; every other way out joins the returned (status, block).</summary>
    private (nint Status, nint Block) EmitInlineBody(InlineTarget target, int a, nint newCi, nint returned)
    {
        nint pushed = builder.InsertBlock;
        nint done = NewBlock("inline_exited");
        builder.PositionAtEnd(done);
        nint status = LLVMBuildPhi(B, i32, "");
        builder.PositionAtEnd(pushed);
        var arguments = new nint[target.Info.NumParams];
        for (int j = 0; j < arguments.Length; j++) arguments[j] = Reg(a + 1 + j);
        var inlined = new Lowering(ctx, module, target.Info, target.Feedback, target.Generic) { NameBlocks = NameBlocks, NaNFixups = NaNFixups };
        Br(inlined.EmitInline(fn, th, newCi, arguments, returned, done, status));
        if (inlined.UsesFloatArithmetic) UsesFloatArithmetic = true;
        builder.PositionAtEnd(done);
        return (status, done);
    }
}
