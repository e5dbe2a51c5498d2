using System.Runtime.CompilerServices;
using Tiered.Tiering;
using Xunit;

namespace Tiered.Engine.Tests;

public class HostObjectTests
{
    public sealed class Player
    {
        [LuaMember] public string Name { get; set; } = "ann";
        [LuaMember] public int Score { get; private set; }
        [LuaMember("hp")] public double Health { get; set; } = 10;
        public string Secret { get; set; } = "hidden";

        [LuaMember] public void AddScore(int points) => Score += points;
        [LuaMember] public LuaValue[] Split(string s, long n) => [s.Substring(0, (int)n), s.Substring((int)n)];
        [LuaMember] public int Count(string prefix, params LuaValue[] rest) => prefix.Length + rest.Length;
        [LuaMember] public double Apply(LuaFunction f, LuaTable t) => f.Call(t["x"])[0].AsNumber();
        [LuaMember] public void Fail(string message) => throw new InvalidOperationException(message);
        [LuaMember] public LuaValue Friend() => LuaValue.FromObject(new Player { Name = "bob" });
        public void Hidden() { }
    }

    private static LuaEngine NewEngine() => new(new LuaEngineOptions { Jit = JitMode.Off });

    [Fact]
    public void PropertiesReadAndWrite()
    {
        using var e = NewEngine();
        var p = new Player();
        e.Globals["p"] = LuaValue.FromObject(p);
        LuaValue[] r = e.DoString("local old = p.Name p.Name = 'cy' p.hp = p.hp + 1.5 return old, p.Name, p.hp, p.Score");
        Assert.Equal("ann", r[0].AsString());
        Assert.Equal("cy", r[1].AsString());
        Assert.Equal(11.5, r[2].AsNumber());
        Assert.Equal(0, r[3].AsInteger());
        Assert.Equal("cy", p.Name);
        Assert.Equal(11.5, p.Health);
    }

