using System.Text;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using static Tiered.Interpreter.Lib.LibraryHelpers;

namespace Tiered.Interpreter.Lib;

/// <summary>The basic library (Lua 5.4 manual §6.1).</summary>
public static unsafe class BaseLib
{
    public static void Open(LuaState L)
    {
        LuaTable* g = L.Globals;
        SetValue(L, g, "_G", Value.Table(g));
        SetValue(L, g, "_VERSION", L.StringValue("Lua 5.4"));
        SetValue(L, Loaded(L), "_G", Value.Table(g));
        SetFunction(L, g, "print", Print);
        SetFunction(L, g, "type", Type);
        SetFunction(L, g, "tostring", ToString);
        SetFunction(L, g, "tonumber", ToNumber);
        SetFunction(L, g, "rawequal", RawEqual);
        SetFunction(L, g, "rawlen", RawLen);
        SetFunction(L, g, "rawget", RawGet);
        SetFunction(L, g, "rawset", RawSet);
        SetFunction(L, g, "setmetatable", SetMetatable);
        SetFunction(L, g, "getmetatable", GetMetatable);
        SetFunction(L, g, "assert", Assert);
        SetFunction(L, g, "error", Error);
        SetFunction(L, g, "next", Next);
        SetFunction(L, g, "select", Select);
        SetFunction(L, g, "collectgarbage", CollectGarbage);
        SetFunction(L, g, "load", Load);
        SetFunction(L, g, "loadfile", LoadFile);
        SetFunction(L, g, "dofile", DoFile);
        SetFunction(L, g, "warn", Warn);

        Value next = *TableOps.Get(g, L.StringValue("next"));
        ((HostClosure*)next.P)->Intrinsic = HostIntrinsic.Next;
        int pairsIndex = L.RegisterHostFunction(Pairs, "pairs");
        HostClosure* pairs = L.NewHostClosure(pairsIndex, 1);
        HostClosure.Upvalues(pairs)[0] = next;
        SetValue(L, g, "pairs", Value.Object(pairs, Tag.HostFunction));
        int ipairsAux = L.RegisterHostFunction(IpairsAux, "ipairs_aux");
        int ipairsIndex = L.RegisterHostFunction(Ipairs, "ipairs");
        HostClosure* ipairs = L.NewHostClosure(ipairsIndex, 1);
        HostClosure* aux = L.NewHostClosure(ipairsAux, 0);
        aux->Intrinsic = HostIntrinsic.IpairsAux;
        HostClosure.Upvalues(ipairs)[0] = Value.Object(aux, Tag.HostFunction);
        SetValue(L, g, "ipairs", Value.Object(ipairs, Tag.HostFunction));

        L.PcallIndex = L.RegisterHostFunction(Unreachable, "pcall");
        L.XpcallIndex = L.RegisterHostFunction(Unreachable, "xpcall");
        SetValue(L, g, "pcall", Value.Object(L.NewHostClosure(L.PcallIndex, 0), Tag.HostFunction));
        SetValue(L, g, "xpcall", Value.Object(L.NewHostClosure(L.XpcallIndex, 0), Tag.HostFunction));
    }

    // pcall and xpcall are run by the interpreter itself (see LuaState.Calls.cs).
    private static int Unreachable(LuaState L, int argc) => throw L.RuntimeError("internal error: pcall dispatched as a host function");

    private static int Print(LuaState L, int argc)
    {
        for (int i = 1; i <= argc; i++)
        {
            if (i > 1) L.StdOut.WriteByte((byte)'\t');
            LuaString* s = L.ToStringMeta(L.Arg(i));
            L.StdOut.Write(LuaString.Span(s));
        }
        L.StdOut.WriteByte((byte)'\n');
        return 0;
    }

    private static int Type(LuaState L, int argc)
    {
        L.CheckAny(1);
        L.PushString(TypeNameBytes(L.Arg(1).Tag));
        return 1;
    }

    /// <summary>LuaState.TypeName as bytes, so type() interns without converting from UTF-16.</summary>
    private static ReadOnlySpan<byte> TypeNameBytes(Tag t) => t switch
    {
        Tag.Nil => "nil"u8,
        Tag.Boolean => "boolean"u8,
        Tag.Integer or Tag.Float => "number"u8,
        Tag.String => "string"u8,
        Tag.Table => "table"u8,
        Tag.LuaFunction or Tag.HostFunction => "function"u8,
        Tag.Userdata or Tag.LightUserdata => "userdata"u8,
        Tag.Thread => "thread"u8,
        _ => "no value"u8,
    };

