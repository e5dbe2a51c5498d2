using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Compiler;
using Xunit;
using static Tiered.Interpreter.Tests.Compiler.Codegen;

namespace Tiered.Interpreter.Tests.Compiler;

/// <summary>The listing format follows `luac -l -l` (with prototype ids instead of addresses).</summary>
public class DisassemblerTests
{
    [Fact]
    public void ListsHeadersCodeAndTables()
    {
        string listing = Disassembler.Listing(LuaCompiler.Compile(
            "local t = {}\nfunction t.f(a, ...) return a .. 'x\\n' end\nprint(t.f(1.0))\n"u8.ToArray(), "@demo.lua"));
        string expected = """

            main <demo.lua:0,0> (11 instructions at 0)
            0+ params, 4 slots, 1 upvalue, 1 local, 2 constants, 1 function
            	1	[1]	VARARGPREP	0
            	2	[1]	NEWTABLE 	0 0 0	; 0
            	3	[1]	EXTRAARG 	0
            	4	[2]	CLOSURE  	1 0	; function <demo.lua:2,2>
            	5	[2]	SETFIELD 	0 0 1	; "f"
            	6	[3]	GETTABUP 	1 0 1	; _ENV "print"
            	7	[3]	GETFIELD 	2 0 0	; "f"
            	8	[3]	LOADF    	3 1
            	9	[3]	CALL     	2 2 0	; 1 in all out
            	10	[3]	CALL     	1 0 1	; all in 0 out
            	11	[3]	RETURN   	1 1 1	; 0 out
            constants (2) for 0:
            	0	S	"f"
            	1	S	"print"
            locals (1) for 0:
            	0	t	4	12
            upvalues (1) for 0:
            	0	_ENV	1	0

            function <demo.lua:2,2> (6 instructions at 0.0)
            1+ param, 3 slots, 0 upvalues, 1 local, 1 constant, 0 functions
            	1	[2]	VARARGPREP	1
            	2	[2]	MOVE     	1 0
            	3	[2]	LOADK    	2 0	; "x\n"
            	4	[2]	CONCAT   	1 2
            	5	[2]	RETURN   	1 2 2	; 1 out
            	6	[2]	RETURN   	1 1 2	; 0 out
            constants (1) for 0.0:
            	0	S	"x\n"
            locals (1) for 0.0:
            	0	a	1	7
            upvalues (0) for 0.0:

            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), listing);
    }

    [Fact]
    public void PrintsConstantsLikeLuac()
    {
        Assert.Equal("1.0", Disassembler.ConstantText(Constant.Num(1)));
        Assert.Equal("1e+100", Disassembler.ConstantText(Constant.Num(1e100)));
        Assert.Equal("-9223372036854775808", Disassembler.ConstantText(Constant.Int(long.MinValue)));
        Assert.Equal("\"a\\\"b\\0001\\255\"", Disassembler.ConstantText(Constant.Str([(byte)'a', (byte)'"', (byte)'b', 0, (byte)'1', 255])));
    }

    [Fact]
    public void CommentsJumpTargets()
    {
        string code = Disassembler.Code(Compile("for i = 1, 2 do end"));
        Assert.Contains("FORPREP  \t0 0\t; exit to 7", code);
        Assert.Contains("FORLOOP  \t0 1\t; to 6", code);
    }
}
