using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Tiered.Interpreter.Lib;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using Tiered.Tiering;

namespace Tiered.Cli;

/// <summary>What <c>tiered run</c> and the REPL set up before the first chunk runs.</summary>
internal sealed class EngineOptions
{
    public JitMode Jit = JitMode.Adaptive;
    public bool GcStress;
    public string? ProfilePath;
    /// <summary>--report: a text report on stderr at exit.</summary>
    public bool Report;
    /// <summary>The script as named on the command line (recorded in the profile).</summary>
    public string ScriptName = "";
    public string? CacheDirectory;
    public bool CacheEnabled = true;
    public LogLevel LogLevel = LogLevel.Warning;
}

/// <summary>
/// One Lua state with its native tier, standard libraries and buffered stdout, and the error
/// reporting of lua.c: a load error prints its message, a runtime error its message and
/// traceback; both go to stderr after stdout is flushed, so the two streams interleave in the
/// order things happened. <c>os.exit</c> is not caught here: it unwinds to the command, which
/// disposes the session and returns the code.
/// </summary>
internal sealed unsafe class LuaSession : IDisposable
{
    public LuaState L { get; }
    private readonly NativeTier? tier;
    private readonly BufferedStream stdout;
    private readonly string? profilePath;
    private readonly EngineOptions options;
    private readonly Stopwatch wall = Stopwatch.StartNew();
    private bool disposed;

    /// <summary>Prefix of error messages: "tiered: " for scripts, nothing in the REPL (as lua.c).</summary>
    public string ErrorPrefix { get; set; } = "tiered: ";

    public LuaSession(EngineOptions options)
    {
        this.options = options;
        stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
        L = new LuaState(new LuaStateOptions { GcStress = options.GcStress, StandardOutput = stdout });
        try
        {
            tier = options.Jit == JitMode.Off ? null : new NativeTier(L, options.Jit, null, new StderrLogger(options.LogLevel));
            if (tier != null && options.CacheEnabled) tier.EnableCache(options.CacheDirectory);
            profilePath = options.ProfilePath;
            Libraries.OpenAll(L);
        }
        catch
        {
            tier?.Dispose();
            L.Dispose();
            throw;
        }
    }

    /// <summary>The global <c>arg</c>: arg[0] is the script, the words before it negative, its arguments positive.</summary>
    public void SetArgTable(IReadOnlyList<string> words, int scriptIndex)
    {
        LuaTable* table = L.NewTable();
        for (int j = 0; j < words.Count; j++) TableOps.SetInt(L, table, j - scriptIndex, L.StringValue(words[j]));
        TableOps.Set(L, L.Globals, L.StringValue("arg"), Value.Table(table));
    }

    /// <summary>Compiles a chunk; on a syntax (or read) error prints it and returns null.</summary>
    public Value? Load(Func<Value> load)
    {
        try
        {
            return load();
        }
        catch (LuaRuntimeException ex)
        {
            ReportError(ErrorText(ex), traceback: null);
            return null;
        }
    }

    /// <summary>Calls a function; returns its results, or null after printing the error and traceback.</summary>
    public Value[]? Call(in Value function, params Value[] args)
    {
        try
        {
            return L.CallFunction(function, args);
        }
        catch (LuaRuntimeException ex)
        {
            // lua.c's message handler: an error object with __tostring is its own message and
            // gets no traceback; anything else gets one.
            string text = ErrorText(ex);
            bool viaToString = ex.Value.Tag is not (Tag.String or Tag.Integer or Tag.Float) && HasToString(ex.Value);
            ReportError(text, viaToString ? null : ex.LuaTraceback ?? "stack traceback:\n\t[C]: in ?");
            return null;
        }
    }

    public Value Global(string name) => *TableOps.Get(L.Globals, L.StringValue(name));

    public void SetGlobal(string name, in Value value) => TableOps.Set(L, L.Globals, L.StringValue(name), value);

    /// <summary>Writes the REPL's prompt (or anything else) to stdout at once.</summary>
    public void WriteOut(string text)
    {
        stdout.Write(Encoding.UTF8.GetBytes(text));
        stdout.Flush();
    }

    public void FlushOut() => stdout.Flush();

