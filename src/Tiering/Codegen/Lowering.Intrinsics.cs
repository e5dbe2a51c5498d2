using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Runtime;
using static Tiered.Interpreter.Bytecode.Instruction;
using Tiered.Tiering.Llvm;
using static Tiered.Tiering.Llvm.LlvmApi;

namespace Tiered.Tiering.Codegen;

// Library functions computed inline. At a call site where the interpreter saw a host function
// called (or that never ran), with one or two arguments and one result wanted (or none, for
// table.insert), the lowering first checks whether the callee is one of the library's own
// closures (HostClosure.Intrinsic: math.sqrt/abs/floor/ceil/min/max, string.byte,
// table.insert/remove) and the arguments are of the kinds handled here; then the
// result is computed in machine registers, with no frame, no helper and no write-back of the
// caller's registers. Any other callee or argument goes on to the general call, so the library
// function itself decides (and reports errors) exactly as when the interpreter calls it.
internal sealed unsafe partial class Lowering
{
    /// <summary>Whether the call at pc gets the inline library functions: a host function was
    /// called there, or the call never ran before the function was compiled, with a fixed count
    /// of one or two arguments, for exactly one result. Such a call does not flush in its first
    /// block (FlushesFirst): only its general path does.</summary>
    private bool IsIntrinsicSite(int pc)
    {
        uint i = code[pc];
        return !generic && regSlots.Length > 0 && Op(i) == OpCode.Call && MayCallHost(pc)
            && ((B(i) is 2 or 3 && C(i) == 2) || (B(i) == 3 && C(i) == 1));
    }

    /// <summary>Whether the call at pc may call a library function that native code computes
    /// inline: the interpreter saw one called there, or never ran the call (a loop after the one
    /// that made the function hot, compiled on stack replacement). Such code is compiled once and
    /// then cached with the function, so a site left without its inline library functions would
    /// stay without them in every later run; when the guess is wrong, the cost is one tag test.
    /// A site that only ever called other host functions (string.format, say) gets none: their
    /// code would only add to the compile time.</summary>
    private bool MayCallHost(int pc) => (Feedback(pc) & FeedbackBits.IntrinsicCall) != 0 || !Ran(pc);

