using Tiered.Interpreter.Bytecode;
using Xunit;
using static Tiered.Interpreter.Tests.Compiler.Codegen;

namespace Tiered.Interpreter.Tests.Compiler;

/// <summary>
/// Instruction selection, checked on listings of small snippets. Expected code matches
/// `luac5.4 -l` except where Tiered's instruction set differs on purpose (no MMBIN: only
/// "register op constant" uses the K/immediate arithmetic forms, and operands are never
/// swapped or negated).
/// </summary>
public class CodegenTests
{
    // ---- Constants and folding ------------------------------------------------------------

    [Fact]
    public void FoldsIntegerArithmetic() =>
        Assert.Equal(["LOADI 0 4"], MainBody("local x = 2 * 3 + 1 - 10 // 3"));

    [Fact]
    public void FoldsFloatsAndLargeValuesIntoConstants()
    {
        FunctionProto p = Compile("local a, b, c = 2^0.5, 1 << 62, 7 // 2.0");
        Assert.Equal(["VARARGPREP 0", "LOADK 0 0", "LOADK 1 1", "LOADF 2 3", "RETURN 3 1 1"], Ops(p));
        Assert.Equal(Constant.Num(Math.Sqrt(2)), p.Constants[0]);
        Assert.Equal(Constant.Int(1L << 62), p.Constants[1]);
    }

    [Fact]
    public void FoldsUnaryMinusAndBitwiseNot() =>
        Assert.Equal(["LOADI 0 -5", "LOADI 1 -1", "LOADF 2 -2"], MainBody("local a, b, c = -5, ~0, -2.0"));

    [Fact]
    public void FoldsWithWraparound()
    {
        FunctionProto p = Compile("return 9223372036854775807 + 1");
        Assert.Equal(Constant.Int(long.MinValue), p.Constants[0]);
    }

    [Theory]
    [InlineData("-2.5 % -1", -0.5)]
    [InlineData("5.5 % -2", -0.5)]
    [InlineData("-5.5 % 2", 0.5)]
    [InlineData("-7 // 2.0", -4.0)]
    [InlineData("2^-1", 0.5)]
    [InlineData("7 / 2", 3.5)]
    public void FoldsFloatResultsWithLuaSemantics(string expr, double expected) =>
        Assert.Equal(Constant.Num(expected), FoldedValue($"local x = {expr}"));

    [Theory]
    [InlineData("7 // -2", -4)]
    [InlineData("-7 % 3", 2)]
    [InlineData("7 % -3", -2)]
    [InlineData("(-9223372036854775807 - 1) // -1", long.MinValue)]
    [InlineData("(-9223372036854775807 - 1) % -1", 0)]
    [InlineData("1 << 64", 0)]
    [InlineData("-1 >> 1", long.MaxValue)]
    [InlineData("3.0 | 4", 7)]
    [InlineData("2^53 | 0", 1L << 53)]
    public void FoldsIntegerResultsWithLuaSemantics(string expr, long expected) =>
        Assert.Equal(Constant.Int(expected), FoldedValue($"local x = {expr}"));

    /// <summary>The value loaded by the single instruction that the folded initializer became.</summary>
    private static Constant FoldedValue(string source)
    {
        FunctionProto p = Compile(source);
        Assert.Equal(3, p.Code.Length);  // VarArgPrep, the load, Return
        uint load = p.Code[1];
        return Instruction.Op(load) switch
        {
            OpCode.LoadI => Constant.Int(Instruction.SBx(load)),
            OpCode.LoadF => Constant.Num(Instruction.SBx(load)),
            OpCode.LoadK => p.Constants[Instruction.Bx(load)],
            _ => throw new Xunit.Sdk.XunitException("not folded: " + Ops(p)[1]),
        };
    }

    [Fact]
    public void DoesNotFoldOperationsThatRaiseOrYieldNaNOrZero()
    {
        // Integer division/modulo by zero must raise at run time; 0/0 is NaN; 1.5 & 1 raises;
        // -0.0 must keep its sign.
        Assert.Equal(
            ["LOADI 0 1", "IDIVK 0 0 0", "LOADI 1 3", "MODK 1 1 0", "LOADI 2 0", "DIVK 2 2 0",
             "LOADK 3 2", "BANDK 3 3 1", "LOADF 4 0", "UNM 4 4"],
            MainBody("local a, b, c, d, e = 1 // 0, 3 % 0, 0/0, 1.5 & 1, -0.0"));
    }

