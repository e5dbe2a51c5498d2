using Tiered.Interpreter.Runtime;

namespace Tiered.Interpreter.VM;

/// <summary>What native code returns to the interpreter. At every exit the frame is the
/// truth: live registers are in their stack slots and the frame's pc is exact.</summary>
public enum NativeStatus
{
    /// <summary>The function returned: its CallFrame.SavedCount results end at the thread's top.</summary>
    Returned = 0,
    /// <summary>Stopped (deoptimised) at the frame's pc: the interpreter continues from there.</summary>
    Exit = 1,
    /// <summary>A runtime helper caught an error: it is in LuaState.PendingNativeException.</summary>
    Error = 2,
    /// <summary>A call beneath yielded from a coroutine: unwind like a nested yield.</summary>
    Yield = 3,
}

/// <summary>The hooks the interpreter offers to a native tier (implemented in src/Tiering).</summary>
public unsafe interface INativeTier
{
    /// <summary>The function's calls plus back-edges reached the hot threshold. The tier may
    /// compile it (now or in the background) and publish Proto.NativeEntry, and may re-arm
    /// Proto.HotCountdown.</summary>
    void OnHot(LuaState L, Proto* p);

    /// <summary>A yield passed through the call at instruction <paramref name="pc"/> of native
    /// frame ci, which the interpreter has just finished after the resume; it goes on from the
    /// next instruction (native code enters there only where it was compiled to).</summary>
    void OnYieldedThrough(LuaState L, CallFrame* ci, int pc);
}

public sealed unsafe partial class LuaState
{
    /// <summary>Set by runtime helpers before they return NativeStatus.Error.</summary>
    public Exception? PendingNativeException;
}
