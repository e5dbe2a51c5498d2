using System.Text.RegularExpressions;

namespace Tiered;

/// <summary>A Lua error (syntax or runtime) that reached the host.</summary>
public class LuaException : Exception
{
    /// <summary>The error message as Lua saw it, "chunk:line: " prefix included.</summary>
    public string LuaMessage { get; }
    /// <summary>Chunk name parsed from a "chunk:line: message" error, else null.</summary>
    public string? ChunkName { get; }
    public int? Line { get; }
    public string? LuaTraceback { get; }
    /// <summary>The error value; tables and functions stay reachable only while the engine lives.</summary>
    public LuaValue? Value { get; }

    public LuaException(string luaMessage, string? traceback = null, LuaValue? value = null, Exception? inner = null)
        : base(luaMessage, inner)
    {
        LuaMessage = luaMessage;
        LuaTraceback = traceback;
        Value = value;
        Match m = Position.Match(luaMessage);
        if (m.Success)
        {
            ChunkName = m.Groups[1].Value;
            Line = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    // "chunk:12: message"; the chunk part may itself contain colons ([string "a:b"]), so the
    // last ":digits: " before the message wins only when the prefix is on the first line.
    private static readonly Regex Position = new(@"^([^\n]*?):(\d+): ", RegexOptions.CultureInvariant);
}
