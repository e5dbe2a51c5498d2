using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;

namespace Tiered.Interpreter.Lib;

internal static unsafe class LibraryHelpers
{
    /// <summary>Sets t[name] = a host function (registered once per call).</summary>
    public static void SetFunction(LuaState L, LuaTable* t, string name, HostFunction fn) =>
        TableOps.Set(L, t, L.StringValue(name), L.NewHostFunction(fn, name));

    public static void SetValue(LuaState L, LuaTable* t, string name, in Value v) =>
        TableOps.Set(L, t, L.StringValue(name), v);

    /// <summary>Creates a library table, stores it in package.loaded (registry _LOADED) and as a global.</summary>
    public static LuaTable* NewLibrary(LuaState L, string name, (string Name, HostFunction Fn)[] functions)
    {
        LuaTable* t = L.NewTable(0, functions.Length);
        // Registered as "lib.name": that is how tracebacks name library functions.
        foreach ((string n, HostFunction f) in functions)
            TableOps.Set(L, t, L.StringValue(n), L.NewHostFunction(f, name + "." + n));
        SetValue(L, Loaded(L), name, Value.Table(t));
        SetValue(L, L.Globals, name, Value.Table(t));
        return t;
    }

    /// <summary>Marks the library's closure lib[name] as one native code may compute inline.</summary>
    public static void MarkIntrinsic(LuaState L, LuaTable* lib, string name, HostIntrinsic intrinsic)
    {
        Value* v = TableOps.Get(lib, L.StringValue(name));
        ((HostClosure*)v->P)->Intrinsic = intrinsic;
    }

    public static LuaTable* Loaded(LuaState L)
    {
        Value key = L.StringValue("_LOADED");
        Value* slot = TableOps.Get(L.Registry, key);
        if (slot->Tag == Tag.Table) return slot->AsTable;
        LuaTable* t = L.NewTable();
        TableOps.Set(L, L.Registry, key, Value.Table(t));
        return t;
    }
}
