using System.Runtime.InteropServices;
using Tiered.Interpreter.Runtime;

namespace Tiered.Interpreter.VM;

// The collector: precise, non-moving, stop-the-world mark and sweep.
//
// Collections start only at safepoints (the interpreter's allocating instructions, returns
// from host functions, collectgarbage): at those points every live value is in a root
// (a thread's stack below its top, the registry, an upvalue...), so host code may hold raw
// object pointers between safepoints without registering them.
//
// Phases: mark roots -> propagate -> converge ephemerons -> clear weak values ->
// separate unreachable finalizable objects and mark them (resurrection) -> converge ->
// clear weak keys and values -> sweep -> run the separated finalizers.
public sealed unsafe partial class LuaState
{
    private const byte Marked = 1;
    private const byte GcFixed = 1;        // GcFlags: never collected
    private const byte GcFinalizable = 2;  // GcFlags: registered in finalizable

    private long gcThreshold;
    private bool gcRunning;
    private bool collecting;
    private readonly Stack<nint> gray = new();
    private readonly List<nint> weakTables = new();
    private readonly List<nint> finalizable = new();
    private readonly List<nint> toBeFinalized = new();
    private bool runningFinalizers;
    public long Collections { get; private set; }

    public bool GcIsRunning { get => gcRunning; set => gcRunning = value; }

    internal void Fix(GcObject* o) => o->GcFlags |= GcFixed;

    /// <summary>Extra roots supplied by the embedding (host handles).</summary>
    public Action<LuaState>? MarkExtraRoots;

    /// <summary>The safepoint check: collect if the allocation debt says so.</summary>
    public void CheckGc()
    {
        if ((bytesAllocated >= gcThreshold && gcRunning) || Options.GcStress)
            if (!collecting) FullCollect();
    }

    public void FullCollect()
    {
        if (collecting) return;
        collecting = true;
        try
        {
            Mark();
            IndexCache.Invalidate(Shared);   // entries may point to what the sweep frees
            Sweep();
            Collections++;
        }
        finally { collecting = false; }
        long live = bytesAllocated;
        gcThreshold = Math.Max(live * 2, 1 << 20);
        if (toBeFinalized.Count > 0 && !runningFinalizers) RunPendingFinalizers();
    }

    /// <summary>Registers a table/userdata whose new metatable has __gc.</summary>
    internal void CheckFinalizer(GcObject* o, LuaTable* mt)
    {
        if ((o->GcFlags & GcFinalizable) != 0 || mt == null) return;
        if (TableOps.GetShortString(mt, MetaNames[(int)MetaEvent.Gc])->Tag == Tag.Nil) return;
        o->GcFlags |= GcFinalizable;
        finalizable.Add((nint)o);
    }

    // ------------------------------------------------------------------ mark

    private void MarkValue(in Value v)
    {
        if (v.Tag >= Tag.String && v.Tag <= Tag.Thread) MarkObject((GcObject*)v.P);
    }

    private void MarkObject(GcObject* o)
    {
        if (o == null || o->Mark == Marked) return;
        o->Mark = Marked;
        if (o->Type != ObjType.String) gray.Push((nint)o);
    }

    private void Mark()
    {
        weakTables.Clear();
        MarkObject((GcObject*)MainThread);
        MarkObject((GcObject*)Thread);
        MarkObject((GcObject*)Registry);
        MarkObject((GcObject*)Globals);
        MarkObject((GcObject*)StringMetatable);
        foreach (LuaTable* mt in TypeMetatables) MarkObject((GcObject*)mt);
        foreach (LuaString* s in MetaNames) MarkObject((GcObject*)s);
        foreach (nint o in toBeFinalized) MarkObject((GcObject*)o);
        MarkExtraRoots?.Invoke(this);
        Propagate();
        ConvergeEphemerons();
        ClearWeakValues();
        // Unreachable objects with finalizers are resurrected until their __gc has run.
        for (int i = finalizable.Count - 1; i >= 0; i--)
        {
            var o = (GcObject*)finalizable[i];
            if (o->Mark == Marked) continue;
            toBeFinalized.Add((nint)o);
            o->GcFlags &= unchecked((byte)~GcFinalizable);
            finalizable.RemoveAt(i);
        }
        foreach (nint o in toBeFinalized) MarkObject((GcObject*)o);
        Propagate();
        ConvergeEphemerons();
        ClearWeakKeys();
        ClearWeakValues();
    }

    /// <summary>Marks an object reachable only from the host (a prototype being compiled).</summary>
    public void MarkObjectRoot(GcObject* o) => MarkObject(o);

    /// <summary>Marks a value reachable only from the host (embedding handles).</summary>
    public void MarkRoot(in Value v) => MarkValue(v);

