using System.Text;
using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Runtime;
using static Tiered.Interpreter.Bytecode.Instruction;

namespace Tiered.Interpreter.VM;

// Names for error messages and tracebacks, recovered from the bytecode as lua5.4 does: which
// instruction last loaded a register tells whether it holds a global, a field, an upvalue, a
// method or a constant ("attempt to call a nil value (global 'f')").
public sealed unsafe partial class LuaState
{
    /// <summary>Name of the n-th (1-based) active local at pc, or null.</summary>
    internal static string? LocalName(FunctionProto fp, int n, int pc)
    {
        foreach (LocalVarDesc v in fp.LocalVars)
        {
            if (v.StartPc > pc) break;
            if (pc < v.EndPc)
            {
                n--;
                if (n == 0) return v.Name;
            }
        }
        return null;
    }

    private static bool SetsA(OpCode op) => op switch
    {
        OpCode.SetTabUp or OpCode.SetTable or OpCode.SetI or OpCode.SetField or OpCode.SetUpval
            or OpCode.Jmp or OpCode.Eq or OpCode.Lt or OpCode.Le or OpCode.EqK or OpCode.EqI
            or OpCode.LtI or OpCode.LeI or OpCode.GtI or OpCode.GeI or OpCode.Test
            or OpCode.Return or OpCode.Return0 or OpCode.Return1 or OpCode.SetList or OpCode.Close
            or OpCode.Tbc or OpCode.ExtraArg or OpCode.VarArgPrep or OpCode.TForPrep or OpCode.TForCall => false,
        _ => true,
    };

    /// <summary>pc of the last instruction before lastpc that changed register reg, or -1.</summary>
    private static int FindSetRegister(FunctionProto fp, int lastpc, int reg)
    {
        int setreg = -1, jmptarget = 0;
        for (int pc = 0; pc < lastpc; pc++)
        {
            uint i = fp.Code[pc];
            OpCode op = Op(i);
            int a = A(i);
            bool change;
            switch (op)
            {
                case OpCode.LoadNil: change = a <= reg && reg <= a + B(i); break;
                case OpCode.TForCall: change = reg >= a + 2; break;
                case OpCode.Call:
                case OpCode.TailCall: change = reg >= a; break;
                case OpCode.Jmp:
                    {
                        int dest = pc + 1 + SJ(i);
                        if (dest <= lastpc && dest > jmptarget) jmptarget = dest;
                        change = false;
                        break;
                    }
                default: change = SetsA(op) && reg == a; break;
            }
            if (change) setreg = pc < jmptarget ? -1 : pc;
        }
        return setreg;
    }

    private static string ConstantString(FunctionProto fp, int index) =>
        index < fp.Constants.Length && fp.Constants[index].Kind == ConstantKind.String
            ? Encoding.UTF8.GetString(fp.Constants[index].String!) : "?";

    /// <summary>Kind ("global", "local", "field", "upvalue", "method", "constant") and name of
    /// what register reg holds at lastpc, or (null, null).</summary>
    internal static (string? kind, string? name) ObjectName(FunctionProto fp, int lastpc, int reg)
    {
        string? local = LocalName(fp, reg + 1, lastpc);
        if (local != null) return ("local", local);
        int pc = FindSetRegister(fp, lastpc, reg);
        if (pc < 0) return (null, null);
        uint i = fp.Code[pc];
        switch (Op(i))
        {
            case OpCode.Move:
                if (B(i) < A(i)) return ObjectName(fp, pc, B(i));
                break;
            case OpCode.GetTabUp:
                {
                    string key = ConstantString(fp, C(i));
                    string upName = B(i) < fp.Upvalues.Length ? fp.Upvalues[B(i)].Name : "?";
                    return (upName == "_ENV" ? "global" : "field", key);
                }
            case OpCode.GetField:
                {
                    string key = ConstantString(fp, C(i));
                    return (IsEnvRegister(fp, pc, B(i)) ? "global" : "field", key);
                }
            case OpCode.GetTable:
                {
                    (string? kk, string? kn) = ObjectName(fp, pc, C(i));
                    string key = kk == "constant" ? kn! : "?";
                    return (IsEnvRegister(fp, pc, B(i)) ? "global" : "field", key);
                }
            case OpCode.GetI: return ("field", "integer index");
            case OpCode.GetUpval:
                return ("upvalue", B(i) < fp.Upvalues.Length ? fp.Upvalues[B(i)].Name : "?");
            case OpCode.LoadK:
                if (fp.Constants[Bx(i)].Kind == ConstantKind.String) return ("constant", ConstantString(fp, Bx(i)));
                break;
            case OpCode.LoadKX:
                {
                    int idx = Ax(fp.Code[pc + 1]);
                    if (fp.Constants[idx].Kind == ConstantKind.String) return ("constant", ConstantString(fp, idx));
                    break;
                }
            case OpCode.Self:
                {
                    string key = K(i) ? ConstantString(fp, C(i)) : "?";
                    return ("method", key);
                }
        }
        return (null, null);
    }