    [Fact]
    public void LoadsSmallNumbersAsImmediates() =>
        Assert.Equal(["LOADI 0 65536", "LOADK 1 0", "LOADF 2 -65535", "LOADK 3 1", "LOADK 4 2"],
            MainBody("local a, b, c, d, e = 65536, 65537, -65535.0, 0.5, 'str'"));

    [Fact]
    public void DeduplicatesConstants()
    {
        FunctionProto p = Compile("local a, b, c, d = 'x', 'x', 1.5, 1.5; print(a); print(b)");
        Assert.Equal([Constant.Str("x"u8.ToArray()), Constant.Num(1.5), Constant.Str("print"u8.ToArray())], p.Constants);
    }

    [Fact]
    public void CompileTimeConstantsTakeNoRegister()
    {
        FunctionProto p = Compile("local a <const> = 10; local b <const> = 'hi'; local c <const> = a * 2; local t <const> = {}; return a + c, b, t");
        Assert.Equal(["VARARGPREP 0", "NEWTABLE 0 0 0", "EXTRAARG 0", "LOADI 1 30", "LOADK 2 0", "MOVE 3 0", "RETURN 1 4 1", "RETURN 1 1 1"], Ops(p));
        Assert.Equal(["t"], p.LocalVars.Select(v => v.Name));  // constants have no debug entry
    }

    [Fact]
    public void CompileTimeConstantsAreSeenByNestedFunctionsWithoutUpvalues()
    {
        FunctionProto p = Compile("local k <const> = 7; return function() return k end");
        Assert.Empty(p.Protos[0].Upvalues);
        Assert.Equal(["LOADI 0 7", "RETURN1 0", "RETURN0"], Ops(p.Protos[0]));
    }

    // ---- Variables ------------------------------------------------------------------------

    [Fact]
    public void GlobalsUseGetTabUpAndSetTabUpOnEnv()
    {
        FunctionProto p = Compile("x = y");
        Assert.Equal(["GETTABUP 0 0 1", "SETTABUP 0 0 0"], MainBody("x = y"));
        Assert.Equal(new UpvalueDesc("_ENV", true, 0, VarKind.Regular), p.Upvalues[0]);
    }

    [Fact]
    public void StoresConstantsDirectlyWithKFlag() =>
        Assert.Equal(["SETTABUP 0 0 1k", "SETTABUP 0 2 3k"], MainBody("x = 1; y = 'z'"));

    [Fact]
    public void LocalEnvRedirectsGlobals() =>
        Assert.Equal(["NEWTABLE 0 0 0", "EXTRAARG 0", "SETFIELD 0 0 1k", "GETFIELD 1 0 2"],
            MainBody("local _ENV = {}; x = 1; local y = z"));

    [Fact]
    public void NestedFunctionsReachEnvThroughUpvalues()
    {
        FunctionProto p = Compile("return function() return function() return g end end");
        FunctionProto inner = p.Protos[0].Protos[0];
        Assert.Equal(new UpvalueDesc("_ENV", false, 0, VarKind.Regular), p.Protos[0].Upvalues[0]);
        Assert.Equal(new UpvalueDesc("_ENV", false, 0, VarKind.Regular), inner.Upvalues[0]);
        Assert.Equal(["GETTABUP 0 0 0", "RETURN1 0", "RETURN0"], Ops(inner));
    }

    [Fact]
    public void CapturedLocalsAreUpvaluesInStack()
    {
        FunctionProto p = Compile("local a, b = 1, 2; return function() b = a end");
        Assert.Equal([new UpvalueDesc("b", true, 1, VarKind.Regular), new UpvalueDesc("a", true, 0, VarKind.Regular)],
            p.Protos[0].Upvalues);
        Assert.Equal(["GETUPVAL 0 1", "SETUPVAL 0 0", "RETURN0"], Ops(p.Protos[0]));
    }

    [Fact]
    public void IndexingPicksFieldIntegerOrRegisterForms() =>
        Assert.Equal(
            ["NEWTABLE 0 0 0", "EXTRAARG 0", "GETFIELD 1 0 0", "GETI 2 0 255", "LOADI 3 256", "GETTABLE 3 0 3",
             "GETI 4 0 1", "SETI 0 2 1k", "SETTABLE 0 1 1k"],
            MainBody("local t = {}; local a, b, c, d = t.x, t[255], t[256], t[1]; t[2] = 'v'; t[a] = 'v'"));

