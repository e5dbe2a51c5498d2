namespace Tiered.Interpreter.VM;

/// <summary>Metamethod events. The first eight are cached as "known absent" bits in a
/// metatable's header flags, so their order matters.</summary>
public enum MetaEvent
{
    Index, NewIndex, Gc, Mode, Len, Eq, Call, ToString,
    Add, Sub, Mul, Mod, Pow, Div, IDiv, BAnd, BOr, BXor, Shl, Shr,
    Unm, BNot, Lt, Le, Concat, Close, Name, Pairs, Metatable,
    Count,
}

internal static class MetaEventNames
{
    public static readonly string[] Names =
    [
        "__index", "__newindex", "__gc", "__mode", "__len", "__eq", "__call", "__tostring",
        "__add", "__sub", "__mul", "__mod", "__pow", "__div", "__idiv", "__band", "__bor", "__bxor", "__shl", "__shr",
        "__unm", "__bnot", "__lt", "__le", "__concat", "__close", "__name", "__pairs", "__metatable",
    ];
}
