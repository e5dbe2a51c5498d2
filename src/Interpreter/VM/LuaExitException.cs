namespace Tiered.Interpreter.VM;

/// <summary>Thrown by os.exit: unwinds to the host, which decides what exiting means
/// (the CLI ends the process; an embedding host just stops the script).</summary>
public sealed class LuaExitException(int code) : Exception($"script called os.exit({code})")
{
    public int Code { get; } = code;
}