    [Fact]
    public void MethodsMarshalArgumentsAndResults()
    {
        using var e = NewEngine();
        var p = new Player();
        e.Globals["p"] = LuaValue.FromObject(p);
        LuaValue[] r = e.DoString(@"
            p:AddScore(3) p:AddScore(4)
            local a, b = p:Split('hello', 2)
            return p.Score, a, b, p:Count('ab', 1, nil, 3), p:Apply(function(x) return x * 2 end, {x = 21}), p:Friend().Name");
        Assert.Equal(7, r[0].AsInteger());
        Assert.Equal(7, p.Score);
        Assert.Equal("he", r[1].AsString());
        Assert.Equal("llo", r[2].AsString());
        Assert.Equal(5, r[3].AsInteger());
        Assert.Equal(42.0, r[4].AsNumber());
        Assert.Equal("bob", r[5].AsString());
        var ex = Assert.Throws<LuaException>(() => e.DoString("p:AddScore('x')"));
        Assert.Contains("number expected", ex.Message);
        ex = Assert.Throws<LuaException>(() => e.DoString("local f = p.AddScore f({}, 1)"));
        Assert.Contains("Player expected", ex.Message);
    }

    [Fact]
    public void UnmarkedMembersAreInvisibleAndNotSettable()
    {
        using var e = NewEngine();
        var p = new Player();
        e.Globals["p"] = LuaValue.FromObject(p);
        LuaValue[] r = e.DoString("return p.Secret, p.Hidden, p.GetType, p.ToString, p.Health, p[1], getmetatable(p)");
        for (int i = 0; i < 6; i++) Assert.True(r[i].IsNil, $"result {i}");
        Assert.Equal("Player", r[6].AsString());
        var ex = Assert.Throws<LuaException>(() => e.DoString("p.Secret = 'x'"));
        Assert.Contains("cannot set member 'Secret' of Player", ex.Message);
        ex = Assert.Throws<LuaException>(() => e.DoString("p.Score = 5"));   // private setter
        Assert.Contains("cannot set member 'Score' of Player", ex.Message);
        ex = Assert.Throws<LuaException>(() => e.DoString("p.AddScore = 5"));
        Assert.Contains("cannot set member 'AddScore' of Player", ex.Message);
        Assert.Equal("hidden", p.Secret);
        Assert.Equal(0, p.Score);
    }

    [Fact]
    public void HostExceptionIsCatchableByPcall()
    {
        using var e = NewEngine();
        e.Globals["p"] = LuaValue.FromObject(new Player());
        LuaValue[] r = e.DoString("local ok, err = pcall(p.Fail, p, 'boom') return ok, err");
        Assert.False(r[0].AsBoolean());
        Assert.Contains("boom", r[1].AsString());
        var ex = Assert.Throws<LuaException>(() => e.DoString("p:Fail('escaped')"));
        Assert.IsType<InvalidOperationException>(ex.InnerException);
        Assert.Contains("escaped", ex.Message);
    }

    [Fact]
    public void ObjectsRoundTripWithIdentity()
    {
        using var e = NewEngine();
        var p = new Player();
        e.Globals["a"] = LuaValue.FromObject(p);
        e.Globals["b"] = LuaValue.FromObject(p);
        e.Globals["c"] = LuaValue.FromObject(new Player());
        LuaValue[] r = e.DoString("return a == b, a == c, rawequal(a, b), type(a), tostring(a), a");
        Assert.True(r[0].AsBoolean());
        Assert.False(r[1].AsBoolean());
        Assert.True(r[2].AsBoolean());
        Assert.Equal("userdata", r[3].AsString());
        Assert.Matches("^Player: 0x[0-9a-f]+$", r[4].AsString());
        Assert.Equal(LuaValueType.Userdata, r[5].Type);
        Assert.Same(p, r[5].AsObject());
        Assert.True(r[5].TryGetObject(out Player? back) && ReferenceEquals(back, p));
        Assert.False(r[5].TryGetObject<string>(out _));
        Assert.Equal(LuaValue.FromObject(p), r[5]);
        Assert.Same(p, e.Globals["a"].AsObject());

        object? received = null;
        e.Register("take", (Action<LuaValue>)(v => received = v.AsObject()));
        e.DoString("take(b)");
        Assert.Same(p, received);
        Assert.Throws<InvalidCastException>(() => e.DoString("return {}")[0].AsObject());
    }

    [Fact]
    public void HandleIsFreedWhenLuaDropsTheObject()
    {
        using var e = NewEngine();
        WeakReference weak = PassIn(e);
        e.DoString("assert(p.Name == 'ann') p = nil collectgarbage() collectgarbage()");
        for (int i = 0; i < 3 && weak.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(weak.IsAlive);
        // A new object of the same type still works after the old userdata was swept.
        PassIn(e);
        Assert.Equal("ann", e.DoString("return p.Name")[0].AsString());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference PassIn(LuaEngine e)
    {
        var p = new Player();
        e.Globals["p"] = LuaValue.FromObject(p);
        return new WeakReference(p);
    }

    [Fact]
    public void EagerJitUsesTheSameMembers()
    {
        using var e = new LuaEngine(new LuaEngineOptions { Jit = JitMode.Eager });
        var p = new Player();
        e.Globals["p"] = LuaValue.FromObject(p);
        LuaValue[] r = e.DoString(@"
            local function run(o, n)
              for i = 1, n do o:AddScore(1) o.hp = o.hp + 1 end
              return o.Score, o.Secret, pcall(function() o.Secret = 1 end)
            end
            run(p, 10)
            return run(p, 100)");
        Assert.Equal(110, r[0].AsInteger());
        Assert.Equal(120.0, p.Health);
        Assert.True(r[1].IsNil);
        Assert.False(r[2].AsBoolean());
        Assert.Contains("cannot set member 'Secret' of Player", r[3].AsString());
    }

    [Fact]
    public void UnsupportedMemberTypeFailsWhenWrapping()
    {
        Assert.Throws<ArgumentException>(() => LuaValue.FromObject(new BadMember()));
    }

    public sealed class BadMember
    {
        [LuaMember] public DateTime When { get; set; }
    }
}
