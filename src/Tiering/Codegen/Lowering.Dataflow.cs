using Tiered.Interpreter.Bytecode;
using static Tiered.Interpreter.Bytecode.Instruction;

namespace Tiered.Tiering.Codegen;

// Dataflows over the bytecode that decide which registers' copies a write-back must write:
// those that may be dirty (differ from the stack slot), those that may be stale after a call,
// and those still live (read later, or visible to a debugger).
internal sealed unsafe partial class Lowering
{
    /// <summary>Registers instruction i may write through the lowering's local copies.</summary>
    private static IEnumerable<int> WrittenBy(uint i)
    {
        int a = A(i);
        // A is an operand, not a destination, of stores, tests, jumps and returns: those leave
        // R[A] clean, so a call after `if n < 2` does not write n back.
        if (Op(i) is OpCode.SetUpval or OpCode.SetTabUp or OpCode.SetTable or OpCode.SetI or OpCode.SetField
            or OpCode.SetList or OpCode.Close or OpCode.Tbc or OpCode.Jmp or OpCode.Eq or OpCode.Lt or OpCode.Le
            or OpCode.EqK or OpCode.EqI or OpCode.LtI or OpCode.LeI or OpCode.GtI or OpCode.GeI or OpCode.Test
            or OpCode.Return or OpCode.Return0 or OpCode.Return1 or OpCode.TForPrep or OpCode.ExtraArg or OpCode.VarArgPrep)
            yield break;
        yield return a;
        switch (Op(i))
        {
            case OpCode.Self: yield return a + 1; break;
            case OpCode.ForLoop: case OpCode.ForPrep: yield return a + 1; yield return a + 3; break;
            case OpCode.TForLoop: yield return a + 2; break;
            case OpCode.LoadNil: for (int j = 1; j <= B(i); j++) yield return a + j; break;
            case OpCode.TForCall: for (int j = 0; j < C(i); j++) yield return a + 4 + j; break;
        }
    }

    /// <summary>Control-flow successors of instruction pc, as the lowering branches.</summary>
    private IEnumerable<int> Successors(int pc)
    {
        uint i = code[pc];
        switch (Op(i))
        {
            case OpCode.Jmp: yield return pc + 1 + SJ(i); yield break;
            case OpCode.Return: case OpCode.Return0: case OpCode.Return1: case OpCode.TailCall: yield break;
            case OpCode.LoadKX: case OpCode.LFalseSkip: yield return pc + 2; yield break;
            case OpCode.NewTable: case OpCode.SetList:
                yield return K(i) ? pc + 2 : pc + 1;
                yield break;
            case OpCode.TForPrep: yield return pc + 1 + Bx(i); yield break;
            case OpCode.ForPrep: yield return pc + 1; yield return pc + 2 + Bx(i); yield break;
            case OpCode.ForLoop: case OpCode.TForLoop: yield return pc + 1; yield return pc + 1 - Bx(i); yield break;
            case OpCode.Eq: case OpCode.Lt: case OpCode.Le: case OpCode.EqK: case OpCode.EqI:
            case OpCode.LtI: case OpCode.LeI: case OpCode.GtI: case OpCode.GeI:
            case OpCode.Test: case OpCode.TestSet:
                yield return pc + 1;
                yield return pc + 2;
                if (pc + 1 < code.Length && Op(code[pc + 1]) == OpCode.Jmp) yield return pc + 2 + SJ(code[pc + 1]);
                yield break;
            default: yield return pc + 1; yield break;
        }
    }

    /// <summary>For each instruction, the registers that may be dirty when it starts: a forward
    /// may-dataflow from a clean entry.</summary>
    private bool[][] DirtyAtEntry() => ForwardMayFlow((pc, set) =>
    {
        if (FlushesFirst(pc)) Array.Clear(set);
        foreach (int r in WrittenBy(code[pc])) if (r < set.Length) set[r] = true;
    });

    private bool[] staleAndDirty = [];

    // Registers a write-back must keep: those the rest of the function may read, or a debugger
    // may see (LiveAtEntry); and those the instruction being lowered has written so far.
    private bool[][] liveAtEntry = [];
    private bool[] writtenHere = [];

    /// <summary>Whether a write-back at a point of instruction pc (a helper call or a flush before
    /// a call; <paramref name="pc"/> is the instruction that goes on) must write register r: it is
    /// live there, or the instruction has written it (a helper may take it as an operand).</summary>
    private bool Keeps(int pc, int r) => liveAtEntry.Length == 0 || liveAtEntry[pc][r] || (pc == currentPc && writtenHere[r]);

