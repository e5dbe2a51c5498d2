using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using static Tiered.Interpreter.Lib.LibraryHelpers;

namespace Tiered.Interpreter.Lib;

/// <summary>The debug library (Lua 5.4 manual §6.10): introspection of frames, functions,
/// upvalues, metatables and hooks (the hooks themselves run in VM/Hooks.cs).</summary>
public static unsafe class DebugLib
{
    public static void Open(LuaState L)
    {
        NewLibrary(L, "debug",
        [
            ("traceback", Traceback), ("getinfo", GetInfo), ("getlocal", GetLocal), ("setlocal", SetLocal),
            ("getmetatable", GetMetatable), ("setmetatable", SetMetatable),
            ("getupvalue", GetUpvalue), ("setupvalue", SetUpvalue), ("upvalueid", UpvalueId),
            ("upvaluejoin", UpvalueJoin), ("getregistry", GetRegistry),
            ("getuservalue", GetUserValue), ("setuservalue", SetUserValue),
            ("sethook", SetHook), ("gethook", GetHook), ("debug", Debug), ("setcstacklimit", SetCStackLimit),
        ]);
    }

    /// <summary>debug.traceback([thread,] [message [, level]]): level 1 (the caller) by default
    /// on the running thread, 0 (the top frame: a yield, or where an error ended it) on
    /// another.</summary>
    private static int Traceback(LuaState L, int argc)
    {
        LuaThread* th = OptThread(L, out int arg);
        Value msg = L.Arg(arg + 1);
        if (argc >= arg + 1 && msg.Tag != Tag.String && msg.Tag != Tag.Nil && !msg.IsNumber)
        {
            L.Push(msg);   // non-string messages are returned untouched
            return 1;
        }
        string? text = msg.Tag == Tag.Nil ? null : LuaString.ToManaged(L.CheckString(arg + 1));
        long level = L.OptInteger(arg + 2, th == L.Thread ? 1 : 0);
        L.PushString(L.Traceback(th, text, (int)level));
        return 1;
    }