    private static bool IsEnvRegister(FunctionProto fp, int pc, int reg)
    {
        (string? kind, string? name) = ObjectName(fp, pc, reg);
        return (kind == "local" || kind == "upvalue") && name == "_ENV";
    }

    /// <summary>" (kind 'name')" for a value that lives in a register or upvalue of the running
    /// Lua function, else "".</summary>
    internal string VariableInfo(in Value v)
    {
        CallFrame* ci = Thread->Ci;
        if ((ci->Flags & FrameFlags.Host) != 0) return "";
        fixed (Value* addr = &v)
        {
            var cl = (LuaClosure*)ci->Func->P;
            FunctionProto fp = InfoOf(cl->Proto);
            UpVal** uvs = LuaClosure.Upvalues(cl);
            for (int u = 0; u < cl->UpvalueCount; u++)
                if (uvs[u]->V == addr) return $" (upvalue '{(u < fp.Upvalues.Length ? fp.Upvalues[u].Name : "?")}')";
            Value* @base = ci->Func + 1;
            if (addr >= @base && addr < ci->Top)
            {
                int pc = (int)(ci->Pc - cl->Proto->Code) - 1;
                (string? kind, string? name) = ObjectName(fp, pc, (int)(addr - @base));
                if (kind != null) return $" ({kind} '{name}')";
            }
        }
        return "";
    }

    internal string? LocalNameAt(Value* slot)
    {
        CallFrame* ci = Thread->Ci;
        if ((ci->Flags & FrameFlags.Host) != 0) return null;
        var cl = (LuaClosure*)ci->Func->P;
        int pc = (int)(ci->Pc - cl->Proto->Code) - 1;
        return LocalName(InfoOf(cl->Proto), (int)(slot - (ci->Func + 1)) + 1, pc);
    }

    /// <summary>How the function running in frame ci was named by its caller.</summary>
    internal (string? kind, string? name) FunctionNameOf(CallFrame* ci) => FunctionNameOf(Thread, ci);

