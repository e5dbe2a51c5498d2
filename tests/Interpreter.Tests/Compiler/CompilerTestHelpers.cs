using System.Text;
using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Compiler;
using Tiered.Interpreter.Syntax;
using Xunit;

namespace Tiered.Interpreter.Tests.Compiler;

/// <summary>Compiles snippets and renders their code as compact "OPNAME operands" lines.</summary>
internal static class Codegen
{
    public static FunctionProto Compile(string source) =>
        LuaCompiler.Compile(Encoding.UTF8.GetBytes(source), "=test");

    /// <summary>Instructions of <paramref name="p"/> as "OPNAME a b c" (no pc, line or comment).</summary>
    public static string[] Ops(FunctionProto p) =>
        Disassembler.Code(p).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line =>
            {
                // "\t<pc>\t[<line>]\t<NAME padded>\t<operands>[\t; comment]"
                string[] f = line.Split('\t');
                string ops = f.Length > 4 ? f[4] : "";
                return (f[3].Trim() + " " + ops).Trim();
            })
            .ToArray();

    /// <summary>Ops of the main function, without its leading VARARGPREP and trailing final RETURN.</summary>
    public static string[] MainBody(string source)
    {
        string[] ops = Ops(Compile(source));
        Assert.Equal("VARARGPREP 0", ops[0]);
        Assert.StartsWith("RETURN ", ops[^1]);
        return ops[1..^1];
    }

    public static string CompileError(string source) =>
        Assert.Throws<LuaSyntaxException>(() => Compile(source)).Message;
}
