using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using RawTable = Tiered.Interpreter.Runtime.LuaTable;

namespace Tiered;

/// <summary>
/// .NET objects in Lua (<see cref="LuaValue.FromObject"/>): each becomes a userdata whose
/// <see cref="Userdata.HostHandle"/> is a GCHandle to the object; the sweep frees the handle
/// when Lua drops the userdata, and the object is then collectable by .NET.
/// </summary>
/// <remarks>
/// One metatable per .NET type and engine: __index and __newindex are host functions over
/// the type's [LuaMember] members (<see cref="HostType"/>), __name is the type's name (so
/// tostring gives "Player: 0x..."), and __metatable hides the metatable from scripts.
/// The same object passed twice is the same userdata while Lua holds it: a weak-valued
/// registry table maps the object's id to its userdata, so Lua's == and table keys treat
/// it as one value.
/// </remarks>
public sealed unsafe partial class LuaEngine
{
    private sealed class HostMetatable(HostType type, nint metatable)
    {
        public readonly HostType Type = type;
        public readonly nint Metatable = metatable;
    }

    private RawTable* hostMetatableRoots;   // registry: strong list of the metatables
    private RawTable* hostObjectsById;      // registry: id -> userdata, weak values
    private readonly Dictionary<Type, HostMetatable> hostMetatables = new();
    private readonly Dictionary<nint, HostMetatable> hostMetatablesByAddress = new();
    private readonly ConditionalWeakTable<object, StrongBox<long>> hostObjectIds = new();
    private long nextHostObjectId;

    /// <summary>The userdata of <paramref name="target"/>: the existing one while Lua still
    /// holds it, else a new one.</summary>
    private Value WrapHostObject(object target)
    {
        if (hostObjectIds.TryGetValue(target, out StrongBox<long>? id))
        {
            Value existing = *TableOps.GetInt(hostObjectsById, id.Value);
            if (existing.Tag == Tag.Userdata) return existing;
        }
        else
        {
            id = new StrongBox<long>(++nextHostObjectId);
            hostObjectIds.Add(target, id);
        }
        HostMetatable mt = MetatableFor(target.GetType());
        // No collection runs between these allocations (the GC runs only at safepoints), so
        // the new userdata needs no root until it is stored.
        Userdata* u = L.NewUserdata(0);
        u->HostHandle = GCHandle.ToIntPtr(GCHandle.Alloc(target));
        u->Metatable = (RawTable*)mt.Metatable;
        Value ud = Value.Object(u, Tag.Userdata);
        TableOps.SetInt(L, hostObjectsById, id.Value, ud);
        return ud;
    }

    /// <summary>The .NET object behind a userdata made by <see cref="WrapHostObject"/>, or null.</summary>
    private object? HostObjectOf(in Value v)
    {
        if (v.Tag != Tag.Userdata) return null;
        var u = (Userdata*)v.P;
        if (u->HostHandle == 0 || !hostMetatablesByAddress.ContainsKey((nint)u->Metatable)) return null;
        return GCHandle.FromIntPtr(u->HostHandle).Target;
    }