    /// <summary>For each instruction, the registers whose value may still be read when it starts:
    /// a backward may-dataflow (an instruction reads its operands, and a register it surely writes
    /// is dead before it unless read), plus every active named local, which a debugger
    /// (debug.getlocal from a callee, a message handler or a hook) may read at any point. A
    /// temporary that is dead there need not be written back to the stack by an exit or a
    /// helper's flush, so its copy does not stay live through a loop for that alone. The stack
    /// slot it leaves holds an older value, which the collector marks or clears like any other.</summary>
    private bool[][] LiveAtEntry()
    {
        int n = code.Length, regs = regSlots.Length;
        var live = new bool[n + 1][];
        for (int pc = 0; pc <= n; pc++) live[pc] = new bool[regs];
        if (regs == 0) return live;
        var uses = new List<int>();
        var defs = new List<int>();
        var successors = new int[n][];
        var predecessors = new List<int>[n + 1];
        for (int pc = 0; pc <= n; pc++) predecessors[pc] = [];
        for (int pc = 0; pc < n; pc++)
        {
            successors[pc] = Successors(pc).Where(s => s >= 0 && s <= n).ToArray();
            foreach (int s in successors[pc]) predecessors[s].Add(pc);
        }
        var work = new Stack<int>();
        var queued = new bool[n];
        for (int pc = 0; pc < n; pc++) { work.Push(pc); queued[pc] = true; }
        var set = new bool[regs];
        while (work.Count > 0)
        {
            int pc = work.Pop();
            queued[pc] = false;
            Array.Clear(set);
            foreach (int s in successors[pc])
                for (int r = 0; r < regs; r++) set[r] |= live[s][r];
            OperandsOf(code[pc], uses, defs);
            foreach (int r in defs) if (r < regs) set[r] = false;
            foreach (int r in uses)
            {
                if (r < 0) { for (int q = -r - 1; q < regs; q++) set[q] = true; }
                else if (r < regs) set[r] = true;
            }
            bool changed = false;
            for (int r = 0; r < regs; r++)
                if (set[r] && !live[pc][r]) { live[pc][r] = true; changed = true; }
            if (!changed) continue;
            foreach (int p in predecessors[pc])
                if (!queued[p]) { work.Push(p); queued[p] = true; }
        }
        // Named locals, active from the instruction after the one that sets them (the n-th
        // active local is register n - 1).
        for (int pc = 0; pc < n; pc++)
        {
            int r = 0;
            foreach (LocalVarDesc v in proto.LocalVars)
            {
                if (v.StartPc > pc) break;
                if (pc < v.EndPc) { if (r < regs) live[pc][r] = true; r++; }
            }
        }
        return live;
    }

    /// <summary>The registers instruction i may read (a negative entry -r-1 stands for every
    /// register from r up: operands up to the stack top, or the variables a Close closes) and
    /// those it surely writes on every path.</summary>
    private static void OperandsOf(uint i, List<int> uses, List<int> defs)
    {
        uses.Clear();
        defs.Clear();
        int a = A(i), b = B(i), c = C(i);
        switch (Op(i))
        {
            case OpCode.Move: case OpCode.Unm: case OpCode.BNot: case OpCode.Not: case OpCode.Len:
            case OpCode.GetI: case OpCode.GetField:
            case OpCode.AddI: case OpCode.AddK: case OpCode.SubK: case OpCode.MulK: case OpCode.ModK:
            case OpCode.PowK: case OpCode.DivK: case OpCode.IDivK: case OpCode.BAndK: case OpCode.BOrK:
            case OpCode.BXorK: case OpCode.ShrI: case OpCode.ShlI:
                uses.Add(b); defs.Add(a); break;
            case OpCode.GetTable:
            case OpCode.Add: case OpCode.Sub: case OpCode.Mul: case OpCode.Mod: case OpCode.Pow:
            case OpCode.Div: case OpCode.IDiv: case OpCode.BAnd: case OpCode.BOr: case OpCode.BXor:
            case OpCode.Shl: case OpCode.Shr:
                uses.Add(b); uses.Add(c); defs.Add(a); break;
            case OpCode.LoadI: case OpCode.LoadF: case OpCode.LoadK: case OpCode.LoadKX: case OpCode.LoadFalse:
            case OpCode.LFalseSkip: case OpCode.LoadTrue: case OpCode.GetUpval: case OpCode.GetTabUp:
            case OpCode.NewTable: case OpCode.Closure:
                defs.Add(a); break;
            case OpCode.LoadNil: for (int j = 0; j <= b; j++) defs.Add(a + j); break;
            case OpCode.SetUpval: case OpCode.Test: case OpCode.Tbc: case OpCode.Return1:
            case OpCode.EqK: case OpCode.EqI: case OpCode.LtI: case OpCode.LeI: case OpCode.GtI: case OpCode.GeI:
                uses.Add(a); break;
            case OpCode.Eq: case OpCode.Lt: case OpCode.Le: uses.Add(a); uses.Add(b); break;
            case OpCode.SetTabUp: if (!K(i)) uses.Add(c); break;
            case OpCode.SetTable: uses.Add(a); uses.Add(b); if (!K(i)) uses.Add(c); break;
            case OpCode.SetI: case OpCode.SetField: uses.Add(a); if (!K(i)) uses.Add(c); break;
            case OpCode.Self: uses.Add(b); if (!K(i)) uses.Add(c); defs.Add(a); defs.Add(a + 1); break;
            case OpCode.Concat: for (int j = 0; j < b; j++) uses.Add(a + j); defs.Add(a); break;
            case OpCode.Close: uses.Add(-a - 1); break;
            case OpCode.TestSet: uses.Add(b); break;
            case OpCode.Call:
                if (b != 0) for (int j = 0; j < b; j++) uses.Add(a + j); else uses.Add(-a - 1);
                for (int j = 0; j < c - 1; j++) defs.Add(a + j);
                break;
            case OpCode.TailCall:
                if (b != 0) for (int j = 0; j < b; j++) uses.Add(a + j); else uses.Add(-a - 1);
                break;
            case OpCode.Return:
                if (b != 0) for (int j = 0; j < b - 1; j++) uses.Add(a + j); else uses.Add(-a - 1);
                break;
            case OpCode.ForLoop: case OpCode.ForPrep: uses.Add(a); uses.Add(a + 1); uses.Add(a + 2); break;
            case OpCode.TForPrep: for (int j = 0; j < 4; j++) uses.Add(a + j); break;
            case OpCode.TForCall:
                for (int j = 0; j < 4; j++) uses.Add(a + j);
                for (int j = 0; j < c; j++) defs.Add(a + 4 + j);
                break;
            case OpCode.TForLoop: uses.Add(a + 4); break;
            case OpCode.SetList: if (b != 0) for (int j = 0; j <= b; j++) uses.Add(a + j); else uses.Add(-a - 1); break;
            case OpCode.VarArg: for (int j = 0; j < c - 1; j++) defs.Add(a + j); break;
            case OpCode.Jmp: case OpCode.Return0: case OpCode.VarArgPrep: case OpCode.ExtraArg: break;
            default: uses.Add(-1); break;   // an instruction not listed: everything stays live
        }
    }

