namespace Tiered.Interpreter.VM;

/// <summary>Unwinds the C# stack from a yield inside a nested call (a metamethod) back to
/// the resume that runs the coroutine. Lua frames stay in place; see FinishOp.</summary>
internal sealed class LuaYieldException : Exception
{
    public static readonly LuaYieldException Instance = new();
    private LuaYieldException() : base("coroutine yield") { }
}
