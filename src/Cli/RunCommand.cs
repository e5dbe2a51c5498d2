using Microsoft.Extensions.Logging;
using Tiered.Interpreter.Lib;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;

namespace Tiered.Cli;

/// <summary>
/// <c>tiered run</c>: lua5.4's command line. The engine options (--jit, --cache-dir, ...) are
/// read first, because they shape the state; -e and -l then run in the order given, before
/// the script, as lua.c's runargs does.
/// </summary>
internal static class RunCommand
{
    public const string Usage =
        "usage: tiered run [options] [script [args...]]\n" +
        "  -e CODE             execute CODE (repeatable; in order, before the script)\n" +
        "  -l MOD              require MOD into global MOD (-l G=MOD: into global G)\n" +
        "  -i                  enter the REPL after running the script\n" +
        "  -                   read the script from stdin (also: stop handling options)\n" +
        "  --                  stop handling options\n" +
        "  --jit off|adaptive|eager   native tier (default adaptive)\n" +
        "  --profile FILE      write a JSON profile at exit (docs/profile-schema.md)\n" +
        "  --report            print a text profile report to stderr at exit\n" +
        "  --cache-dir DIR     native cache directory (default $TIERED_CACHE_DIR,\n" +
        "                      $XDG_CACHE_HOME/tiered, ~/.cache/tiered)\n" +
        "  --no-cache          neither read nor write the native cache\n" +
        "  --log-level LEVEL   trace, debug, information, warning (default), error, none\n" +
        "  --gc-stress         collect garbage at every safepoint (slow; for testing)\n" +
        "  -h, --help          show this help\n" +
        "  --version           show the version\n";

    /// <summary>-e CODE or -l MOD, kept in command-line order.</summary>
    internal readonly record struct Action(bool IsRequire, string Text);

    /// <summary>Command-line state shared with the REPL (<c>tiered</c> alone, <c>tiered repl</c>).</summary>
    internal sealed class Parsed
    {
        public EngineOptions Engine = new();
        public readonly List<Action> Actions = new();
        public bool Interactive;
        public string? Script;
        public int ScriptIndex = -1;
    }

    public static int Run(string[] args)
    {
        int? done = Parse(args, allowScript: true, Usage, out Parsed parsed);
        if (done is int code) return code;
        if (parsed.Script == null && parsed.Actions.Count == 0 && !parsed.Interactive)
            return Program.UsageError("no script given (use '-' for stdin, or -e CODE)", Usage);
        return Execute(parsed, args);
    }

    /// <summary>Reads options; returns an exit code when the command is finished (help, version, usage error).</summary>
    internal static int? Parse(string[] args, bool allowScript, string usage, out Parsed parsed)
    {
        parsed = new Parsed();
        EngineOptions o = parsed.Engine;
        int i = 0;
        for (; i < args.Length; i++)
        {
            string a = args[i];
            if (a == "-") break;
            if (a == "--") { i++; break; }
            if (!a.StartsWith('-')) break;
            string? Value() => i + 1 < args.Length ? args[++i] : null;
            if (Program.HelpOrVersion(a, usage) is int done) return done;
            switch (a)
            {
                case "-e":
                    if (Value() is not string code) return Program.UsageError("'-e' needs argument", usage);
                    parsed.Actions.Add(new Action(false, code));
                    break;
                case "-l":
                    if (Value() is not string module) return Program.UsageError("'-l' needs argument", usage);
                    parsed.Actions.Add(new Action(true, module));
                    break;
                case "-i": parsed.Interactive = true; break;
                case "--jit":
                    switch (Value())
                    {
                        case "off": o.Jit = JitMode.Off; break;
                        case "adaptive": o.Jit = JitMode.Adaptive; break;
                        case "eager": o.Jit = JitMode.Eager; break;
                        default: return Program.UsageError("--jit needs off, adaptive or eager", usage);
                    }
                    break;
                case "--gc-stress": o.GcStress = true; break;
                case "--log-level":
                    if (Value() is not string level || !Enum.TryParse(level, ignoreCase: true, out o.LogLevel) || !Enum.IsDefined(o.LogLevel))
                        return Program.UsageError("--log-level needs trace, debug, information, warning, error or none", usage);
                    break;
                case "--cache-dir":
                    if (Value() is not string dir) return Program.UsageError("--cache-dir needs a directory", usage);
                    o.CacheDirectory = dir;
                    break;
                case "--no-cache": o.CacheEnabled = false; break;
                case "--report": o.Report = true; break;
                case "--profile":
                    if (Value() is not string file) return Program.UsageError("--profile needs a file name", usage);
                    o.ProfilePath = file;
                    break;
                default:
                    return Program.UsageError($"unrecognized option '{a}'", usage);
            }
        }
        if (i < args.Length)
        {
            if (!allowScript) return Program.UsageError($"unexpected argument '{args[i]}'", usage);
            parsed.Script = args[i];
            parsed.ScriptIndex = i;
            o.ScriptName = args[i];
        }
        return null;
    }

    private static int Execute(Parsed parsed, string[] args) =>
        LuaSession.Execute(parsed.Engine, session =>
        {
            // arg[0] is the script (or "tiered" with none), the words before it negative.
            var words = new List<string> { "tiered", "run" };
            words.AddRange(args);
            int scriptWord = parsed.Script != null ? parsed.ScriptIndex + 2 : 0;
            session.SetArgTable(words, scriptWord);
            if (!RunActions(session, parsed.Actions)) return false;
            if (parsed.Script != null && !RunScript(session, parsed.Script, args[(parsed.ScriptIndex + 1)..])) return false;
            if (parsed.Interactive) Repl.Loop(session);
            return true;
        });

    /// <summary>-e and -l in order; false at the first error (already reported).</summary>
    internal static bool RunActions(LuaSession session, List<Action> actions)
    {
        LuaState L = session.L;
        foreach (Action action in actions)
        {
            if (action.IsRequire)
            {
                int eq = action.Text.IndexOf('=');
                string global = eq < 0 ? action.Text : action.Text[..eq];
                string module = eq < 0 ? action.Text : action.Text[(eq + 1)..];
                if (session.Call(session.Global("require"), L.StringValue(module)) is not Value[] results) return false;
                session.SetGlobal(global, results.Length > 0 ? results[0] : default);
            }
            else
            {
                byte[] code = System.Text.Encoding.UTF8.GetBytes(action.Text);
                if (session.Load(() => L.LoadChunk(code, "=(command line)")) is not Value chunk) return false;
                if (session.Call(chunk) == null) return false;
            }
        }
        return true;
    }

    private static bool RunScript(LuaSession session, string script, string[] scriptArgs)
    {
        LuaState L = session.L;
        if (script != "-") session.AddScriptDirectoryToPath(script);
        if (session.Load(() => BaseLib.LoadFileChunk(L, script == "-" ? null : script, "bt", null)) is not Value chunk) return false;
        var values = new Value[scriptArgs.Length];
        for (int j = 0; j < values.Length; j++) values[j] = L.StringValue(scriptArgs[j]);
        return session.Call(chunk, values) != null;
    }
}
