using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Compiler;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.Syntax;

namespace Tiered.Interpreter.VM;

public sealed unsafe partial class LuaState
{
    /// <summary>Called with every chunk the state loads (the native tier and cache hook here).</summary>
    public Action<LuaState, nint, FunctionProto>? ChunkLoaded;

    /// <summary>Compiles a text chunk into a closure whose _ENV is <paramref name="env"/>
    /// (the globals when null). Syntax errors and binary chunks become Lua errors.</summary>
    public Value LoadChunk(ReadOnlySpan<byte> source, string chunkSource, string mode = "bt", Value? env = null, bool skipShebang = false)
    {
        if (source.Length > 0 && source[0] == 0x1B)
        {
            if (!mode.Contains('b'))
                throw new LuaRuntimeException(this, StringValue($"attempt to load a binary chunk (mode is '{mode}')"));
            throw new LuaRuntimeException(this, StringValue("binary chunks are not supported by this engine"));
        }
        if (!mode.Contains('t'))
            throw new LuaRuntimeException(this, StringValue($"attempt to load a text chunk (mode is '{mode}')"));
        FunctionProto fp;
        try
        {
            fp = LuaCompiler.Compile(source.ToArray(), chunkSource, skipShebang);
        }
        catch (LuaSyntaxException ex)
        {
            throw new LuaRuntimeException(this, Value.Str(NewString(ex.MessageBytes)));
        }
        Proto* p = LoadProto(fp);
        LuaClosure* cl = NewLuaClosure(p);
        if (p->UpvalueCount > 0)
            LuaClosure.Upvalues(cl)[0] = NewClosedUpval(env ?? Value.Table(Globals));
        for (int i = 1; i < p->UpvalueCount; i++) LuaClosure.Upvalues(cl)[i] = NewClosedUpval(default);
        ChunkLoaded?.Invoke(this, (nint)p, fp);
        return Value.Object(cl, Tag.LuaFunction);
    }

    /// <summary>Calls a function from the host with arguments; returns its results.
    /// Errors propagate as <see cref="LuaRuntimeException"/> with a traceback.</summary>
    public Value[] CallFunction(in Value f, params Value[] args)
    {
        LuaThread* th = Thread;
        Value* saveTop = th->Top;
        CallFrame* saveCi = th->Ci;
        Value* func = th->Top;
        if (func + args.Length + 2 > th->StackLimit) throw RuntimeError("stack overflow");
        func[0] = f;
        for (int j = 0; j < args.Length; j++) func[1 + j] = args[j];
        try
        {
            Call(func, args.Length, -1);
            int n = (int)(th->Top - func);
            var results = new Value[n];
            for (int j = 0; j < n; j++) results[j] = func[j];
            return results;
        }
        catch (LuaRuntimeException ex)
        {
            ex.LuaTraceback ??= Traceback(null, 0);
            throw;
        }
        finally
        {
            // Unwind whatever the error left behind.
            CloseUpvalues(func);
            while (th->TbcCount > 0 && th->Tbc[th->TbcCount - 1] >= func) th->TbcCount--;
            th->Ci = saveCi;
            th->Top = saveTop;
        }
    }
}
