using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using Xunit;

namespace Tiered.Interpreter.Tests.Runtime;

public unsafe class TableTests : IDisposable
{
    private readonly LuaState L = new();
    public void Dispose() => L.Dispose();

    [Fact]
    public void SequentialIntegerKeysMoveIntoTheArrayPart()
    {
        LuaTable* t = TableOps.New(L);
        for (int i = 1; i <= 1000; i++) TableOps.SetInt(L, t, i, Value.Int(i * 10));
        Assert.True(t->ArraySize >= 1000, $"array part has {t->ArraySize} slots");
        Assert.Equal(1000, TableOps.Length(t));
        for (int i = 1; i <= 1000; i++) Assert.Equal(i * 10, TableOps.GetInt(t, i)->I);
        Assert.Equal(Tag.Nil, TableOps.GetInt(t, 1001)->Tag);
    }

    [Fact]
    public void MixedKeysSurviveManyRehashes()
    {
        LuaTable* t = TableOps.New(L);
        var expected = new Dictionary<string, long>();
        for (int i = 0; i < 5000; i++)
        {
            string k = "key" + (i * 7919 % 10007);
            TableOps.Set(L, t, L.StringValue(k), Value.Int(i));
            expected[k] = i;
            TableOps.Set(L, t, Value.Float(i + 0.5), Value.Int(-i));
        }
        foreach (var (k, v) in expected) Assert.Equal(v, TableOps.Get(t, L.StringValue(k))->I);
        for (int i = 0; i < 5000; i++) Assert.Equal(-i, TableOps.Get(t, Value.Float(i + 0.5))->I);
    }

    [Fact]
    public void FloatKeysWithIntegerValuesAreTheSameKeyAsIntegers()
    {
        LuaTable* t = TableOps.New(L);
        TableOps.Set(L, t, Value.Float(3.0), L.StringValue("three"));
        Assert.Equal(Tag.String, TableOps.GetInt(t, 3)->Tag);
        TableOps.Set(L, t, Value.Int(2), L.StringValue("two"));
        Assert.Equal(Tag.String, TableOps.Get(t, Value.Float(2.0))->Tag);
    }

    [Fact]
    public void NextVisitsEveryEntryOnceEvenWhenEntriesAreCleared()
    {
        LuaTable* t = TableOps.New(L);
        for (int i = 1; i <= 100; i++) TableOps.SetInt(L, t, i, Value.Int(i));
        for (int i = 0; i < 100; i++) TableOps.Set(L, t, L.StringValue("s" + i), Value.Int(i));
        var seen = new HashSet<string>();
        Value key = default;
        while (TableOps.Next(L, t, ref key, out Value val))
        {
            string name = key.Tag == Tag.String ? LuaString.ToManaged(key.AsString) : key.I.ToString();
            Assert.True(seen.Add(name), $"{name} visited twice");
            // Clearing the current entry during traversal is allowed in Lua.
            TableOps.Set(L, t, key, Value.Nil);
        }
        Assert.Equal(200, seen.Count);
        key = default;
        Assert.False(TableOps.Next(L, t, ref key, out _));
    }

    [Fact]
    public void LengthIsABorderWhenTheArrayHasHoles()
    {
        LuaTable* t = TableOps.New(L, 8, 0);
        for (int i = 1; i <= 5; i++) TableOps.SetInt(L, t, i, Value.True);
        long n = TableOps.Length(t);
        Assert.Equal(5, n);
        TableOps.SetInt(L, t, 3, Value.Nil);
        n = TableOps.Length(t);
        Assert.True(n == 2 || n == 5, $"{n} is not a border");
    }
}