    private static int ToString(LuaState L, int argc)
    {
        L.CheckAny(1);
        L.Push(Value.Str(L.ToStringMeta(L.Arg(1))));
        return 1;
    }

    private static int ToNumber(LuaState L, int argc)
    {
        if (L.IsNoneOrNil(2))
        {
            Value v = L.Arg(1);
            if (v.IsNumber) { L.Push(v); return 1; }
            if (v.Tag == Tag.String && Numbers.TryParse(LuaString.Span(v.AsString), out Value n)) { L.Push(n); return 1; }
            L.CheckAny(1);
            L.PushNil();
            return 1;
        }
        long @base = L.CheckInteger(2);
        L.CheckType(1, Tag.String);
        ReadOnlySpan<byte> s = LuaString.Span(L.Arg(1).AsString);
        if (@base < 2 || @base > 36) throw L.ArgError(2, "base out of range");
        int i = 0;
        while (i < s.Length && IsSpace(s[i])) i++;
        bool neg = false;
        if (i < s.Length && s[i] == '-') { neg = true; i++; }
        else if (i < s.Length && s[i] == '+') i++;
        ulong acc = 0;
        int digits = 0;
        for (; i < s.Length; i++)
        {
            byte c = s[i];
            int d = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? (c | 0x20) - 'a' + 10 : 99;
            if (d >= @base) break;
            acc = unchecked(acc * (ulong)@base + (ulong)d);
            digits++;
        }
        while (i < s.Length && IsSpace(s[i])) i++;
        if (digits == 0 || i != s.Length) { L.PushNil(); return 1; }
        L.PushInteger(neg ? unchecked((long)(0 - acc)) : (long)acc);
        return 1;
    }

    private static bool IsSpace(byte c) => c == ' ' || (c >= '\t' && c <= '\r');

    private static int RawEqual(LuaState L, int argc)
    {
        L.CheckAny(1);
        L.CheckAny(2);
        L.PushBoolean(Value.RawEquals(L.Arg(1), L.Arg(2)));
        return 1;
    }

    private static int RawLen(LuaState L, int argc)
    {
        Value v = L.Arg(1);
        if (v.Tag == Tag.Table) L.PushInteger(TableOps.Length(v.AsTable));
        else if (v.Tag == Tag.String) L.PushInteger(v.AsString->Length);
        else throw L.TypeError(1, "table or string");
        return 1;
    }

    private static int RawGet(LuaState L, int argc)
    {
        LuaTable* t = L.CheckTable(1);
        L.CheckAny(2);
        L.Push(L.RawGet(t, L.Arg(2)));
        return 1;
    }

    private static int RawSet(LuaState L, int argc)
    {
        LuaTable* t = L.CheckTable(1);
        L.CheckAny(2);
        L.CheckAny(3);
        L.RawSet(t, L.Arg(2), L.Arg(3));
        L.Push(L.Arg(1));
        return 1;
    }

    private static int SetMetatable(LuaState L, int argc)
    {
        LuaTable* t = L.CheckTable(1);
        Value mt = L.Arg(2);
        if (argc < 2 || (mt.Tag != Tag.Nil && mt.Tag != Tag.Table)) throw L.TypeError(2, "nil or table");
        if (t->Metatable != null && TableOps.GetShortString(t->Metatable, L.MetaNames[(int)MetaEvent.Metatable])->Tag != Tag.Nil)
            throw L.RuntimeError("cannot change a protected metatable");
        t->Metatable = mt.Tag == Tag.Table ? mt.AsTable : null;
        IndexCache.NoteChange(L.Shared, t);
        if (t->Metatable != null) L.CheckFinalizer((GcObject*)t, t->Metatable);
        L.Push(L.Arg(1));
        return 1;
    }

    private static int GetMetatable(LuaState L, int argc)
    {
        L.CheckAny(1);
        LuaTable* mt = L.GetMetatable(L.Arg(1));
        if (mt == null) { L.PushNil(); return 1; }
        Value* protectedMt = TableOps.GetShortString(mt, L.MetaNames[(int)MetaEvent.Metatable]);
        L.Push(protectedMt->Tag != Tag.Nil ? *protectedMt : Value.Table(mt));
        return 1;
    }

