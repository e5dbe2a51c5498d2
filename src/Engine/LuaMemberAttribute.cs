namespace Tiered;

/// <summary>
/// Exposes a public method or property of a .NET class to Lua when an instance is passed in
/// with <see cref="LuaValue.FromObject"/>. Members without this attribute are invisible to
/// Lua (nil on read, an error on write): there is no reflection beyond the marked members.
/// </summary>
/// <remarks>Methods are called as <c>obj:Method(a, b)</c> and marshal their parameters and
/// results as delegates passed to <see cref="LuaEngine.Register"/> do; properties are read
/// as <c>obj.Prop</c> and, when they have a public setter, written as <c>obj.Prop = v</c>.</remarks>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property, Inherited = true, AllowMultiple = false)]
public sealed class LuaMemberAttribute : Attribute
{
    public LuaMemberAttribute(string? name = null) { Name = name; }

    /// <summary>The name Lua sees; null for the .NET member's own name.</summary>
    public string? Name { get; }
}