    [Fact]
    public void NonConstantKeysOfAnUpvalueTableGoThroughARegister() =>
        Assert.Equal(["GETTABUP 0 0 0", "GETUPVAL 1 0", "GETTABLE 1 1 0"],
            MainBody("local k = x; local v = _ENV[k]"));

    [Fact]
    public void AssignmentCopiesLocalsThatEarlierTargetsUse() =>
        // 'i, t[i] = ...': t[i] must use the old i, so it is saved in a temporary first.
        Assert.Equal(["LOADI 0 1", "NEWTABLE 1 0 0", "EXTRAARG 0", "MOVE 2 0", "LOADI 3 2", "LOADI 0 3", "SETTABLE 1 2 3"],
            MainBody("local i = 1; local t = {}; t[i], i = 2, 3"));

    [Fact]
    public void MultipleAssignmentAdjustsValues() =>
        // 'b, a = a': the values go to temporaries (a, then nil) and are stored last target first.
        Assert.Equal(["LOADI 0 1", "LOADI 1 2", "LOADNIL 2 0", "MOVE 3 0", "LOADNIL 4 0", "MOVE 0 4", "MOVE 1 3"],
            MainBody("local a, b = 1, 2; local c; b, a = a"));

    // ---- Calls -------------------------------------------------------------------------

    [Fact]
    public void LocalFunctionCallsUseCallWithArgumentAndResultCounts() =>
        Assert.Equal(["CLOSURE 0 0", "MOVE 1 0", "LOADI 2 1", "LOADI 3 2", "CALL 1 3 1",
                      "MOVE 1 0", "LOADI 2 3", "CALL 1 2 3"],
            MainBody("local function f(a, b) end; f(1, 2); local r1, r2 = f(3)"));

    [Fact]
    public void OpenCallsPassAllResults() =>
        Assert.Equal(["GETTABUP 0 0 0", "GETTABUP 1 0 1", "VARARG 2 0", "CALL 1 0 0", "CALL 0 0 1"],
            MainBody("f(g(...))"));

    [Fact]
    public void ParenthesesTruncateToOneValue() =>
        Assert.Equal(["GETTABUP 0 0 0", "GETTABUP 1 0 1", "CALL 1 1 2", "VARARG 2 2", "CALL 0 3 1"],
            MainBody("f((g()), (...))"));

    [Fact]
    public void MethodCallsUseSelf() =>
        Assert.Equal(["VARARG 0 2", "SELF 1 0 0k", "LOADI 3 1", "CALL 1 3 1"],
            MainBody("local o = ...; o:m(1)"));

    [Fact]
    public void ReturnOfACallIsATailCall()
    {
        FunctionProto p = Compile("return function(f, x) return f(x) end");
        Assert.Equal(["MOVE 2 0", "MOVE 3 1", "TAILCALL 2 2 0", "RETURN 2 0 0", "RETURN0"], Ops(p.Protos[0]));
    }

    [Fact]
    public void ReturnInsideToBeClosedScopeIsNotATailCall() =>
        Assert.Equal(
            ["VARARGPREP 0", "VARARG 0 2", "TBC 0", "GETTABUP 1 0 0", "MOVE 2 0", "CALL 1 2 0", "RETURN 1 0 1k", "RETURN 1 1 1k"],
            Ops(Compile("local x <close> = ...; return f(x)")));

    [Fact]
    public void VarargFunctionsStartWithVarArgPrepAndReturnWithC()
    {
        FunctionProto p = Compile("return function(a, b, ...) return ... end");
        FunctionProto f = p.Protos[0];
        Assert.True(f.IsVararg);
        Assert.Equal(2, f.NumParams);
        Assert.Equal(["VARARGPREP 2", "VARARG 2 0", "RETURN 2 0 3", "RETURN 2 1 3"], Ops(f));
    }

    // ---- Operators ---------------------------------------------------------------------

