namespace Tiered;

/// <summary>A handle to a Lua (or registered host) function; keeps it alive until disposed.</summary>
public sealed class LuaFunction : IDisposable, IHandle
{
    private readonly LuaReference anchor;

    internal LuaFunction(LuaReference anchor) { this.anchor = anchor; }

    LuaReference IHandle.Anchor => anchor;

    /// <summary>Calls the function; Lua errors become <see cref="LuaException"/>.</summary>
    public LuaValue[] Call(params LuaValue[] args) => anchor.Engine.CallReference(anchor, args);

    public void Dispose() => anchor.Release();

    public override string ToString() => "function: " + anchor;
}
