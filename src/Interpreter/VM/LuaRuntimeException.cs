using Tiered.Interpreter.Runtime;

namespace Tiered.Interpreter.VM;

/// <summary>
/// A Lua error in flight. The error value itself is kept rooted in the raising thread's
/// <see cref="LuaThread.ErrorValue"/> slot; this exception carries a copy and a text form
/// for hosts. Caught by pcall/xpcall in the interpreter, or by the embedding API.
/// </summary>
public sealed unsafe class LuaRuntimeException : Exception
{
    internal readonly Value Value;
    /// <summary>Lua traceback captured when the error reached the host (may be null).</summary>
    public string? LuaTraceback { get; internal set; }

    internal LuaRuntimeException(LuaState L, Value value) : base(Describe(value))
    {
        Value = value;
        L.Thread->ErrorValue = value;
    }

    private static string Describe(in Value v)
    {
        switch (v.Tag)
        {
            case Tag.String: return LuaString.ToManaged(v.AsString);
            case Tag.Integer: return Numbers.IntegerToString(v.I);
            case Tag.Float: return Numbers.FloatToString(v.D);
            case Tag.Nil: return "nil";
            default: return $"(error object is a {LuaState.TypeName(v.Tag)} value)";
        }
    }
}