    [Fact]
    public void ArithmeticUsesConstantFormsOnlyForRightOperands() =>
        // 'a - 1' stays a subtraction (no AddI -1: the VM would call __add), '1 + a' is not swapped.
        Assert.Equal(["VARARG 0 2", "SUBK 1 0 0", "ADDI 2 0 1", "MULK 3 0 1", "LOADI 4 1", "ADD 4 4 0",
                      "ADDK 5 0 2", "POWK 6 0 1"],
            MainBody("local a = ...; local b, c, d, e, f, g = a - 1, a + 1, a * 2, 1 + a, a + 2.5, a ^ 2"));

    [Fact]
    public void ShiftsUseImmediatesOnlyInTheirOwnDirection() =>
        Assert.Equal(["VARARG 0 2", "SHRI 1 0 3", "SHLI 2 0 2", "LOADI 3 2", "SHL 3 0 3", "BANDK 4 0 0", "LOADI 5 1", "BOR 5 5 0"],
            MainBody("local a = ...; local b, c, d, e, f = a >> 3, 2 << a, a << 2, a & 255, 1 | a"));

    [Fact]
    public void ComparisonsUseImmediateAndConstantForms() =>
        Assert.Equal(
            ["VARARG 0 2",
             "EQI 0 1 1", "JMP 1", "LFALSESKIP 1", "LOADTRUE 1",      // a == 1.0 (C=1: float immediate)
             "GTI 0 2 1", "JMP 1", "LFALSESKIP 2", "LOADTRUE 2",      // a > 2
             "GEI 0 3 1", "JMP 1", "LFALSESKIP 3", "LOADTRUE 3",      // 3 <= a
             "EQK 0 0 0", "JMP 1", "LFALSESKIP 4", "LOADTRUE 4",      // a ~= 'x'
             "LOADK 5 1", "LT 0 5 1", "JMP 1", "LFALSESKIP 5", "LOADTRUE 5"],  // a < 2.5
            MainBody("local a = ...; local b, c, d, e, f = a == 1.0, a > 2, 3 <= a, a ~= 'x', a < 2.5"));

    [Fact]
    public void EqIMarksFloatImmediatesInC()
    {
        FunctionProto p = Compile("local a = ...; return a == 1.0, a == 1");
        uint[] eqi = p.Code.Where(i => Instruction.Op(i) == OpCode.EqI).ToArray();
        Assert.Equal([1, 0], eqi.Select(Instruction.C));
    }

    [Fact]
    public void GreaterThanSwapsOperands() =>
        Assert.Equal(["VARARG 0 3", "LT 1 0 1", "JMP 1", "LFALSESKIP 2", "LOADTRUE 2", "LE 1 0 1", "JMP 1", "LFALSESKIP 3", "LOADTRUE 3"],
            MainBody("local a, b = ...; local c, d = a > b, a >= b"));

    [Fact]
    public void AndOrUseTestAndTestSetJumps() =>
        Assert.Equal(["VARARG 0 3", "TEST 0 0", "JMP 2", "TESTSET 2 1 1", "JMP 1", "LOADI 2 1"],
            MainBody("local a, b = ...; local c = a and b or 1"));

    [Fact]
    public void NotOfConstantsFolds() =>
        Assert.Equal(["LOADTRUE 0", "LOADFALSE 1", "LOADFALSE 2"], MainBody("local a, b, c = not nil, not 0, not 'x'"));

    [Fact]
    public void ConditionOnNotTestsTheOperand() =>
        Assert.Equal(["VARARG 0 2", "TEST 0 1", "JMP 1", "LOADI 0 1"], MainBody("local a = ...; if not a then a = 1 end"));

    [Fact]
    public void ConcatenationsMergeIntoOneInstruction() =>
        Assert.Equal(["VARARG 0 2", "LOADK 1 0", "MOVE 2 0", "LOADK 3 1", "MOVE 4 0", "CONCAT 1 4"],
            MainBody("local a = ...; local s = 'x' .. a .. 'y' .. a"));

    // ---- Tables ------------------------------------------------------------------------

    [Fact]
    public void TableConstructorSizesAndSetList() =>
        Assert.Equal(["NEWTABLE 0 1 2", "EXTRAARG 0", "LOADI 1 1", "LOADI 2 2", "SETFIELD 0 0 1k", "VARARG 3 0", "SETLIST 0 0 0"],
            MainBody("local t = {1, 2, x = 3, ...}"));

