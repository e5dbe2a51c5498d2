using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Runtime;
using static Tiered.Interpreter.Bytecode.Instruction;
using Tiered.Interpreter.VM;
using Tiered.Tiering.Llvm;
using static Tiered.Tiering.Llvm.LlvmApi;

namespace Tiered.Tiering.Codegen;

// Inline fast paths: table array-part and string-key access, number arithmetic (comparisons
// are in Lowering.Compare.cs, numeric for loops in Lowering.Loops.cs). Each falls back to a runtime helper (or
// deoptimises, where the site was specialised on feedback) when its guards fail.
internal sealed unsafe partial class Lowering
{
    private bool IsShortStringConstant(int index) =>
        index < proto.Constants.Length && proto.Constants[index].Kind == ConstantKind.String
        && proto.Constants[index].String!.Length <= LuaString.MaxShortLength;

    /// <summary>Looks a short string key up in a table's hash part. Branches to
    /// <paramref name="miss"/> when absent; returns the value slot in the found path. The main
    /// position and the next node of its collision chain are probed inline (most keys are in
    /// one of them); longer chains are walked by an out-of-line function, so the function's own
    /// code has no loops of its own for every field access.</summary>
    private nint InlineShortLookup(nint table, nint key, nint miss)
    {
        nint first = MainPosition(table, key);
        nint found = NewBlock("found");
        nint hitFirst = NewBlock(), probeSecond = NewBlock("chain"), hasSecond = NewBlock(), hitSecond = NewBlock(), walk = NewBlock("chain_walk");
        CondBr(KeyIs(first, key), hitFirst, probeSecond);
        builder.PositionAtEnd(hitFirst);
        Br(found);

        builder.PositionAtEnd(probeSecond);
        nint link = LoadField(i32, first, Layout.NodeKey + Layout.ValueAux, Mem.NodeKey);
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, link, I32(0), ""), miss, hasSecond);
        builder.PositionAtEnd(hasSecond);
        nint second = GepDyn(first, LLVMBuildMul(B, LLVMBuildSExt(B, link, i64, ""), I64(Layout.NodeSize), ""));
        CondBr(KeyIs(second, key), hitSecond, walk);
        builder.PositionAtEnd(hitSecond);
        Br(found);

        builder.PositionAtEnd(walk);
        nint walked = builder.Call(ChainWalker(), [second, key]);
        nint foundLater = NewBlock();
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, walked, LLVMConstNull(ptr), ""), miss, foundLater);
        builder.PositionAtEnd(foundLater);
        Br(found);

        builder.PositionAtEnd(found);
        nint node = Phi(ptr, (first, hitFirst), (second, hitSecond), (walked, foundLater));
        return Gep(node, Layout.NodeVal);
    }

    /// <summary>A short string key's hash (an i32): a constant where the key is one.</summary>
    private nint KeyHash(nint key) =>
        knownHash.TryGetValue(key, out uint h) ? I32((int)h) : LoadI32(key, Layout.StringHash);

    /// <summary>The node where a short string key's hash puts it in the table's hash part.</summary>
    private nint MainPosition(nint table, nint key)
    {
        nint nodes = LoadField(ptr, table, Layout.TableNodes, Mem.TableNodes);
        nint lsize = LLVMBuildZExt(B, LoadField(i8, table, Layout.TableLogNodeSize, Mem.TableLogNodeSize), i32, "");
        nint mask = LLVMBuildSub(B, LLVMBuildShl(B, I32(1), lsize, ""), I32(1), "");
        nint hash = KeyHash(key);
        nint index = LLVMBuildZExt(B, LLVMBuildAnd(B, hash, mask, ""), i64, "");
        return NodeAt(nodes, index);
    }

    private nint KeyIs(nint node, nint key) => LLVMBuildAnd(B,
        LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, LoadField(ptr, node, Layout.NodeKey, Mem.NodeKey), key, ""),
        LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, LoadField(i8, node, Layout.NodeKey + Layout.ValueTag, Mem.NodeKey), I8((int)Tag.String), ""), "");

    private nint chainWalker;

    /// <summary>A function private to the module (it travels with the object code), never
    /// inlined: inlined, its loop would be copied into every site that calls it.</summary>
    private nint AddPrivateFunction(string suffix, nint type)
    {
        nint f = module.AddFunction(fnName + suffix, type);
        LLVMSetLinkage(f, LLVMLinkage.LLVMPrivateLinkage);
        module.AddFunctionAttribute(f, "noinline");
        return f;
    }

    /// <summary>ptr walk(ptr node, ptr key): the node of key in node's collision chain, or null.
    /// A private function of the module (it travels with the object code).</summary>
    private nint ChainWalker()
    {
        if (chainWalker != 0) return chainWalker;
        nint saved = builder.InsertBlock;
        nint f = AddPrivateFunction("_chain", ctx.FunctionType(ptr, [ptr, ptr]));
        nint entry = LLVMAppendBasicBlockInContext(ctx.Handle, f, "");
        nint loop = LLVMAppendBasicBlockInContext(ctx.Handle, f, "");
        nint next = LLVMAppendBasicBlockInContext(ctx.Handle, f, "");
        nint found = LLVMAppendBasicBlockInContext(ctx.Handle, f, "");
        nint absent = LLVMAppendBasicBlockInContext(ctx.Handle, f, "");
        builder.PositionAtEnd(entry);
        nint start = LLVMGetParam(f, 0), key = LLVMGetParam(f, 1);
        Br(loop);
        builder.PositionAtEnd(loop);
        nint node = LLVMBuildPhi(B, ptr, "");
        LlvmBuilder.AddIncoming(node, start, entry);
        nint link = LoadField(i32, node, Layout.NodeKey + Layout.ValueAux, Mem.NodeKey);
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, link, I32(0), ""), absent, next);
        builder.PositionAtEnd(next);
        nint nextNode = GepDyn(node, LLVMBuildMul(B, LLVMBuildSExt(B, link, i64, ""), I64(Layout.NodeSize), ""));
        LlvmBuilder.AddIncoming(node, nextNode, next);
        CondBr(KeyIs(nextNode, key), found, loop);
        builder.PositionAtEnd(found);
        LLVMBuildRet(B, nextNode);
        builder.PositionAtEnd(absent);
        LLVMBuildRet(B, LLVMConstNull(ptr));
        builder.PositionAtEnd(saved);
        chainWalker = f;
        return f;
    }

    /// <summary>obj[key] for a short string constant key, as far as the fast paths go: present
    /// in obj's own hash part; else absent with no metatable (nil), or found through the
    /// metatable's __index tables (a method found through its class and the classes above it),
    /// where the state's <see cref="IndexCache"/> knows the end of that walk, or the helper
    /// walks it and remembers. Returns a pointer to the value; every other case (an __index
    /// function, say) branches to slow. The __index tables are followed only at sites where
    /// the interpreter saw a metatable consulted (<see cref="FeedbackBits.ViaMetatable"/>):
    /// elsewhere a table with a metatable goes to slow.</summary>
    private nint StringKeyGet(int pc, nint obj, nint keyValue, nint slow)
    {
        nint isTable = NewBlock();
        CondBr(IsTag(obj, Tag.Table), isTable, slow);
        builder.PositionAtEnd(isTable);
        nint table = LoadPtr(obj, 0);
        nint key = KeyPointer(keyValue);
        nint absent = NewBlock("absent");
        nint slot = InlineShortLookup(table, key, absent);
        nint own = NewBlock();
        CondBr(IsTag(slot, Tag.Nil), absent, own);
        nint noMeta = NewBlock();
        nint done = NewBlock();
        builder.PositionAtEnd(own);
        Br(done);
        builder.PositionAtEnd(noMeta);
        Br(done);

        builder.PositionAtEnd(absent);
        if ((Feedback(pc) & FeedbackBits.ViaMetatable) == 0)
        {
            CondBr(HasNoMetatable(table), noMeta, slow);
            builder.PositionAtEnd(done);
            return Phi(ptr, (slot, own), (NilValue(), noMeta));
        }

        nint mt = LoadField(ptr, table, Layout.TableMeta, Mem.TableMeta);
        nint hasMeta = NewBlock("index");
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, mt, LLVMConstNull(ptr), ""), noMeta, hasMeta);
        builder.PositionAtEnd(hasMeta);
        nint entry = IndexCacheEntryOf(mt, key);
        nint epoch = LoadField(i64, sharedPtr, Layout.SharedIndexEpoch, Mem.Shared);
        nint hit = LLVMBuildAnd(B,
            LLVMBuildAnd(B,
                LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, LoadField(ptr, entry, Layout.IndexEntryMeta, Mem.IndexCache), mt, ""),
                LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, LoadField(ptr, entry, Layout.IndexEntryKey, Mem.IndexCache), key, ""), ""),
            LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, LoadField(i64, entry, Layout.IndexEntryEpoch, Mem.IndexCache), epoch, ""), "");
        nint remembered = NewBlock(), somewhere = NewBlock(), walk = NewBlock("index_walk"), found = NewBlock();
        CondBr(hit, remembered, walk);
        // A remembered end: nowhere (the key is nil), or a slot that still holds a value.
        builder.PositionAtEnd(remembered);
        nint cached = LoadField(ptr, entry, Layout.IndexEntrySlot, Mem.IndexCache);
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, cached, LLVMConstNull(ptr), ""), noMeta, somewhere);
        builder.PositionAtEnd(somewhere);
        CondBr(IsTag(cached, Tag.Nil), walk, found);
        // Not remembered: the helper walks the chain (and fills the entry); null leaves the
        // lookup to the general path.
        builder.PositionAtEnd(walk);
        nint walked = builder.Call(Helper("tiered_rt_indexchain", ptr, [ptr, ptr, ptr]), [sharedPtr, table, key]);
        nint fromWalk = builder.InsertBlock;
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, walked, LLVMConstNull(ptr), ""), slow, found);
        builder.PositionAtEnd(found);
        nint value = Phi(ptr, (cached, somewhere), (walked, fromWalk));
        nint fromFound = builder.InsertBlock;
        Br(done);
        builder.PositionAtEnd(done);
        return Phi(ptr, (slot, own), (NilValue(), noMeta), (value, fromFound));
    }

    /// <summary>The IndexCache entry for (mt, key), at the index IndexCache.IndexOf gives.</summary>
    private nint IndexCacheEntryOf(nint mt, nint key)
    {
        nint cache = Invariant(LoadField(ptr, sharedPtr, Layout.SharedIndexCache, Mem.Shared));
        nint hash = KeyHash(key);
        nint mix = LLVMBuildXor(B, LLVMBuildTrunc(B, LLVMBuildLShr(B, LLVMBuildPtrToInt(B, mt, i64, ""), I64(4), ""), i32, ""), hash, "");
        nint index = LLVMBuildZExt(B, LLVMBuildAnd(B, mix, I32(IndexCache.EntryCount - 1), ""), i64, "");
        return GepDyn(cache, LLVMBuildMul(B, index, I64(Layout.IndexEntrySize), ""));
    }

    /// <summary>The interned "__index" string (the thread's shared counters hold it; it never
    /// changes), with its hash known here.</summary>
    private nint IndexName()
    {
        nint name = LoadField(ptr, sharedPtr, Layout.SharedIndexName, Mem.Shared);
        ctx.SetInvariantLoad(name);
        knownHash[name] = IndexNameHash;
        return name;
    }

    private static readonly uint IndexNameHash = LuaString.ComputeHash("__index"u8, LuaState.StringSeed);

    private nint nilValue;

    /// <summary>A local slot holding nil (made in the entry block, read-only).</summary>
    private nint NilValue()
    {
        if (nilValue != 0) return nilValue;
        return nilValue = EntryAlloca(ctx.StructType([i64, i64]), slot =>
        {
            LLVMBuildStore(B, I64(0), slot);
            LLVMBuildStore(B, I64(0), Gep(slot, 8));
        });
    }

    /// <summary>The slot to assign obj[key] (key: a short string constant) in place: the key is
    /// in obj's hash part and either holds a value, or holds nil and no __newindex can apply (no
    /// metatable, or one known to lack __newindex). Every other case branches to slow. Only
    /// sites where the interpreter's generic store ran (<see cref="FeedbackBits.GenericAccess"/>)
    /// get the inline insert and the __newindex checks.</summary>
    private nint StringKeySetSlot(int pc, nint obj, nint keyValue, nint slow, out nint table)
    {
        nint isTable = NewBlock();
        CondBr(IsTag(obj, Tag.Table), isTable, slow);
        builder.PositionAtEnd(isTable);
        table = LoadPtr(obj, 0);
        nint key = KeyPointer(keyValue);
        if ((Feedback(pc) & FeedbackBits.GenericAccess) == 0)
        {
            // The interpreter only ever found the key here with a value: no inline insert or
            // __newindex checks (the helper does them, should it come to that).
            nint slotOfKey = InlineShortLookup(table, key, slow);
            nint store = NewBlock();
            CondBr(IsTag(slotOfKey, Tag.Nil), slow, store);
            builder.PositionAtEnd(store);
            return slotOfKey;
        }
        nint absent = NewBlock("absent");
        nint slot = InlineShortLookup(table, key, absent);
        nint present = builder.InsertBlock;
        nint noNewIndex = NewBlock();
        nint wasNil = NewBlock();
        CondBr(IsTag(slot, Tag.Nil), wasNil, noNewIndex);

        // Absent: insert the key in place when its main position is free (a new table filled by
        // its constructor); a collision needs the table's free-node search (the helper).
        builder.PositionAtEnd(absent);
        nint hashPart = NewBlock();
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, LoadField(i8, table, Layout.TableIsDummyNode, Mem.TableIsDummyNode), I8(0), ""), hashPart, slow);
        builder.PositionAtEnd(hashPart);
        nint main = MainPosition(table, key);
        nint freeMain = NewBlock();
        CondBr(IsTag(Gep(main, Layout.NodeVal), Tag.Nil), freeMain, slow);
        builder.PositionAtEnd(freeMain);
        nint mainSlot = Gep(main, Layout.NodeVal);
        nint fromInsert = builder.InsertBlock;
        Br(wasNil);

        // A nil value (new or dead key): no __newindex may apply (no metatable, or one known
        // to lack it), and no lookup through __index tables may have passed this table (the
        // key would change where it ends: the helper tells the IndexCache).
        builder.PositionAtEnd(wasNil);
        nint target = LLVMBuildPhi(B, ptr, "");
        nint inserting = LLVMBuildPhi(B, i1, "");
        LlvmBuilder.AddIncoming(target, slot, present);
        LlvmBuilder.AddIncoming(inserting, LLVMConstInt(i1, 0, 0), present);
        LlvmBuilder.AddIncoming(target, mainSlot, fromInsert);
        LlvmBuilder.AddIncoming(inserting, LLVMConstInt(i1, 1, 0), fromInsert);
        nint unwatched = NewBlock();
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, LoadField(i8, table, Layout.TableIndexWatched, Mem.TableIndexWatched), I8(0), ""), unwatched, slow);
        builder.PositionAtEnd(unwatched);
        nint mt = LoadField(ptr, table, Layout.TableMeta, Mem.TableMeta);
        nint hasMeta = NewBlock();
        nint allowed = NewBlock();
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, mt, LLVMConstNull(ptr), ""), allowed, hasMeta);
        builder.PositionAtEnd(hasMeta);
        nint absentBit = I8(1 << (int)Interpreter.VM.MetaEvent.NewIndex);
        nint knownAbsent = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntNE, LLVMBuildAnd(B, LoadField(i8, mt, Layout.TableFlags, Mem.TableFlags), absentBit, ""), I8(0), "");
        CondBr(knownAbsent, allowed, slow);
        builder.PositionAtEnd(allowed);
        nint writeKey = NewBlock();
        nint keyDone = NewBlock();
        CondBr(inserting, writeKey, keyDone);
        builder.PositionAtEnd(writeKey);
        // The node keeps its chain link (the key's aux word); the key itself is written here.
        nint nodeKey = GepDyn(target, I64(Layout.NodeKey - Layout.NodeVal));
        StoreField(key, nodeKey, 0, Mem.NodeKey);
        StoreField(I8((int)Tag.String), nodeKey, Layout.ValueTag, Mem.NodeKey);
        Br(keyDone);
        builder.PositionAtEnd(keyDone);
        Br(noNewIndex);

        builder.PositionAtEnd(noNewIndex);
        nint result = Phi(ptr, (slot, present), (target, keyDone));
        return result;
    }

    /// <summary>Where a table access goes when the fast paths do not apply: at a site where the
    /// interpreter never needed its generic index or store (<see cref="FeedbackBits.GenericAccess"/>), a
    /// deopt (so the site's code has no helper call, no write-back and no reload of its own:
    /// one shared exit writes the registers back); else a block for the helper. A deopt there
    /// lets the interpreter record the bit, and the recompiled function calls the helper. (With
    /// registers left in the stack a helper costs no write-back, so there it stays.)</summary>
    private (nint Fallback, bool Helper) AccessFallback(int pc)
    {
        if (generic || regSlots.Length == 0 || (Feedback(pc) & FeedbackBits.GenericAccess) != 0 || !Ran(pc))
            return (NewBlock("slow"), true);
        return (DeoptBlock(pc, DeoptReason.TableMiss), false);
    }

    private bool[]? ran;

    /// <summary>Whether the interpreter is known to have run instruction pc. A table access
    /// records nothing on its inline path (GETTABLE excepted: it always records something), so
    /// without this a site that never ran (after the loop that made the function hot, say) would
    /// be speculated on, and its first run would deoptimise the rest of the activation. An
    /// instruction ran when one at or after it in its basic block recorded feedback, or one
    /// before it did with no call in between: the function may have been compiled while an
    /// activation waited in a call in the middle of the block (a recursive function gets hot
    /// in a callee), the instructions after that call not yet run.</summary>
    private bool Ran(int pc)
    {
        if (Op(code[pc]) == OpCode.GetTable) return feedback[pc] != 0;
        if (ran == null)
        {
            ran = new bool[code.Length];
            var leader = new bool[code.Length + 1];
            leader[0] = true;
            foreach (int h in LoopHeaders(code)) leader[h] = true;
            for (int i = 0; i < code.Length; i++)
            {
                bool fallsThroughOnly = true;
                foreach (int s in Successors(i))
                {
                    if (s != i + 1) fallsThroughOnly = false;
                    if (s >= 0 && s <= code.Length && s != i + 1) leader[s] = true;
                }
                if (!fallsThroughOnly) leader[i + 1] = true;
            }
            for (int start = 0; start < code.Length;)
            {
                int end = start + 1;
                while (end < code.Length && !leader[end]) end++;
                bool later = false;
                for (int i = end - 1; i >= start; i--)
                {
                    later |= feedback[i] != 0;
                    ran[i] = later;
                }
                bool before = false;
                for (int i = start; i < end; i++)
                {
                    ran[i] |= before;
                    bool call = Op(code[i]) is OpCode.Call or OpCode.TForCall;
                    before = !call && (before || feedback[i] != 0);
                }
                start = end;
            }
        }
        return ran[pc];
    }

    private void EmitGetField(int pc, int a, nint obj, int keyIndex, nint next)
    {
        if (!IsShortStringConstant(keyIndex))
        {
            EmitIndexHelper(pc, a, obj, Konst(keyIndex), next);
            return;
        }
        (nint slow, bool helper) = AccessFallback(pc);
        Copy(Reg(a), StringKeyGet(pc, obj, Konst(keyIndex), slow));
        Br(next);
        if (!helper) return;
        builder.PositionAtEnd(slow);
        EmitIndexHelper(pc, a, obj, Konst(keyIndex), next);
    }

    private void EmitIndexHelper(int pc, int a, nint obj, nint key, nint next)
    {
        SavePc(pc + 1);
        CallChecked(Writes.Register(a), "tiered_rt_index", [ptr, ptr, ptr, ptr, ptr], th, ci, Reg(a), obj, key);
        Br(next);
    }

    private void EmitSetField(int pc, nint obj, int keyIndex, nint value, nint next)
    {
        nint slow;
        // A new __index may change lookups the IndexCache remembers: the helper stores it.
        if (IsShortStringConstant(keyIndex) && !proto.Constants[keyIndex].String!.AsSpan().SequenceEqual("__index"u8))
        {
            (slow, bool helper) = AccessFallback(pc);
            nint slot = StringKeySetSlot(pc, obj, Konst(keyIndex), slow, out nint table);
            Copy(slot, value);
            // The table may be a metatable whose flags cache absent metamethods; only a key
            // named like one ("__index"...) can change that.
            if (proto.Constants[keyIndex].String!.AsSpan().StartsWith("__"u8)) ForgetAbsentMetamethods(table);
            Br(next);
            if (!helper) return;
        }
        else
        {
            slow = NewBlock("slow");
            Br(slow);
        }
        builder.PositionAtEnd(slow);
        SavePc(pc + 1);
        CallChecked(Writes.Nothing, "tiered_rt_setindex", [ptr, ptr, ptr, ptr, ptr], th, ci, obj, Konst(keyIndex), value);
        Br(next);
    }

    /// <summary>Array-part slot of t[key] or a branch to miss.</summary>
    private nint ArraySlot(nint table, nint key, nint miss)
    {
        nint array = LoadField(ptr, table, Layout.TableArray, Mem.TableArray);
        nint size = LLVMBuildZExt(B, LoadField(i32, table, Layout.TableArraySize, Mem.TableArraySize), i64, "");
        nint index = LLVMBuildSub(B, key, I64(1), "");
        nint inside = NewBlock();
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntULT, index, size, ""), inside, miss);
        builder.PositionAtEnd(inside);
        return GepDyn(array, LLVMBuildShl(B, index, I64(4), ""));
    }

    /// <summary>At a GETTABLE or SETTABLE site where the key was a string
    /// (<see cref="FeedbackBits.StringKey"/>): when the key in <paramref name="keyReg"/> is a
    /// short string (interned, so found by its address as a constant field name is),
    /// <paramref name="emitStringKey"/> emits its path; every other key goes on in the block the
    /// builder is left in.</summary>
    private void EmitShortStringKeyPath(int pc, nint? keyReg, Action<nint> emitStringKey)
    {
        if (keyReg is not nint key || generic || (Feedback(pc) & FeedbackBits.StringKey) == 0) return;
        nint isString = NewBlock("string_key");
        nint isShort = NewBlock("short_key");
        nint other = NewBlock();
        CondBr(IsTag(key, Tag.String), isString, other);
        builder.PositionAtEnd(isString);
        CondBr(IsShortString(LoadPtr(key, 0)), isShort, other);
        builder.PositionAtEnd(isShort);
        emitStringKey(key);
        builder.PositionAtEnd(other);
    }

    /// <summary>Whether the string at str is short (interned; an i1).</summary>
    private nint IsShortString(nint str) =>
        LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSLE, LoadI32(str, Layout.StringLength), I32(LuaString.MaxShortLength), "");

    /// <summary>Drops a table's cache of absent metamethods (its flags), as the interpreter does
    /// when a string key is stored: the table may be a metatable, and the key "__index".</summary>
    private void ForgetAbsentMetamethods(nint table) => StoreField(I8(0), table, Layout.TableFlags, Mem.TableFlags);

    private void EmitGetTable(int pc, int a, nint obj, nint? keyReg, int constKey, nint next)
    {
        (nint slow, bool helper) = AccessFallback(pc);
        EmitShortStringKeyPath(pc, keyReg, stringKey =>
        {
            Copy(Reg(a), StringKeyGet(pc, obj, stringKey, slow));
            Br(next);
        });
        nint isTable = NewBlock();
        nint guard = IsTag(obj, Tag.Table);
        if (keyReg is nint kr) guard = LLVMBuildAnd(B, guard, IsTag(kr, Tag.Integer), "");
        CondBr(guard, isTable, slow);
        builder.PositionAtEnd(isTable);
        nint key = keyReg is nint k2 ? LoadI64(k2, 0) : I64(constKey);
        nint slot = ArraySlot(LoadPtr(obj, 0), key, slow);
        nint hit = NewBlock();
        CondBr(IsTag(slot, Tag.Nil), slow, hit);
        builder.PositionAtEnd(hit);
        Copy(Reg(a), slot);
        Br(next);
        if (!helper) return;
        builder.PositionAtEnd(slow);
        SavePc(pc + 1);
        nint keyValue = keyReg ?? MaterializeInt(constKey);
        CallChecked(Writes.Register(a), "tiered_rt_index", [ptr, ptr, ptr, ptr, ptr], th, ci, Reg(a), obj, keyValue);
        Br(next);
    }

    private void EmitSetTable(int pc, nint obj, nint? keyReg, int constKey, nint value, nint next)
    {
        (nint slow, bool helper) = AccessFallback(pc);
        EmitShortStringKeyPath(pc, keyReg, stringKey =>
        {
            // A new __index may change lookups the IndexCache remembers: the helper stores it.
            nint notIndex = NewBlock();
            CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, LoadPtr(stringKey, 0), IndexName(), ""), slow, notIndex);
            builder.PositionAtEnd(notIndex);
            Copy(StringKeySetSlot(pc, obj, stringKey, slow, out nint keyTable), value);
            ForgetAbsentMetamethods(keyTable);
            Br(next);
        });
        nint isTable = NewBlock();
        nint guard = IsTag(obj, Tag.Table);
        if (keyReg is nint kr) guard = LLVMBuildAnd(B, guard, IsTag(kr, Tag.Integer), "");
        CondBr(guard, isTable, slow);
        builder.PositionAtEnd(isTable);
        nint table = LoadPtr(obj, 0);
        nint key = keyReg is nint k2 ? LoadI64(k2, 0) : I64(constKey);
        nint slot = ArraySlot(table, key, slow);
        // A present value, or no metatable at all: a raw store is the whole story.
        nint present = LLVMBuildNot(B, IsTag(slot, Tag.Nil), "");
        nint noMeta = HasNoMetatable(table);
        nint store = NewBlock();
        CondBr(LLVMBuildOr(B, present, noMeta, ""), store, slow);
        builder.PositionAtEnd(store);
        Copy(slot, value);
        Br(next);
        if (!helper) return;
        builder.PositionAtEnd(slow);
        SavePc(pc + 1);
        nint keyValue = keyReg ?? MaterializeInt(constKey);
        CallChecked(Writes.Nothing, "tiered_rt_setindex", [ptr, ptr, ptr, ptr, ptr], th, ci, obj, keyValue, value);
        Br(next);
    }

    /// <summary>The integer v in the scratch value, written here (for a helper's argument).</summary>
    private nint MaterializeInt(long v)
    {
        SetInt(scratch, I64(v));
        return scratch;
    }

    private void EmitSelf(int pc, int a, nint obj, nint key, int constKeyIndex, nint next)
    {
        nint self = Reg(a + 1);
        Copy(self, obj);
        nint slow;
        if (constKeyIndex >= 0 && IsShortStringConstant(constKeyIndex))
        {
            // A deopt re-runs SELF from the start, which rewrites R[A+1] with the same object.
            (slow, bool helper) = AccessFallback(pc);
            Copy(Reg(a), StringKeyGet(pc, self, key, slow));
            Br(next);
            if (!helper) return;
        }
        else
        {
            slow = NewBlock("slow");
            Br(slow);
        }
        builder.PositionAtEnd(slow);
        SavePc(pc + 1);
        CallChecked(Writes.Registers(a, 2), "tiered_rt_self", [ptr, ptr, ptr, ptr, ptr], th, ci, Reg(a), obj, key);
        Br(next);
    }

    // ------------------------------------------------------------------ arithmetic

    /// <summary>Arithmetic. Sites that only ever saw numbers are specialised: integers only gets
    /// one guard and integer code, floats only one guard per operand and float code, and a mix
    /// both paths; a guard that fails deoptimises. Other sites (and numeric cases with exact
    /// semantics kept in C#: float modulo, division by zero...) call tiered_rt_arith.</summary>
    private void EmitArith(int pc, MetaEvent ev, int a, nint rb, nint? rcOrNull, int immediate, nint next)
    {
        nint rc = rcOrNull ?? Immediate(immediate);
        FeedbackBits f = Feedback(pc);
        const FeedbackBits numeric = FeedbackBits.Integer | FeedbackBits.Float | FeedbackBits.MixedNumbers;
        bool numbersOnly = !generic && f != 0 && (f & ~numeric) == 0;
        bool intSemantics = ev is MetaEvent.Add or MetaEvent.Sub or MetaEvent.Mul or MetaEvent.Mod or MetaEvent.IDiv;
        nint helper = NewBlock("slow");
        nint notNumbers = numbersOnly ? DeoptBlock(pc, DeoptReason.NotNumber) : helper;

        if (f == FeedbackBits.Integer && intSemantics && !generic)
        {
            // Only integers seen: one guard, then integer code.
            nint ints = NewBlock("int");
            Guard(LLVMBuildAnd(B, IsTag(rb, Tag.Integer), IsTag(rc, Tag.Integer), ""), ints, DeoptBlock(pc, DeoptReason.NotInteger));
            builder.PositionAtEnd(ints);
            EmitIntArith(ev, a, rb, rc, helper, next);
        }
        else if (!generic && (f & ~FeedbackBits.MixedNumbers) == FeedbackBits.Float && ev is MetaEvent.Add or MetaEvent.Sub or MetaEvent.Mul or MetaEvent.Div)
        {
            // Only floats seen (or an integer constant with a float): guards on the operands
            // that are not constants, then the float operation.
            bool mixed = (f & FeedbackBits.MixedNumbers) != 0 && IntegerConstant(rc) is null;
            nint deopt = DeoptBlock(pc, DeoptReason.NotFloat);
            // Two integers are not a float operation, but for division (their sum, difference
            // or product is an integer): where the first operand may be one, an integer second
            // operand then needs a float first.
            nint x = FloatOperand(rb, mixed, deopt);
            nint y = rcOrNull == null ? F64(immediate) : FloatOperand(rc, mixed, deopt, mixed && ev != MetaEvent.Div ? rb : 0);
            SetFloat(Reg(a), HardwareNaN(FloatOp(ev, x, y), x, y));
            Br(next);
        }
        else
        {
            nint ints = NewBlock("int");
            nint floatCheck = NewBlock();
            CondBr(LLVMBuildAnd(B, IsTag(rb, Tag.Integer), IsTag(rc, Tag.Integer), ""), ints, floatCheck);
            builder.PositionAtEnd(ints);
            EmitIntArith(ev, a, rb, rc, helper, next);

            // Two floats straight on; a float with an integer converted on a path of its own.
            builder.PositionAtEnd(floatCheck);
            nint bothFloat = NewBlock("float"), mixedCheck = NewBlock(), mixed = NewBlock("mixed"), floats = NewBlock();
            CondBr(LLVMBuildAnd(B, IsTag(rb, Tag.Float), IsTag(rc, Tag.Float), ""), bothFloat, mixedCheck);
            builder.PositionAtEnd(bothFloat);
            nint xf = LoadF64(rb, 0), yf = LoadF64(rc, 0);
            Br(floats);
            builder.PositionAtEnd(mixedCheck);
            if (numbersOnly) Guard(LLVMBuildAnd(B, IsNumber(rb), IsNumber(rc), ""), mixed, notNumbers);
            else CondBr(LLVMBuildAnd(B, IsNumber(rb), IsNumber(rc), ""), mixed, notNumbers);
            builder.PositionAtEnd(mixed);
            nint xm = AsDouble(rb), ym = AsDouble(rc);
            Br(floats);
            builder.PositionAtEnd(floats);
            nint xd = Phi(f64, (xf, bothFloat), (xm, mixed)), yd = Phi(f64, (yf, bothFloat), (ym, mixed));
            switch (ev)
            {
                case MetaEvent.Add: case MetaEvent.Sub: case MetaEvent.Mul: case MetaEvent.Div:
                    SetFloat(Reg(a), HardwareNaN(FloatOp(ev, xd, yd), xd, yd));
                    Br(next);
                    break;
                case MetaEvent.Pow:
                    {
                        nint square = NewBlock();
                        CondBr(LLVMBuildFCmp(B, LLVMRealPredicate.LLVMRealOEQ, yd, F64(2), ""), square, helper);
                        builder.PositionAtEnd(square);
                        SetFloat(Reg(a), LLVMBuildFMul(B, xd, xd, ""));
                        Br(next);
                        break;
                    }
                default: Br(helper); break;   // float Mod/IDiv: the helper has the exact semantics
            }
        }

        builder.PositionAtEnd(helper);
        if (LLVMGetFirstUse(LLVMBasicBlockAsValue(helper)) == 0)
        {
            LLVMBuildUnreachable(B);   // no path needs the helper
            return;
        }
        SavePc(pc + 1);
        CallChecked(Writes.Register(a), "tiered_rt_arith", [ptr, ptr, i32, ptr, ptr, ptr], th, ci, I32((int)ev), Reg(a), rb, rc);
        Br(next);
    }

    /// <summary>Integer operands in registers/constants rb and rc: the operation, to next (or
    /// to the helper where C# has the exact semantics: division by zero, Pow).</summary>
    private void EmitIntArith(MetaEvent ev, int a, nint rb, nint rc, nint helper, nint next)
    {
        nint x = LoadI64(rb, 0), y = LoadI64(rc, 0);
        switch (ev)
        {
            case MetaEvent.Add: SetInt(Reg(a), LLVMBuildAdd(B, x, y, "")); Br(next); break;
            case MetaEvent.Sub: SetInt(Reg(a), LLVMBuildSub(B, x, y, "")); Br(next); break;
            case MetaEvent.Mul: SetInt(Reg(a), LLVMBuildMul(B, x, y, "")); Br(next); break;
            case MetaEvent.Mod or MetaEvent.IDiv when IntegerConstant(rc) is long k && k > 0:
                {
                    // A positive constant divisor (`x % 2`, `x // 10`): no check for 0 or -1, and
                    // the floor adjustment needs only the remainder's sign (it has x's, and is
                    // negative exactly when x is not a multiple of k and below 0). Powers of two
                    // are a mask or a shift, which is what floor division by them is.
                    nint result;
                    if ((k & (k - 1)) == 0)
                        result = ev == MetaEvent.Mod ? LLVMBuildAnd(B, x, I64(k - 1), "")
                            : LLVMBuildAShr(B, x, I64(System.Numerics.BitOperations.Log2((ulong)k)), "");
                    else
                    {
                        nint rem = LLVMBuildSRem(B, x, y, "");
                        nint negative = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSLT, rem, I64(0), "");
                        result = ev == MetaEvent.Mod
                            ? LLVMBuildSelect(B, negative, LLVMBuildAdd(B, rem, y, ""), rem, "")
                            : LLVMBuildSub(B, LLVMBuildSDiv(B, x, y, ""), LLVMBuildZExt(B, negative, i64, ""), "");
                    }
                    SetInt(Reg(a), result);
                    Br(next);
                    break;
                }
            case MetaEvent.Mod:
            case MetaEvent.IDiv:
                {
                    // y == 0 raises and y == -1 overflows: both go to the helper.
                    nint safe = NewBlock();
                    nint unsafeY = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntULT, LLVMBuildAdd(B, y, I64(1), ""), I64(2), "");
                    CondBr(unsafeY, helper, safe);
                    builder.PositionAtEnd(safe);
                    nint rem = LLVMBuildSRem(B, x, y, "");
                    nint signsDiffer = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSLT, LLVMBuildXor(B, x, y, ""), I64(0), "");
                    nint adjust = LLVMBuildAnd(B, LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntNE, rem, I64(0), ""), signsDiffer, "");
                    nint result = ev == MetaEvent.Mod
                        ? LLVMBuildSelect(B, adjust, LLVMBuildAdd(B, rem, y, ""), rem, "")
                        : LLVMBuildSelect(B, adjust, LLVMBuildSub(B, LLVMBuildSDiv(B, x, y, ""), I64(1), ""), LLVMBuildSDiv(B, x, y, ""), "");
                    SetInt(Reg(a), result);
                    Br(next);
                    break;
                }
            case MetaEvent.Div:
                {
                    nint fx = LLVMBuildSIToFP(B, x, f64, ""), fy = LLVMBuildSIToFP(B, y, f64, "");
                    SetFloat(Reg(a), HardwareNaN(LLVMBuildFDiv(B, fx, fy, ""), fx, fy));
                    Br(next);
                    break;
                }
            default: Br(helper); break;   // Pow
        }
    }

    /// <summary>The value of an operand known at compile time to be an integer (an integer
    /// constant's slot or an immediate's), or null for anything else.</summary>
    private long? IntegerConstant(nint slot) =>
        constantIndex.TryGetValue(slot, out int c) && proto.Constants[c].Kind == ConstantKind.Integer ? proto.Constants[c].Integer
        : immediateValue.TryGetValue(slot, out long v) ? v : null;

    private nint FloatOp(MetaEvent ev, nint x, nint y) => ev switch
    {
        MetaEvent.Add => LLVMBuildFAdd(B, x, y, ""),
        MetaEvent.Sub => LLVMBuildFSub(B, x, y, ""),
        MetaEvent.Mul => LLVMBuildFMul(B, x, y, ""),
        _ => LLVMBuildFDiv(B, x, y, ""),
    };

    /// <summary>An operand of a float-specialised site as a double: constants directly, others
    /// behind a guard (float only, or any number where integers were mixed in; an integer only
    /// if <paramref name="floatIfInteger"/>, when given, holds a float).</summary>
    private nint FloatOperand(nint operand, bool mayBeInteger, nint deopt, nint floatIfInteger = 0)
    {
        if (constantIndex.TryGetValue(operand, out int c))
        {
            Constant kc = proto.Constants[c];
            if (kc.Kind == ConstantKind.Float) return F64(kc.Float);
            if (kc.Kind == ConstantKind.Integer) return F64(kc.Integer);
        }
        nint ok = NewBlock();
        if (!mayBeInteger)
        {
            Guard(IsTag(operand, Tag.Float), ok, deopt);
            builder.PositionAtEnd(ok);
            return LoadF64(operand, 0);
        }
        // Integers were mixed in (often only at first: a field that starts as 0 and is then
        // assigned floats): a float goes straight on, an integer is converted out of line.
        nint intOperand = NewBlock("int_operand");
        Guard(IsTag(operand, Tag.Float), ok, intOperand);
        builder.PositionAtEnd(ok);
        nint asFloat = LoadF64(operand, 0);
        nint join = NewBlock();
        Br(join);
        builder.PositionAtEnd(intOperand);
        nint isInt = NewBlock();
        nint isInteger = IsTag(operand, Tag.Integer);
        if (floatIfInteger != 0) isInteger = LLVMBuildAnd(B, isInteger, IsTag(floatIfInteger, Tag.Float), "");
        Guard(isInteger, isInt, deopt);
        builder.PositionAtEnd(isInt);
        nint converted = LLVMBuildSIToFP(B, LoadI64(operand, 0), f64, "");
        Br(join);
        builder.PositionAtEnd(join);
        return Phi(f64, (asFloat, ok), (converted, isInt));
    }

    /// <summary>A NaN made from non-NaN operands (0/0, inf-inf) is the x86 default NaN, which has
    /// the sign bit set and prints as "-nan" like lua5.4's. LLVM's constant folder would make a
    /// positive NaN instead. That can only happen where both operands are constants after
    /// optimisation, so a function is first compiled without any check; only if its optimised
    /// code holds a NaN constant (NativeTier: FoldedNaN) is it compiled again with
    /// <see cref="NaNFixups"/>, where the hardware's answer is restored explicitly, on a branch
    /// taken only when the result is a NaN (a select would lengthen every float dependency chain).</summary>
    private nint HardwareNaN(nint result, nint x, nint y)
    {
        UsesFloatArithmetic = true;
        if (!NaNFixups) return result;
        nint from = builder.InsertBlock;
        nint fix = NewBlock("nan");
        nint done = NewBlock();
        CondBrRare(LLVMBuildFCmp(B, LLVMRealPredicate.LLVMRealUNO, result, result, ""), fix, done);
        builder.PositionAtEnd(fix);
        nint inputNaN = LLVMBuildFCmp(B, LLVMRealPredicate.LLVMRealUNO, x, y, "");
        nint defaultNaN = LLVMBuildBitCast(B, LLVMConstInt(i64, 0xFFF8000000000000UL, 0), f64, "");
        nint fixedUp = LLVMBuildSelect(B, inputNaN, result, defaultNaN, "");
        Br(done);
        builder.PositionAtEnd(done);
        nint phi = Phi(f64, (result, from), (fixedUp, fix));
        return phi;
    }

    private void EmitBitwise(int pc, MetaEvent ev, int a, nint rb, nint rc, nint next)
    {
        nint slow = NewBlock("slow");
        nint intBlock = NewBlock("int");
        CondBr(LLVMBuildAnd(B, IsTag(rb, Tag.Integer), IsTag(rc, Tag.Integer), ""), intBlock, slow);
        builder.PositionAtEnd(intBlock);
        nint x = LoadI64(rb, 0), y = LoadI64(rc, 0);
        nint r = ev switch
        {
            MetaEvent.BAnd => LLVMBuildAnd(B, x, y, ""),
            MetaEvent.BOr => LLVMBuildOr(B, x, y, ""),
            MetaEvent.BXor => LLVMBuildXor(B, x, y, ""),
            MetaEvent.Shl => ShiftLeft(x, y),
            _ => ShiftLeft(x, LLVMBuildSub(B, I64(0), y, "")),
        };
        SetInt(Reg(a), r);
        Br(next);
        builder.PositionAtEnd(slow);
        SavePc(pc + 1);
        CallChecked(Writes.Register(a), "tiered_rt_arith", [ptr, ptr, i32, ptr, ptr, ptr], th, ci, I32((int)ev), Reg(a), rb, rc);
        Br(next);
    }

    /// <summary>Lua's shift: by n >= 64 or <= -64 gives 0; negative n shifts right (logically).</summary>
    private nint ShiftLeft(nint x, nint n)
    {
        nint left = LLVMBuildShl(B, x, LLVMBuildAnd(B, n, I64(63), ""), "");
        nint right = LLVMBuildLShr(B, x, LLVMBuildAnd(B, LLVMBuildSub(B, I64(0), n, ""), I64(63), ""), "");
        nint inRange = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntULT, LLVMBuildAdd(B, n, I64(63), ""), I64(127), "");
        nint shifted = LLVMBuildSelect(B, LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSGE, n, I64(0), ""), left, right, "");
        return LLVMBuildSelect(B, inRange, shifted, I64(0), "");
    }

    private void EmitUnary(int pc, MetaEvent ev, int a, nint rb, nint next)
    {
        nint slow = NewBlock("slow");
        nint intBlock = NewBlock("int");
        nint notInt = NewBlock();
        CondBr(IsTag(rb, Tag.Integer), intBlock, ev == MetaEvent.Unm ? notInt : slow);
        builder.PositionAtEnd(intBlock);
        nint x = LoadI64(rb, 0);
        SetInt(Reg(a), ev == MetaEvent.Unm ? LLVMBuildSub(B, I64(0), x, "") : LLVMBuildXor(B, x, I64(-1), ""));
        Br(next);
        builder.PositionAtEnd(notInt);
        if (ev == MetaEvent.Unm)
        {
            nint isFloat = NewBlock();
            CondBr(IsTag(rb, Tag.Float), isFloat, slow);
            builder.PositionAtEnd(isFloat);
            SetFloat(Reg(a), LLVMBuildFNeg(B, LoadF64(rb, 0), ""));
            Br(next);
        }
        else LLVMBuildUnreachable(B);
        builder.PositionAtEnd(slow);
        SavePc(pc + 1);
        CallChecked(Writes.Register(a), "tiered_rt_arith", [ptr, ptr, i32, ptr, ptr, ptr], th, ci, I32((int)ev), Reg(a), rb, rb);
        Br(next);
    }

    private void EmitLen(int pc, int a, nint rb, nint next)
    {
        nint slow = NewBlock("slow");
        nint isString = NewBlock();
        nint notString = NewBlock();
        CondBr(IsTag(rb, Tag.String), isString, notString);
        builder.PositionAtEnd(isString);
        SetInt(Reg(a), LLVMBuildSExt(B, LoadI32(LoadPtr(rb, 0), Layout.StringLength), i64, ""));
        Br(next);
        // A table without a metatable has no __len: its border comes from a helper that only
        // reads the table, so nothing is written back or read back around the call.
        builder.PositionAtEnd(notString);
        nint isTable = NewBlock();
        CondBr(IsTag(rb, Tag.Table), isTable, slow);
        builder.PositionAtEnd(isTable);
        nint table = LoadPtr(rb, 0);
        nint plain = NewBlock();
        CondBr(HasNoMetatable(table), plain, slow);
        builder.PositionAtEnd(plain);
        SetInt(Reg(a), TableLength(table));
        Br(next);
        builder.PositionAtEnd(slow);
        SavePc(pc + 1);
        CallChecked(Writes.Register(a), "tiered_rt_len", [ptr, ptr, ptr, ptr], th, ci, Reg(a), rb);
        Br(next);
    }

    /// <summary>The border of a table without a metatable (TableOps.Length): inline where
    /// <see cref="HintBorder"/> finds it (the hint is left on it, as Length leaves it);
    /// otherwise the read-only helper searches.</summary>
    private nint TableLength(nint table)
    {
        nint done = NewBlock(), search = NewBlock();
        (_, nint border) = HintBorder(table, search);
        SetLengthHint(table, border);
        nint fromHint = builder.InsertBlock;
        Br(done);
        builder.PositionAtEnd(search);
        nint searched = builder.Call(Helper("tiered_rt_tablelen", i64, [ptr]), [table]);
        nint fromSearch = builder.InsertBlock;
        Br(done);
        builder.PositionAtEnd(done);
        return Phi(i64, (border, fromHint), (searched, fromSearch));
    }

    /// <summary>A table's array part and its border, where TableOps.Length's first checks find
    /// it: the array's last slot is nil (so the border is inside it) and the border is the
    /// length hint (t[hint+1] nil, hint 0 or t[hint] set) or one above it (t[hint+1] set since,
    /// t[hint+2] nil and in the array: a table being appended to). Anything else branches to
    /// <paramref name="miss"/>.</summary>
    private (nint Array, nint Border) HintBorder(nint table, nint miss)
    {
        nint array = LoadField(ptr, table, Layout.TableArray, Mem.TableArray);
        nint size = LLVMBuildZExt(B, LoadField(i32, table, Layout.TableArraySize, Mem.TableArraySize), i64, "");
        nint hint = LLVMBuildZExt(B, LoadField(i32, table, Layout.TableLengthHint, Mem.TableLengthHint), i64, "");
        // hint < size also rules out an empty array part (size 0).
        nint hintInside = NewBlock(), lastNil = NewBlock();
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntULT, hint, size, ""), hintInside, miss);
        builder.PositionAtEnd(hintInside);
        CondBr(IsTag(ArrayAt(array, LLVMBuildSub(B, size, I64(1), "")), Tag.Nil), lastNil, miss);
        builder.PositionAtEnd(lastNil);
        nint hintNil = NewBlock(), atHint = NewBlock(), above = NewBlock(), aboveInside = NewBlock(), atAbove = NewBlock(), found = NewBlock();
        CondBr(IsTag(ArrayAt(array, hint), Tag.Nil), hintNil, above);

        builder.PositionAtEnd(hintNil);
        nint belowSet = LLVMBuildOr(B, LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, hint, I64(0), ""),
            LLVMBuildNot(B, IsTag(ArrayAt(array, LLVMBuildSub(B, hint, I64(1), "")), Tag.Nil), ""), "");
        CondBr(belowSet, atHint, miss);
        builder.PositionAtEnd(atHint);
        Br(found);

        builder.PositionAtEnd(above);
        nint up = LLVMBuildAdd(B, hint, I64(1), "");
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntULT, up, size, ""), aboveInside, miss);
        builder.PositionAtEnd(aboveInside);
        CondBr(IsTag(ArrayAt(array, up), Tag.Nil), atAbove, miss);
        builder.PositionAtEnd(atAbove);
        Br(found);

        builder.PositionAtEnd(found);
        return (array, Phi(i64, (hint, atHint), (up, atAbove)));
    }

    /// <summary>Leaves a border (an i64) as the table's length hint, as TableOps.Length does.</summary>
    private void SetLengthHint(nint table, nint border) =>
        StoreField(LLVMBuildTrunc(B, border, i32, ""), table, Layout.TableLengthHint, Mem.TableLengthHint);

    /// <summary>Whether the table has no metatable (an i1).</summary>
    private nint HasNoMetatable(nint table) =>
        LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, LoadField(ptr, table, Layout.TableMeta, Mem.TableMeta), LLVMConstNull(ptr), "");

    /// <summary>The array slot at 0-based index i.</summary>
    private nint ArrayAt(nint array, nint i) => GepDyn(array, LLVMBuildShl(B, i, I64(4), ""));

    /// <summary>Node i (an i64) of a node array.</summary>
    private nint NodeAt(nint nodes, nint i) => GepDyn(nodes, LLVMBuildMul(B, i, I64(Layout.NodeSize), ""));

    /// <summary>A table's array size, as an i64.</summary>
    private nint ArraySizeOf(nint table) =>
        LLVMBuildZExt(B, LoadField(i32, table, Layout.TableArraySize, Mem.TableArraySize), i64, "");

    /// <summary>How many nodes a table's hash part has (2^LogNodeSize), as an i64.</summary>
    private nint NodeCountOf(nint table) =>
        LLVMBuildZExt(B, LLVMBuildShl(B, I32(1), LLVMBuildZExt(B, LoadField(i8, table, Layout.TableLogNodeSize, Mem.TableLogNodeSize), i32, ""), ""), i64, "");
}
