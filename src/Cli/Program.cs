using System.Text;
using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Compiler;
using Tiered.Interpreter.Lib;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.Syntax;
using Tiered.Interpreter.VM;

namespace Tiered.Cli;

/// <summary>The `tiered` command: run scripts like lua5.4 does, list bytecode.</summary>
public static unsafe class Program
{
    public const int ExitOk = 0, ExitScriptError = 1, ExitUsage = 2;

    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.Out.Write(Usage);
            return args.Length == 0 ? ExitUsage : ExitOk;
        }
        if (args[0] == "--version")
        {
            Console.Out.WriteLine("tiered 0.1 (Lua 5.4)");
            return ExitOk;
        }
        return args[0] switch
        {
            "run" => Run(args[1..]),
            "disasm" => Disasm(args[1..]),
            "report" => ReportCommand.Run(args[1..]),
            _ => UsageError($"unknown command '{args[0]}'"),
        };
    }

    private const string Usage =
        "usage: tiered run [--jit off|adaptive|eager] [--profile out.json] [--report] [--cache-dir DIR] [--no-cache]\n" +
        "                  [--log-level LEVEL] [--gc-stress] script.lua [args...]\n" +
        "       tiered disasm script.lua\n" +
        "       tiered report profile.json [--format text|html] [-o FILE] [--top N]\n" +
        "       tiered --version\n";

    private static int UsageError(string message)
    {
        Console.Error.WriteLine("tiered: " + message);
        Console.Error.Write(Usage);
        return ExitUsage;
    }

    private static int Run(string[] args)
    {
        int i = 0;
        bool gcStress = false;
        string? profilePath = null;
        bool report = false;
        string? cacheDir = null;
        bool cacheEnabled = true;
        var logLevel = Microsoft.Extensions.Logging.LogLevel.Warning;
        var jit = JitMode.Adaptive;
        for (; i < args.Length && args[i].StartsWith('-') && args[i] != "-"; i++)
        {
            switch (args[i])
            {
                case "--jit":
                    if (i + 1 >= args.Length || args[i + 1] is not ("off" or "adaptive" or "eager"))
                        return UsageError("--jit needs off, adaptive or eager");
                    jit = args[++i] switch { "off" => JitMode.Off, "eager" => JitMode.Eager, _ => JitMode.Adaptive };
                    break;
                case "--gc-stress": gcStress = true; break;
                case "--log-level":
                    if (i + 1 >= args.Length || !Enum.TryParse(args[i + 1], ignoreCase: true, out logLevel))
                        return UsageError("--log-level needs trace, debug, information, warning, error or none");
                    i++;
                    break;
                case "--cache-dir":
                    if (i + 1 >= args.Length) return UsageError("--cache-dir needs a directory");
                    cacheDir = args[++i];
                    break;
                case "--no-cache": cacheEnabled = false; break;
                case "--report": report = true; break;
                case "--profile":
                    if (i + 1 >= args.Length) return UsageError("--profile needs a file name");
                    profilePath = args[++i];
                    break;
                default: return UsageError($"unknown option '{args[i]}'");
            }
        }
        if (i >= args.Length) return UsageError("no script given");
        string script = args[i];
        var stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
        var options = new LuaStateOptions { GcStress = gcStress, StandardOutput = stdout };
        using var L = new LuaState(options);
        using var tier = jit == JitMode.Off ? null : new Tiering.NativeTier(L, jit, null, new StderrLogger(logLevel));
        if (tier != null && cacheEnabled) tier.EnableCache(cacheDir);
        var wall = System.Diagnostics.Stopwatch.StartNew();
        int exitCode = ExitOk;
        try
        {
            Libraries.OpenAll(L);
            LuaTable* argTable = L.NewTable();
            TableOps.SetInt(L, argTable, -1, L.StringValue("tiered"));
            TableOps.SetInt(L, argTable, 0, L.StringValue(script));
            for (int j = i + 1; j < args.Length; j++) TableOps.SetInt(L, argTable, j - i, L.StringValue(args[j]));
            TableOps.Set(L, L.Globals, L.StringValue("arg"), Value.Table(argTable));
            AddScriptDirectoryToPath(L, script);
            Value chunk;
            if (script == "-") chunk = BaseLib.LoadFileChunk(L, null, "bt", null);
            else chunk = BaseLib.LoadFileChunk(L, script, "bt", null);
            var scriptArgs = new Value[args.Length - i - 1];
            for (int j = 0; j < scriptArgs.Length; j++) scriptArgs[j] = L.StringValue(args[i + 1 + j]);
            L.CallFunction(chunk, scriptArgs);
        }
        catch (LuaRuntimeException ex)
        {
            stdout.Flush();
            var err = Console.OpenStandardError();
            string text = "tiered: " + ex.Message + "\n" + (ex.LuaTraceback ?? "stack traceback:\n\t[C]: in ?") + "\n";
            err.Write(Encoding.UTF8.GetBytes(text));
            exitCode = ExitScriptError;
        }
        catch (LuaExitException exit)
        {
            exitCode = exit.Code;
            L.RunFinalizersOnDispose = exit.Close;
        }
        catch (Exception ex)
        {
            // A defect of the engine, not of the script: report it, never crash with a trace.
            stdout.Flush();
            Console.Error.WriteLine($"tiered: internal error: {ex.GetType().Name}: {ex.Message}");
            exitCode = ExitScriptError;
        }
        finally
        {
            // The compiler thread goes first (it writes into the state's prototypes); closing the
            // state runs pending finalizers, which may still print.
            tier?.Dispose();
            if (profilePath != null) WriteProfile(tier, profilePath, wall.Elapsed.TotalMilliseconds, script);
            if (report) { stdout.Flush(); ReportCommand.PrintRunReport(tier, wall.Elapsed.TotalMilliseconds, script); }
            try { L.Dispose(); }
            catch (LuaExitException exit) { exitCode = exit.Code; }
            stdout.Flush();
        }
        return exitCode;
    }

    /// <summary>Modules beside the script are found wherever it is run from: its directory is
    /// searched after package.path's own entries when it is not the current directory.</summary>
    private static void AddScriptDirectoryToPath(LuaState L, string script)
    {
        if (script == "-") return;
        string dir = Path.GetDirectoryName(Path.GetFullPath(script)) ?? "";
        if (dir.Length == 0 || dir == Path.GetFullPath(Directory.GetCurrentDirectory()).TrimEnd('/')) return;
        Value package = *TableOps.Get(L.Globals, L.StringValue("package"));
        if (package.Tag != Tag.Table) return;
        Value path = *TableOps.Get(package.AsTable, L.StringValue("path"));
        string current = path.Tag == Tag.String ? LuaString.ToManaged(path.AsString) : "";
        TableOps.Set(L, package.AsTable, L.StringValue("path"), L.StringValue($"{current};{dir}/?.lua;{dir}/?/init.lua"));
    }

    private static void WriteProfile(Tiering.NativeTier? tier, string path, double wallMs, string script)
    {
        try
        {
            using var file = File.Create(path);
            if (tier != null) Tiering.ProfileWriter.Write(tier, file, wallMs, script);
            else Reporting.RunProfile.Empty("off", wallMs, script).WriteJson(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"tiered: cannot write profile {path}: {ex.Message}");
        }
    }

    private static int Disasm(string[] args)
    {
        if (args.Length != 1) return UsageError("disasm needs one script");
        byte[] source;
        try { source = File.ReadAllBytes(args[0]); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"tiered: cannot open {args[0]}");
            return ExitScriptError;
        }
        try
        {
            FunctionProto p = LuaCompiler.Compile(source, "@" + args[0], skipShebang: true);
            Console.Out.Write(Disassembler.Listing(p));
            return ExitOk;
        }
        catch (LuaSyntaxException ex)
        {
            Console.Error.WriteLine("tiered: " + ex.Message);
            return ExitScriptError;
        }
    }
}
