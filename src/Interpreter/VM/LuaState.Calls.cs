using System.Runtime.CompilerServices;
using Tiered.Interpreter.Runtime;

namespace Tiered.Interpreter.VM;

// Calls, returns, protected calls, upvalues and to-be-closed variables.
//
// Lua-to-Lua calls never recurse on the C# stack: PrepareCall pushes a frame and the loop in
// Run continues with it. The C# stack grows only when host code calls back into Lua (Call),
// which starts a nested Run that ends when its Fresh frame returns. pcall/xpcall called from
// Lua are frames of the same loop, so a coroutine can yield across them.
public sealed unsafe partial class LuaState
{
    internal int PcallIndex = -1, XpcallIndex = -1, YieldIndex = -1;
    private int hostNesting;
    /// <summary>Returned by a host function (coroutine.yield) to suspend the running coroutine.</summary>
    public const int YieldSignal = -1;

    // ------------------------------------------------------------------ entering functions

    /// <summary>Starts a call of the value at <paramref name="func"/> whose arguments end at the
    /// thread's top. Lua functions get a new frame (returned; the loop runs it); host functions
    /// run to completion here (null is returned, results are in place).</summary>
    internal CallFrame* PrepareCall(Value* func, int nresults)
    {
        LuaThread* th = Thread;
        for (int loop = 0; ; loop++)
        {
            switch (func->Tag)
            {
                case Tag.LuaFunction:
                    return PushLuaFrame(th, func, nresults);
                case Tag.HostFunction:
                    {
                        var hc = (HostClosure*)func->P;
                        int index = hc->FunctionIndex;
                        if (index == PcallIndex || index == XpcallIndex) return PrepareProtectedCall(func, nresults, index == XpcallIndex);
                        CallHost(func, nresults);
                        return null;
                    }
                default:
                    {
                        Value* tm = MetaOf(*func, MetaEvent.Call);
                        if (tm->Tag == Tag.Nil || loop >= MaxTagLoop) throw CallError(func);
                        // Insert the handler below the called object: handler(obj, args...).
                        for (Value* q = th->Top; q > func; q--) q[0] = q[-1];
                        th->Top++;
                        if (th->Top > th->HighWater) th->HighWater = th->Top;
                        *func = *tm;
                        break;
                    }
            }
        }
    }

