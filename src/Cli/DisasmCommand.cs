using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Compiler;
using Tiered.Interpreter.Syntax;

namespace Tiered.Cli;

/// <summary><c>tiered disasm</c>: the bytecode listing of a script, like <c>luac -l -l</c>.</summary>
internal static class DisasmCommand
{
    public const string Usage =
        "usage: tiered disasm script.lua\n" +
        "  -h, --help          show this help\n" +
        "  --version           show the version\n";

    public static int Run(string[] args)
    {
        if (args.Length == 1 && Program.HelpOrVersion(args[0], Usage) is int done) return done;
        if (args.Length != 1) return Program.UsageError("disasm needs one script", Usage);
        if (args[0].StartsWith('-') && args[0] != "-") return Program.UsageError($"unrecognized option '{args[0]}'", Usage);
        string path = args[0];
        byte[] source;
        try
        {
            if (path == "-")
            {
                var ms = new MemoryStream();
                Console.OpenStandardInput().CopyTo(ms);
                source = ms.ToArray();
            }
            else source = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"tiered: cannot open {path}: {ex.Message}");
            return Program.ExitScriptError;
        }
        try
        {
            FunctionProto p = LuaCompiler.Compile(source, path == "-" ? "=stdin" : "@" + path, skipShebang: true);
            Console.Out.Write(Disassembler.Listing(p));
            return Program.ExitOk;
        }
        catch (LuaSyntaxException ex)
        {
            Console.Error.WriteLine("tiered: " + ex.Message);
            return Program.ExitScriptError;
        }
    }
}
