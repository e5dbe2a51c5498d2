using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using static Tiered.Interpreter.Lib.LibraryHelpers;

namespace Tiered.Interpreter.Lib;

/// <summary>The coroutine library (Lua 5.4 manual §6.2).</summary>
public static unsafe class CoroutineLib
{
    private static int wrapAuxIndex = -1;

    public static void Open(LuaState L)
    {
        NewLibrary(L, "coroutine",
        [
            ("create", Create), ("resume", Resume), ("status", Status), ("wrap", Wrap),
            ("isyieldable", IsYieldable), ("running", Running), ("close", Close),
        ]);
        LuaTable* co = L.Globals != null ? (*TableOps.Get(L.Globals, L.StringValue("coroutine"))).AsTable : null;
        L.YieldIndex = L.RegisterHostFunction(Yield, "coroutine.yield");
        SetValue(L, co, "yield", Value.Object(L.NewHostClosure(L.YieldIndex, 0), Tag.HostFunction));
        wrapAuxIndex = L.RegisterHostFunction(WrapAux, "wrap");
    }

    private static LuaThread* CheckThread(LuaState L, int arg)
    {
        Value v = L.Arg(arg);
        if (v.Tag != Tag.Thread) throw L.TypeError(arg, "thread");
        return (LuaThread*)v.P;
    }

    private static int Create(LuaState L, int argc)
    {
        Value f = L.Arg(1);
        if (!f.IsFunction) throw L.TypeError(1, "function");
        L.Push(Value.Object(L.NewThread(f), Tag.Thread));
        return 1;
    }

    private static int Resume(LuaState L, int argc)
    {
        LuaThread* co = CheckThread(L, 1);
        Value* args = L.ArgSlot(2);
        int n = L.Resume(co, args, argc - 1, out bool ok);
        // Results sit at args..args+n; put the status in front of them.
        Value* top = args + n;
        for (Value* q = top; q > args; q--) q[0] = q[-1];
        args[0] = Value.Bool(ok);
        L.Top = top + 1;
        return n + 1;
    }

    private static int Yield(LuaState L, int argc)
    {
        LuaThread* th = L.Thread;
        if (th == L.MainThread) throw L.VmError("attempt to yield from outside a coroutine");
        if (!L.CanYield(th->Ci)) throw L.VmError("attempt to yield across a C-call boundary");
        return LuaState.YieldSignal;
    }

    private static int Status(LuaState L, int argc)
    {
        LuaThread* co = CheckThread(L, 1);
        L.PushString(L.StatusOf(co));
        return 1;
    }

    private static int Running(LuaState L, int argc)
    {
        L.Push(Value.Object(L.Thread, Tag.Thread));
        L.PushBoolean(L.Thread == L.MainThread);
        return 2;
    }

    private static int IsYieldable(LuaState L, int argc)
    {
        LuaThread* co = L.IsNoneOrNil(1) ? L.Thread : CheckThread(L, 1);
        L.PushBoolean(co == L.Thread ? L.CanYield(co->Ci) : co != L.MainThread);
        return 1;
    }

    private static int Wrap(LuaState L, int argc)
    {
        Value f = L.Arg(1);
        if (!f.IsFunction) throw L.TypeError(1, "function");
        HostClosure* c = L.NewHostClosure(wrapAuxIndex, 1);
        HostClosure.Upvalues(c)[0] = Value.Object(L.NewThread(f), Tag.Thread);
        L.Push(Value.Object(c, Tag.HostFunction));
        return 1;
    }

    private static int WrapAux(LuaState L, int argc)
    {
        var co = (LuaThread*)L.HostUpvalues[0].P;
        Value* args = L.ArgSlot(1);
        int n = L.Resume(co, args, argc, out bool ok);
        if (!ok)
        {
            Value err = args[0];
            if (co->Status == ThreadStatus.Dead && co->TbcCount > 0)
            {
                L.CloseThread(co, out Value closeErr);
                if (closeErr.Tag != Tag.Nil) err = closeErr;
            }
            if (err.Tag == Tag.String)
            {
                string where = L.Where(1);
                if (where.Length > 0) err = L.StringValue(where + LuaString.ToManaged(err.AsString));
            }
            throw L.ErrorValue(err);
        }
        return n;
    }

    private static int Close(LuaState L, int argc)
    {
        LuaThread* co = CheckThread(L, 1);
        string status = L.StatusOf(co);
        if (status != "suspended" && status != "dead")
            throw L.RuntimeError($"cannot close a {status} coroutine");
        if (L.CloseThread(co, out Value err))
        {
            L.PushBoolean(true);
            return 1;
        }
        L.PushBoolean(false);
        L.Push(err);
        return 2;
    }
}
