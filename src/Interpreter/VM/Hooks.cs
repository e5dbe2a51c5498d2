using System.Runtime.CompilerServices;
using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Runtime;

namespace Tiered.Interpreter.VM;

// debug.sethook. A hook belongs to one thread and is called with the event's name ("call",
// "tail call", "return", "line", "count") and, for line events, the line. The events come at
// the points Lua 5.4 gives them:
//   call        when a function starts (Lua: at its first instruction, or after VarArgPrep);
//               host functions when they are called
//   return      when any function returns, before its results move
//   line        before an instruction whose line differs from the last one traced in the
//               frame, and before any instruction reached by a backward jump
//   count       every HookBaseCount instructions
// A hook does not see its own execution (InHook), and cannot yield (NonYieldable).
//
// A hooked thread runs only in the interpreter: the loop does not enter native code while the
// thread's mask is set, and setting a hook marks every frame of the thread so that native code
// running one hands it to the interpreter when its current call returns (see SetHook).
public sealed unsafe partial class LuaState
{
    /// <summary>Sets (or, with a nil function, an empty mask and no count, removes) the hook
    /// of <paramref name="th"/>, as lua_sethook does.</summary>
    public void SetHook(LuaThread* th, in Value function, HookMask mask, int count)
    {
        if (count > 0) mask |= HookMask.Count;
        else mask &= ~HookMask.Count;
        if (function.Tag == Tag.Nil || mask == HookMask.None)
        {
            th->HookFunction = default;
            th->HookMask = HookMask.None;
            th->HookBaseCount = 0;
            th->HookCountdown = 0;
        }
        else
        {
            th->HookFunction = function;
            th->HookMask = mask;
            th->HookBaseCount = count;
            th->HookCountdown = count;
            // Native code running any of the thread's frames hands it to the interpreter after
            // the call it is in (the call that set this hook, for the frames of this thread),
            // and native loops reach their interrupt check at the next back-edge.
            for (CallFrame* f = th->Frames + 1; f <= th->Ci; f++)
                if ((f->Flags & FrameFlags.Host) == 0) f->Flags |= FrameFlags.ToInterpreter;
            Shared->NativeCountdown = 1;
        }
        UpdateHookTrap(th);
    }

    private static void UpdateHookTrap(LuaThread* th) =>
        th->HookTrap = (th->HookMask & (HookMask.Line | HookMask.Count)) != 0 && th->InHook == 0 ? 1 : 0;

    /// <summary>Before the instruction at <paramref name="pc"/> of the current Lua frame: count
    /// and line events (luaG_traceexec).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void TraceInstruction(CallFrame* ci, uint* pc)
    {
        LuaThread* th = Thread;
        Proto* p = ((LuaClosure*)ci->Func->P)->Proto;
        // A vararg function's events start after VarArgPrep (VarArgEntryHook).
        if (Instruction.Op(*pc) == OpCode.VarArgPrep) return;
        HookMask mask = th->HookMask;
        ci->Pc = pc + 1;
        if ((mask & HookMask.Count) != 0 && --th->HookCountdown == 0)
        {
            th->HookCountdown = th->HookBaseCount;
            CallHook(ci, "count", -1, null);
        }
        if ((mask & HookMask.Line) == 0) return;
        int npc = (int)(pc - p->Code);
        int oldpc = th->HookOldPc < p->CodeSize ? th->HookOldPc : 0;
        int[] lines = InfoOf(p).LineInfo;
        if (npc <= oldpc || LineOf(lines, oldpc) != LineOf(lines, npc))
            CallHook(ci, "line", LineOf(lines, npc), null);
        th->HookOldPc = npc;
    }

    private static int LineOf(int[] lines, int pc) => (uint)pc < (uint)lines.Length ? lines[pc] : -1;

    /// <summary>A Lua frame is about to run its first instruction (not VarArgPrep): its call
    /// event, and line events start afresh.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void FunctionEntryHook(CallFrame* ci)
    {
        LuaThread* th = Thread;
        if (th->InHook != 0) return;
        th->HookOldPc = 0;
        EntryCallHook(ci);
    }