    private HostMetatable MetatableFor(Type type)
    {
        if (hostMetatables.TryGetValue(type, out HostMetatable? known)) return known;
        HostType ht = HostType.For(type);
        if (hostObjectsById == null)
        {
            hostMetatableRoots = L.NewTable();
            TableOps.Set(L, L.Registry, L.StringValue("tiered.engine.hostmetatables"), Value.Table(hostMetatableRoots));
            hostObjectsById = L.NewTable();
            TableOps.Set(L, L.Registry, L.StringValue("tiered.engine.hostobjects"), Value.Table(hostObjectsById));
            RawTable* weak = L.NewTable();
            TableOps.Set(L, weak, L.StringValue("__mode"), L.StringValue("v"));
            hostObjectsById->Metatable = weak;
        }
        RawTable* mt = L.NewTable();
        TableOps.SetInt(L, hostMetatableRoots, hostMetatables.Count + 1, Value.Table(mt));
        var entry = new HostMetatable(ht, (nint)mt);

        // members: Lua name -> method (a host function) or property (its index). Keyed by Lua
        // strings, so a lookup is a table get, with no managed string per access.
        RawTable* members = L.NewTable();
        TableOps.Set(L, mt, L.StringValue("tiered.members"), Value.Table(members));
        foreach (HostMethod m in ht.Methods)
        {
            HostFunction fn = HostAdapter.Create(this, m.Method, m.Name, m.Call, state => SelfOf(state, entry));
            TableOps.Set(L, members, L.StringValue(m.Name), L.NewHostFunction(fn, m.Name));
        }
        for (int i = 0; i < ht.Properties.Count; i++)
            TableOps.Set(L, members, L.StringValue(ht.Properties[i].Name), Value.Int(i));

        nint membersAddress = (nint)members;
        TableOps.Set(L, mt, L.StringValue("__name"), L.StringValue(ht.Name));
        TableOps.Set(L, mt, L.StringValue("__metatable"), L.StringValue(ht.Name));
        TableOps.Set(L, mt, L.StringValue("__index"), L.NewHostFunction(
            (state, _) => IndexHostObject(state, entry, (RawTable*)membersAddress), ht.Name + ".__index"));
        TableOps.Set(L, mt, L.StringValue("__newindex"), L.NewHostFunction(
            (state, _) => SetHostObjectMember(state, entry, (RawTable*)membersAddress), ht.Name + ".__newindex"));

        hostMetatables[type] = entry;
        hostMetatablesByAddress[(nint)mt] = entry;
        return entry;
    }

    private static object SelfOf(LuaState state, HostMetatable mt)
    {
        Value self = state.Arg(1);
        if (self.Tag == Tag.Userdata)
        {
            var u = (Userdata*)self.P;
            if ((nint)u->Metatable == mt.Metatable && u->HostHandle != 0)
                return GCHandle.FromIntPtr(u->HostHandle).Target!;
        }
        throw state.TypeError(1, mt.Type.Name);
    }

    /// <summary>__index: a method's function, a property's value, nil for anything else.</summary>
    private int IndexHostObject(LuaState state, HostMetatable mt, RawTable* members)
    {
        Value key = state.Arg(2);
        Value member = key.Tag == Tag.String ? *TableOps.Get(members, key) : default;
        if (member.Tag == Tag.Integer)
        {
            HostProperty p = mt.Type.Properties[(int)member.I];
            if (p.Get == null) { state.PushNil(); return 1; }
            object target = SelfOf(state, mt);
            HostAdapter.CheckNesting(this, state);
            object? value;
            try { value = p.Get(target); }
            catch (Exception ex) when (HostAdapter.IsHostFailure(ex)) { throw HostAdapter.ToLuaError(this, state, ex); }
            p.Push!(this, state, value);
            return 1;
        }
        state.Push(member);   // a method, or nil
        return 1;
    }

    /// <summary>__newindex: sets a property with a public setter; anything else is an error.</summary>
    private int SetHostObjectMember(LuaState state, HostMetatable mt, RawTable* members)
    {
        Value key = state.Arg(2);
        Value member = key.Tag == Tag.String ? *TableOps.Get(members, key) : default;
        HostProperty? p = member.Tag == Tag.Integer ? mt.Type.Properties[(int)member.I] : null;
        if (p?.Set == null)
        {
            string name = key.Tag == Tag.String ? LuaString.ToManaged(key.AsString) : LuaString.ToManaged(state.ToStringMeta(key));
            throw state.RuntimeError($"cannot set member '{name}' of {mt.Type.Name}");
        }
        object target = SelfOf(state, mt);
        object? value = p.Read!(this, state, 3);
        HostAdapter.CheckNesting(this, state);
        try { p.Set(target, value); }
        catch (Exception ex) when (HostAdapter.IsHostFailure(ex)) { throw HostAdapter.ToLuaError(this, state, ex); }
        return 0;
    }
}
