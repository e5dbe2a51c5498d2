using System.Text;

namespace Tiered.Interpreter.Syntax;

/// <summary>
/// A lexical or syntax error, with Lua 5.4's exact message, e.g.
/// <c>test.lua:3: '=' expected near 'y'</c>.
/// </summary>
public sealed class LuaSyntaxException : Exception
{
    /// <summary>The chunk name as displayed (see <see cref="ChunkName.Display"/>).</summary>
    public string ChunkDisplayName { get; }
    /// <summary>The line the error is reported at.</summary>
    public int Line { get; }
    /// <summary>
    /// The full message as Lua bytes. Identical to <see cref="Exception.Message"/> except that a
    /// quoted source token keeps its raw bytes even when they are not valid UTF-8; this is
    /// what load() must return to Lua code.
    /// </summary>
    public byte[] MessageBytes { get; }
    /// <summary>
    /// True when the error was hitting the end of input; a REPL uses it to ask for more lines
    /// (Lua's interpreter checks for a message ending in "&lt;eof&gt;").
    /// </summary>
    public bool AtEndOfInput { get; }

    /// <param name="detail">The message after "chunk:line: ", as raw bytes.</param>
    internal LuaSyntaxException(string chunkDisplayName, int line, byte[] detail, bool atEndOfInput)
        : this(chunkDisplayName, line, atEndOfInput, Compose(chunkDisplayName, line, detail))
    {
    }

    private LuaSyntaxException(string chunkDisplayName, int line, bool atEndOfInput, byte[] messageBytes)
        : base(Encoding.UTF8.GetString(messageBytes))
    {
        ChunkDisplayName = chunkDisplayName;
        Line = line;
        MessageBytes = messageBytes;
        AtEndOfInput = atEndOfInput;
    }

    /// <summary>
    /// An error whose Lua message carries no "chunk:line:" prefix. Lua raises "C stack overflow"
    /// for too-deep nesting as an error of load() itself, so its message has no position;
    /// <see cref="Line"/> still says where parsing stopped.
    /// </summary>
    internal static LuaSyntaxException WithoutPosition(string chunkDisplayName, int line, string message) =>
        new(chunkDisplayName, line, false, Encoding.UTF8.GetBytes(message));

    private static byte[] Compose(string chunkDisplayName, int line, byte[] detail)
    {
        byte[] head = Encoding.UTF8.GetBytes($"{chunkDisplayName}:{line}: ");
        byte[] all = new byte[head.Length + detail.Length];
        head.CopyTo(all, 0);
        detail.CopyTo(all, head.Length);
        return all;
    }
}
