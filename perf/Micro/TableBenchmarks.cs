using BenchmarkDotNet.Attributes;
using Tiered.Interpreter.Runtime;
using Tiered.Tiering;
using RawTable = Tiered.Interpreter.Runtime.LuaTable;

namespace Tiered.Micro;

/// <summary>
/// Table reads and writes from Lua code: integer keys in the array part (GETTABLE/SETTABLE
/// with a register key) and constant string keys in the hash part (GETFIELD/SETFIELD), in the
/// interpreter (Jit=Off) and in native code compiled before the first call (Jit=Eager).
/// Results are per access and include the loop's FORLOOP; DispatchBenchmarks.EmptyLoop is
/// that share.
/// </summary>
[MemoryDiagnoser]
public class TableLuaBenchmarks
{
    private const int ArraySize = 1024;
    private const int Rounds = 1000;
    private const int Accesses = ArraySize * Rounds;

    [Params(JitMode.Off, JitMode.Eager)]
    public JitMode Jit { get; set; }

    private LuaHarness lua = null!;
    private Value arrayGet, arraySet, fieldGet, fieldSet;

    [GlobalSetup]
    public void Setup()
    {
        lua = new LuaHarness(Jit);
        lua.Run("""
            local t = {}
            for i = 1, 1024 do t[i] = i end
            local h = {}
            for i = 1, 64 do h["k" .. i] = i end
            function arrayGet(rounds)
              local v = 0
              for _ = 1, rounds do for i = 1, 1024 do v = t[i] end end
              return v
            end
            function arraySet(rounds)
              for r = 1, rounds do for i = 1, 1024 do t[i] = r end end
              return t[1]
            end
            function fieldGet(rounds)
              local v = 0
              for _ = 1, rounds do for _ = 1, 1024 do v = h.k37 end end
              return v
            end
            function fieldSet(rounds)
              for r = 1, rounds do for _ = 1, 1024 do h.k37 = r end end
              return h.k37
            end
            """);
        arrayGet = lua.Global("arrayGet");
        arraySet = lua.Global("arraySet");
        fieldGet = lua.Global("fieldGet");
        fieldSet = lua.Global("fieldSet");
        foreach (Value f in new[] { arrayGet, arraySet, fieldGet, fieldSet }) lua.Call(f, 1);
        if (Jit != JitMode.Off) lua.RequireNative("arrayGet", "arraySet", "fieldGet", "fieldSet");
    }

    [GlobalCleanup]
    public void Cleanup() => lua.Dispose();

    [Benchmark(OperationsPerInvoke = Accesses)]
    public long ArrayGet() => lua.Call(arrayGet, Rounds);

    [Benchmark(OperationsPerInvoke = Accesses)]
    public long ArraySet() => lua.Call(arraySet, Rounds);

    [Benchmark(OperationsPerInvoke = Accesses)]
    public long FieldGet() => lua.Call(fieldGet, Rounds);

    [Benchmark(OperationsPerInvoke = Accesses)]
    public long FieldSet() => lua.Call(fieldSet, Rounds);
}

/// <summary>
/// The same table operations called from C# on the runtime's raw table code
/// (<see cref="TableOps"/>): what the interpreter and the helpers build on, without dispatch.
/// Results are per access.
/// </summary>
[MemoryDiagnoser]
public unsafe class TableOpsBenchmarks
{
    private const int ArraySize = 1024;
    private const int KeyCount = 64;
    private const int Rounds = 16;

    private LuaHarness lua = null!;
    private RawTable* array, hash;
    private LuaString*[] keys = null!;

    [GlobalSetup]
    public void Setup()
    {
        lua = new LuaHarness(JitMode.Off);
        array = lua.L.NewTable(ArraySize, 0);
        hash = lua.L.NewTable(0, KeyCount);
        // Anchored in the registry: the collector must not free them between iterations.
        TableOps.Set(lua.L, lua.L.Registry, lua.L.StringValue("micro.array"), Value.Table(array));
        TableOps.Set(lua.L, lua.L.Registry, lua.L.StringValue("micro.hash"), Value.Table(hash));
        for (int i = 1; i <= ArraySize; i++) TableOps.SetInt(lua.L, array, i, Value.Int(i));
        keys = new LuaString*[KeyCount];
        for (int i = 0; i < KeyCount; i++)
        {
            keys[i] = lua.L.NewString("k" + (i + 1));
            TableOps.Set(lua.L, hash, Value.Str(keys[i]), Value.Int(i));   // the table keeps the key alive
        }
        if (array->ArraySize < ArraySize) throw new InvalidOperationException("the integer keys are not in the array part");
    }

    [GlobalCleanup]
    public void Cleanup() => lua.Dispose();

    [Benchmark(OperationsPerInvoke = ArraySize * Rounds)]
    public long ArrayGetInt()
    {
        long s = 0;
        for (int r = 0; r < Rounds; r++)
            for (long i = 1; i <= ArraySize; i++) s += TableOps.GetInt(array, i)->I;
        return s;
    }

    [Benchmark(OperationsPerInvoke = ArraySize * Rounds)]
    public void ArraySetInt()
    {
        for (int r = 0; r < Rounds; r++)
            for (long i = 1; i <= ArraySize; i++) TableOps.SetInt(lua.L, array, i, Value.Int(r));
    }

    [Benchmark(OperationsPerInvoke = KeyCount * Rounds)]
    public long HashGetShortString()
    {
        long s = 0;
        LuaString*[] k = keys;
        for (int r = 0; r < Rounds; r++)
            for (int i = 0; i < k.Length; i++) s += TableOps.GetShortString(hash, k[i])->I;
        return s;
    }

    [Benchmark(OperationsPerInvoke = KeyCount * Rounds)]
    public void HashSetString()
    {
        LuaString*[] k = keys;
        for (int r = 0; r < Rounds; r++)
            for (int i = 0; i < k.Length; i++) TableOps.Set(lua.L, hash, Value.Str(k[i]), Value.Int(r));
    }
}