    /// <summary>Emits the inline library functions for the call at ra with b - 1 arguments. The
    /// builder is left in the block where the general call continues.</summary>
    private void EmitIntrinsics(int a, int b, int c, nint next)
    {
        nint general = NewBlock("call_general");
        nint isHost = NewBlock("call_host");
        nint callee = Reg(a);
        CondBr(IsTag(callee, Tag.HostFunction), isHost, general);
        builder.PositionAtEnd(isHost);
        nint id = LoadI32(LoadPtr(callee, 0), Layout.HostClosureIntrinsic);
        HostIntrinsic[] cases = c == 1 ? [HostIntrinsic.TableInsert]
            : b == 2 ? [HostIntrinsic.MathSqrt, HostIntrinsic.MathAbs, HostIntrinsic.MathFloor, HostIntrinsic.MathCeil, HostIntrinsic.StringByte, HostIntrinsic.TableRemove]
            : [HostIntrinsic.MathMin, HostIntrinsic.MathMax, HostIntrinsic.StringByte];
        nint dst = Reg(a), x = Reg(a + 1);   // before the switch: a register in the stack is an address computed here
        nint sw = LLVMBuildSwitch(B, id, general, (uint)cases.Length);
        foreach (HostIntrinsic intrinsic in cases)
        {
            nint block = NewBlock(intrinsic.ToString());
            LLVMAddCase(sw, I32((int)intrinsic), block);
            builder.PositionAtEnd(block);
            switch (intrinsic)
            {
                case HostIntrinsic.MathSqrt:
                    SetFloat(dst, CallIntrinsic("llvm.sqrt.f64", NumberAsDouble(x, general)));
                    Br(next);
                    break;
                case HostIntrinsic.MathAbs:
                    OnIntegerOrFloat(x, general,
                        n =>
                        {
                            // Wraps for math.mininteger, as lua5.4 does.
                            nint negative = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSLT, n, I64(0), "");
                            SetInt(dst, LLVMBuildSelect(B, negative, LLVMBuildSub(B, I64(0), n, ""), n, ""));
                        },
                        d => SetFloat(dst, CallIntrinsic("llvm.fabs.f64", d)));
                    Br(next);
                    break;
                case HostIntrinsic.MathFloor:
                case HostIntrinsic.MathCeil:
                    OnIntegerOrFloat(x, general,
                        n => SetInt(dst, n),
                        d => SetIntegral(dst, CallIntrinsic(intrinsic == HostIntrinsic.MathFloor ? "llvm.floor.f64" : "llvm.ceil.f64", d)));
                    Br(next);
                    break;
                case HostIntrinsic.MathMin:
                case HostIntrinsic.MathMax:
                    EmitMinMax(dst, x, Reg(a + 2), intrinsic == HostIntrinsic.MathMax, general);
                    Br(next);
                    break;
                case HostIntrinsic.StringByte:
                    EmitStringByte(dst, x, b == 3 ? Reg(a + 2) : 0, general);
                    Br(next);
                    break;
                case HostIntrinsic.TableInsert:
                    EmitTableAppend(x, Reg(a + 2), general);
                    Br(next);
                    break;
                case HostIntrinsic.TableRemove:
                    EmitTablePop(dst, x, general);
                    Br(next);
                    break;
            }
        }
        builder.PositionAtEnd(general);
    }

    /// <summary>Whether the generic-for call at pc gets the inline ipairs and next steps: a host
    /// function was the iterator there, or the loop never ran (MayCallHost). Like an intrinsic
    /// call site, it flushes only on its general path.</summary>
    private bool IsIpairsSite(int pc) =>
        !generic && regSlots.Length > 0 && Op(code[pc]) == OpCode.TForCall && MayCallHost(pc);

    /// <summary>One step of `for i, v in ipairs(t)` or `for k, v in pairs(t)` (next) inline.
    /// ipairs: when t[i+1] is in t's array part, i+1 and the value (or, at a nil, the end of the
    /// loop when t has no metatable, so no __index). next: see EmitNextStep. Everything else
    /// (hash part for ipairs, other iterators) calls the iterator. The builder is left where
    /// the general call continues.</summary>
    private void EmitIpairsStep(int a, int results, nint next)
    {
        nint general = NewBlock("tfor_general");
        nint iterator = Reg(a), t = Reg(a + 1), control = Reg(a + 2);
        nint isHost = NewBlock();
        CondBr(LLVMBuildAnd(B, IsTag(iterator, Tag.HostFunction), IsTag(t, Tag.Table), ""), isHost, general);
        builder.PositionAtEnd(isHost);
        nint intrinsic = LoadI32(LoadPtr(iterator, 0), Layout.HostClosureIntrinsic);
        nint ipairs = NewBlock("ipairs_step"), notIpairs = NewBlock();
        CondBr(LLVMBuildAnd(B, LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, intrinsic, I32((int)HostIntrinsic.IpairsAux), ""), IsTag(control, Tag.Integer), ""),
            ipairs, notIpairs);
        builder.PositionAtEnd(notIpairs);
        nint nextStep = NewBlock("next_step");
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, intrinsic, I32((int)HostIntrinsic.Next), ""), nextStep, general);
        builder.PositionAtEnd(nextStep);
        EmitNextStep(a, results, next, general);

        builder.PositionAtEnd(ipairs);
        nint table = LoadPtr(t, 0);
        nint k = LLVMBuildAdd(B, LoadI64(control, 0), I64(1), "");
        nint slot = ArraySlot(table, k, general);
        nint present = NewBlock(), absent = NewBlock(), end = NewBlock();
        CondBr(IsTag(slot, Tag.Nil), absent, present);

        builder.PositionAtEnd(present);
        SetInt(Reg(a + 4), k);
        if (results >= 2) Copy(Reg(a + 5), slot);
        for (int j = 2; j < results; j++) SetNil(Reg(a + 4 + j));
        Br(next);

        builder.PositionAtEnd(absent);
        CondBr(HasNoMetatable(table), end, general);
        builder.PositionAtEnd(end);
        for (int j = 0; j < results; j++) SetNil(Reg(a + 4 + j));
        Br(next);

        builder.PositionAtEnd(general);
    }

    /// <summary>One step of next(t, k) for a generic for (t a table): the entry after k, as
    /// TableOps.Next finds it, without the call. Where k is (its index in the array part, or
    /// in the hash part) is what Next spends its time on for a hash key: the loop keeps the
    /// index of the last entry it returned in a local slot, used when the node there still
    /// holds k (keys are unique, so that is k's place whatever happened to the table since);
    /// otherwise, as for a dead key or a key the loop did not get from here, the general call
    /// decides (and raises "invalid key to 'next'").</summary>
    private void EmitNextStep(int a, int results, nint next, nint general)
    {
        nint lastIndex = EntryAlloca(i64, slot => LLVMBuildStore(B, I64(-1), slot));
        nint control = Reg(a + 2);
        nint table = LoadPtr(Reg(a + 1), 0);
        nint arraySize = ArraySizeOf(table);
        nint nodes = LoadField(ptr, table, Layout.TableNodes, Mem.TableNodes);
        nint nodeCount = NodeCountOf(table);

        // Where the scan starts: 0 for a nil key, k for an integer key k in the array part,
        // one past the remembered node when it holds the key.
        nint first = NewBlock(), notFirst = NewBlock(), inArray = NewBlock(), notInArray = NewBlock(), remembered = NewBlock(), scan = NewBlock();
        CondBr(IsTag(control, Tag.Nil), first, notFirst);
        builder.PositionAtEnd(notFirst);
        nint key = LoadI64(control, 0);
        nint controlTag = TagOf(control);
        nint arrayKey = LLVMBuildAnd(B, IsTag(control, Tag.Integer),
            LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntULT, LLVMBuildSub(B, key, I64(1), ""), arraySize, ""), "");
        CondBr(arrayKey, inArray, notInArray);
        builder.PositionAtEnd(notInArray);
        nint last = LLVMBuildLoad2(B, i64, lastIndex, "");
        nint j = LLVMBuildSub(B, last, arraySize, "");
        nint checkNode = NewBlock();
        // last >= arraySize and j < nodeCount, as one unsigned compare of j.
        CondBr(LLVMBuildAnd(B, LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSGE, last, arraySize, ""),
            LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntULT, j, nodeCount, ""), ""), checkNode, general);
        builder.PositionAtEnd(checkNode);
        nint node = NodeAt(nodes, j);
        nint nodeKey = Gep(node, Layout.NodeKey);
        nint same = LLVMBuildAnd(B,
            LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, LoadField(i64, nodeKey, 0, Mem.NodeKey), key, ""),
            LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, LoadField(i8, nodeKey, Layout.ValueTag, Mem.NodeKey), controlTag, ""), "");
        CondBr(same, remembered, general);
        builder.PositionAtEnd(first);
        Br(scan);
        builder.PositionAtEnd(inArray);
        Br(scan);
        builder.PositionAtEnd(remembered);
        nint afterLast = LLVMBuildAdd(B, last, I64(1), "");
        Br(scan);

        builder.PositionAtEnd(scan);
        nint start = Phi(i64, (I64(0), first), (key, inArray), (afterLast, remembered));
        // The next array slot holding a value is the answer without the scan (pairs over an
        // array, as fast as ipairs).
        nint array = LoadField(ptr, table, Layout.TableArray, Mem.TableArray);
        nint inside = NewBlock(), direct = NewBlock(), scanning = NewBlock(), located = NewBlock();
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntULT, start, arraySize, ""), inside, scanning);
        builder.PositionAtEnd(inside);
        CondBr(IsTag(ArrayAt(array, start), Tag.Nil), scanning, direct);
        builder.PositionAtEnd(direct);
        Br(located);
        builder.PositionAtEnd(scanning);
        nint scanned = builder.Call(NextScanner(), [table, start]);
        nint fromScan = builder.InsertBlock;
        Br(located);
        builder.PositionAtEnd(located);
        nint found = Phi(i64, (start, direct), (scanned, fromScan));
        nint end = NewBlock(), some = NewBlock(), arrayEntry = NewBlock(), nodeEntry = NewBlock();
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSLT, found, I64(0), ""), end, some);

        builder.PositionAtEnd(end);
        for (int r = 0; r < results; r++) SetNil(Reg(a + 4 + r));
        Br(next);

        builder.PositionAtEnd(some);
        LLVMBuildStore(B, found, lastIndex);
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntULT, found, arraySize, ""), arrayEntry, nodeEntry);

        builder.PositionAtEnd(arrayEntry);
        SetInt(Reg(a + 4), LLVMBuildAdd(B, found, I64(1), ""));
        if (results >= 2) Copy(Reg(a + 5), ArrayAt(array, found));
        for (int r = 2; r < results; r++) SetNil(Reg(a + 4 + r));
        Br(next);

        builder.PositionAtEnd(nodeEntry);
        nint foundNode = NodeAt(nodes, LLVMBuildSub(B, found, arraySize, ""));
        CopyPayloadAndTag(Reg(a + 4), Gep(foundNode, Layout.NodeKey), Mem.NodeKey);
        if (results >= 2) CopyPayloadAndTag(Reg(a + 5), Gep(foundNode, Layout.NodeVal), Mem.Value);
        for (int r = 2; r < results; r++) SetNil(Reg(a + 4 + r));
        Br(next);
    }

    /// <summary>A node's key or value to a register: payload and tag, the rest of the tag word
    /// zero in memory (a key's aux word is its chain link, which Next does not hand out either).</summary>
    private void CopyPayloadAndTag(nint dst, nint src, Mem mem)
    {
        StoreValue(LoadField(i64, src, 0, mem), dst, 0);
        nint tag = LoadField(i8, src, Layout.ValueTag, mem);
        StoreValue(IsLocal(dst) ? tag : LLVMBuildZExt(B, tag, i64, ""), dst, Layout.ValueTag);
    }

    private nint nextScanner;

    /// <summary>i64 scan(ptr table, i64 start): the index of t's first entry at or after start
    /// with a value (array part first, then the nodes, as TableOps.Next counts), or -1. A
    /// private function of the module, as ChainWalker.</summary>
    private nint NextScanner()
    {
        if (nextScanner != 0) return nextScanner;
        nint saved = builder.InsertBlock;
        nint f = AddPrivateFunction("_next", ctx.FunctionType(i64, [ptr, i64]));
        nint Block() => LLVMAppendBasicBlockInContext(ctx.Handle, f, "");
        nint entry = Block(), arrayLoop = Block(), arrayCheck = Block(), arrayNext = Block(), nodesStart = Block(),
            nodeLoop = Block(), nodeCheck = Block(), nodeNext = Block(), hit = Block(), none = Block();
        builder.PositionAtEnd(entry);
        nint table = LLVMGetParam(f, 0), start = LLVMGetParam(f, 1);
        nint arraySize = ArraySizeOf(table);
        nint array = LoadField(ptr, table, Layout.TableArray, Mem.TableArray);
        Br(arrayLoop);

        builder.PositionAtEnd(arrayLoop);
        nint i = LLVMBuildPhi(B, i64, "");
        LlvmBuilder.AddIncoming(i, start, entry);
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntULT, i, arraySize, ""), arrayCheck, nodesStart);
        builder.PositionAtEnd(arrayCheck);
        nint slot = ArrayAt(array, i);
        CondBr(IsTag(slot, Tag.Nil), arrayNext, hit);
        builder.PositionAtEnd(arrayNext);
        nint nextI = LLVMBuildAdd(B, i, I64(1), "");
        LlvmBuilder.AddIncoming(i, nextI, arrayNext);
        Br(arrayLoop);

        builder.PositionAtEnd(nodesStart);
        nint nodes = LoadField(ptr, table, Layout.TableNodes, Mem.TableNodes);
        nint nodeCount = NodeCountOf(table);
        nint firstNode = LLVMBuildSub(B, i, arraySize, "");
        Br(nodeLoop);
        builder.PositionAtEnd(nodeLoop);
        nint n = LLVMBuildPhi(B, i64, "");
        LlvmBuilder.AddIncoming(n, firstNode, nodesStart);
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntULT, n, nodeCount, ""), nodeCheck, none);
        builder.PositionAtEnd(nodeCheck);
        nint node = NodeAt(nodes, n);
        nint nodeIndex = LLVMBuildAdd(B, n, arraySize, "");
        CondBr(IsTag(Gep(node, Layout.NodeVal), Tag.Nil), nodeNext, hit);
        builder.PositionAtEnd(nodeNext);
        nint nextN = LLVMBuildAdd(B, n, I64(1), "");
        LlvmBuilder.AddIncoming(n, nextN, nodeNext);
        Br(nodeLoop);

        builder.PositionAtEnd(hit);
        nint index = LLVMBuildPhi(B, i64, "");
        LlvmBuilder.AddIncoming(index, i, arrayCheck);
        LlvmBuilder.AddIncoming(index, nodeIndex, nodeCheck);
        LLVMBuildRet(B, index);
        builder.PositionAtEnd(none);
        LLVMBuildRet(B, I64(-1));
        builder.PositionAtEnd(saved);
        nextScanner = f;
        return f;
    }

    /// <summary>math.min/max of two integers or two floats: the first argument unless the
    /// other compares below (min) or above (max) it, so a NaN first argument is the result.</summary>
    private void EmitMinMax(nint dst, nint x, nint y, bool max, nint general)
    {
        nint tx = TagOf(x), ty = TagOf(y);
        nint same = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, tx, ty, "");
        nint ints = NewBlock(), notInts = NewBlock(), floats = NewBlock();
        CondBr(LLVMBuildAnd(B, same, LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, tx, I8((int)Tag.Integer), ""), ""), ints, notInts);
        builder.PositionAtEnd(notInts);
        CondBr(LLVMBuildAnd(B, same, LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, tx, I8((int)Tag.Float), ""), ""), floats, general);

        nint done = NewBlock();
        builder.PositionAtEnd(ints);
        nint p = LoadI64(x, 0), q = LoadI64(y, 0);
        nint takeY = max ? LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSLT, p, q, "") : LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSLT, q, p, "");
        SetInt(dst, LLVMBuildSelect(B, takeY, q, p, ""));
        Br(done);

        builder.PositionAtEnd(floats);
        nint f = LoadF64(x, 0), g = LoadF64(y, 0);
        nint takeG = max ? LLVMBuildFCmp(B, LLVMRealPredicate.LLVMRealOLT, f, g, "") : LLVMBuildFCmp(B, LLVMRealPredicate.LLVMRealOLT, g, f, "");
        // As bits: the chosen operand exactly, -0.0 and NaN payloads included.
        SetFloat(dst, LLVMBuildBitCast(B, LLVMBuildSelect(B, takeG, LoadI64(y, 0), LoadI64(x, 0), ""), f64, ""));
        Br(done);
        builder.PositionAtEnd(done);
    }

    /// <summary>string.byte(s [, i]) for one result, s a string and i (default 1) an integer:
    /// the byte at i, counting from the end when negative, or nil when i is outside the string
    /// (0 included: the end position defaults to i itself, so the range is empty). Numbers
    /// that would be coerced, floats and the rest go to the library function.</summary>
    private void EmitStringByte(nint dst, nint s, nint index, nint general)
    {
        nint isString = NewBlock();
        CondBr(IsTag(s, Tag.String), isString, general);
        builder.PositionAtEnd(isString);
        nint str = LoadPtr(s, 0);
        nint length = LLVMBuildSExt(B, LoadI32(str, Layout.StringLength), i64, "");
        nint position = I64(1);
        if (index != 0)
        {
            nint isInteger = NewBlock();
            CondBr(IsTag(index, Tag.Integer), isInteger, general);
            builder.PositionAtEnd(isInteger);
            nint i = LoadI64(index, 0);
            nint negative = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntSLT, i, I64(0), "");
            position = LLVMBuildSelect(B, negative, LLVMBuildAdd(B, i, LLVMBuildAdd(B, length, I64(1), ""), ""), i, "");
        }
        // 1 <= position <= length, as one unsigned compare of position - 1 against length.
        nint inside = LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntULT, LLVMBuildSub(B, position, I64(1), ""), length, "");
        nint found = NewBlock(), empty = NewBlock(), done = NewBlock();
        CondBr(inside, found, empty);
        builder.PositionAtEnd(found);
        // The bytes follow the LuaString header; position - 1 + header size is their offset.
        nint at = GepDyn(str, LLVMBuildAdd(B, position, I64(sizeof(LuaString) - 1), ""));
        SetInt(dst, LLVMBuildZExt(B, LLVMBuildLoad2(B, i8, at, ""), i64, ""));
        Br(done);
        builder.PositionAtEnd(empty);
        SetNil(dst);
        Br(done);
        builder.PositionAtEnd(done);
    }

    /// <summary>table.insert(t, v) for a table without a metatable (so no __len or __newindex)
    /// and a non-nil v, when the border is where TableOps.Length's first checks find it (at the
    /// length hint, or one above it) and the slot above the border is in the array part: v goes
    /// there and the hint moves past it. The rest (a full array part, a border elsewhere,
    /// metatables) goes to the library function.</summary>
    private void EmitTableAppend(nint t, nint v, nint general)
    {
        (nint table, nint array, nint border) = PlainTableBorder(t, v, general);
        Copy(ArrayAt(array, border), v);
        SetLengthHint(table, LLVMBuildAdd(B, border, I64(1), ""));
    }

    /// <summary>table.remove(t) for a table without a metatable whose border is found as for
    /// table.insert and is at least 1: t[#t] is the result and becomes nil, and the hint moves
    /// down to the new border. An empty table (whose t[0] lua5.4 would return) and the rest go
    /// to the library function.</summary>
    private void EmitTablePop(nint dst, nint t, nint general)
    {
        nint nonEmpty = NewBlock();
        (nint table, nint array, nint border) = PlainTableBorder(t, 0, general);
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntNE, border, I64(0), ""), nonEmpty, general);
        builder.PositionAtEnd(nonEmpty);
        nint last = LLVMBuildSub(B, border, I64(1), "");
        nint slot = ArrayAt(array, last);
        Copy(dst, slot);
        SetNil(slot);
        SetLengthHint(table, last);
    }

    /// <summary>The table in t, its array part and border (<see cref="HintBorder"/>) when t is a
    /// table without a metatable (so no __len, __index or __newindex) whose border is where the
    /// hint finds it, and the value <paramref name="notNil"/> (0 for none) is not nil; anything
    /// else branches to <paramref name="general"/>.</summary>
    private (nint Table, nint Array, nint Border) PlainTableBorder(nint t, nint notNil, nint general)
    {
        nint isTable = NewBlock(), plain = NewBlock();
        nint guard = IsTag(t, Tag.Table);
        if (notNil != 0) guard = LLVMBuildAnd(B, guard, LLVMBuildNot(B, IsTag(notNil, Tag.Nil), ""), "");
        CondBr(guard, isTable, general);
        builder.PositionAtEnd(isTable);
        nint table = LoadPtr(t, 0);
        CondBr(HasNoMetatable(table), plain, general);
        builder.PositionAtEnd(plain);
        (nint array, nint border) = HintBorder(table, general);
        return (table, array, border);
    }

    /// <summary>A float with an integral value (or an infinity or NaN) as math.floor/ceil return
    /// it: an integer when it fits one, otherwise the float (Numbers.FloatToInteger).</summary>
    private void SetIntegral(nint dst, nint d)
    {
        nint fits = LLVMBuildAnd(B,
            LLVMBuildFCmp(B, LLVMRealPredicate.LLVMRealOGE, d, F64(-9223372036854775808.0), ""),
            LLVMBuildFCmp(B, LLVMRealPredicate.LLVMRealOLT, d, F64(9223372036854775808.0), ""), "");
        nint asInt = NewBlock(), asFloat = NewBlock(), done = NewBlock();
        CondBr(fits, asInt, asFloat);
        builder.PositionAtEnd(asInt);
        SetInt(dst, LLVMBuildFPToSI(B, d, i64, ""));
        Br(done);
        builder.PositionAtEnd(asFloat);
        SetFloat(dst, d);
        Br(done);
        builder.PositionAtEnd(done);
    }

    /// <summary>Branches on x's subtype: onInt gets its integer, onFloat its double; any other
    /// value goes to <paramref name="other"/>. Both continue in one block afterwards.</summary>
    private void OnIntegerOrFloat(nint x, nint other, Action<nint> onInt, Action<nint> onFloat)
    {
        nint t = TagOf(x);
        nint isInt = NewBlock(), notInt = NewBlock(), isFloat = NewBlock(), done = NewBlock();
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, t, I8((int)Tag.Integer), ""), isInt, notInt);
        builder.PositionAtEnd(notInt);
        CondBr(LLVMBuildICmp(B, LLVMIntPredicate.LLVMIntEQ, t, I8((int)Tag.Float), ""), isFloat, other);
        builder.PositionAtEnd(isInt);
        onInt(LoadI64(x, 0));
        Br(done);
        builder.PositionAtEnd(isFloat);
        onFloat(LoadF64(x, 0));
        Br(done);
        builder.PositionAtEnd(done);
    }

    /// <summary>x as a double when it is an integer or a float; any other value goes to
    /// <paramref name="other"/>.</summary>
    private nint NumberAsDouble(nint x, nint other)
    {
        nint number = NewBlock();
        CondBr(IsNumber(x), number, other);
        builder.PositionAtEnd(number);
        return AsDouble(x);
    }

    /// <summary>A call of a one-argument LLVM floating-point intrinsic (llvm.sqrt.f64, ...).</summary>
    private nint CallIntrinsic(string name, nint argument)
    {
        nint type = ctx.FunctionType(f64, [f64]);
        nint f = module.GetNamedFunction(name) is var known and not 0 ? known : module.AddFunction(name, type);
        nint* args = stackalloc nint[1] { argument };
        return LLVMBuildCall2(B, type, f, args, 1, "");
    }
}
