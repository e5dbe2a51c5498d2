using Tiered.Interpreter.Compiler;
using Tiered.Interpreter.Syntax;
using Xunit;
using static Tiered.Interpreter.Tests.Compiler.Codegen;

namespace Tiered.Interpreter.Tests.Compiler;

/// <summary>
/// Errors the compiler (not the parser) reports. Expected texts, line prefixes included, are
/// what `luac5.4 -p` prints for the same source (chunk "=test" displays as "test").
/// </summary>
public class CompileErrorTests
{
    [Theory]
    [InlineData("goto x", "test:1: no visible label 'x' for <goto> at line 1")]
    [InlineData("local a\ngoto x\n\nlocal b\n\n", "test:6: no visible label 'x' for <goto> at line 2")]
    [InlineData("function f()\ngoto l\nend\n::l::\n", "test:4: no visible label 'l' for <goto> at line 2")]
    [InlineData("do ::l:: end goto l", "test:1: no visible label 'l' for <goto> at line 1")]
    [InlineData("x = function() goto y end ::y::", "test:1: no visible label 'y' for <goto> at line 1")]
    public void UndefinedLabel(string source, string message) => Assert.Equal(message, CompileError(source));

    [Theory]
    [InlineData("do goto x; local y = 1; ::x:: print(y) end", "test:1: <goto x> at line 1 jumps into the scope of local 'y'")]
    [InlineData("do\ngoto x\nlocal y = 1\n::x::\nprint(y)\nend\n\n", "test:5: <goto x> at line 2 jumps into the scope of local 'y'")]
    [InlineData("goto f; local a; ::f:: ::g:: x = 1", "test:1: <goto f> at line 1 jumps into the scope of local 'a'")]
    // Before 'until' a label is not at the end of the block: the body's locals are still in scope.
    [InlineData("repeat local x; goto l; local y = 1; ::l:: until y", "test:1: <goto l> at line 1 jumps into the scope of local 'y'")]
    public void GotoIntoLocalScope(string source, string message) => Assert.Equal(message, CompileError(source));

    [Theory]
    [InlineData("do goto l; local y = 1; ::l:: end")]          // a label at the end of a block is outside its locals' scope
    [InlineData("goto f; local a; ::f:: ::g::")]
    [InlineData("for i = 1, 2 do goto continue; local z = 1; ::continue:: end")]
    [InlineData("do local a = 1; goto f; end ::f::")]
    [InlineData("local x; ::l1:: do goto l1 end")]
    public void LegalGotos(string source) => Compile(source);

    [Theory]
    [InlineData("::a:: ::b:: x = 1 ::a::", "test:1: label 'a' already defined on line 1")]
    [InlineData("::a::\n\n::a::\n", "test:4: label 'a' already defined on line 3")]  // consecutive labels: Lua reports the later one
    [InlineData("do ::a:: end\n\n::a::\nlocal x\n::a::", "test:5: label 'a' already defined on line 3")]
    public void RepeatedLabel(string source, string message) => Assert.Equal(message, CompileError(source));

    [Theory]
    [InlineData("break", "test:1: break outside loop at line 1")]
    [InlineData("if x then\n\nbreak\n\nend\n", "test:6: break outside loop at line 3")]
    [InlineData("while 1 do\n local function f()\n break\n end\nend", "test:5: break outside loop at line 3")]
    public void BreakOutsideLoop(string source, string message) => Assert.Equal(message, CompileError(source));

    [Theory]
    [InlineData("local x <const> = 1; x = 2", "test:1: attempt to assign to const variable 'x'")]
    [InlineData("local x <const> = {}; x = 2", "test:1: attempt to assign to const variable 'x'")]
    [InlineData("local x <close> = nil; x = 2", "test:1: attempt to assign to const variable 'x'")]
    [InlineData("local x <const> = 1\n\nx\n=\n2\n", "test:4: attempt to assign to const variable 'x'")]
    [InlineData("local x <const> = 1\n\nx,y\n=\n2\n", "test:3: attempt to assign to const variable 'x'")]
    [InlineData("local a <const> = 1; function a() end", "test:1: attempt to assign to const variable 'a'")]
    [InlineData("local a <const> = {}; local function f() a = 1 end", "test:1: attempt to assign to const variable 'a'")]
    [InlineData("local a <const> = 5; local function f() a = 1 end", "test:1: attempt to assign to const variable 'a'")]
    public void AssignmentToConst(string source, string message) => Assert.Equal(message, CompileError(source));

    [Fact]
    public void TooManyLocalsInMainFunction()
    {
        string names = string.Join(",", Enumerable.Range(0, 201).Select(i => "a" + i));
        Assert.Equal("test:1: too many local variables (limit is 200) in main function near '='",
            CompileError($"local {names} = 1"));
    }

    [Fact]
    public void TooManyLocalsInFunction()
    {
        string names = string.Join(",", Enumerable.Range(0, 201).Select(i => "a" + i));
        Assert.Equal("test:2: too many local variables (limit is 200) in function at line 1 near ','",
            CompileError($"local function f(x)\n  local {names}\nend"));
    }

    [Fact]
    public void TwoHundredLocalsAreFine()
    {
        string names = string.Join(",", Enumerable.Range(0, 200).Select(i => "a" + i));
        Assert.Equal(200, Compile($"local {names} = 1").LocalVars.Length);
    }

    [Fact]
    public void TooManyUpvalues()
    {
        var src = new System.Text.StringBuilder();
        for (int i = 0; i < 130; i++) src.Append($"local a{i} = 1\n");
        src.Append("local function f()\n");
        for (int i = 0; i < 130; i++) src.Append($"local b{i} = 1\n");
        src.Append("return function() return ");
        src.Append(string.Join("+", Enumerable.Range(0, 130).Select(i => "a" + i).Concat(Enumerable.Range(0, 130).Select(i => "b" + i))));
        src.Append(" end\nend\n");
        // luac5.4 adds " near '+'": the tree does not know the next token.
        Assert.StartsWith("test:262: too many upvalues (limit is 255) in function at line 262", CompileError(src.ToString()));
    }

    [Fact]
    public void TooManyRegisters()
    {
        string args = string.Join(",", Enumerable.Range(0, 300));
        Assert.StartsWith("test:1: function or expression needs too many registers", CompileError($"print({args})"));
    }

    [Fact]
    public void ChunkNameIsDisplayedLikeLua()
    {
        var e = Assert.Throws<LuaSyntaxException>(() =>
            LuaCompiler.Compile("break"u8.ToArray(), "@dir/file.lua"));
        Assert.Equal("dir/file.lua:1: break outside loop at line 1", e.Message);
        e = Assert.Throws<LuaSyntaxException>(() =>
            LuaCompiler.Compile("break"u8.ToArray(), "break"));
        Assert.Equal("[string \"break\"]:1: break outside loop at line 1", e.Message);
    }
}