    /// <summary>The registers whose copy may be written back while it still holds a value from
    /// before a call that freed it (a register above the call's results): a forward
    /// may-dataflow of such stale copies, then each register that is stale and may be dirty at
    /// the start of one instruction (a join of a path through the call with one that wrote the
    /// register). Only these are set to nil after the calls; for the others no write-back can
    /// take the stale copy.</summary>
    private bool[] StaleAndDirty(bool[][] dirtyAt)
    {
        bool[][] staleAt = ForwardMayFlow((pc, set) =>
        {
            foreach (int r in WrittenBy(code[pc])) if (r < set.Length) set[r] = false;
            Writes call = CallWrites(pc);
            if (call.DeadFrom != int.MaxValue)
                for (int r = call.First; r < set.Length; r++) set[r] = r >= call.DeadFrom;
        });
        var result = new bool[regSlots.Length];
        for (int pc = 0; pc < code.Length; pc++)
            for (int r = 0; r < result.Length; r++)
                if (staleAt[pc][r] && dirtyAt[pc][r]) result[r] = true;
        return result;
    }

    /// <summary>The registers a call instruction's lowering reads back after the call, and those
    /// it frees (a call with a fixed number of results, a generic for's iterator call); Nothing
    /// for other instructions.</summary>
    private Writes CallWrites(int pc)
    {
        uint i = code[pc];
        return Op(i) switch
        {
            OpCode.Call => C(i) >= 1 ? Writes.Results(A(i), C(i) - 1) : Writes.From(A(i)),
            OpCode.TForCall => Writes.Results(A(i) + 4, C(i)),
            _ => Writes.Nothing,
        };
    }

    /// <summary>A forward may-dataflow over the registers (union at joins) from an empty set at
    /// the entry and the loop headers, to a fixed point: for each instruction, the set at its
    /// start. <paramref name="transfer"/> turns an instruction's set at its start into the set
    /// its successors get.</summary>
    private bool[][] ForwardMayFlow(Action<int, bool[]> transfer)
    {
        int n = code.Length, regs = regSlots.Length;
        var atEntry = new bool[n + 1][];
        for (int pc = 0; pc <= n; pc++) atEntry[pc] = new bool[regs];
        if (regs == 0) return atEntry;
        var work = new Queue<int>();
        var queued = new bool[n + 1];
        var visited = new bool[n + 1];
        work.Enqueue(0); queued[0] = true;
        foreach (int h in LoopHeaders(code)) if (!queued[h]) { work.Enqueue(h); queued[h] = true; }
        var outSet = new bool[regs];
        while (work.Count > 0)
        {
            int pc = work.Dequeue();
            queued[pc] = false;
            if (pc >= n) continue;
            Array.Copy(atEntry[pc], outSet, regs);
            transfer(pc, outSet);
            foreach (int s in Successors(pc))
            {
                if (s < 0 || s > n) continue;
                bool changed = false;
                bool[] target = atEntry[s];
                for (int r = 0; r < regs; r++)
                    if (outSet[r] && !target[r]) { target[r] = true; changed = true; }
                if ((changed || !visited[s]) && !queued[s]) { work.Enqueue(s); queued[s] = true; }
                visited[s] = true;
            }
        }
        return atEntry;
    }
}
