using System.Runtime.CompilerServices;
using System.Text;
using Tiered.Interpreter.Runtime;

namespace Tiered.Interpreter.VM;

// The API that host functions (the standard library and embedders) use. Modelled on Lua's C
// API but with 1-based argument numbers and Values instead of stack indices:
//   Arg(i) reads argument i (nil past the end), CheckX(i) converts or raises Lua's
//   "bad argument" errors, PushX pushes results, and a host function returns how many it pushed.
// Raw pointers obtained here stay valid until the next safepoint (a call back into Lua);
// anything that must survive a call must be on the stack.
public sealed unsafe partial class LuaState
{
    public static string TypeName(Tag t) => t switch
    {
        Tag.Nil => "nil",
        Tag.Boolean => "boolean",
        Tag.Integer or Tag.Float => "number",
        Tag.String => "string",
        Tag.Table => "table",
        Tag.LuaFunction or Tag.HostFunction => "function",
        Tag.Userdata or Tag.LightUserdata => "userdata",
        Tag.Thread => "thread",
        _ => "no value",
    };

    /// <summary>Type name for messages: __name of the metatable when it is a string.</summary>
    public string TypeNameForMessage(in Value v)
    {
        LuaTable* mt = GetMetatable(v);
        if (mt != null)
        {
            Value* name = TableOps.GetShortString(mt, MetaNames[(int)MetaEvent.Name]);
            if (name->Tag == Tag.String) return LuaString.ToManaged(name->AsString);
        }
        if (v.Tag == Tag.LightUserdata) return "light userdata";
        return TypeName(v.Tag);
    }

    // ------------------------------------------------------------------ arguments

    public int ArgCount => Thread->Ci->ExtraArgs;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Value Arg(int i)
    {
        CallFrame* ci = Thread->Ci;
        return i <= ci->ExtraArgs ? ci->Func[i] : default;
    }

    /// <summary>Pointer to argument i (must be present: i &lt;= ArgCount).</summary>
    public Value* ArgSlot(int i) => Thread->Ci->Func + i;

    public bool IsNoneOrNil(int i) => i > ArgCount || Arg(i).Tag == Tag.Nil;

    public LuaRuntimeException ArgError(int arg, string message)
    {
        (string? kind, string? name) = CurrentFunctionName();
        if (kind == "method")
        {
            arg--;
            if (arg == 0) return RuntimeError($"calling '{name}' on bad self ({message})");
        }
        name ??= GlobalFunctionName() ?? "?";
        return RuntimeError($"bad argument #{arg} to '{name}' ({message})");
    }

    public LuaRuntimeException TypeError(int arg, string expected)
    {
        string got = arg > ArgCount ? "no value" : TypeNameForMessage(Arg(arg));
        return ArgError(arg, $"{expected} expected, got {got}");
    }

    public void CheckAny(int arg)
    {
        if (arg > ArgCount) throw ArgError(arg, "value expected");
    }

    public void CheckType(int arg, Tag tag)
    {
        if (Arg(arg).Tag != tag) throw TypeError(arg, TypeName(tag));
    }

    public LuaTable* CheckTable(int arg)
    {
        Value v = Arg(arg);
        if (v.Tag != Tag.Table) throw TypeError(arg, "table");
        return v.AsTable;
    }

    public long CheckInteger(int arg)
    {
        Value v = Arg(arg);
        if (v.Tag == Tag.Integer) return v.I;
        if (TryToInteger(v, out long i)) return i;
        if (ToNumber(v, out _)) throw ArgError(arg, "number has no integer representation");
        throw TypeError(arg, "number");
    }

    public long OptInteger(int arg, long def) => IsNoneOrNil(arg) ? def : CheckInteger(arg);

    public double CheckNumber(int arg)
    {
        Value v = Arg(arg);
        if (v.Tag == Tag.Float) return v.D;
        if (v.Tag == Tag.Integer) return v.I;
        if (ToNumber(v, out Value n)) return n.Tag == Tag.Integer ? n.I : n.D;
        throw TypeError(arg, "number");
    }

    /// <summary>Number argument keeping its subtype (strings are converted).</summary>
    public Value CheckNumberValue(int arg)
    {
        Value v = Arg(arg);
        if (v.IsNumber) return v;
        if (ToNumber(v, out Value n)) return n;
        throw TypeError(arg, "number");
    }

