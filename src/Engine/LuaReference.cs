using Tiered.Interpreter.Runtime;

namespace Tiered;

/// <summary>Implemented by the handle types a <see cref="LuaValue"/> can carry.</summary>
internal interface IHandle
{
    LuaReference Anchor { get; }
}

/// <summary>
/// Keeps one Lua object alive for the host: slot <see cref="Id"/> of the engine's anchor
/// table (in the registry) holds the object until the reference is released.
/// </summary>
/// <remarks>A finalizer may run on any thread, so it only enqueues the id; the engine clears
/// queued slots on its own thread at the next API call.</remarks>
internal sealed class LuaReference : IHandle
{
    internal readonly LuaEngine Engine;
    internal readonly int Id;
    /// <summary>Address of the object: the heap never moves objects, so it is its identity.</summary>
    internal readonly nint Pointer;
    private int released;

    internal LuaReference(LuaEngine engine, int id, nint pointer)
    {
        Engine = engine;
        Id = id;
        Pointer = pointer;
    }

    public LuaReference Anchor => this;

    internal bool IsReleased => Volatile.Read(ref released) != 0;

    internal bool SameObject(LuaReference other) => ReferenceEquals(Engine, other.Engine) && Pointer == other.Pointer;

    internal Value Value => Engine.Deref(this);

    internal void Release()
    {
        if (Interlocked.Exchange(ref released, 1) != 0) return;
        GC.SuppressFinalize(this);
        Engine.ReleaseAnchor(Id);
    }

    ~LuaReference()
    {
        if (Interlocked.Exchange(ref released, 1) == 0) Engine.EnqueueRelease(Id);
    }

    public override string ToString() => $"0x{Pointer:x}";
}
