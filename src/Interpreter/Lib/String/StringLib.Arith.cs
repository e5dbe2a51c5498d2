using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using static Tiered.Interpreter.Lib.LibraryHelpers;

namespace Tiered.Interpreter.Lib;

// Arithmetic metamethods of the string metatable, as lstrlib installs them. Tiered's VM
// converts numeric strings in arithmetic before it looks for metamethods, so these run only
// when that failed: they give lua5.4's messages ("attempt to add a 'string' with a 'number'")
// and defer to the other operand's metamethod, and getmetatable("") has the fields Lua has.
public static unsafe partial class StringLib
{
    private static readonly (string Name, MetaEvent Op)[] ArithEvents =
    [
        ("__add", MetaEvent.Add), ("__sub", MetaEvent.Sub), ("__mul", MetaEvent.Mul), ("__mod", MetaEvent.Mod),
        ("__pow", MetaEvent.Pow), ("__div", MetaEvent.Div), ("__idiv", MetaEvent.IDiv), ("__unm", MetaEvent.Unm),
    ];

    private static void SetArithMetamethods(LuaState L, LuaTable* mt)
    {
        foreach ((string name, MetaEvent op) in ArithEvents)
        {
            string eventName = name;
            MetaEvent ev = op;
            SetFunction(L, mt, name, (LuaState l, int argc) => StringArith(l, ev, eventName));
        }
    }

    /// <summary>A string (or number) operand as a number; strings must be complete numerals.</summary>
    private static bool ToArithNumber(in Value v, out Value n)
    {
        if (v.IsNumber)
        {
            n = v;
            return true;
        }
        if (v.Tag == Tag.String) return Numbers.TryParse(LuaString.Span(v.AsString), out n);
        n = default;
        return false;
    }

    private static int StringArith(LuaState L, MetaEvent op, string eventName)
    {
        Value a = L.Arg(1), b = L.Arg(2);
        if (ToArithNumber(a, out Value x) && ToArithNumber(b, out Value y))
        {
            L.Push(L.NumberArith(op, x, y));
            return 1;
        }
        // Not numbers: the second operand's metamethod may know (a string has only this one).
        Value* tm = b.Tag == Tag.String ? null : L.MetaOf(b, op);
        if (tm == null || tm->Tag == Tag.Nil)
            throw L.RuntimeError($"attempt to {eventName[2..]} a '{LuaState.TypeName(a.Tag)}' with a '{LuaState.TypeName(b.Tag)}'");
        Value* func = L.Top;
        L.Push(*tm);
        L.Push(a);
        L.Push(b);
        L.Call(func, 2, 1);
        return 1;
    }
}