    private static int Assert(LuaState L, int argc)
    {
        if (L.Arg(1).IsTruthy) return argc;   // the arguments are the results
        L.CheckAny(1);
        // As error(message, 1): a string message gets the caller's position.
        Value msg = argc >= 2 ? L.Arg(2) : L.StringValue("assertion failed!");
        throw L.ErrorValue(WithPosition(L, msg, 1));
    }

    private static int Error(LuaState L, int argc)
    {
        long level = L.OptInteger(2, 1);
        throw L.ErrorValue(WithPosition(L, L.Arg(1), level));
    }

    /// <summary>A string message prefixed with "chunk:line: " of the given call level.</summary>
    private static Value WithPosition(LuaState L, Value msg, long level)
    {
        if (msg.Tag != Tag.String || level <= 0) return msg;
        string where = L.Where((int)level);
        if (where.Length == 0) return msg;
        byte[] prefix = Encoding.UTF8.GetBytes(where);
        ReadOnlySpan<byte> m = LuaString.Span(msg.AsString);
        var buf = new byte[prefix.Length + m.Length];
        prefix.CopyTo(buf, 0);
        m.CopyTo(buf.AsSpan(prefix.Length));
        return L.StringValue(buf);
    }

    private static int Next(LuaState L, int argc)
    {
        LuaTable* t = L.CheckTable(1);
        Value key = L.Arg(2);
        if (TableOps.Next(L, t, ref key, out Value val))
        {
            L.Push(key);
            L.Push(val);
            return 2;
        }
        L.PushNil();
        return 1;
    }

    private static int Pairs(LuaState L, int argc)
    {
        L.CheckAny(1);
        Value obj = L.Arg(1);
        Value* tm = L.MetaOf(obj, MetaEvent.Pairs);
        if (tm->Tag == Tag.Nil)
        {
            L.Push(L.HostUpvalues[0]);
            L.Push(obj);
            L.PushNil();
            return 3;
        }
        Value* func = L.Top;
        L.Push(*tm);
        L.Push(obj);
        L.Call(func, 1, 3);
        return 3;
    }

    private static int Ipairs(LuaState L, int argc)
    {
        L.CheckAny(1);
        L.Push(L.HostUpvalues[0]);
        L.Push(L.Arg(1));
        L.PushInteger(0);
        return 3;
    }

    private static int IpairsAux(LuaState L, int argc)
    {
        long i = L.CheckInteger(2) + 1;
        Value t = L.Arg(1);
        Value v;
        if (t.Tag == Tag.Table)
        {
            v = *TableOps.GetInt(t.AsTable, i);
            if (v.Tag == Tag.Nil && t.AsTable->Metatable != null) v = L.Index(t, Value.Int(i));
        }
        else v = L.Index(t, Value.Int(i));
        if (v.Tag == Tag.Nil) { L.PushNil(); return 1; }
        L.PushInteger(i);
        L.Push(v);
        return 2;
    }

    private static int Select(LuaState L, int argc)
    {
        Value n = L.Arg(1);
        if (n.Tag == Tag.String && LuaString.Span(n.AsString).SequenceEqual("#"u8))
        {
            L.PushInteger(argc - 1);
            return 1;
        }
        long i = L.CheckInteger(1);
        if (i < 0) i = argc + i;
        else if (i > argc - 1) i = argc - 1 + 1;
        if (i < 1) throw L.ArgError(1, "index out of range");
        // Results are the arguments from i+1 on: they are already on the stack below the top.
        return (int)(argc - i);
    }

    private static readonly string[] GcOptions =
        ["stop", "restart", "collect", "count", "step", "setpause", "setstepmul", "isrunning", "generational", "incremental"];

    private static string gcMode = "incremental";

    private static int CollectGarbage(LuaState L, int argc)
    {
        int opt = L.CheckOption(1, "collect", GcOptions);
        switch (GcOptions[opt])
        {
            case "stop": L.GcIsRunning = false; L.PushInteger(0); return 1;
            case "restart": L.GcIsRunning = true; L.PushInteger(0); return 1;
            case "collect": L.FullCollect(); L.PushInteger(0); return 1;
            case "count": L.PushNumber(L.BytesAllocated / 1024.0); return 1;
            case "step": L.FullCollect(); L.PushBoolean(true); return 1;
            case "setpause": L.PushInteger(200); return 1;
            case "setstepmul": L.PushInteger(100); return 1;
            case "isrunning": L.PushBoolean(L.GcIsRunning); return 1;
            default:
                {
                    string previous = gcMode;
                    gcMode = GcOptions[opt];
                    L.PushString(previous);
                    return 1;
                }
        }
    }

