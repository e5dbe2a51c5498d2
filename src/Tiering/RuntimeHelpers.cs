using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;

namespace Tiered.Tiering;

/// <summary>
/// The runtime helpers native code calls for everything that is not a fast path. Each is an
/// [UnmanagedCallersOnly] entry bound by name ("tiered_rt_...") when code is loaded, so the
/// object code holds no process-specific address. No .NET exception may cross a native frame:
/// every helper catches everything, parks the exception in LuaState.PendingNativeException and
/// returns a NativeStatus; native code passes the status up by returning it.
/// Before any helper that can raise, call or collect, native code has stored the frame's pc and
/// every register ("the frame is the truth").
/// </summary>
internal static unsafe class RuntimeHelpers
{

    public const int Ok = 0;

    /// <summary>Name -> entry address, for binding the symbols of native code.</summary>
    public static Dictionary<string, nint> Symbols() => new()
    {
        ["tiered_rt_call"] = (nint)(delegate* unmanaged<LuaThread*, CallFrame*, Value*, int, int, int>)&Call,
        ["tiered_rt_index"] = (nint)(delegate* unmanaged<LuaThread*, CallFrame*, Value*, Value*, Value*, int>)&Index,
        ["tiered_rt_setindex"] = (nint)(delegate* unmanaged<LuaThread*, CallFrame*, Value*, Value*, Value*, int>)&SetIndex,
        ["tiered_rt_self"] = (nint)(delegate* unmanaged<LuaThread*, CallFrame*, Value*, Value*, Value*, int>)&Self,
        ["tiered_rt_arith"] = (nint)(delegate* unmanaged<LuaThread*, CallFrame*, int, Value*, Value*, Value*, int>)&Arith,
        ["tiered_rt_compare"] = (nint)(delegate* unmanaged<LuaThread*, CallFrame*, int, Value*, Value*, int>)&Compare,
        ["tiered_rt_len"] = (nint)(delegate* unmanaged<LuaThread*, CallFrame*, Value*, Value*, int>)&Len,
        ["tiered_rt_tablelen"] = (nint)(delegate* unmanaged<LuaTable*, long>)&TableLength,
        ["tiered_rt_indexchain"] = (nint)(delegate* unmanaged<SharedCounters*, LuaTable*, LuaString*, Value*>)&IndexChain,
        ["tiered_rt_concat"] = (nint)(delegate* unmanaged<LuaThread*, CallFrame*, Value*, int, int>)&Concat,
        ["tiered_rt_newtable"] = (nint)(delegate* unmanaged<LuaThread*, CallFrame*, Value*, int, int, int>)&NewTable,
        ["tiered_rt_closure"] = (nint)(delegate* unmanaged<LuaThread*, CallFrame*, Value*, int, int>)&Closure,
        ["tiered_rt_forprep"] = (nint)(delegate* unmanaged<LuaThread*, CallFrame*, Value*, int>)&ForPrep,
        ["tiered_rt_vararg"] = (nint)(delegate* unmanaged<LuaThread*, CallFrame*, Value*, int, int>)&VarArg,
        ["tiered_rt_varargprep"] = (nint)(delegate* unmanaged<LuaThread*, CallFrame*, int>)&VarArgPrep,
        ["tiered_rt_close"] = (nint)(delegate* unmanaged<LuaThread*, CallFrame*, Value*, int>)&Close,
        ["tiered_rt_tbc"] = (nint)(delegate* unmanaged<LuaThread*, CallFrame*, Value*, int>)&Tbc,
        ["tiered_rt_setlist"] = (nint)(delegate* unmanaged<LuaThread*, CallFrame*, Value*, int, int, int>)&SetList,
        ["tiered_rt_tforcall"] = (nint)(delegate* unmanaged<LuaThread*, CallFrame*, Value*, int, int>)&TForCall,
        ["tiered_rt_finishcall"] = (nint)(delegate* unmanaged<LuaThread*, CallFrame*, CallFrame*, int>)&FinishCall,
        ["tiered_rt_deopt"] = (nint)(delegate* unmanaged<LuaThread*, CallFrame*, int, int, void>)&Deopt,
        ["tiered_rt_interrupt"] = (nint)(delegate* unmanaged<LuaThread*, CallFrame*, long, int>)&InterruptTick,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static LuaState StateOf(LuaThread* th) => LuaState.FromThread(th);

    private static int Fail(LuaState L, Exception ex)
    {
        if (ex is LuaYieldException) return (int)NativeStatus.Yield;
        L.PendingNativeException = ex;
        return (int)NativeStatus.Error;
    }

    [UnmanagedCallersOnly]
    private static int Call(LuaThread* th, CallFrame* ci, Value* ra, int nargs, int nresults)
    {
        // All of it in LuaState: this method stays precompiled (an [UnmanagedCallersOnly] method
        // is never re-jitted), and precompiled code does not inline across assemblies.
        LuaState L = StateOf(th);
        try { return L.CallFromNative(ci, ra, nargs, nresults); }
        catch (Exception ex) { return Fail(L, ex); }
    }

    /// <summary>A callee entered native-to-native stopped early: run the rest of its frame in
    /// the interpreter; its results land where the caller wants them.</summary>
    [UnmanagedCallersOnly]
    private static int FinishCall(LuaThread* th, CallFrame* ci, CallFrame* callee)
    {
        LuaState L = StateOf(th);
        try
        {
            int wanted = callee->NResults;
            callee->Flags |= FrameFlags.Fresh;
            L.NativeCallDepth++;
            try { L.ExecuteFrom(callee); }
            finally { L.NativeCallDepth--; }
            if (wanted >= 0) th->Top = ci->Top;
            return Ok;
        }
        catch (Exception ex) { return Fail(L, ex); }
    }

    [UnmanagedCallersOnly]
    private static int Index(LuaThread* th, CallFrame* ci, Value* ra, Value* obj, Value* key)
    {
        LuaState L = StateOf(th);
        try { Value r = L.Index(in *obj, in *key); *ra = r; return Ok; }
        catch (Exception ex) { return Fail(L, ex); }
    }

    [UnmanagedCallersOnly]
    private static int SetIndex(LuaThread* th, CallFrame* ci, Value* obj, Value* key, Value* val)
    {
        LuaState L = StateOf(th);
        try { L.SetIndex(in *obj, in *key, *val); return Ok; }
        catch (Exception ex) { return Fail(L, ex); }
    }

    [UnmanagedCallersOnly]
    private static int Self(LuaThread* th, CallFrame* ci, Value* ra, Value* obj, Value* key)
    {
        LuaState L = StateOf(th);
        try
        {
            ra[1] = *obj;
            Value r = L.Index(in *obj, *key);   // named after the original register in messages
            *ra = r;
            return Ok;
        }
        catch (Exception ex) { return Fail(L, ex); }
    }

    [UnmanagedCallersOnly]
    private static int Arith(LuaThread* th, CallFrame* ci, int ev, Value* ra, Value* rb, Value* rc)
    {
        LuaState L = StateOf(th);
        try { Value r = L.Arith((MetaEvent)ev, in *rb, in *rc); *ra = r; return Ok; }
        catch (Exception ex) { return Fail(L, ex); }
    }

    /// <summary>0 = false, 1 = true, negative = -(status).</summary>
    [UnmanagedCallersOnly]
    private static int Compare(LuaThread* th, CallFrame* ci, int op, Value* a, Value* b)
    {
        LuaState L = StateOf(th);
        try
        {
            bool r = op switch
            {
                0 => L.ValuesEqual(in *a, in *b),
                1 => L.LessThan(in *a, in *b),
                _ => L.LessEqual(in *a, in *b),
            };
            return r ? 1 : 0;
        }
        catch (Exception ex) { return -Fail(L, ex); }
    }

    /// <summary>The border of a table without a metatable (the # operator). It only reads the
    /// table (and its length hint): no allocation, no Lua code, no error, so native code calls it
    /// without writing its registers back.</summary>
    [UnmanagedCallersOnly]
    private static long TableLength(LuaTable* t) => TableOps.Length(t);

    /// <summary>A short string key table t lacks, looked up through its __index tables (see
    /// IndexCache.Lookup): the slot, a nil, or null when the general path must do it. Raises
    /// nothing, calls nothing, allocates nothing.</summary>
    [UnmanagedCallersOnly]
    private static Value* IndexChain(SharedCounters* s, LuaTable* t, LuaString* key) => IndexCache.Lookup(s, t, key);

    [UnmanagedCallersOnly]
    private static int Len(LuaThread* th, CallFrame* ci, Value* ra, Value* rb)
    {
        LuaState L = StateOf(th);
        try { Value r = L.Length(in *rb); *ra = r; return Ok; }
        catch (Exception ex) { return Fail(L, ex); }
    }

    [UnmanagedCallersOnly]
    private static int Concat(LuaThread* th, CallFrame* ci, Value* ra, int n)
    {
        LuaState L = StateOf(th);
        try
        {
            th->Top = ra + n;
            L.Concat(ra, n);
            return Safepoint(L, th, ci, ra);
        }
        catch (Exception ex) { return Fail(L, ex); }
    }

    /// <summary>The GC safepoint after an allocating instruction, as the interpreter has it:
    /// everything live is below ra + 1 while the collector runs.</summary>
    private static int Safepoint(LuaState L, LuaThread* th, CallFrame* ci, Value* ra)
    {
        th->Top = ra + 1;
        L.CheckGc();
        th->Top = ci->Top;
        return Ok;
    }

    [UnmanagedCallersOnly]
    private static int NewTable(LuaThread* th, CallFrame* ci, Value* ra, int arraySize, int hashSize)
    {
        LuaState L = StateOf(th);
        try
        {
            *ra = Value.Table(TableOps.New(L, arraySize, hashSize));
            return Safepoint(L, th, ci, ra);
        }
        catch (Exception ex) { return Fail(L, ex); }
    }

    [UnmanagedCallersOnly]
    private static int Closure(LuaThread* th, CallFrame* ci, Value* ra, int index)
    {
        LuaState L = StateOf(th);
        try
        {
            L.MakeClosure(ci, ra, index);
            return Safepoint(L, th, ci, ra);
        }
        catch (Exception ex) { return Fail(L, ex); }
    }

    /// <summary>0 = run the loop, 1 = skip it, negative = -(status).</summary>
    [UnmanagedCallersOnly]
    private static int ForPrep(LuaThread* th, CallFrame* ci, Value* ra)
    {
        LuaState L = StateOf(th);
        try { return L.PrepareNumericForLoop(ra) ? 0 : 1; }
        catch (Exception ex) { return -Fail(L, ex); }
    }

    [UnmanagedCallersOnly]
    private static int VarArg(LuaThread* th, CallFrame* ci, Value* ra, int wanted)
    {
        LuaState L = StateOf(th);
        try { L.CopyVarArgs(ci, ra, wanted); return Ok; }
        catch (Exception ex) { return Fail(L, ex); }
    }

    [UnmanagedCallersOnly]
    private static int VarArgPrep(LuaThread* th, CallFrame* ci)
    {
        LuaState L = StateOf(th);
        try { L.PrepareVarArgFrame(ci); return Ok; }
        catch (Exception ex) { return Fail(L, ex); }
    }

    [UnmanagedCallersOnly]
    private static int Close(LuaThread* th, CallFrame* ci, Value* level)
    {
        LuaState L = StateOf(th);
        try
        {
            L.CloseUpvalues(level);
            if (th->TbcCount > 0) L.CloseTbc(level, default, withError: false);
            return Ok;
        }
        catch (Exception ex) { return Fail(L, ex); }
    }

    [UnmanagedCallersOnly]
    private static int Tbc(LuaThread* th, CallFrame* ci, Value* slot)
    {
        LuaState L = StateOf(th);
        try { L.MarkToBeClosed(slot); return Ok; }
        catch (Exception ex) { return Fail(L, ex); }
    }

    [UnmanagedCallersOnly]
    private static int SetList(LuaThread* th, CallFrame* ci, Value* ra, int n, int last)
    {
        LuaState L = StateOf(th);
        try
        {
            if (n < 0) n = (int)(th->Top - ra) - 1;
            LuaTable* t = ra->AsTable;
            if (last + n > t->ArraySize)
                TableOps.Resize(L, t, (uint)(last + n), t->IsDummyNode != 0 ? 0 : LuaTable.NodeCount(t));
            for (int j = 1; j <= n; j++) t->Array[last + j - 1] = ra[j];
            th->Top = ci->Top;
            return Ok;
        }
        catch (Exception ex) { return Fail(L, ex); }
    }

    [UnmanagedCallersOnly]
    private static int TForCall(LuaThread* th, CallFrame* ci, Value* ra, int nresults)
    {
        LuaState L = StateOf(th);
        try { return L.ForCallFromNative(ci, ra, nresults); }
        catch (Exception ex) { return Fail(L, ex); }
    }

    [UnmanagedCallersOnly]
    private static void Deopt(LuaThread* th, CallFrame* ci, int pc, int reason)
    {
        try
        {
            LuaState L = StateOf(th);
            (L.NativeTier as NativeTier)?.RecordDeopt(L, ci, pc, (DeoptReason)reason);
        }
        catch (Exception) { /* bookkeeping only: never let it escape */ }
    }

    [UnmanagedCallersOnly]
    private static int InterruptTick(LuaThread* th, CallFrame* ci, long stamp)
    {
        LuaState L = StateOf(th);
        try
        {
            L.RunInterrupt();
            // A hook was set (debug.sethook, from a metamethod or finalizer: a call would have
            // sent the frame back already): the thread runs in the interpreter from here.
            if (th->HookMask != HookMask.None) return (int)NativeStatus.Exit;
            Proto* p = ((LuaClosure*)ci->Func->P)->Proto;
            var tier = L.NativeTier as NativeTier;
            tier?.OnTick(p);
            // Replaced code (a quick compilation, or one that a recompilation superseded): the
            // stack is complete and the pc is on the loop header, so the interpreter goes on
            // there, and its next back-edge enters the current code.
            if (p->NativeEntry != null && p->NativeStamp != stamp)
            {
                p->HotCountdown = 1;
                if (tier != null) Interlocked.Increment(ref tier.FramesMovedToNewerCode);
                return (int)NativeStatus.Exit;
            }
            return Ok;
        }
        catch (Exception ex) { return Fail(L, ex); }
    }
}