    /// <summary>How the function running in frame ci of <paramref name="th"/> was named by its caller.</summary>
    internal (string? kind, string? name) FunctionNameOf(LuaThread* th, CallFrame* ci)
    {
        if (ci <= th->Frames || (ci->Flags & FrameFlags.TailCalled) != 0) return (null, null);
        CallFrame* caller = ci - 1;
        if ((caller->Flags & FrameFlags.Hooked) != 0) return ("hook", "?");
        if ((caller->Flags & FrameFlags.Host) != 0) return (null, null);
        var cl = (LuaClosure*)caller->Func->P;
        FunctionProto fp = InfoOf(cl->Proto);
        int pc = (int)(caller->Pc - cl->Proto->Code) - 1;
        if (pc < 0 || pc >= fp.Code.Length) return (null, null);
        uint i = fp.Code[pc];
        switch (Op(i))
        {
            case OpCode.Call:
            case OpCode.TailCall:
                return ObjectName(fp, pc, A(i));
            case OpCode.TForCall: return ("for iterator", "for iterator");
            case OpCode.Self: case OpCode.GetTabUp: case OpCode.GetTable: case OpCode.GetI: case OpCode.GetField:
                return ("metamethod", "index");
            case OpCode.SetTabUp: case OpCode.SetTable: case OpCode.SetI: case OpCode.SetField:
                return ("metamethod", "newindex");
            case OpCode.Unm: return ("metamethod", "unm");
            case OpCode.BNot: return ("metamethod", "bnot");
            case OpCode.Len: return ("metamethod", "len");
            case OpCode.Concat: return ("metamethod", "concat");
            case OpCode.Eq: return ("metamethod", "eq");
            case OpCode.Lt: case OpCode.LtI: case OpCode.GtI: return ("metamethod", "lt");
            case OpCode.Le: case OpCode.LeI: case OpCode.GeI: return ("metamethod", "le");
            case OpCode.Close: case OpCode.Return: return ("metamethod", "close");
            default:
                {
                    OpCode op = Op(i);
                    if (op >= OpCode.AddI && op <= OpCode.Shr)
                    {
                        string[] names = ["add", "sub", "mul", "mod", "pow", "div", "idiv", "band", "bor", "bxor", "shl", "shr"];
                        int idx = op switch
                        {
                            OpCode.AddI => 0,
                            >= OpCode.AddK and <= OpCode.BXorK => op - OpCode.AddK,
                            OpCode.ShrI => 11,
                            OpCode.ShlI => 10,
                            _ => op - OpCode.Add,
                        };
                        return ("metamethod", names[idx]);
                    }
                    return (null, null);
                }
        }
    }

    internal (string? kind, string? name) CurrentFunctionName() => FunctionNameOf(Thread->Ci);

    /// <summary>A traceback like luaL_traceback: "stack traceback:\n\t..." from the given level.</summary>
    public string Traceback(string? message, int level) => Traceback(Thread, message, level);

    /// <summary>The traceback of thread <paramref name="th"/> (a coroutine's from its yield, or
    /// from where an error ended it).</summary>
    public string Traceback(LuaThread* th, string? message, int level)
    {
        var sb = new StringBuilder();
        if (message != null) sb.Append(message).Append('\n');
        sb.Append("stack traceback:");
        // Levels are the frames from the current one down, and for the main thread the host's
        // call of the main chunk below them. A deep stack shows its first 10 and last 11
        // levels, as luaL_traceback does.
        int frames = (int)(th->Ci - th->Frames);
        int last = frames + (th == MainThread ? 1 : 0) - 1;
        int limitToShow = last - level > 21 ? 10 : -1;
        for (int lv = Math.Max(level, 0); lv <= last; lv++)
        {
            if (limitToShow-- == 0)
            {
                int skip = last - lv - 11;
                sb.Append("\n\t...\t(skipping ").Append(skip).Append(" levels)");
                lv += skip;
                continue;
            }
            sb.Append("\n\t");
            if (lv == frames)
            {
                sb.Append("[C]: in ?");   // the host's call of the main chunk
                continue;
            }
            CallFrame* f = th->Ci - lv;
            if ((f->Flags & FrameFlags.Host) != 0)
            {
                var hc = (HostClosure*)f->Func->P;
                string hn = f->Func->Tag == Tag.HostFunction ? HostFunctions[hc->FunctionIndex].Name : "?";
                sb.Append("[C]: in function '").Append(hn).Append('\'');
                continue;
            }
            var cl = (LuaClosure*)f->Func->P;
            FunctionProto fp = InfoOf(cl->Proto);
            sb.Append(Syntax.ChunkName.Display(fp.Source)).Append(':').Append(CurrentLine(f)).Append(": in ");
            (string? kind, string? name) = FunctionNameOf(th, f);
            if (fp.LineDefined == 0) sb.Append("main chunk");
            else if (kind != null && kind != "for iterator") sb.Append(kind == "global" ? "function '" : kind + " '").Append(name).Append('\'');
            else sb.Append("function <").Append(Syntax.ChunkName.Display(fp.Source)).Append(':').Append(fp.LineDefined).Append('>');
            if ((f->Flags & FrameFlags.TailCalled) != 0) sb.Append("\n\t(...tail calls...)");
        }
        return sb.ToString();
    }
}