    private static int GetInfo(LuaState L, int argc)
    {
        LuaThread* th = OptThread(L, out int arg);
        Value target = L.Arg(arg + 1);
        string what = L.IsNoneOrNil(arg + 2) ? "flnSrtu" : L.CheckManagedString(arg + 2);
        if (what.StartsWith('>')) throw L.ArgError(arg + 2, "invalid option '>'");
        CallFrame* frame = null;
        Value func;
        if (target.IsFunction) func = target;
        else
        {
            long level = L.CheckInteger(arg + 1);
            if (level < 0 || level > int.MaxValue) { L.PushNil(); return 1; }
            frame = LuaState.FrameAtLevel(th, (int)level);
            if (frame == null) { L.PushNil(); return 1; }
            func = *frame->Func;
        }
        LuaTable* t = L.NewTable(0, 12);
        L.Push(Value.Table(t));
        FunctionProto? info = func.Tag == Tag.LuaFunction ? L.InfoOf(((LuaClosure*)func.P)->Proto) : null;
        foreach (char c in what)
        {
            switch (c)
            {
                case 'S':
                    if (info != null)
                    {
                        SetValue(L, t, "source", L.StringValue(info.Source));
                        SetValue(L, t, "short_src", L.StringValue(Syntax.ChunkName.Display(info.Source)));
                        SetValue(L, t, "linedefined", Value.Int(info.LineDefined));
                        SetValue(L, t, "lastlinedefined", Value.Int(info.LastLineDefined));
                        SetValue(L, t, "what", L.StringValue(info.LineDefined == 0 ? "main" : "Lua"));
                    }
                    else
                    {
                        SetValue(L, t, "source", L.StringValue("=[C]"));
                        SetValue(L, t, "short_src", L.StringValue("[C]"));
                        SetValue(L, t, "linedefined", Value.Int(-1));
                        SetValue(L, t, "lastlinedefined", Value.Int(-1));
                        SetValue(L, t, "what", L.StringValue("C"));
                    }
                    break;
                case 'l':
                    SetValue(L, t, "currentline", Value.Int(frame != null && info != null ? L.CurrentLine(frame) : -1));
                    break;
                case 'u':
                    SetValue(L, t, "nups", Value.Int(func.Tag == Tag.LuaFunction ? ((LuaClosure*)func.P)->UpvalueCount : ((HostClosure*)func.P)->UpvalueCount));
                    SetValue(L, t, "nparams", Value.Int(info?.NumParams ?? 0));
                    SetValue(L, t, "isvararg", Value.Bool(info?.IsVararg ?? true));
                    break;
                case 'n':
                    if (frame != null)
                    {
                        (string? kind, string? name) = L.FunctionNameOf(th, frame);
                        if (kind != null)
                        {
                            SetValue(L, t, "name", L.StringValue(name!));
                            SetValue(L, t, "namewhat", L.StringValue(kind));
                            break;
                        }
                    }
                    SetValue(L, t, "namewhat", L.StringValue(""));
                    break;
                case 't':
                    SetValue(L, t, "istailcall", Value.Bool(frame != null && (frame->Flags & FrameFlags.TailCalled) != 0));
                    break;
                case 'f':
                    SetValue(L, t, "func", func);
                    break;
                case 'r':
                    {
                        // Only the frame whose hook is running transfers values.
                        bool hooked = frame != null && (frame->Flags & FrameFlags.Hooked) != 0;
                        SetValue(L, t, "ftransfer", Value.Int(hooked ? th->HookFTransfer : 0));
                        SetValue(L, t, "ntransfer", Value.Int(hooked ? th->HookNTransfer : 0));
                        break;
                    }
                case 'L':
                    if (info != null)
                    {
                        // The lines that have code: every instruction's (but VarArgPrep's).
                        LuaTable* lines = L.NewTable(0, 0);
                        SetValue(L, t, "activelines", Value.Table(lines));
                        for (int pc = info.IsVararg ? 1 : 0; pc < info.LineInfo.Length; pc++)
                            TableOps.SetInt(L, lines, info.LineInfo[pc], Value.True);
                    }
                    break;
                default:
                    throw L.ArgError(arg + 2, "invalid option");
            }
        }
        return 1;
    }

    /// <summary>debug.getlocal([thread,] f, n): with a function, the name of its parameter n;
    /// with a level, the name and value of local n of that frame: a named local, else
    /// "(temporary)" ("(C temporary)") for any slot in use, and "(vararg)" for the extra
    /// argument -n of a vararg function.</summary>
    private static int GetLocal(LuaState L, int argc)
    {
        LuaThread* th = OptThread(L, out int arg);
        long n = L.CheckInteger(arg + 2);
        if (L.Arg(arg + 1).IsFunction)
        {
            Value f = L.Arg(arg + 1);
            if (f.Tag == Tag.LuaFunction)
            {
                FunctionProto fp = L.InfoOf(((LuaClosure*)f.P)->Proto);
                string? pname = n >= 1 && n <= fp.NumParams ? LuaState.LocalName(fp, (int)n, 0) : null;
                if (pname != null) { L.PushString(pname); return 1; }
            }
            L.PushNil();
            return 1;
        }
        CallFrame* frame = FrameAt(L, th, arg, L.CheckInteger(arg + 1));
        string? name = FindLocal(L, th, frame, n, out Value* slot);
        if (name == null) { L.PushNil(); return 1; }
        L.PushString(name);
        L.Push(*slot);
        return 2;
    }