    [Fact]
    public void KeyedFieldsReleaseTheirKeyRegister() =>
        // The computed key and the value live above the pending list items and are freed
        // after the SetTable, so the next list item lands right after the first one.
        Assert.Equal(["NEWTABLE 0 1 1", "EXTRAARG 0", "GETTABUP 1 0 0", "CALL 1 1 2", "GETTABUP 2 0 1", "CALL 2 1 2",
                      "GETTABUP 3 0 2", "CALL 3 1 2", "SETTABLE 0 2 3", "GETTABUP 2 0 3", "CALL 2 1 0", "SETLIST 0 0 0"],
            MainBody("local t = {f(), [g()] = h(), k()}"));

    [Fact]
    public void LongListsFlushEveryFiftyItems()
    {
        string items = string.Join(",", Enumerable.Range(1, 120));
        string[] ops = MainBody($"local t = {{{items}}}");
        Assert.Equal("NEWTABLE 0 0 120", ops[0]);
        Assert.Equal(["SETLIST 0 50 0", "SETLIST 0 50 50", "SETLIST 0 20 100"], ops.Where(o => o.StartsWith("SETLIST")));
    }

    [Fact]
    public void LargeArrayHintsAndSetListOffsetsUseExtraArg()
    {
        // 400 items: array hint 400 = 1 * 256 + 144; the last batch starts after 350 = 1 * 256 + 94.
        string items = string.Join(",", Enumerable.Range(1, 400));
        FunctionProto p = Compile($"local t = {{{items}}}");
        Assert.Equal(Instruction.ABC(OpCode.NewTable, 0, 0, 144, true), p.Code[1]);
        Assert.Equal(Instruction.Ax(OpCode.ExtraArg, 1), p.Code[2]);
        int last = Array.FindLastIndex(p.Code, i => Instruction.Op(i) == OpCode.SetList);
        Assert.Equal(Instruction.ABC(OpCode.SetList, 0, 50, 94, true), p.Code[last]);
        Assert.Equal(Instruction.Ax(OpCode.ExtraArg, 1), p.Code[last + 1]);
        int first = Array.FindIndex(p.Code, i => Instruction.Op(i) == OpCode.SetList);
        Assert.Equal(Instruction.ABC(OpCode.SetList, 0, 50, 0), p.Code[first]);  // small offsets need no ExtraArg
        Assert.NotEqual(OpCode.ExtraArg, Instruction.Op(p.Code[first + 1]));
    }

    // ---- Control flow ------------------------------------------------------------------

    [Fact]
    public void NumericForUsesForPrepAndForLoop() =>
        Assert.Equal(["LOADI 0 1", "LOADI 1 10", "LOADI 2 1", "FORPREP 0 1", "MOVE 4 3", "FORLOOP 0 2"],
            MainBody("for i = 1, 10 do local x = i end"));

    [Fact]
    public void GenericForUsesFourStateSlots()
    {
        FunctionProto p = Compile("for k, v in next, t do local x = v end");
        Assert.Equal(["VARARGPREP 0", "GETTABUP 0 0 0", "GETTABUP 1 0 1", "LOADNIL 2 1", "TFORPREP 0 1",
                      "MOVE 6 5", "TFORCALL 0 2", "TFORLOOP 0 3", "CLOSE 0", "RETURN 0 1 1k"], Ops(p));
        Assert.Equal(["(for state)", "(for state)", "(for state)", "(for state)", "k", "v", "x"], p.LocalVars.Select(v => v.Name));
    }

    [Fact]
    public void WhileAndRepeatLoops() =>
        Assert.Equal(["VARARG 0 2", "TEST 0 0", "JMP 2", "ADDI 0 0 1", "JMP -4", "ADDI 0 0 1", "GEI 0 -117 0", "JMP -3"],
            MainBody("local a = ...; while a do a = a + 1 end repeat a = a + 1 until a >= -117"));

    [Fact]
    public void IfElseifElseChains() =>
        Assert.Equal(["VARARG 0 2", "EQI 0 1 0", "JMP 2", "LOADI 0 10", "JMP 5", "EQI 0 2 0", "JMP 2", "LOADI 0 20", "JMP 1", "LOADI 0 30"],
            MainBody("local a = ...; if a == 1 then a = 10 elseif a == 2 then a = 20 else a = 30 end"));

