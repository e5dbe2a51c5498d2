using Tiered.Interpreter.Bytecode;
using static Tiered.Interpreter.Bytecode.Instruction;

namespace Tiered.Interpreter.Compiler;

// Jump lists. A list of jumps that all still wait for the same destination is threaded
// through the JMP instructions themselves: the sJ field of each pending jump holds the offset
// to the next jump of the list, and NoJump (-1) ends the list. Patching a list walks it and
// writes the real offsets. A JMP preceded by a test instruction (Eq, Lt, Test, TestSet...) is
// a conditional jump; TestSet ones may still be turned into a plain Test when the tested
// value is not needed, or get their destination register when it is.
internal sealed partial class FuncState
{
    /// <summary>Emits a JMP with an open destination and returns its pc.</summary>
    public int Jump() => Emit(SJ(OpCode.Jmp, NoJump));

    /// <summary>Marks the current pc as a jump target and returns it.</summary>
    public int GetLabel()
    {
        LastTarget = Pc;
        return Pc;
    }

    private int GetJump(int pc)
    {
        int offset = SJ(code[pc]);
        return offset == NoJump ? NoJump : pc + 1 + offset;
    }

    private void FixJump(int pc, int dest)
    {
        int offset = dest - (pc + 1);
        if (!(-OffsetSJ <= offset && offset <= MaxAx - OffsetSJ))
            Chunk.Error("control structure too long");
        code[pc] = WithSJ(code[pc], offset);
    }

    /// <summary>Appends jump list <paramref name="l2"/> to list <paramref name="l1"/>.</summary>
    public void Concat(ref int l1, int l2)
    {
        if (l2 == NoJump) return;
        if (l1 == NoJump) { l1 = l2; return; }
        int list = l1, next;
        while ((next = GetJump(list)) != NoJump) list = next;
        FixJump(list, l2);
    }

    public void JumpTo(int target) => PatchList(Jump(), target);

    public void PatchList(int list, int target) => PatchListAux(list, target, NoReg, target);

    public void PatchToHere(int list) => PatchList(list, GetLabel());

    /// <summary>Emits a test instruction followed by its JMP; returns the JMP's pc.</summary>
    public int CondJump(OpCode op, int a, int b, int c, bool k)
    {
        EmitABC(op, a, b, c, k);
        return Jump();
    }

    private static bool IsTestOp(OpCode op) => op is OpCode.Eq or OpCode.Lt or OpCode.Le or OpCode.EqK
        or OpCode.EqI or OpCode.LtI or OpCode.LeI or OpCode.GtI or OpCode.GeI or OpCode.Test or OpCode.TestSet;

    /// <summary>pc of the instruction controlling the jump at <paramref name="pc"/> (the test before it, if any).</summary>
    private int GetJumpControl(int pc) => pc >= 1 && IsTestOp(Op(code[pc - 1])) ? pc - 1 : pc;

    /// <summary>
    /// If the jump is controlled by a TestSet, give it destination <paramref name="reg"/>, or
    /// degrade it to a Test when no register is wanted (or the value is already there).
    /// Returns false for other jumps.
    /// </summary>
    private bool PatchTestReg(int node, int reg)
    {
        int pc = GetJumpControl(node);
        uint i = code[pc];
        if (Op(i) != OpCode.TestSet) return false;
        if (reg != NoReg && reg != B(i)) code[pc] = WithA(i, reg);
        else code[pc] = ABC(OpCode.Test, B(i), 0, 0, K(i));
        return true;
    }

    /// <summary>The jumps of the list no longer produce values.</summary>
    public void RemoveValues(int list)
    {
        for (; list != NoJump; list = GetJump(list)) PatchTestReg(list, NoReg);
    }

    /// <summary>
    /// Patches every jump of the list: value-producing TestSets go to <paramref name="valueTarget"/>
    /// with their value in <paramref name="reg"/>; all other jumps go to <paramref name="defaultTarget"/>.
    /// </summary>
    private void PatchListAux(int list, int valueTarget, int reg, int defaultTarget)
    {
        while (list != NoJump)
        {
            int next = GetJump(list);
            if (PatchTestReg(list, reg)) FixJump(list, valueTarget);
            else FixJump(list, defaultTarget);
            list = next;
        }
    }

    /// <summary>True if some jump of the list is not a TestSet, i.e. its value must be produced by a boolean load.</summary>
    private bool NeedValue(int list)
    {
        for (; list != NoJump; list = GetJump(list))
            if (Op(code[GetJumpControl(list)]) != OpCode.TestSet) return true;
        return false;
    }

    private void NegateCondition(in ExpDesc e)
    {
        int pc = GetJumpControl(e.Info);
        code[pc] = WithK(code[pc], !K(code[pc]));
    }
}