    private static int Load(LuaState L, int argc)
    {
        Value chunk = L.Arg(1);
        string mode = L.IsNoneOrNil(3) ? "bt" : L.CheckManagedString(3);
        Value? env = argc >= 4 ? L.Arg(4) : null;
        byte[] source;
        string chunkName;
        if (chunk.Tag == Tag.String)
        {
            source = LuaString.Span(chunk.AsString).ToArray();
            chunkName = L.IsNoneOrNil(2) ? Encoding.Latin1.GetString(source) : L.CheckManagedString(2);
        }
        else
        {
            if (!chunk.IsFunction) throw L.TypeError(1, "function");
            chunkName = L.IsNoneOrNil(2) ? "=(load)" : L.CheckManagedString(2);
            var ms = new MemoryStream();
            for (; ; )
            {
                Value* func = L.Top;
                L.Push(chunk);
                if (!L.ProtectedCall(func, 0, 1, out Value readerError))
                {
                    // An error in the reader makes load fail, like a syntax error.
                    L.PushNil();
                    L.Push(readerError);
                    return 2;
                }
                Value piece = *func;
                L.Top = func;
                if (piece.Tag == Tag.Nil) break;
                if (piece.Tag != Tag.String)
                {
                    L.PushNil();
                    L.PushString(L.Where(1) + "reader function must return a string");
                    return 2;
                }
                if (piece.AsString->Length == 0) break;
                ms.Write(LuaString.Span(piece.AsString));
            }
            source = ms.ToArray();
        }
        try
        {
            L.Push(L.LoadChunk(source, chunkName, mode, env));
            return 1;
        }
        catch (LuaRuntimeException ex)
        {
            L.PushNil();
            L.Push(ex.Value);
            return 2;
        }
    }

    internal static bool TryReadFile(string path, out byte[] bytes, out string error)
    {
        try
        {
            bytes = File.ReadAllBytes(path);
            error = "";
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            bytes = [];
            error = ex is FileNotFoundException or DirectoryNotFoundException ? "No such file or directory"
                : ex is UnauthorizedAccessException ? "Permission denied" : ex.Message;
            return false;
        }
    }

    private static int LoadFile(LuaState L, int argc)
    {
        string mode = L.IsNoneOrNil(2) ? "bt" : L.CheckManagedString(2);
        Value? env = argc >= 3 ? L.Arg(3) : null;
        try
        {
            L.Push(LoadFileChunk(L, L.IsNoneOrNil(1) ? null : L.CheckManagedString(1), mode, env));
            return 1;
        }
        catch (LuaRuntimeException ex)
        {
            L.PushNil();
            L.Push(ex.Value);
            return 2;
        }
    }

    internal static Value LoadFileChunk(LuaState L, string? path, string mode, Value? env)
    {
        byte[] bytes;
        string chunkName;
        if (path == null)
        {
            var ms = new MemoryStream();
            L.StdIn.CopyTo(ms);
            bytes = ms.ToArray();
            chunkName = "=stdin";
        }
        else
        {
            if (!TryReadFile(path, out bytes, out string err))
                throw L.ErrorValue(L.StringValue($"cannot open {path}: {err}"));
            chunkName = "@" + path;
        }
        return L.LoadChunk(bytes, chunkName, mode, env, skipShebang: true);
    }

    private static int DoFile(LuaState L, int argc)
    {
        string? path = L.IsNoneOrNil(1) ? null : L.CheckManagedString(1);
        Value f = LoadFileChunk(L, path, "bt", null);
        Value* func = L.Top;
        L.Push(f);
        L.Call(func, 0, -1);
        return (int)(L.Top - func);
    }

    private static bool warningsOn;

    private static int Warn(LuaState L, int argc)
    {
        L.CheckString(1);
        for (int i = 2; i <= argc; i++) L.CheckString(i);
        var sb = new StringBuilder();
        for (int i = 1; i <= argc; i++) sb.Append(LuaString.ToManaged(L.Arg(i).AsString));
        string msg = sb.ToString();
        if (argc == 1 && msg.StartsWith('@'))
        {
            if (msg == "@on") warningsOn = true;
            else if (msg == "@off") warningsOn = false;
            return 0;
        }
        if (warningsOn)
        {
            L.StdOut.Flush();
            var bytes = Encoding.UTF8.GetBytes("Lua warning: " + msg + "\n");
            L.StdErr.Write(bytes);
            L.StdErr.Flush();
        }
        return 0;
    }
}
