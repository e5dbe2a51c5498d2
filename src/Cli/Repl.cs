using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;

namespace Tiered.Cli;

/// <summary>
/// The interactive loop of lua.c: a line is first tried as <c>return line</c> (so an
/// expression prints its values through the global print); otherwise as a statement, and a
/// statement that is only incomplete (its syntax error is at &lt;eof&gt;) reads more lines.
/// Every line is its own chunk named "stdin", in the same state and native tier, so globals
/// (not locals) carry over. Errors are printed without the "tiered:" prefix and the loop goes
/// on; end of input ends it; Ctrl-C interrupts a running line. Prompts and the banner are written only when stdin is a
/// terminal, so piped input gives just the values and errors.
/// </summary>
internal static class Repl
{
    public const string Usage =
        "usage: tiered [repl] [options]\n" +
        "Reads Lua lines from stdin: expressions print their values, statements run, an\n" +
        "unfinished statement continues on the next line (prompt '>>'). End of input exits.\n" +
        "Options are those of 'tiered run' except the script: --jit, --cache-dir, --no-cache,\n" +
        "--profile, --log-level, --gc-stress, -e CODE, -l MOD (run before the first prompt).\n" +
        "  -h, --help          show this help\n" +
        "  --version           show the version\n";

    private const string Prompt = "> ", ContinuationPrompt = ">> ";

    public static int Run(string[] args)
    {
        int? done = RunCommand.Parse(args, allowScript: false, Usage, out RunCommand.Parsed parsed);
        if (done is int code) return code;
        return LuaSession.Execute(parsed.Engine, session =>
        {
            var words = new List<string> { "tiered" };
            words.AddRange(args);
            session.SetArgTable(words, 0);
            if (!Console.IsInputRedirected) session.WriteOut(Program.Version + "\n");
            if (!RunCommand.RunActions(session, parsed.Actions)) return false;
            Loop(session);
            return true;
        });
    }

    /// <summary>Reads and runs lines until end of input. os.exit unwinds out of it.</summary>
    public static void Loop(LuaSession session)
    {
        LuaState L = session.L;
        var reader = new LineReader(session);
        using var ctrlC = new CtrlC(L);
        bool prompts = !Console.IsInputRedirected;
        string savedPrefix = session.ErrorPrefix;
        session.ErrorPrefix = "";
        try
        {
            while (true)
            {
                if (prompts) session.WriteOut(Prompt);
                byte[]? line = reader.ReadLine();
                if (line == null) break;
                if (TryCompileExpression(session, line) is Value expression)
                {
                    RunAndPrint(session, expression, ctrlC);
                    continue;
                }
                // A statement, read on until it is complete or wrong for another reason than its end.
                var chunk = new List<byte>(line);
                while (true)
                {
                    Value? function = null;
                    string? error = null;
                    try { function = L.LoadChunk(chunk.ToArray(), "=stdin"); }
                    catch (LuaRuntimeException ex) { error = session.ErrorText(ex); }
                    if (function is Value f)
                    {
                        RunAndPrint(session, f, ctrlC);
                        break;
                    }
                    if (!error!.EndsWith("<eof>", StringComparison.Ordinal))
                    {
                        session.ReportError(error, null);
                        break;
                    }
                    if (prompts) session.WriteOut(ContinuationPrompt);
                    byte[]? more = reader.ReadLine();
                    if (more == null)
                    {
                        // Input ended inside a statement: say what was missing, as lua.c does.
                        session.ReportError(error, null);
                        return;
                    }
                    chunk.Add((byte)'\n');
                    chunk.AddRange(more);
                }
            }
            if (prompts) session.WriteOut("\n");
        }
        finally
        {
            session.ErrorPrefix = savedPrefix;
            session.FlushOut();
        }
    }

    private static Value? TryCompileExpression(LuaSession session, byte[] line)
    {
        byte[] source = [.. "return "u8, .. line];
        try { return session.L.LoadChunk(source, "=stdin"); }
        catch (LuaRuntimeException) { return null; }
    }

