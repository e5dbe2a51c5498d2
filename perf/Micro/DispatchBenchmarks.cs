using BenchmarkDotNet.Attributes;
using Tiered.Interpreter.Runtime;
using Tiered.Tiering;

namespace Tiered.Micro;

/// <summary>
/// The interpreter's dispatch: numeric for loops whose bodies are a few simple instructions,
/// native tier off. Results are per loop iteration; the instructions each iteration executes
/// are in the method names' comments (5.4 bytecode: an arithmetic op that succeeds skips the
/// MMBIN after it). The difference between two rows over the difference in instructions is
/// the cost of one dispatched instruction.
/// </summary>
[MemoryDiagnoser]
public class DispatchBenchmarks
{
    private const int Iterations = 1_000_000;
    private LuaHarness lua = null!;
    private Value empty, add1, add4;

    [GlobalSetup]
    public void Setup()
    {
        lua = new LuaHarness(JitMode.Off);
        lua.Run("""
            function empty(n) for i = 1, n do end end
            function add1(n) local s = 0 for i = 1, n do s = s + i end return s end
            function add4(n)
              local s, t = 0, 0
              for i = 1, n do s = s + i; t = t + s; s = s - t; t = t + i end
              return s + t
            end
            """);
        empty = lua.Global("empty");
        add1 = lua.Global("add1");
        add4 = lua.Global("add4");
    }

    [GlobalCleanup]
    public void Cleanup() => lua.Dispose();

    /// <summary>FORLOOP: 1 instruction an iteration.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Iterations)]
    public long EmptyLoop() => lua.Call(empty, Iterations);

    /// <summary>ADD, FORLOOP: 2 instructions an iteration.</summary>
    [Benchmark(OperationsPerInvoke = Iterations)]
    public long OneAdd() => lua.Call(add1, Iterations);

    /// <summary>ADD, ADD, SUB, ADD, FORLOOP: 5 instructions an iteration.</summary>
    [Benchmark(OperationsPerInvoke = Iterations)]
    public long FourArith() => lua.Call(add4, Iterations);
}