    private void Propagate()
    {
        while (gray.Count > 0)
        {
            var o = (GcObject*)gray.Pop();
            switch (o->Type)
            {
                case ObjType.Table: TraverseTable((LuaTable*)o); break;
                case ObjType.LuaClosure:
                    {
                        var c = (LuaClosure*)o;
                        MarkObject((GcObject*)c->Proto);
                        UpVal** uv = LuaClosure.Upvalues(c);
                        for (int i = 0; i < c->UpvalueCount; i++) MarkObject((GcObject*)uv[i]);
                        break;
                    }
                case ObjType.HostClosure:
                    {
                        var c = (HostClosure*)o;
                        for (int i = 0; i < c->UpvalueCount; i++) MarkValue(HostClosure.Upvalues(c)[i]);
                        break;
                    }
                case ObjType.Upvalue: MarkValue(*((UpVal*)o)->V); break;
                case ObjType.Userdata:
                    {
                        var u = (Userdata*)o;
                        MarkObject((GcObject*)u->Metatable);
                        MarkValue(u->UserValue);
                        break;
                    }
                case ObjType.Proto:
                    {
                        var p = (Proto*)o;
                        for (int i = 0; i < p->ConstantCount; i++) MarkValue(p->Constants[i]);
                        for (int i = 0; i < p->ChildCount; i++) MarkObject((GcObject*)p->Children[i]);
                        break;
                    }
                case ObjType.Thread: TraverseThread((LuaThread*)o); break;
            }
        }
    }

    private void TraverseThread(LuaThread* th)
    {
        // Everything live is below the top: the registers of suspended frames lie below their
        // callees, and a safepoint in Lua code lowers the top to just above its target
        // register (the compiler puts new objects in the first free register, as Lua's does).
        Value* top = th->Top;
        for (Value* v = th->Stack; v < top; v++) MarkValue(*v);
        // Slots above the live area may hold pointers to objects this sweep frees: clear them.
        for (Value* v = top; v < th->HighWater; v++) *v = default;
        th->HighWater = top;
        for (UpVal* u = th->OpenUpvalues; u != null; u = u->OpenNext) MarkObject((GcObject*)u);
        MarkValue(th->ErrorValue);
        MarkValue(th->HookFunction);
    }

    private byte WeakModeOf(LuaTable* mt)
    {
        if (mt == null) return 0;
        Value* mode = TableOps.GetShortString(mt, MetaNames[(int)MetaEvent.Mode]);
        if (mode->Tag != Tag.String) return 0;
        byte m = 0;
        foreach (byte c in LuaString.Span(mode->AsString))
        {
            if (c == 'k') m |= 1;
            else if (c == 'v') m |= 2;
        }
        return m;
    }

    private void TraverseTable(LuaTable* t)
    {
        MarkObject((GcObject*)t->Metatable);
        byte mode = WeakModeOf(t->Metatable);
        t->WeakMode = mode;
        if (mode != 0) weakTables.Add((nint)t);
        bool weakKeys = (mode & 1) != 0, weakValues = (mode & 2) != 0;
        if (!weakValues)
            for (uint i = 0; i < t->ArraySize; i++) MarkValue(t->Array[i]);
        if (t->IsDummyNode != 0) return;
        int n = LuaTable.NodeCount(t);
        for (int i = 0; i < n; i++)
        {
            Node* node = t->Nodes + i;
            if (node->Val.Tag == Tag.Nil)
            {
                if (node->Key.IsCollectable && node->Key.Tag != Tag.String) node->Key.Tag = TableOps.DeadKey;
                else if (node->Key.Tag == Tag.String && ((GcObject*)node->Key.P)->Mark != Marked) node->Key.Tag = TableOps.DeadKey;
                continue;
            }
            if (!weakKeys) MarkValue(node->Key);
            else if (node->Key.Tag == Tag.String) MarkValue(node->Key);   // strings are values, never weak
            if (!weakValues && (!weakKeys || !IsCleared(node->Key))) MarkValue(node->Val);
            else if (weakValues && node->Val.Tag == Tag.String) MarkValue(node->Val);
        }
    }

    /// <summary>Would this key/value be removed from a weak table? Strings never are.</summary>
    private static bool IsCleared(in Value v)
    {
        if (!v.IsCollectable) return false;
        var o = (GcObject*)v.P;
        if (o->Type == ObjType.String) { o->Mark = Marked; return false; }
        return o->Mark != Marked;
    }