    public double OptNumber(int arg, double def) => IsNoneOrNil(arg) ? def : CheckNumber(arg);

    /// <summary>String argument; numbers are converted in place, as lua_tolstring does.</summary>
    public LuaString* CheckString(int arg)
    {
        if (arg > ArgCount) throw TypeError(arg, "string");
        Value* slot = ArgSlot(arg);
        if (slot->Tag == Tag.String) return slot->AsString;
        if (slot->IsNumber)
        {
            LuaString* s = NumberToString(*slot);
            *slot = Value.Str(s);
            return s;
        }
        throw TypeError(arg, "string");
    }

    public ReadOnlySpan<byte> CheckBytes(int arg) => LuaString.Span(CheckString(arg));

    public string CheckManagedString(int arg) => LuaString.ToManaged(CheckString(arg));

    public LuaString* OptString(int arg, string def) => IsNoneOrNil(arg) ? NewString(def) : CheckString(arg);

    public bool ToBoolean(int arg) => Arg(arg).IsTruthy;

    /// <summary>Index into options, like luaL_checkoption.</summary>
    public int CheckOption(int arg, string? def, string[] options)
    {
        string name = def != null && IsNoneOrNil(arg) ? def : CheckManagedString(arg);
        int i = Array.IndexOf(options, name);
        if (i < 0) throw ArgError(arg, $"invalid option '{name}'");
        return i;
    }

    // ------------------------------------------------------------------ conversions

    public static bool ToNumber(in Value v, out Value n)
    {
        if (v.IsNumber) { n = v; return true; }
        if (v.Tag == Tag.String && Numbers.TryParse(LuaString.Span(v.AsString), out n)) return true;
        n = default;
        return false;
    }

    /// <summary>Integer conversion as lua_tointeger: floats only when integral, strings parsed.</summary>
    public static bool TryToInteger(in Value v, out long i)
    {
        switch (v.Tag)
        {
            case Tag.Integer: i = v.I; return true;
            case Tag.Float: return Numbers.FloatToInteger(v.D, out i);
            case Tag.String:
                if (Numbers.TryParse(LuaString.Span(v.AsString), out Value n)) return TryToInteger(n, out i);
                break;
        }
        i = 0;
        return false;
    }

    public LuaString* NumberToString(in Value v)
    {
        if (v.Tag != Tag.Integer) return NewString(Numbers.FloatToString(v.D));
        Span<byte> digits = stackalloc byte[Numbers.MaxIntegerLength];
        return NewString(digits[..Numbers.WriteInteger(v.I, digits)]);
    }

    // ------------------------------------------------------------------ pushing results

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(in Value v)
    {
        LuaThread* th = Thread;
        if (th->Top >= th->Ci->Top) GrowHostFrame(1);
        *th->Top++ = v;
    }

    public void PushNil() => Push(default);
    public void PushBoolean(bool b) => Push(Value.Bool(b));
    public void PushInteger(long i) => Push(Value.Int(i));
    public void PushNumber(double d) => Push(Value.Float(d));
    public void PushString(string s) => Push(Value.Str(NewString(s)));
    public void PushString(ReadOnlySpan<byte> s) => Push(Value.Str(NewString(s)));
    public void PushTable(LuaTable* t) => Push(Value.Table(t));

