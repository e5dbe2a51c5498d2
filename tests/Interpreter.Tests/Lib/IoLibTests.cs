using System.Text;
using Tiered.Interpreter.Lib;
using Tiered.Interpreter.VM;
using Xunit;

namespace Tiered.Interpreter.Tests.Lib;

/// <summary>Runs a chunk with given standard input; returns stdout, and the os.exit code if any.</summary>
internal static class IoRunner
{
    public static (string Out, int? ExitCode) Run(string code, string stdin = "", bool gcStress = false)
    {
        var output = new MemoryStream();
        var input = new MemoryStream(Encoding.Latin1.GetBytes(stdin));
        int? exit = null;
        using (var L = new LuaState(new LuaStateOptions { StandardOutput = output, StandardInput = input, GcStress = gcStress }))
        {
            Libraries.OpenAll(L);
            try { L.CallFunction(L.LoadChunk(Encoding.UTF8.GetBytes(code), "=test")); }
            catch (LuaExitException e) { exit = e.Code; }
        }
        return (Encoding.Latin1.GetString(output.ToArray()), exit);
    }

    public static string Out(string code, string stdin = "", bool gcStress = false) => Run(code, stdin, gcStress).Out;
}

// Expected outputs were produced by lua5.4 (5.4.4) running the same code.
public class IoLibTests
{
    private const string FileRoundTrip = """
        local name = os.tmpname()
        local f = assert(io.open(name, "w"))
        print(f:write("alpha\n", 12, " ", 2.5, " ", 2^63, " 0x1p4 -.5e1 zz\n", "tail") == f)
        f:close()
        f = assert(io.open(name))
        print(f:read("l"), f:read("n", "n", "n", "n", "n", "n"))
        print(f:read("L"), f:read(2), f:read(0), f:read("a"), f:read(0), f:read("l"), f:read("a"))
        print(f:seek("set", 2), f:read(3), f:seek("cur"), f:seek("end"))
        print(f:seek("set", -1))
        f:close()
        print(io.type(f), tostring(f), pcall(f.read, f))
        local n = 0
        for a, b in io.lines(name, 1, "l") do n = n + 1; io.write(a, "|", tostring(b), ";") end
        print(n)
        local it, s, c, closing = io.lines(name)
        print(type(it), s, c, io.type(closing))
        while it() do end
        print(io.type(closing), pcall(it))
        print(pcall(function() for l in io.lines(name, "x") do end end))
        f = assert(io.open(name, "r+"))
        f:write("AL")
        f:seek("set", 0)
        print(f:read("a"))
        f:close()
        f = assert(io.open(name, "a+"))
        print(f:seek())
        f:write("!")
        f:seek("set")
        print(f:read("a"))
        f:close()
        print(os.remove(name))
        """;

    private const string FileRoundTripExpected =
        "true\n" +
        "alpha\t12\t2.5\t9.2233720368548e+18\t16.0\t-5.0\tnil\n" +
        "zz\n\tta\t\til\tnil\tnil\t\n" +
        "2\tpha\t5\t52\n" +
        "nil\tInvalid argument\t22\n" +
        "closed file\tfile (closed)\tfalse\tattempt to use a closed file\n" +
        "a|lpha;1|2 2.5 9.2233720368548e+18 0x1p4 -.5e1 zz;t|ail;3\n" +
        "function\tnil\tnil\tfile\n" +
        "closed file\tfalse\tfile is already closed\n" +
        "false\ttest:19: bad argument #2 to 'for iterator' (invalid format)\n" +
        "ALpha\n12 2.5 9.2233720368548e+18 0x1p4 -.5e1 zz\ntail\n" +
        "0\n" +
        "ALpha\n12 2.5 9.2233720368548e+18 0x1p4 -.5e1 zz\ntail!\n" +
        "true\n";

    [Fact]
    public void ReadsWritesSeeksAndIteratesFiles() =>
        Assert.Equal(FileRoundTripExpected, IoRunner.Out(FileRoundTrip));

    [Fact]
    public void FileHandlesSurviveCollectionAtEverySafepoint() =>
        Assert.Equal(FileRoundTripExpected, IoRunner.Out(FileRoundTrip, gcStress: true));

    [Fact]
    public void ErrorsAndStandardFiles()
    {
        Assert.Equal(
            "nil\t/nonexistent/x: No such file or directory\t2\n" +
            "false\tbad argument #2 to 'io.open' (invalid mode)\n" +
            "nil\tcannot close standard file\n" +
            "file\tnil\n" +
            "false\tcannot open file '/nonexistent/x' (No such file or directory)\n" +
            "a11-0inf\n" +
            "true\n" +
            "false\tbad argument #1 to 'io.write' (string expected, got table)\n" +
            "false\t'popen' not supported\n",
            IoRunner.Out("""
                print(io.open("/nonexistent/x"))
                print(pcall(io.open, "x", "rb+"))
                print(io.stdout:close())
                print(io.type(io.stdout), io.type(42))
                print(pcall(io.lines, "/nonexistent/x"))
                print(io.write("a", 1, 1.0, -0.0, 1/0, "\n") == io.stdout)
                print(pcall(io.write, {}))
                print(pcall(io.popen, "ls"))
                """));
    }

    [Fact]
    public void DirectoriesOpenForReadingButFailToRead()
    {
        Assert.Equal(
            "nil\t/tmp: Is a directory\t21\n" +
            "nil\tIs a directory\t21\n",
            IoRunner.Out("""
                print(io.open("/tmp", "w"))
                print(io.open("/tmp"):read())
                """));
    }

    [Fact]
    public void ReadsStandardInputAndSharesStandardOutputWithPrint()
    {
        Assert.Equal(
            "prompt: 42\t rest\nline two\n\n[x]\n[y]\n\tnil\n",
            IoRunner.Out("""
                io.write("prompt: ")
                print(io.read("n", "l"))
                print(io.read("L"))
                for l in io.lines() do print("[" .. l .. "]") end
                print(io.read("a"), io.read("l"))
                """, stdin: "  42 rest\nline two\nx\ny"));
    }

    [Fact]
    public void DefaultOutputCanBeRedirectedAndClosed()
    {
        Assert.Equal(
            "true\nfalse\tdefault output file is closed\nto file 1 2\n",
            IoRunner.Out("""
                local name = os.tmpname()
                io.output(name)
                io.write("to file ", 1, " ", 2.0, "\n")
                print(io.output() ~= io.stdout)
                io.close()
                print(pcall(io.write, "x"))
                io.output(io.stdout)
                for l in io.lines(name, "L") do io.write(l) end
                os.remove(name)
                """));
    }

    [Fact]
    public void ExitFlushesOpenFiles()
    {
        string name = Path.GetTempFileName();
        try
        {
            (string output, int? code) = IoRunner.Run($"""
                local f = io.open("{name}", "w")
                f:write("data")
                io.write("before exit")
                os.exit(3)
                """);
            Assert.Equal(("before exit", 3), (output, code));
            Assert.Equal("data", File.ReadAllText(name));
            Assert.Equal(0, IoRunner.Run("os.exit(true)").ExitCode);
            Assert.Equal(1, IoRunner.Run("os.exit(false)").ExitCode);
        }
        finally { File.Delete(name); }
    }
}