    /// <summary>Pushes the frame of the Lua function at <paramref name="func"/>, whose arguments
    /// end at the thread's top, and counts the call for the tier-up policy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private CallFrame* PushLuaFrame(LuaThread* th, Value* func, int nresults)
    {
        Proto* p = ((LuaClosure*)func->P)->Proto;
        int nargs = (int)(th->Top - func - 1);
        Value* frameTop = func + 1 + p->MaxStackSize;
        CallFrame* ci = th->Ci + 1;
        if (frameTop > th->StackLimit || ci >= th->FramesLimit) StackOverflow();
        if (frameTop > th->HighWater) th->HighWater = frameTop;
        int np = p->NumParams;
        for (int i = nargs; i < np; i++) func[1 + i] = default;
        ci->Func = func;
        ci->Top = frameTop;
        ci->Pc = p->Code;
        ci->NResults = nresults;
        ci->Flags = FrameFlags.None;
        ci->ExtraArgs = p->IsVararg != 0 ? Math.Max(nargs, np) : 0;
        th->Ci = ci;
        th->Top = frameTop;
        p->CallCount++;
        if (--p->HotCountdown <= 0) OnHot(p);
        return ci;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void StackOverflow()
    {
        throw VmError("stack overflow");
    }

    private LuaRuntimeException CallError(Value* func)
    {
        // Named after the calling instruction when there is one ("for iterator", "global 'f'").
        CallFrame* ci = Thread->Ci;
        if ((ci->Flags & FrameFlags.Host) == 0)
        {
            var cl = (LuaClosure*)ci->Func->P;
            Bytecode.FunctionProto fp = InfoOf(cl->Proto);
            int pc = (int)(ci->Pc - cl->Proto->Code) - 1;
            if (pc >= 0 && pc < fp.Code.Length)
            {
                uint i = fp.Code[pc];
                (string? kind, string? name) = Bytecode.Instruction.Op(i) switch
                {
                    Bytecode.OpCode.TForCall => ("for iterator", "for iterator"),
                    Bytecode.OpCode.Call or Bytecode.OpCode.TailCall when func == ci->Func + 1 + Bytecode.Instruction.A(i)
                        => ObjectName(fp, pc, Bytecode.Instruction.A(i)),
                    _ => ((string?)null, (string?)null),
                };
                if (kind != null) return VmError($"attempt to call a {TypeNameForMessage(*func)} value ({kind} '{name}')");
            }
        }
        return OperandError(in *func, "call");
    }

    /// <summary>Runs a host function with its arguments at func+1..top and moves its results.</summary>
    internal void CallHost(Value* func, int nresults)
    {
        LuaThread* th = Thread;
        var hc = (HostClosure*)func->P;
        CallFrame* ci = PushHostFrame(func, nresults);
        if (th->HookMask != HookMask.None) HostCallHook(ci);
        int n = HostDelegate(hc->FunctionIndex)(this, ci->ExtraArgs);
        if (n == YieldSignal) { ci->Flags |= FrameFlags.Yielded; return; }
        th = Thread;   // (unchanged: coroutines switch back before returning)
        MoveResults(th->Ci, th->Top - n, n);
    }

    /// <summary>The delegates of HostFunctions, read on every host call. Functions are only ever
    /// added to that list, so this copy stays right for the first hostDelegateCount indices; a
    /// newer index extends it (the array doubles, so registering many functions stays linear).</summary>
    private HostFunction[] hostDelegates = [];
    private int hostDelegateCount;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private HostFunction HostDelegate(int index) =>
        (uint)index < (uint)hostDelegateCount ? hostDelegates[index] : ExtendHostDelegates(index);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private HostFunction ExtendHostDelegates(int index)
    {
        int count = HostFunctions.Count;
        if (count > hostDelegates.Length) Array.Resize(ref hostDelegates, Math.Max(count, hostDelegates.Length * 2));
        for (int i = hostDelegateCount; i < count; i++) hostDelegates[i] = HostFunctions[i].Function;
        hostDelegateCount = count;
        return hostDelegates[index];
    }

    /// <summary>Pushes the frame of a host function whose arguments run from func + 1 to the
    /// top (their count is in ExtraArgs), with room for 20 pushes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private CallFrame* PushHostFrame(Value* func, int nresults)
    {
        LuaThread* th = Thread;
        CallFrame* ci = th->Ci + 1;
        if (ci >= th->FramesLimit) StackOverflow();
        ci->Func = func;
        ci->Top = th->Top + 20;
        if (ci->Top > th->StackLimit) StackOverflow();
        if (ci->Top > th->HighWater) th->HighWater = ci->Top;
        ci->Pc = null;
        ci->NResults = nresults;
        ci->Flags = FrameFlags.Host;
        ci->ExtraArgs = (int)(th->Top - func - 1);
        th->Ci = ci;
        return ci;
    }

    /// <summary>Puts n results (starting at <paramref name="first"/>) where the frame's caller
    /// wants them (at the frame's function slot), pops the frame and sets the top.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void MoveResults(CallFrame* ci, Value* first, int n)
    {
        LuaThread* th = Thread;
        if (th->HookMask != HookMask.None) ReturnHook(ci, first, n);
        Value* res = ci->Func;
        int wanted = ci->NResults;
        if (wanted == -1) wanted = n;
        int i = 0;
        int m = n < wanted ? n : wanted;
        for (; i < m; i++) res[i] = first[i];
        for (; i < wanted; i++) res[i] = default;
        th->Top = res + wanted;
        th->Ci = ci - 1;
    }

    // ------------------------------------------------------------------ pcall / xpcall

    private CallFrame* PrepareProtectedCall(Value* func, int nresults, bool isX)
    {
        CallFrame* ci = PushHostFrame(func, nresults);
        if (Thread->HookMask != HookMask.None) HostCallHook(ci);
        int nargs = ci->ExtraArgs;
        if (isX && nargs < 2) throw TypeError(2, "value");
        if (!isX && nargs < 1) throw ArgError(1, "value expected");
        ci->Flags = FrameFlags.Host | FrameFlags.Pcall | (isX ? FrameFlags.Xpcall : 0);
        if (isX)
        {
            // xpcall(f, h, ...): keep h at func+1, call f at func+2 with the rest.
            Value f = func[1];
            func[1] = func[2];
            func[2] = f;
        }
        Value* callee = func + (isX ? 2 : 1);
        CallFrame* next = PrepareCall(callee, -1);
        if (next != null) return next;
        // The callee was a host function and has finished: complete the pcall now.
        if ((Thread->Ci->Flags & FrameFlags.Yielded) != 0) return null;
        FinishProtectedCall(ci);
        return null;
    }

    /// <summary>The protected callee of <paramref name="pf"/> has returned (its results run from
    /// its function slot to the top): produce true, results... as the pcall's own results.</summary>
    internal void FinishProtectedCall(CallFrame* pf)
    {
        LuaThread* th = Thread;
        Value* callee = pf->Func + ((pf->Flags & FrameFlags.Xpcall) != 0 ? 2 : 1);
        int n = (int)(th->Top - callee);
        callee[-1] = Value.True;
        MoveResults(pf, callee - 1, n + 1);
    }

    /// <summary>Handles an error inside the frames of one Run invocation: finds the innermost
    /// pcall frame at or above <paramref name="entry"/>; false when there is none.</summary>
    private bool RecoverInPcall(CallFrame* entry, ref Value err)
    {
        LuaThread* th = Thread;
        CallFrame* pf = null;
        for (CallFrame* f = th->Ci; f >= entry; f--)
            if ((f->Flags & FrameFlags.Pcall) != 0) { pf = f; break; }
        if (pf == null) return false;
        if ((pf->Flags & FrameFlags.Xpcall) != 0) err = CallMessageHandler(pf->Func[1], err);
        Value* level = pf->Func + 1;
        th->NonYieldable++;
        try
        {
            for (; ; )
            {
                try
                {
                    th->Ci = pf;
                    CloseUpvalues(level);
                    CloseTbc(level, err, withError: true);
                    break;
                }
                catch (LuaRuntimeException ex) { err = ex.Value; }
            }
        }
        finally { th->NonYieldable--; }
        th->Ci = pf;
        pf->Func[1] = Value.False;
        pf->Func[2] = err;
        MoveResults(pf, pf->Func + 1, 2);
        th->ErrorValue = default;
        return true;
    }

    private Value CallMessageHandler(in Value handler, in Value err)
    {
        LuaThread* th = Thread;
        // Run the handler above everything, with the erroring frames still in place.
        Value* top = th->Top;
        for (CallFrame* f = th->Frames; f <= th->Ci; f++) if (f->Top > top) top = f->Top;
        try
        {
            if (top + 3 > th->StackLimit + 60) return Value.Str(NewString("error in error handling"));
            top[0] = handler;
            top[1] = err;
            th->Top = top + 2;
            Call(top, 1, 1);
            return top[0];
        }
        catch (LuaRuntimeException)
        {
            // An error inside the handler itself (LUA_ERRERR).
            return Value.Str(NewString("error in error handling"));
        }
    }

    // ------------------------------------------------------------------ calls from host code

    /// <summary>Calls the value at <paramref name="func"/> with the <paramref name="nargs"/>
    /// values above it; results replace them (all when nresults is -1) and the top is set after.</summary>
    public void Call(Value* func, int nargs, int nresults)
    {
        if (CallOrYield(func, nargs, nresults)) throw LuaYieldException.Instance;
    }

    /// <summary>Call, except that a yield of the running coroutine by the called host function
    /// (coroutine.yield itself, or a metamethod that is coroutine.yield) is returned as true
    /// instead of thrown: the yield frame is current, marked to finish the caller's instruction
    /// on resume. Native code passes the yield up as a status, which costs no exception.</summary>
    /// <paramref name="fromLua"/>: the call is a Lua function's (native code's), which does not
    /// count towards "C stack overflow" (lua5.4 makes such calls in the interpreter's loop); the
    /// caller bounds the machine stack it takes (NativeMayNest).
    internal bool CallOrYield(Value* func, int nargs, int nresults, bool fromLua = false)
    {
        LuaThread* th = Thread;
        th->Top = func + 1 + nargs;
        int counted = fromLua ? 0 : 1;
        if ((hostNesting += counted) > Options.MaxHostNesting)
        {
            hostNesting -= counted;
            throw VmError("C stack overflow");
        }
        CallFrame* entry = th->Ci + 1;
        try
        {
            if (PrepareCall(func, nresults) != null || th->Ci >= entry)
            {
                if ((th->Ci->Flags & FrameFlags.Yielded) != 0)
                {
                    th->Ci->Flags |= FrameFlags.FinishOp;
                    return true;
                }
                // Lua code (or a pcall running Lua code) is pending: run it to completion.
                entry->Flags |= FrameFlags.Fresh;
                Execute(entry);
            }
            return false;
        }
        finally
        {
            hostNesting -= counted;
        }
    }

    // ------------------------------------------------------------------ calls from native code

    /// <summary>A call made by native code (the runtime helper tiered_rt_call and the generic
    /// for's iterator call): the value at <paramref name="func"/> with <paramref name="nargs"/>
    /// arguments above it (-1: up to the thread's top), results as <see cref="Call"/> leaves
    /// them. Returns a NativeStatus: Exit (ci's pc moved back onto the call) when native code
    /// is nested too deeply to make the call here, so the interpreter makes it; Yield when the
    /// callee yielded. Errors propagate as exceptions, to the helper that catches them.
    ///
    /// A host function other than pcall/xpcall is run here directly, as the interpreter's
    /// PrepareCall runs it (host frame, results moved; a yield is flagged for FinishOp as Call
    /// does), without Call's detours: this is most of native code's calls. Like the
    /// interpreter's, and lua5.4's, such a call does not count towards "C stack overflow":
    /// only host code calling into Lua does (in Call). Native code therefore reaches that limit
    /// at the same depth and in the same frame as the interpreter, with the same message.</summary>
    public int CallFromNative(CallFrame* ci, Value* func, int nargs, int nresults)
    {
        LuaThread* th = Thread;
        if (nargs >= 0) th->Top = func + 1 + nargs;
        if (!NativeMayNest())
        {
            ci->Pc--;
            return (int)NativeStatus.Exit;
        }
        SharedCounters* shared = Shared;
        shared->NativeDepth++;
        try
        {
            int index;
            if (func->Tag != Tag.HostFunction
                || (index = ((HostClosure*)func->P)->FunctionIndex) == PcallIndex || index == XpcallIndex)
            {
                // A yield below (a Lua callee that yields) comes back as a status, not thrown.
                // A Lua callee is a Lua-to-Lua call: not a C call (the machine stack it takes is
                // checked above); pcall and xpcall are.
                if (CallOrYield(func, (int)(th->Top - func - 1), nresults, fromLua: func->Tag == Tag.LuaFunction)) return (int)NativeStatus.Yield;
            }
            else
            {
                CallFrame* hostCi = PushHostFrame(func, nresults);
                int n = HostDelegate(index)(this, hostCi->ExtraArgs);
                if (n == YieldSignal)
                {
                    // As Call has it when its callee yields: finished by FinishOp on resume.
                    hostCi->Flags |= FrameFlags.Yielded | FrameFlags.FinishOp;
                    return (int)NativeStatus.Yield;
                }
                LuaThread* now = Thread;
                CallFrame* done = now->Ci;
                if (n == 1 && done->NResults == 1)
                {
                    // The common case, one result for one wanted. Copied as the two 8-byte halves
                    // the function has just stored: one 16-byte load of them would wait for both
                    // stores to reach the cache (no store forwarding across two stores).
                    long* from = (long*)(now->Top - 1), to = (long*)done->Func;
                    to[0] = from[0];
                    to[1] = from[1];
                    now->Top = done->Func + 1;
                    now->Ci = done - 1;
                }
                else MoveResults(done, now->Top - n, n);
            }
        }
        finally { shared->NativeDepth--; }
        if (nresults >= 0) th->Top = ci->Top;
        return 0;
    }

    /// <summary>The generic for's iterator call made by native code (tiered_rt_tforcall):
    /// ra[4], ... := ra[0](ra[1], ra[2]) for <paramref name="nresults"/> results; a NativeStatus
    /// as <see cref="CallFromNative"/> returns. A step of ipairs or pairs (next) over a table is
    /// taken here, as BaseLib.IpairsAux and BaseLib.Next take it, without the iterator's frame:
    /// such a step allocates nothing and has no effect but its results. Every other case calls
    /// the iterator: an ipairs step that finds nil in a table with a metatable (__index may
    /// run), and a next whose key is not in the table (the call raises the error, in its frame).</summary>
    public int ForCallFromNative(CallFrame* ci, Value* ra, int nresults)
    {
        ra[4] = ra[0];
        ra[5] = ra[1];
        ra[6] = ra[2];
        if (ra->Tag == Tag.HostFunction && ra[1].Tag == Tag.Table)
        {
            LuaTable* t = ra[1].AsTable;
            Value key = ra[2], value;
            bool found;
            switch (((HostClosure*)ra->P)->Intrinsic)
            {
                case HostIntrinsic.IpairsAux when key.Tag == Tag.Integer:
                    key = Value.Int(unchecked(key.I + 1));
                    value = *TableOps.GetInt(t, key.I);
                    found = value.Tag != Tag.Nil;
                    if (!found && t->Metatable != null) goto call;
                    break;
                case HostIntrinsic.Next:
                    try { found = TableOps.Next(this, t, ref key, out value); }
                    catch (LuaRuntimeException) { goto call; }
                    break;
                default:
                    goto call;
            }
            // The results as MoveResults places them: (key, value), or one nil at the end.
            Value* res = ra + 4;
            int n = 0;
            if (found)
            {
                res[n++] = key;
                if (nresults >= 2) res[n++] = value;
            }
            for (; n < nresults; n++) res[n] = default;
            Thread->Top = ci->Top;
            return 0;
        }
    call:
        return CallFromNative(ci, ra + 4, 2, nresults);
    }

    /// <summary>Can the running coroutine yield? Only if every frame between the yield and the
    /// coroutine's base can be resumed: Lua frames (a metamethod call is finished by FinishOp)
    /// and pcall frames; any other host frame has C# state that a yield would lose.</summary>
    internal bool CanYield(CallFrame* yieldFrame)
    {
        LuaThread* th = Thread;
        if (th == MainThread || th->NonYieldable > 0) return false;
        for (CallFrame* f = yieldFrame - 1; f > th->Frames; f--)
            if ((f->Flags & FrameFlags.Host) != 0 && (f->Flags & FrameFlags.Pcall) == 0) return false;
        return true;
    }

    /// <summary>Calls f(args) and discards errors (finalizers).</summary>
    internal void ProtectedCallValues(in Value f, in Value arg)
    {
        LuaThread* th = Thread;
        CallFrame* saveCi = th->Ci;
        Value* saveTop = th->Top;
        Value* top = saveTop;
        for (CallFrame* fr = th->Frames; fr <= th->Ci; fr++) if (fr->Top > top) top = fr->Top;
        th->NonYieldable++;
        try
        {
            top[0] = f;
            top[1] = arg;
            Call(top, 1, 0);
        }
        finally
        {
            th->NonYieldable--;
            th->Ci = saveCi;
            th->Top = saveTop;
        }
    }

    /// <summary>Runs the interpreter from the current frame until <paramref name="entry"/>
    /// (a Fresh frame) returns, recovering errors in pcall frames that belong to this run.</summary>
    internal void Execute(CallFrame* entry)
    {
        Shared->NativeStackLimit = MachineStack.Limit();   // this thread's, for native code
        for (; ; )
        {
            try
            {
                Run(entry);
                return;
            }
            catch (LuaYieldException)
            {
                // The coroutine yields from inside a nested call: this C# invocation is lost;
                // when the frame returns after a resume, its caller's instruction is finished
                // by FinishOp instead.
                entry->Flags = (entry->Flags & ~FrameFlags.Fresh) | FrameFlags.FinishOp;
                throw;
            }
            catch (LuaRuntimeException ex)
            {
                Value err = ex.Value;
                if (!RecoverInPcall(entry, ref err)) throw;
                if (Thread->Ci < entry) return;   // the recovering pcall was the entry frame
            }
            catch (Exception ex) when (ex is not LuaRuntimeException && IsRecoverableHostException(ex))
            {
                Value err = Value.Str(NewString(HostExceptionMessage(ex)));
                Thread->ErrorValue = err;
                if (!RecoverInPcall(entry, ref err)) throw new LuaRuntimeException(this, err);
                if (Thread->Ci < entry) return;
            }
        }
    }

    /// <summary>Like <see cref="Call"/>, but an error is returned (false, with the error value)
    /// instead of propagating; the frames and to-be-closed variables above are unwound.</summary>
    public bool ProtectedCall(Value* func, int nargs, int nresults, out Value error)
    {
        LuaThread* th = Thread;
        CallFrame* saveCi = th->Ci;
        int saveTbc = th->TbcCount;
        error = default;
        try
        {
            Call(func, nargs, nresults);
            return true;
        }
        catch (LuaRuntimeException ex)
        {
            error = ex.Value;
            th->Ci = saveCi;
            CloseUpvalues(func);
            th->TbcCount = Math.Min(th->TbcCount, saveTbc);
            th->Top = func;
            return false;
        }
    }

    /// <summary>Runs an already pushed frame (flagged Fresh) until it returns.</summary>
    public void ExecuteFrom(CallFrame* frame) => Execute(frame);

    internal static bool IsRecoverableHostException(Exception ex) =>
        ex is not (OutOfMemoryException or StackOverflowException or AccessViolationException or LuaExitException);

    internal string HostExceptionMessage(Exception ex)
    {
        string where;
        try { where = Where(0); } catch (Exception) { where = ""; }
        return where + ex.Message;
    }

    // ------------------------------------------------------------------ upvalues

    internal UpVal* FindUpvalue(Value* level)
    {
        LuaThread* th = Thread;
        UpVal** pp = &th->OpenUpvalues;
        UpVal* p;
        while ((p = *pp) != null && p->V >= level)
        {
            if (p->V == level) return p;
            pp = &p->OpenNext;
        }
        var uv = (UpVal*)AllocObject(ObjType.Upvalue, sizeof(UpVal));
        uv->V = level;
        uv->Closed = default;
        uv->OpenNext = p;
        *pp = uv;
        return uv;
    }

    internal void CloseUpvalues(Value* level)
    {
        LuaThread* th = Thread;
        UpVal* uv;
        while ((uv = th->OpenUpvalues) != null && uv->V >= level)
        {
            th->OpenUpvalues = uv->OpenNext;
            uv->Closed = *uv->V;
            uv->V = &uv->Closed;
            uv->OpenNext = null;
        }
    }

    // ------------------------------------------------------------------ to-be-closed variables

    internal void MarkToBeClosed(Value* slot)
    {
        if (slot->IsFalsy) return;   // nil and false need no closing
        if (MetaOf(*slot, MetaEvent.Close)->Tag == Tag.Nil)
        {
            string name = LocalNameAt(slot) ?? "?";
            throw VmError($"variable '{name}' got a non-closable value");
        }
        LuaThread* th = Thread;
        if (th->TbcCount == th->TbcCapacity)
        {
            int cap = Math.Max(8, th->TbcCapacity * 2);
            th->Tbc = (Value**)System.Runtime.InteropServices.NativeMemory.Realloc(th->Tbc, (nuint)(cap * sizeof(Value*)));
            th->TbcCapacity = cap;
        }
        th->Tbc[th->TbcCount++] = slot;
    }

    /// <summary>Calls __close on every to-be-closed variable at or above <paramref name="level"/>,
    /// newest first, with the error object (or nil on a normal exit).</summary>
    internal void CloseTbc(Value* level, in Value err, bool withError)
    {
        LuaThread* th = Thread;
        while (th->TbcCount > 0 && th->Tbc[th->TbcCount - 1] >= level)
        {
            Value* slot = th->Tbc[--th->TbcCount];
            Value obj = *slot;
            Value* tm = MetaOf(obj, MetaEvent.Close);
            if (tm->Tag == Tag.Nil) continue;
            Value* top = th->Top;
            CallFrame* ci = th->Ci;
            if ((ci->Flags & FrameFlags.Host) == 0 && ci->Top > top) top = ci->Top;
            if (slot + 1 > top) top = slot + 1;
            top[0] = *tm;
            top[1] = obj;
            top[2] = withError ? err : default;
            th->Top = top + 3;
            Call(top, 2, 0);
            th->Top = top;
        }
    }
}
