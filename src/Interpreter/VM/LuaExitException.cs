namespace Tiered.Interpreter.VM;

/// <summary>Thrown by os.exit: unwinds to the host, which decides what exiting means
/// (the CLI ends the process; an embedding host just stops the script).</summary>
public sealed class LuaExitException(int code, bool close = false) : Exception($"script called os.exit({code})")
{
    public int Code { get; } = code;
    /// <summary>os.exit's second argument: close the state (run pending finalizers) first.</summary>
    public bool Close { get; } = close;
}
