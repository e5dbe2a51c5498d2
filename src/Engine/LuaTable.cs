using System.Collections;

namespace Tiered;

/// <summary>
/// A handle to a Lua table. It keeps the table alive until disposed (or finalized); use it
/// only on the thread that is using its engine.
/// </summary>
public sealed class LuaTable : IDisposable, IEnumerable<KeyValuePair<LuaValue, LuaValue>>, IHandle
{
    private readonly LuaReference anchor;

    internal LuaTable(LuaReference anchor) { this.anchor = anchor; }

    LuaReference IHandle.Anchor => anchor;
    internal LuaEngine Engine => anchor.Engine;

    /// <summary>t[key], honouring __index and __newindex when the table has a metatable.
    /// Assigning nil removes the key.</summary>
    public LuaValue this[LuaValue key]
    {
        get => anchor.Engine.TableGet(anchor, key);
        set => anchor.Engine.TableSet(anchor, key, value);
    }

    /// <summary>The raw border (#t without __len).</summary>
    public long Length => anchor.Engine.TableLength(anchor);

    /// <summary>Enumerates a snapshot of the raw contents taken when enumeration starts.</summary>
    public IEnumerator<KeyValuePair<LuaValue, LuaValue>> GetEnumerator() =>
        anchor.Engine.TableSnapshot(anchor).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose() => anchor.Release();

    public override string ToString() => "table: " + anchor;
}