    /// <summary>debug.setlocal([thread,] level, n, value): local n of the frame (as getlocal
    /// finds it) gets value; returns its name (nil when there is no such local). The frame is
    /// marked so that native code running it drops its copies of the registers
    /// (FrameFlags.ToInterpreter).</summary>
    private static int SetLocal(LuaState L, int argc)
    {
        LuaThread* th = OptThread(L, out int arg);
        long level = L.CheckInteger(arg + 1);
        long n = L.CheckInteger(arg + 2);
        CallFrame* frame = FrameAt(L, th, arg, level);
        L.CheckAny(arg + 3);
        string? name = FindLocal(L, th, frame, n, out Value* slot);
        if (name == null) { L.PushNil(); return 1; }
        *slot = L.Arg(arg + 3);
        frame->Flags |= FrameFlags.ToInterpreter;
        L.PushString(name);
        return 1;
    }

    /// <summary>The frame at a level of <paramref name="th"/> given as argument arg + 1 (an
    /// error when there is none).</summary>
    private static CallFrame* FrameAt(LuaState L, LuaThread* th, int arg, long level)
    {
        CallFrame* frame = level >= 0 && level <= int.MaxValue ? LuaState.FrameAtLevel(th, (int)level) : null;
        if (frame == null) throw L.ArgError(arg + 1, "level out of range");
        return frame;
    }

    /// <summary>Local n of a frame, as luaG_findlocal finds it: the slot and its name, or null.</summary>
    private static string? FindLocal(LuaState L, LuaThread* th, CallFrame* frame, long n, out Value* slot)
    {
        slot = null;
        bool lua = (frame->Flags & FrameFlags.Host) == 0;
        string? name = null;
        if (lua)
        {
            var cl = (LuaClosure*)frame->Func->P;
            if (n < 0)
            {
                // Extra arguments sit below the function slot of a vararg frame.
                if (cl->Proto->IsVararg == 0 || n < -frame->ExtraArgs) return null;
                slot = frame->Func - frame->ExtraArgs - (n + 1);
                return "(vararg)";
            }
            int pc = (int)(frame->Pc - cl->Proto->Code) - 1;
            name = n > 0 ? LuaState.LocalName(L.InfoOf(cl->Proto), (int)n, pc) : null;
        }
        if (name == null)
        {
            // Any other slot the frame uses: up to the top (the current frame), else up to its
            // callee's function slot.
            Value* limit = frame == th->Ci ? th->Top : frame[1].Func;
            if (n <= 0 || limit - (frame->Func + 1) < n) return null;
            name = lua ? "(temporary)" : "(C temporary)";
        }
        slot = frame->Func + n;
        return name;
    }

    private static int GetMetatable(LuaState L, int argc)
    {
        L.CheckAny(1);
        LuaTable* mt = L.GetMetatable(L.Arg(1));
        if (mt == null) L.PushNil(); else L.Push(Value.Table(mt));
        return 1;
    }

    private static int SetMetatable(LuaState L, int argc)
    {
        Value v = L.Arg(1);
        Value mt = L.Arg(2);
        if (mt.Tag != Tag.Nil && mt.Tag != Tag.Table) throw L.TypeError(2, "nil or table");
        LuaTable* m = mt.Tag == Tag.Table ? mt.AsTable : null;
        switch (v.Tag)
        {
            case Tag.Table: v.AsTable->Metatable = m; IndexCache.NoteChange(L.Shared, v.AsTable); if (m != null) L.CheckFinalizer((GcObject*)v.P, m); break;
            case Tag.Userdata: ((Userdata*)v.P)->Metatable = m; if (m != null) L.CheckFinalizer((GcObject*)v.P, m); break;
            case Tag.String: L.StringMetatable = m; break;
            default: L.TypeMetatables[(int)v.Tag] = m; break;
        }
        L.Push(v);
        return 1;
    }