    /// <summary>A vararg function has run VarArgPrep: its call event, and the next instruction
    /// counts as a new line.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void VarArgEntryHook(CallFrame* ci)
    {
        LuaThread* th = Thread;
        if (th->InHook != 0) return;
        EntryCallHook(ci);
        th->HookOldPc = 1;
    }

    private void EntryCallHook(CallFrame* ci)
    {
        if ((Thread->HookMask & HookMask.Call) == 0) return;
        // The hook sees the frame as at its first instruction (getinfo's currentline).
        uint* saved = ci->Pc;
        Proto* p = ((LuaClosure*)ci->Func->P)->Proto;
        ci->Pc = p->Code + 1;
        CallHook(ci, (ci->Flags & FrameFlags.TailCalled) != 0 ? "tail call" : "call", -1, null, 1, p->NumParams);
        ci->Pc = saved;
    }

    /// <summary>A host function's frame has been pushed: its call event.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void HostCallHook(CallFrame* ci)
    {
        if (Thread->InHook != 0 || (Thread->HookMask & HookMask.Call) == 0) return;
        CallHook(ci, "call", -1, null, 1, ci->ExtraArgs);
    }

    /// <summary>Frame <paramref name="ci"/> returns <paramref name="n"/> values at
    /// <paramref name="first"/>: its return event; then line events in a Lua caller continue
    /// from the call instruction (rethook).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ReturnHook(CallFrame* ci, Value* first, int n)
    {
        LuaThread* th = Thread;
        if (th->InHook != 0) return;
        if ((th->HookMask & HookMask.Return) != 0)
        {
            // A vararg frame returns with its function slot moved back below the extra
            // arguments; the hook sees it where the frame ran (so getlocal finds the results).
            int delta = 0;
            if ((ci->Flags & FrameFlags.Host) == 0)
            {
                Proto* p = ((LuaClosure*)ci->Func->P)->Proto;
                if (p->IsVararg != 0) delta = ci->ExtraArgs + p->NumParams + 1;
            }
            ci->Func += delta;
            try { CallHook(ci, "return", -1, first + n, (int)(first - ci->Func), n); }
            finally { ci->Func -= delta; }
        }
        CallFrame* caller = ci - 1;
        if (caller > th->Frames && (caller->Flags & FrameFlags.Host) == 0)
            th->HookOldPc = (int)(caller->Pc - ((LuaClosure*)caller->Func->P)->Proto->Code) - 1;
    }

    /// <summary>Calls the thread's hook with the event and line (nil when negative) above the
    /// frame's live values (<paramref name="liveEnd"/> when they reach higher), and restores
    /// the top. Hooks are off while it runs. The values the event transfers (a call's
    /// parameters, a return's results) are frame slots <paramref name="ftransfer"/> on, for
    /// getinfo's 'r'.</summary>
    private void CallHook(CallFrame* ci, string @event, int line, Value* liveEnd, int ftransfer = 0, int ntransfer = 0)
    {
        LuaThread* th = Thread;
        Value hook = th->HookFunction;
        if (hook.Tag == Tag.Nil) return;
        Value* savedTop = th->Top;
        Value* at = savedTop;
        if (ci->Top > at) at = ci->Top;
        if (liveEnd != null && liveEnd > at) at = liveEnd;
        CheckStackRoom(at, 3 + 20);
        at[0] = hook;
        at[1] = Value.Str(NewString(@event));
        at[2] = line >= 0 ? Value.Int(line) : default;
        th->InHook = 1;
        th->HookFTransfer = ntransfer != 0 ? ftransfer : 0;   // (lua5.4 reports 0/0 for none)
        th->HookNTransfer = ntransfer;
        th->NonYieldable++;
        UpdateHookTrap(th);
        // The mark stays when the hook raises: the traceback of the error, taken as it
        // propagates, still names the hook (the frame is dropped by whoever catches it).
        ci->Flags |= FrameFlags.Hooked;
        try
        {
            th->Top = at + 3;
            Call(at, 2, 0);
        }
        finally
        {
            th->InHook = 0;
            th->NonYieldable--;
            UpdateHookTrap(th);
        }
        ci->Flags &= ~FrameFlags.Hooked;
        th->Top = savedTop;
    }
}
