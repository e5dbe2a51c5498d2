using Xunit;

namespace Tiered.Cli.Tests;

/// <summary>The REPL (<c>tiered</c> with no arguments) fed through a pipe: no prompts, only
/// values on stdout and errors on stderr (texts as lua5.4 -i prints them).</summary>
public sealed class ReplTests : IDisposable
{
    private readonly ScratchDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private CliResult Repl(string input, params string[] args) => TieredProcess.Run(dir.Path, input, args);

    [Theory]
    [InlineData("off")]
    [InlineData("eager")]
    public void ExpressionsPrintTheirValuesAndGlobalsCarryOver(string jit)
    {
        CliResult r = Repl("1 + 1\nx = 5\nx, x * 2\n'text'\nnil\nreturn 1, nil, 'x'\nprint('stmt')\n", "--jit", jit);
        Assert.Equal("2\n5\t10\ntext\nnil\n1\tnil\tx\nstmt\n", r.StdOut);
        Assert.Equal("", r.StdErr);
        Assert.Equal(0, r.ExitCode);
    }

    [Theory]
    [InlineData("off")]
    [InlineData("eager")]
    public void MultiLineDefinitionContinuesUntilComplete(string jit)
    {
        string input = "function f(a)\n  local s = 0\n  for i = 1, a do s = s + i end\n  return s\nend\nf(100000)\nt = {\n1,\n2}\n#t\n";
        CliResult r = Repl(input, "--jit", jit);
        Assert.Equal("5000050000\n2\n", r.StdOut);
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public void ErrorIsPrintedAndTheLoopGoesOn()
    {
        CliResult r = Repl("error('bad')\nprint('after')\n1 +\nprint(3)\n");
        Assert.Equal("after\n3\n", r.StdOut);
        Assert.Equal("stdin:1: bad\nstack traceback:\n\t[C]: in function 'error'\n\tstdin:1: in main chunk\n\t[C]: in ?\n" +
                     "stdin:1: unexpected symbol near '1'\n", r.StdErr);
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public void ValuesUseToString()
    {
        CliResult r = Repl("setmetatable({}, { __tostring = function() return 'T!' end })\n");
        Assert.Equal("T!\n", r.StdOut);
    }

    [Fact]
    public void InputEndingInsideAStatementReportsWhatIsMissing()
    {
        CliResult r = Repl("print('before')\nfor\n");
        Assert.Equal("before\n", r.StdOut);
        Assert.Equal("stdin:1: <name> expected near <eof>\n", r.StdErr);
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public void OsExitEndsTheReplWithItsCode()
    {
        CliResult r = Repl("print(1)\nos.exit(7)\nprint(2)\n");
        Assert.Equal("1\n", r.StdOut);
        Assert.Equal(7, r.ExitCode);
    }

    [Fact]
    public void ExecuteStringsRunBeforeTheFirstLine()
    {
        CliResult r = Repl("z\n", "repl", "-e", "z = 'from -e'");
        Assert.Equal("from -e\n", r.StdOut);
    }

    [Fact]
    public void IoReadSeesTheLinesAfterItsOwn()
    {
        CliResult r = Repl("print(io.read('l'))\nhello\nprint('next')\n");
        Assert.Equal("hello\nnext\n", r.StdOut);
    }

    [Fact]
    public void EmptyInputExitsZero()
    {
        CliResult r = Repl("");
        Assert.Equal("", r.StdOut);
        Assert.Equal(0, r.ExitCode);
    }

    [Theory]
    [InlineData("off")]
    [InlineData("eager")]
    public async Task CtrlCInterruptsTheRunningLineAndTheLoopGoesOn(string jit)
    {
        using var p = TieredProcess.Start(dir.Path, "--jit", jit);
        // stderr is unbuffered, so "looping" arrives while the loop runs.
        p.StandardInput.WriteLine("io.stderr:write('looping\\n') local n = 0 while true do n = n + 1 end");
        p.StandardInput.Flush();
        Assert.Equal("looping", await p.StandardError.ReadLineAsync());
        Assert.Equal(0, TieredProcess.Kill(p.Id, TieredProcess.SigInt));
        p.StandardInput.WriteLine("print('alive')");
        p.StandardInput.Close();
        Task<string> output = p.StandardOutput.ReadToEndAsync();
        Task<string> errors = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await p.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(true);
            Assert.Fail("the loop was not interrupted");
        }
        Assert.Equal("alive\n", await output);
        Assert.StartsWith("stdin:1: interrupted!\nstack traceback:", await errors);
        Assert.Equal(0, p.ExitCode);
    }
}