    [Fact]
    public void IfThenBreakJumpsStraightOut() =>
        Assert.Equal(["VARARG 0 2", "TEST 0 1", "JMP 1", "JMP -3"], MainBody("local a = ...; while true do if a then break end end"));

    [Fact]
    public void CapturedLoopLocalsAreClosedEveryIteration() =>
        Assert.Equal(["LOADI 0 1", "LOADI 1 2", "LOADI 2 1", "FORPREP 0 3", "CLOSURE 4 0", "SETTABUP 0 0 4", "CLOSE 3", "FORLOOP 0 4"],
            MainBody("for i = 1, 2 do local f = function() return i end; g = f end"));

    [Fact]
    public void BreakOutOfCapturedScopeCloses() =>
        Assert.Equal(["LOADI 0 1", "CLOSURE 1 0", "SETTABUP 0 0 1", "JMP 2", "CLOSE 0", "JMP -6", "CLOSE 0"],
            MainBody("while true do local x = 1; g = function() return x end; break end"));

    [Fact]
    public void BackwardGotoClosesLeftLocals() =>
        Assert.Equal(["LOADNIL 0 0", "CLOSE 0", "JMP -3"], MainBody("::top:: local x; goto top"));

    [Fact]
    public void GotoContinuePattern() =>
        Assert.Equal(["LOADI 0 1", "LOADI 1 3", "LOADI 2 1", "FORPREP 0 4", "EQI 3 2 0", "JMP 1", "JMP 1", "LOADI 4 1", "FORLOOP 0 5"],
            MainBody("for i = 1, 3 do if i == 2 then goto continue end local x = 1 ::continue:: end"));

    [Fact]
    public void ReturnsInFunctionsWithCapturedLocalsClose()
    {
        FunctionProto p = Compile("return function() local x = 1; return function() return x end end");
        Assert.Equal(["LOADI 0 1", "CLOSURE 1 0", "RETURN 1 2 0k", "RETURN 1 1 0k"], Ops(p.Protos[0]));
    }

    // ---- Debug information and lines ---------------------------------------------------

    [Fact]
    public void LocalVarsRecordLiveRanges()
    {
        FunctionProto p = Compile("local a = 1\ndo local b = 2 end\nlocal c = 3");
        Assert.Equal([new LocalVarDesc("a", 2, 5), new LocalVarDesc("b", 3, 3), new LocalVarDesc("c", 4, 5)], p.LocalVars);
    }

    [Fact]
    public void LocalFunctionIsVisibleAfterItsClosure()
    {
        FunctionProto p = Compile("local function f() return f end");
        Assert.Equal(new LocalVarDesc("f", 2, 3), p.LocalVars[0]);
        Assert.Equal(new UpvalueDesc("f", true, 0, VarKind.Regular), p.Protos[0].Upvalues[0]);
    }

    [Fact]
    public void ConstAndCloseKindsReachUpvalueDescriptors()
    {
        FunctionProto p = Compile("local t <const> = {}; local c <close> = nil; return function() return t, c end");
        Assert.Equal([VarKind.Const, VarKind.Close], p.Protos[0].Upvalues.Select(u => u.Kind));
    }

    [Fact]
    public void CallsCarryTheLineWhereTheCallExpressionStarts()
    {
        FunctionProto p = Compile("f\n(\n1\n)");
        int call = Array.FindIndex(p.Code, i => Instruction.Op(i) == OpCode.Call);
        Assert.Equal(1, p.LineInfo[call]);
        Assert.Equal(3, p.LineInfo[call - 1]);  // the argument
    }

    [Fact]
    public void BinaryOperatorsCarryTheOperatorLine()
    {
        FunctionProto p = Compile("local a = ...\nlocal b = a\n+\na");
        int add = Array.FindIndex(p.Code, i => Instruction.Op(i) == OpCode.Add);
        Assert.Equal(3, p.LineInfo[add]);
    }

    [Fact]
    public void EveryPrototypeKnowsItsSourceAndLines()
    {
        FunctionProto p = Compile("local x\nlocal function f()\nend\n");
        Assert.Equal("=test", p.Source);
        Assert.Equal("=test", p.Protos[0].Source);
        Assert.Equal((2, 3), (p.Protos[0].LineDefined, p.Protos[0].LastLineDefined));
        Assert.Equal(p.Code.Length, p.LineInfo.Length);
        Assert.True(p.MaxStackSize >= 2);
    }
}
