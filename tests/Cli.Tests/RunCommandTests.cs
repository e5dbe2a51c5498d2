using Xunit;

namespace Tiered.Cli.Tests;

/// <summary><c>tiered run</c>'s lua5.4-style options, error reports and exit codes
/// (expected texts checked against lua5.4 4 by hand, with "lua5.4:" read as "tiered:").</summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly ScratchDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private CliResult Tiered(params string[] args) => TieredProcess.Run(dir.Path, null, args);

    [Fact]
    public void ExecuteStringsRunInOrderBeforeTheScript()
    {
        dir.Write("main.lua", "print('script', x)");
        CliResult r = Tiered("run", "-e", "x = 1", "-e", "x = x * 10 print('e', x)", "main.lua");
        Assert.Equal("e\t10\nscript\t10\n", r.StdOut);
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public void ExecuteStringsWithoutAScriptRunAndExit()
    {
        CliResult r = Tiered("run", "-e", "print(1)", "-e", "print(2)");
        Assert.Equal("1\n2\n", r.StdOut);
        Assert.Equal("", r.StdErr);
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public void LibraryOptionRequiresIntoAGlobal()
    {
        dir.Write("mymod.lua", "loaded = (loaded or 0) + 1 return { v = 42 }");
        CliResult r = Tiered("run", "-l", "mymod", "-l", "g=mymod", "-e", "print(mymod.v, g.v, g == mymod, loaded)");
        Assert.Equal("42\t42\ttrue\t1\n", r.StdOut);
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public void LibraryOptionAndExecuteStringInterleaveInOrder()
    {
        dir.Write("mymod.lua", "print('loading', before) return {}");
        CliResult r = Tiered("run", "-e", "before = 'yes'", "-l", "mymod", "-e", "print(type(mymod))");
        Assert.Equal("loading\tyes\ntable\n", r.StdOut);
    }

    [Fact]
    public void MissingModuleIsAScriptErrorWithTheSearchedPaths()
    {
        CliResult r = Tiered("run", "-l", "no_such_module");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("tiered: module 'no_such_module' not found:\n\tno field package.preload['no_such_module']", r.StdErr);
        Assert.Contains("stack traceback:\n\t[C]: in function 'require'", r.StdErr);
    }

    [Fact]
    public void DashReadsTheScriptFromStdinWithItsArguments()
    {
        CliResult r = TieredProcess.Run(dir.Path, "print(arg[0], ...)\nprint(io.read('l'))\n", "run", "-", "a", "b");
        // The whole of stdin is the chunk, so io.read finds nothing left.
        Assert.Equal("-\ta\tb\nnil\n", r.StdOut);
        Assert.Equal(0, r.ExitCode);
    }

    /// <summary>debug.debug runs standard input's lines until "cont", with lua5.4's prompt and
    /// error texts on stderr, and leaves the rest of the input to io.read.</summary>
    [Fact]
    public void DebugDebugRunsCommandsFromStdinUntilCont()
    {
        dir.Write("dbg.lua", "io.write('before\\n')\ndebug.debug()\nprint('after', io.read('l'))\n");
        CliResult r = TieredProcess.Run(dir.Path, "print('hello', 1 + 2)\nerror('oops')\nthis is bad\ncont\nrest\n", "run", "dbg.lua");
        Assert.Equal("before\nhello\t3\nafter\trest\n", r.StdOut);
        Assert.Equal("lua_debug> lua_debug> (debug command):1: oops\nlua_debug> (debug command):1: syntax error near 'is'\nlua_debug> ", r.StdErr);
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public void ArgTableHasTheScriptAtZeroAndTheCommandBefore()
    {
        dir.Write("args.lua", "print(arg[-4], arg[-3], arg[-2], arg[-1], arg[0], arg[1], #arg)");
        CliResult r = Tiered("run", "-e", "x=1", "args.lua", "one");
        Assert.Equal("tiered\trun\t-e\tx=1\targs.lua\tone\t1\n", r.StdOut);
    }

    [Fact]
    public void RuntimeErrorInExecuteStringPrintsMessageAndTraceback()
    {
        CliResult r = Tiered("run", "-e", "error('boom')");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("tiered: (command line):1: boom\nstack traceback:\n\t[C]: in function 'error'\n\t(command line):1: in main chunk\n\t[C]: in ?\n", r.StdErr);
    }

    [Fact]
    public void SyntaxErrorPrintsOnlyTheMessage()
    {
        CliResult r = Tiered("run", "-e", "x =");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("tiered: (command line):1: unexpected symbol near <eof>\n", r.StdErr);
    }

    [Fact]
    public void ErrorsStopTheCommandLineAtTheFailingOption()
    {
        dir.Write("main.lua", "print('script ran')");
        CliResult r = Tiered("run", "-e", "print('first')", "-e", "error('second')", "-e", "print('third')", "main.lua");
        Assert.Equal("first\n", r.StdOut);
        Assert.Equal(1, r.ExitCode);
    }

    [Fact]
    public void MissingScriptCannotBeOpened()
    {
        CliResult r = Tiered("run", "no_such_script.lua");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("tiered: cannot open no_such_script.lua: No such file or directory\n", r.StdErr);
    }

    [Fact]
    public void ErrorObjectWithToStringIsItsOwnMessageWithoutTraceback()
    {
        CliResult r = Tiered("run", "-e", "error(setmetatable({}, { __tostring = function() return 'custom' end }))");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("tiered: custom\n", r.StdErr);
    }

    [Fact]
    public void OsExitGivesItsCode()
    {
        CliResult r = Tiered("run", "-e", "io.write('out') os.exit(3)");
        Assert.Equal(3, r.ExitCode);
        Assert.Equal("out", r.StdOut);
    }

    [Fact]
    public void InteractiveOptionRunsTheReplAfterTheScript()
    {
        dir.Write("setup.lua", "y = 21");
        CliResult r = TieredProcess.Run(dir.Path, "y * 2\n", "run", "-i", "setup.lua");
        Assert.Equal("42\n", r.StdOut);
        Assert.Equal(0, r.ExitCode);
    }

    [Theory]
    [InlineData("tiered: unrecognized option '-x'", "run", "-x")]
    [InlineData("tiered: '-e' needs argument", "run", "-e")]
    [InlineData("tiered: '-l' needs argument", "run", "-l")]
    [InlineData("tiered: --jit needs off, adaptive or eager", "run", "--jit", "fast", "x.lua")]
    [InlineData("tiered: --log-level needs trace, debug, information, warning, error or none", "run", "--log-level", "loud", "x.lua")]
    [InlineData("tiered: no script given (use '-' for stdin, or -e CODE)", "run")]
    [InlineData("tiered: unknown command 'frobnicate'", "frobnicate")]
    [InlineData("tiered: disasm needs one script", "disasm")]
    [InlineData("tiered: cache needs list, stats, verify or clear", "cache")]
    [InlineData("tiered: unexpected argument 'purge'", "cache", "purge")]
    [InlineData("tiered: --delete goes with verify", "cache", "list", "--delete")]
    [InlineData("tiered: unexpected argument 'script.lua'", "repl", "script.lua")]
    public void UsageErrorsExitTwoWithOneLineAndTheUsage(string message, params string[] args)
    {
        CliResult r = Tiered(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.StdOut);
        string[] lines = r.StdErr.Split('\n');
        Assert.Equal(message, lines[0]);
        Assert.StartsWith("usage: tiered", lines[1]);
    }

    [Theory]
    [InlineData("usage: tiered ")]
    [InlineData("usage: tiered run ", "run")]
    [InlineData("usage: tiered [repl] ", "repl")]
    [InlineData("usage: tiered disasm ", "disasm")]
    [InlineData("usage: tiered cache ", "cache")]
    public void EveryCommandHasHelpAndVersion(string usage, params string[] command)
    {
        foreach (string flag in new[] { "--help", "-h" })
        {
            CliResult help = Tiered([.. command, flag]);
            Assert.Equal(0, help.ExitCode);
            Assert.StartsWith(usage, help.StdOut);
            Assert.Contains("--help", help.StdOut);
        }
        CliResult version = Tiered([.. command, "--version"]);
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^tiered \d+\.\d+.* \(Lua 5\.4\)\n$", version.StdOut);
    }

    [Fact]
    public void DisasmListsTheBytecode()
    {
        dir.Write("d.lua", "local x = 1 + 2\nprint(x)\n");
        CliResult r = Tiered("disasm", "d.lua");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("GETTABUP", r.StdOut);
        Assert.Contains("CALL", r.StdOut);
    }
}