    public void ReportError(string message, string? traceback)
    {
        stdout.Flush();
        string text = ErrorPrefix + message + "\n" + (traceback == null ? "" : traceback + "\n");
        using Stream err = Console.OpenStandardError();
        err.Write(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>The error value as lua.c shows it: strings and numbers as they are, then
    /// __tostring, then "(error object is a T value)".</summary>
    public string ErrorText(LuaRuntimeException ex)
    {
        Value v = ex.Value;
        if (v.Tag is Tag.String or Tag.Integer or Tag.Float || !HasToString(v)) return ex.Message;
        try
        {
            return LuaString.ToManaged(L.ToStringMeta(v));
        }
        catch (LuaRuntimeException)
        {
            return ex.Message;
        }
    }

    private bool HasToString(in Value v) => L.MetaOf(v, MetaEvent.ToString)->Tag != Tag.Nil;

    /// <summary>Modules beside the script are found wherever it is run from: its directory is
    /// searched after package.path's own entries when it is not the current directory.</summary>
    public void AddScriptDirectoryToPath(string script)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(script)) ?? "";
        if (dir.Length == 0 || dir == Path.GetFullPath(Directory.GetCurrentDirectory()).TrimEnd('/')) return;
        Value package = Global("package");
        if (package.Tag != Tag.Table) return;
        Value path = *TableOps.Get(package.AsTable, L.StringValue("path"));
        string current = path.Tag == Tag.String ? LuaString.ToManaged(path.AsString) : "";
        TableOps.Set(L, package.AsTable, L.StringValue("path"), L.StringValue($"{current};{dir}/?.lua;{dir}/?/init.lua"));
    }

    /// <summary>
    /// Stops the compiler thread (it writes into the state's prototypes), saves the cache and
    /// the profile, then closes the state, which runs pending finalizers; those may print or
    /// call os.exit, whose code is returned (null otherwise).
    /// </summary>
    public int? Close(bool runFinalizers = true)
    {
        if (disposed) return null;
        disposed = true;
        int? exitCode = null;
        tier?.Dispose();
        double wallMs = wall.Elapsed.TotalMilliseconds;
        if (profilePath != null) WriteProfile(tier, profilePath, wallMs, options.ScriptName);
        if (options.Report)
        {
            stdout.Flush();
            ReportCommand.PrintRunReport(tier, wallMs, options.ScriptName);
        }
        L.RunFinalizersOnDispose = runFinalizers;
        try { L.Dispose(); }
        catch (LuaExitException exit) { exitCode = exit.Code; }
        stdout.Flush();
        return exitCode;
    }

    public void Dispose() => Close();

    /// <summary>
    /// A whole command's life: starts a session, runs <paramref name="body"/> (false: a script
    /// error, already reported), turns os.exit and engine defects into exit codes, and closes the
    /// session, whose finalizers may still exit. Shared by <c>tiered run</c> and the REPL.
    /// </summary>
    public static int Execute(EngineOptions options, Func<LuaSession, bool> body)
    {
        LuaSession session;
        try
        {
            session = new LuaSession(options);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"tiered: cannot start the engine: {ex.Message}");
            return Program.ExitScriptError;
        }
        int exitCode = Program.ExitOk;
        bool runFinalizers = true;
        try
        {
            if (!body(session)) exitCode = Program.ExitScriptError;
        }
        catch (LuaExitException exit)
        {
            exitCode = exit.Code;
            runFinalizers = exit.Close;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A defect of the engine, not of the script: report it, never crash with a trace.
            session.FlushOut();
            Console.Error.WriteLine($"tiered: internal error: {ex.GetType().Name}: {ex.Message}");
            exitCode = Program.ExitScriptError;
        }
        finally
        {
            if (session.Close(runFinalizers) is int finalCode) exitCode = finalCode;
        }
        return exitCode;
    }

    private static void WriteProfile(NativeTier? tier, string path, double wallMs, string script)
    {
        try
        {
            using var file = File.Create(path);
            if (tier != null) ProfileWriter.Write(tier, file, wallMs, script);
            else Tiered.Reporting.RunProfile.Empty("off", wallMs, script).WriteJson(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"tiered: cannot write profile {path}: {ex.Message}");
        }
    }
}