    private static void RunAndPrint(LuaSession session, in Value function, CtrlC ctrlC)
    {
        ctrlC.Evaluating = true;
        try
        {
            Value[]? results = session.Call(function);
            if (results is { Length: > 0 })
            {
                Value print = session.Global("print");
                try
                {
                    session.L.CallFunction(print, results);
                }
                catch (LuaRuntimeException ex)
                {
                    session.ReportError($"error calling 'print' ({session.ErrorText(ex)})", null);
                }
            }
        }
        finally
        {
            ctrlC.Evaluating = false;
        }
        session.FlushOut();
    }

    /// <summary>
    /// Ctrl-C while a line runs stops it with the error "interrupted!" at the next interrupt
    /// tick (a call or loop back-edge, interpreted or native), as lua.c does; the loop then goes
    /// on. At the prompt Ctrl-C keeps its usual meaning and ends the process.
    /// </summary>
    private sealed class CtrlC : IDisposable
    {
        private readonly LuaState L;
        private readonly Action<LuaState>? previous;
        private volatile bool evaluating, requested;

        public CtrlC(LuaState state)
        {
            L = state;
            previous = L.Interrupt;
            L.Interrupt = OnTick;
            // A shell starts background jobs with SIGINT ignored, and .NET then never reports it:
            // the REPL takes the default disposition back before asking for the signal.
            RestoreDefaultSigInt();
            registration = System.Runtime.InteropServices.PosixSignalRegistration.Create(
                System.Runtime.InteropServices.PosixSignal.SIGINT, OnSigInt);
        }

        public bool Evaluating
        {
            set
            {
                evaluating = value;
                if (!value) requested = false;
            }
        }

        private System.Runtime.InteropServices.PosixSignalRegistration? registration;

        private static void RestoreDefaultSigInt()
        {
            try { _ = signal(2, 0); }   // SIGINT, SIG_DFL
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        }

        [System.Runtime.InteropServices.DllImport("libc.so.6")]
        private static extern nint signal(int signum, nint handler);

        private void OnSigInt(System.Runtime.InteropServices.PosixSignalContext e)
        {
            if (!evaluating) return;
            e.Cancel = true;
            requested = true;
        }

        private void OnTick(LuaState state)
        {
            previous?.Invoke(state);
            if (!requested) return;
            requested = false;
            throw state.RuntimeError("interrupted!");
        }

        public void Dispose()
        {
            registration?.Dispose();
            L.Interrupt = previous;
        }
    }

    /// <summary>
    /// Reads lines through the io library's stdin (as lua.c reads C's stdin, which io.stdin
    /// shares), so input buffered for one never goes missing for the other: io.read in a line
    /// gets the lines typed after it, and the REPL continues after what io.read consumed.
    /// </summary>
    private sealed unsafe class LineReader(LuaSession session)
    {
        private readonly Value stdin = StdinOf(session);

        private static Value StdinOf(LuaSession session)
        {
            Value io = session.Global("io");
            return io.Tag == Tag.Table ? *TableOps.Get(io.AsTable, session.L.StringValue("stdin")) : default;
        }

        /// <summary>One line without its end; null at end of input (or if stdin is gone).</summary>
        public byte[]? ReadLine()
        {
            if (stdin.Tag == Tag.Nil) return null;
            LuaState L = session.L;
            try
            {
                Value read = L.Index(stdin, L.StringValue("read"));
                Value[] line = L.CallFunction(read, stdin, L.StringValue("l"));
                if (line.Length == 0 || line[0].Tag != Tag.String) return null;
                ReadOnlySpan<byte> bytes = LuaString.Span(line[0].AsString);
                if (bytes.Length > 0 && bytes[^1] == '\r') bytes = bytes[..^1];
                return bytes.ToArray();
            }
            catch (LuaRuntimeException)
            {
                return null;   // io.stdin closed by the user: the session ends as at end of input
            }
        }
    }
}
