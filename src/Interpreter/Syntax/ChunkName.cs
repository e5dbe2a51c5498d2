namespace Tiered.Interpreter.Syntax;

/// <summary>
/// Turns a chunk's source name into the form shown in messages ("chunk:line: ..."), following
/// Lua 5.4's rules with its 60-character limit (LUA_IDSIZE):
/// <list type="bullet">
/// <item><c>=name</c>: the name as is, cut to 59 characters.</item>
/// <item><c>@file</c>: the file name; when too long, "..." plus its last 56 characters.</item>
/// <item>anything else is source text: <c>[string "first line"]</c>, with "..." when the text
/// has more than one line or is 45 characters or longer (only the first 45 are kept).</item>
/// </list>
/// Lengths count chars, one char per byte of the Lua string the name came from.
/// </summary>
public static class ChunkName
{
    /// <summary>Lua's LUA_IDSIZE: room for the displayed name including C's terminating NUL.</summary>
    private const int IdSize = 60;
    private const string Ellipsis = "...";
    private const string StringPrefix = "[string \"";
    private const string StringSuffix = "\"]";

    public static string Display(string source)
    {
        // Lua receives chunk names as C strings: nothing after an embedded NUL exists for it.
        int nul = source.IndexOf('\0');
        if (nul >= 0) source = source[..nul];
        if (source.StartsWith('='))
        {
            string rest = source[1..];
            return rest.Length < IdSize ? rest : rest[..(IdSize - 1)];
        }
        if (source.StartsWith('@'))
        {
            string rest = source[1..];
            if (rest.Length < IdSize) return rest;
            int keep = IdSize - Ellipsis.Length - 1;
            return Ellipsis + rest[^keep..];
        }
        // Room left for the text once prefix, "...", suffix and the NUL are accounted for.
        int room = IdSize - (StringPrefix.Length + Ellipsis.Length + StringSuffix.Length) - 1;
        string text = source;
        int newline = text.IndexOf('\n');
        if (newline < 0 && text.Length < room)
            return StringPrefix + text + StringSuffix;
        if (newline >= 0) text = text[..newline];
        if (text.Length > room) text = text[..room];
        return StringPrefix + text + Ellipsis + StringSuffix;
    }
}
