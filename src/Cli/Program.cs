namespace Tiered.Cli;

/// <summary>
/// The `tiered` command. Each subcommand owns its options, help text and file; this switch
/// only dispatches. Exit codes everywhere: 0 success, 1 script (or cache) error, 2 usage error;
/// a script's os.exit(n) gives n.
/// </summary>
public static partial class Program
{
    public const int ExitOk = 0, ExitScriptError = 1, ExitUsage = 2;

    public const string Version = "tiered 0.1 (Lua 5.4)";

    public static int Main(string[] args)
    {
        int code = Dispatch(args);
        // The run is over and its state disposed (the cache saved); a compilation it did not
        // wait for may still be inside LLVM, and a normal exit would wait for it to reach the
        // end of its current phase (a tenth of a second or more), as exit() runs libLLVM's
        // static destructors. Nothing of ours is left to run at exit, so the process ends here.
        if (Tiering.JitHost.CloseForExit())
        {
            Console.Out.Flush();
            Console.Error.Flush();
            ExitNow(code);
        }
        return code;
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "_exit")]
    private static partial void ExitNow(int status);

    private static int Dispatch(string[] args)
    {
        if (args.Length == 0) return Repl.Run(args);
        return args[0] switch
        {
            "-h" or "--help" or "help" => Help(),
            "--version" => PrintVersion(),
            "run" => RunCommand.Run(args[1..]),
            "repl" => Repl.Run(args[1..]),
            "disasm" => DisasmCommand.Run(args[1..]),
            "cache" => CacheCommand.Run(args[1..]),
            "report" => ReportCommand.Run(args[1..]),
            _ when args[0].StartsWith('-') => Repl.Run(args),
            _ => UsageError($"unknown command '{args[0]}'", Usage),
        };
    }

    private const string Usage =
        "usage: tiered                      start the REPL (same options as 'tiered repl')\n" +
        "       tiered run [options] script.lua [args...]   run a script (see 'tiered run --help')\n" +
        "       tiered repl [options]       read-eval-print loop on stdin\n" +
        "       tiered disasm script.lua    list the bytecode\n" +
        "       tiered cache list|stats|verify|clear [--cache-dir DIR]   the native cache\n" +
        "       tiered report profile.json [--format text|html] [-o FILE] [--top N]   read a profile\n" +
        "       tiered --help | --version\n" +
        "Every command takes --help and --version. Exit codes: 0 success, 1 error, 2 usage error.\n";

    private static int Help()
    {
        Console.Out.Write(Usage);
        return ExitOk;
    }

    private static int PrintVersion()
    {
        Console.Out.WriteLine(Version);
        return ExitOk;
    }

    /// <summary>-h/--help (the command's usage) and --version, which every command takes: the
    /// exit code when <paramref name="arg"/> is one of them, else null.</summary>
    public static int? HelpOrVersion(string arg, string usage)
    {
        switch (arg)
        {
            case "-h" or "--help": Console.Out.Write(usage); return ExitOk;
            case "--version": Console.Out.WriteLine(Version); return ExitOk;
            default: return null;
        }
    }

    /// <summary>A usage error: one line saying what is wrong, then the usage, on stderr; exit 2.</summary>
    public static int UsageError(string message, string usage)
    {
        Console.Error.WriteLine("tiered: " + message);
        Console.Error.Write(usage);
        return ExitUsage;
    }
}