    private void ConvergeEphemerons()
    {
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (LuaTable* t in weakTables)
            {
                if (t->WeakMode != 1 || t->IsDummyNode != 0) continue;
                int n = LuaTable.NodeCount(t);
                for (int i = 0; i < n; i++)
                {
                    Node* node = t->Nodes + i;
                    if (node->Val.Tag == Tag.Nil || IsCleared(node->Key)) continue;
                    if (node->Val.IsCollectable && ((GcObject*)node->Val.P)->Mark != Marked)
                    {
                        MarkValue(node->Val);
                        changed = true;
                    }
                }
                for (uint i = 0; i < t->ArraySize; i++) MarkValue(t->Array[i]);
            }
            if (changed) Propagate();
        }
    }

    private void ClearWeakValues()
    {
        foreach (LuaTable* t in weakTables)
        {
            if ((t->WeakMode & 2) == 0) continue;
            for (uint i = 0; i < t->ArraySize; i++)
                if (IsCleared(t->Array[i])) t->Array[i] = default;
            if (t->IsDummyNode != 0) continue;
            int n = LuaTable.NodeCount(t);
            for (int i = 0; i < n; i++)
            {
                Node* node = t->Nodes + i;
                if (node->Val.Tag != Tag.Nil && IsCleared(node->Val)) { node->Val = default; KillKey(node); }
            }
        }
    }

    private void ClearWeakKeys()
    {
        foreach (LuaTable* t in weakTables)
        {
            if ((t->WeakMode & 1) == 0 || t->IsDummyNode != 0) continue;
            int n = LuaTable.NodeCount(t);
            for (int i = 0; i < n; i++)
            {
                Node* node = t->Nodes + i;
                if (node->Val.Tag != Tag.Nil && IsCleared(node->Key)) { node->Val = default; KillKey(node); }
            }
        }
    }

    private static void KillKey(Node* node)
    {
        if (node->Key.IsCollectable && ((GcObject*)node->Key.P)->Mark != Marked) node->Key.Tag = TableOps.DeadKey;
    }

    // ------------------------------------------------------------------ sweep

    private void Sweep()
    {
        GcObject** p = (GcObject**)Unsafe_AsPointer(ref allObjects);
        while (*p != null)
        {
            GcObject* o = *p;
            if (o->Mark == Marked || (o->GcFlags & GcFixed) != 0)
            {
                o->Mark = 0;
                p = &o->Next;
            }
            else
            {
                *p = o->Next;
                FreeObject(o);
            }
        }
    }

    private static GcObject** Unsafe_AsPointer(ref GcObject* head)
    {
        fixed (GcObject** h = &head) return h;
    }

    private void FreeObject(GcObject* o)
    {
        switch (o->Type)
        {
            case ObjType.String:
                if (((LuaString*)o)->Length <= LuaString.MaxShortLength) RemoveInterned((LuaString*)o);
                break;
            case ObjType.Table: TableOps.Free(this, (LuaTable*)o); break;
            case ObjType.Proto: FreeProto((Proto*)o); break;
            case ObjType.Thread:
                {
                    var th = (LuaThread*)o;
                    VirtualMemory.Release(th->Stack, th->StackBytes);
                    VirtualMemory.Release(th->Frames, th->FrameBytes);
                    if (th->Tbc != null) NativeMemory.Free(th->Tbc);
                    break;
                }
            case ObjType.Userdata:
                {
                    var u = (Userdata*)o;
                    if (u->HostHandle != 0) GCHandle.FromIntPtr(u->HostHandle).Free();
                    break;
                }
        }
        bytesAllocated -= o->Size;
        PoolFree(o, (nuint)o->Size);
    }

    // ------------------------------------------------------------------ finalizers

    private void RunPendingFinalizers()
    {
        runningFinalizers = true;
        try
        {
            while (toBeFinalized.Count > 0)
            {
                nint o = toBeFinalized[0];
                toBeFinalized.RemoveAt(0);
                CallFinalizer((GcObject*)o);
            }
        }
        finally { runningFinalizers = false; }
    }

    private void CallFinalizer(GcObject* o)
    {
        LuaTable* mt = o->Type == ObjType.Table ? ((LuaTable*)o)->Metatable : ((Userdata*)o)->Metatable;
        if (mt == null) return;
        Value gc = *TableOps.GetShortString(mt, MetaNames[(int)MetaEvent.Gc]);
        if (!gc.IsFunction) return;
        Value self = Value.Object(o, o->Type == ObjType.Table ? Tag.Table : Tag.Userdata);
        bool wasRunning = gcRunning;
        gcRunning = false;   // no collection while a finalizer runs
        try { ProtectedCallValues(gc, self); }
        catch (LuaRuntimeException) { /* errors in finalizers only produce warnings, off by default */ }
        finally { gcRunning = wasRunning; }
    }

    /// <summary>At close: every object with a pending finalizer gets its __gc, newest first.</summary>
    internal void RunAllFinalizers()
    {
        for (int i = finalizable.Count - 1; i >= 0; i--) toBeFinalized.Add(finalizable[i]);
        finalizable.Clear();
        RunPendingFinalizers();
    }
}