    private static Value* Upvalue(LuaState L, Value f, long n, out string? name)
    {
        name = null;
        if (f.Tag == Tag.LuaFunction)
        {
            var cl = (LuaClosure*)f.P;
            if (n < 1 || n > cl->UpvalueCount) return null;
            FunctionProto info = L.InfoOf(cl->Proto);
            string upName = n - 1 < info.Upvalues.Length ? info.Upvalues[n - 1].Name : "?";
            name = upName.Length == 0 ? "(no name)" : upName;
            return LuaClosure.Upvalues(cl)[n - 1]->V;
        }
        if (f.Tag == Tag.HostFunction)
        {
            var hc = (HostClosure*)f.P;
            if (n < 1 || n > hc->UpvalueCount) return null;
            name = "";
            return HostClosure.Upvalues(hc) + (n - 1);
        }
        return null;
    }

    private static int GetUpvalue(LuaState L, int argc)
    {
        if (!L.Arg(1).IsFunction) throw L.TypeError(1, "function");
        Value* slot = Upvalue(L, L.Arg(1), L.CheckInteger(2), out string? name);
        if (slot == null) return 0;
        L.PushString(name!);
        L.Push(*slot);
        return 2;
    }

    private static int SetUpvalue(LuaState L, int argc)
    {
        if (!L.Arg(1).IsFunction) throw L.TypeError(1, "function");
        L.CheckAny(3);
        Value* slot = Upvalue(L, L.Arg(1), L.CheckInteger(2), out string? name);
        if (slot == null) return 0;
        *slot = L.Arg(3);
        L.PushString(name!);
        return 1;
    }

    private static int UpvalueId(LuaState L, int argc)
    {
        Value f = L.Arg(1);
        long n = L.CheckInteger(2);
        if (f.Tag == Tag.LuaFunction)
        {
            var cl = (LuaClosure*)f.P;
            if (n < 1 || n > cl->UpvalueCount) { L.PushNil(); return 1; }
            L.Push(Value.Object(LuaClosure.Upvalues(cl)[n - 1], Tag.LightUserdata));
            return 1;
        }
        if (f.Tag == Tag.HostFunction)
        {
            var hc = (HostClosure*)f.P;
            if (n < 1 || n > hc->UpvalueCount) { L.PushNil(); return 1; }
            L.Push(Value.Object(HostClosure.Upvalues(hc) + (n - 1), Tag.LightUserdata));
            return 1;
        }
        throw L.TypeError(1, "function");
    }

    private static int UpvalueJoin(LuaState L, int argc)
    {
        Value f1 = L.Arg(1), f2 = L.Arg(3);
        long n1 = L.CheckInteger(2), n2 = L.CheckInteger(4);
        if (f1.Tag != Tag.LuaFunction) throw L.ArgError(1, "Lua function expected");
        if (f2.Tag != Tag.LuaFunction) throw L.ArgError(3, "Lua function expected");
        var c1 = (LuaClosure*)f1.P;
        var c2 = (LuaClosure*)f2.P;
        if (n1 < 1 || n1 > c1->UpvalueCount) throw L.ArgError(2, "invalid upvalue index");
        if (n2 < 1 || n2 > c2->UpvalueCount) throw L.ArgError(4, "invalid upvalue index");
        LuaClosure.Upvalues(c1)[n1 - 1] = LuaClosure.Upvalues(c2)[n2 - 1];
        return 0;
    }

    private static int GetRegistry(LuaState L, int argc)
    {
        L.Push(Value.Table(L.Registry));
        return 1;
    }

    private static int GetUserValue(LuaState L, int argc)
    {
        Value u = L.Arg(1);
        if (u.Tag != Tag.Userdata) { L.PushNil(); L.PushBoolean(false); return 2; }
        L.Push(((Userdata*)u.P)->UserValue);
        L.PushBoolean(true);
        return 2;
    }

    private static int SetUserValue(LuaState L, int argc)
    {
        Value u = L.Arg(1);
        if (u.Tag != Tag.Userdata) throw L.TypeError(1, "userdata");
        L.CheckAny(2);
        ((Userdata*)u.P)->UserValue = L.Arg(2);
        L.Push(u);
        return 1;
    }