    /// <summary>Makes room for <paramref name="n"/> more pushes in the current host frame.</summary>
    public void CheckStack(int n)
    {
        if (Thread->Top + n > Thread->Ci->Top) GrowHostFrame(n);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowHostFrame(int n)
    {
        LuaThread* th = Thread;
        Value* newTop = th->Top + n + 20;
        if (newTop > th->StackLimit) throw RuntimeError("stack overflow");
        th->Ci->Top = newTop;
        if (newTop > th->HighWater) th->HighWater = newTop;
    }

    public Value* Top { get => Thread->Top; set => Thread->Top = value; }

    /// <summary>Value at stack position relative to the top: -1 is the last pushed.</summary>
    public Value Peek(int fromTop = -1) => Thread->Top[fromTop];

    public void Pop(int n = 1) => Thread->Top -= n;

    public LuaTable* NewTable(int arraySize = 0, int hashSize = 0) => TableOps.New(this, arraySize, hashSize);

    /// <summary>The upvalues of the running host closure.</summary>
    public Value* HostUpvalues
    {
        get
        {
            Value f = *Thread->Ci->Func;
            return HostClosure.Upvalues((HostClosure*)f.P);
        }
    }

    // ------------------------------------------------------------------ errors

    /// <summary>A Lua error "where: message", where names the Lua code that is running
    /// (for host functions: the Lua function that called them).</summary>
    public LuaRuntimeException RuntimeError(string message)
    {
        string where = (Thread->Ci->Flags & FrameFlags.Host) != 0 ? Where(1) : Where(0);
        return new LuaRuntimeException(this, Value.Str(NewString(where + message)));
    }

    /// <summary>An error raised by the VM itself (luaG_runerror): positioned only when the
    /// running function is Lua code; from inside a host function it carries no position.</summary>
    public LuaRuntimeException VmError(string message)
    {
        string where = (Thread->Ci->Flags & FrameFlags.Host) != 0 ? "" : Where(0);
        return new LuaRuntimeException(this, Value.Str(NewString(where + message)));
    }

    /// <summary>An error with any value (error() of a non-string does not add a position).</summary>
    public LuaRuntimeException ErrorValue(in Value v) => new(this, v);

    /// <summary>"chunk:line: " of the function at a call level (0 = the running function,
    /// 1 = its caller, as luaL_where counts), or "" when that is not Lua code.</summary>
    public string Where(int level)
    {
        CallFrame* f = FrameAtLevel(level);
        if (f == null || (f->Flags & FrameFlags.Host) != 0) return "";
        int line = CurrentLine(f);
        if (line < 0) return "";
        return ChunkDisplayName(f) + ":" + line + ": ";
    }

    /// <summary>Frame at a call level: 0 = current frame, 1 = its caller, ...</summary>
    internal CallFrame* FrameAtLevel(int level) => FrameAtLevel(Thread, level);

    /// <summary>Frame at a call level of <paramref name="th"/>: 0 = its current frame (in a
    /// suspended coroutine, the yield).</summary>
    internal static CallFrame* FrameAtLevel(LuaThread* th, int level)
    {
        CallFrame* ci = th->Ci;
        for (; level > 0 && ci > th->Frames; level--) ci--;
        if (level > 0 || ci == th->Frames) return null;
        return ci;
    }

    internal int CurrentLine(CallFrame* f)
    {
        if ((f->Flags & FrameFlags.Host) != 0) return -1;
        var cl = (LuaClosure*)f->Func->P;
        Proto* p = cl->Proto;
        int pc = (int)(f->Pc - p->Code) - 1;
        var info = InfoOf(p);
        if (pc < 0) pc = 0;
        if (pc >= info.LineInfo.Length) return info.LineInfo.Length > 0 ? info.LineInfo[^1] : -1;
        return info.LineInfo[pc];
    }

    internal string ChunkDisplayName(CallFrame* f)
    {
        var cl = (LuaClosure*)f->Func->P;
        return Syntax.ChunkName.Display(InfoOf(cl->Proto).Source);
    }

    /// <summary>Name of a global function (searching package.loaded), as luaL_argerror falls back to.</summary>
    private string? GlobalFunctionName()
    {
        Value f = *Thread->Ci->Func;
        Value* loadedSlot = TableOps.GetShortString(Registry, NewString("_LOADED"));
        if (loadedSlot->Tag != Tag.Table) return null;
        LuaTable* loaded = loadedSlot->AsTable;
        Value k = default;
        while (TableOps.Next(this, loaded, ref k, out Value mod))
        {
            if (mod.Tag != Tag.Table || k.Tag != Tag.String) continue;
            Value fk = default;
            while (TableOps.Next(this, mod.AsTable, ref fk, out Value fv))
            {
                if (fk.Tag == Tag.String && fv.Tag == f.Tag && fv.P == f.P)
                {
                    string modName = LuaString.ToManaged(k.AsString);
                    string fn = LuaString.ToManaged(fk.AsString);
                    return modName == "_G" ? fn : modName + "." + fn;
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ output

    public void WriteOut(ReadOnlySpan<byte> bytes) => StdOut.Write(bytes);
    public void WriteOut(string s) => StdOut.Write(Encoding.UTF8.GetBytes(s));
}