    /// <summary>debug.debug(): runs each line of standard input as a chunk ("=(debug
    /// command)"), writing the "lua_debug> " prompt and any error to standard error, until a
    /// line that is "cont" or the end of the input.</summary>
    private static int Debug(LuaState L, int argc)
    {
        for (; ; )
        {
            L.StdOut.Flush();
            L.StdErr.Write("lua_debug> "u8);
            L.StdErr.Flush();
            Value* mark = L.Thread->Top;
            if (!IoLib.ReadStandardInputLine(L)) return 0;
            LuaString* line = L.Thread->Top[-1].AsString;
            L.Thread->Top = mark;
            ReadOnlySpan<byte> text = LuaString.Span(line);
            if (text.SequenceEqual("cont\n"u8)) return 0;
            Value error;
            bool ok;
            try
            {
                Value f = L.LoadChunk(text, "=(debug command)");
                *mark = f;
                L.Thread->Top = mark + 1;
                ok = L.ProtectedCall(mark, 0, 0, out error);
            }
            catch (LuaRuntimeException ex) { ok = false; error = ex.Value; }
            L.Thread->Top = mark;
            if (!ok)
            {
                L.StdErr.Write(LuaString.Span(L.ToStringMeta(error)));
                L.StdErr.Write("\n"u8);
                L.StdErr.Flush();
            }
        }
    }

    /// <summary>debug.setcstacklimit(limit): kept by Lua 5.4 for compatibility and without
    /// effect; returns what lua5.4 returns (its fixed C-call limit, 200).</summary>
    private static int SetCStackLimit(LuaState L, int argc)
    {
        L.CheckInteger(1);
        L.PushInteger(200);
        return 1;
    }

    /// <summary>debug.sethook([thread,] hook, mask [, count]): mask holds 'c', 'r' and 'l' for
    /// call, return and line events; a count above 0 adds a count event every count
    /// instructions. No hook (or an empty mask and no count) turns the thread's hook off.</summary>
    private static int SetHook(LuaState L, int argc)
    {
        LuaThread* th = OptThread(L, out int arg);
        if (L.IsNoneOrNil(arg + 1))
        {
            L.SetHook(th, default, HookMask.None, 0);
            return 0;
        }
        string smask = L.CheckManagedString(arg + 2);
        if (!L.Arg(arg + 1).IsFunction) throw L.TypeError(arg + 1, "function");
        long count = L.OptInteger(arg + 3, 0);
        HookMask mask = HookMask.None;
        if (smask.Contains('c')) mask |= HookMask.Call;
        if (smask.Contains('r')) mask |= HookMask.Return;
        if (smask.Contains('l')) mask |= HookMask.Line;
        L.SetHook(th, L.Arg(arg + 1), mask, (int)Math.Clamp(count, 0, int.MaxValue));
        return 0;
    }

    /// <summary>debug.gethook([thread]): the hook function, its mask and count; fail when the
    /// thread has no hook.</summary>
    private static int GetHook(LuaState L, int argc)
    {
        LuaThread* th = OptThread(L, out _);
        if (th->HookMask == HookMask.None) { L.PushNil(); return 1; }
        L.Push(th->HookFunction);
        string mask = ((th->HookMask & HookMask.Call) != 0 ? "c" : "") + ((th->HookMask & HookMask.Return) != 0 ? "r" : "")
            + ((th->HookMask & HookMask.Line) != 0 ? "l" : "");
        L.PushString(mask);
        L.PushInteger(th->HookBaseCount);
        return 3;
    }

    /// <summary>The thread given as the first argument, else the running one; <paramref
    /// name="arg"/> is the index of the argument before the next ones (1 or 0).</summary>
    private static LuaThread* OptThread(LuaState L, out int arg)
    {
        Value first = L.Arg(1);
        arg = first.Tag == Tag.Thread ? 1 : 0;
        return first.Tag == Tag.Thread ? (LuaThread*)first.P : L.Thread;
    }
}
