using System.Diagnostics;
using System.Runtime.CompilerServices;
using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Runtime;
using static Tiered.Interpreter.Bytecode.Instruction;

namespace Tiered.Interpreter.VM;

// The tier-0 interpreter: one loop, one switch. Fast paths are inline; everything that can
// call metamethods, allocate much or raise lives in other methods (LuaState.Meta.cs,
// Interpreter.Slow.cs). Before anything that can raise or call, the loop stores pc in the
// frame ("the frame is the truth"), so errors and the native tier see an exact position.
public sealed unsafe partial class LuaState
{
    /// <summary>Runs frames starting at the current one until <paramref name="entry"/> returns
    /// (or the coroutine yields).</summary>
    [SkipLocalsInit]
    private void Run(CallFrame* entry)
    {
        LuaThread* th = Thread;
        CallFrame* ci = th->Ci;
        if ((ci->Flags & FrameFlags.Host) != 0)
        {
            // Resuming after a host frame finished (yield resumed, or pcall completed).
            ci = ReturnFromHostFrames(entry, ci);
            if (ci == null) return;
        }
        LuaClosure* cl;
        Proto* p;
    NewFrame:
        cl = (LuaClosure*)ci->Func->P;
        p = cl->Proto;
        if (th->HookMask != HookMask.None)
        {
            // A hooked thread runs here only (Hooks.cs); a function starting gets its call event.
            if (ci->Pc == p->Code && p->IsVararg == 0) FunctionEntryHook(ci);
            goto Interpret;
        }
        if (p->NativeEntry == null) goto Interpret;
        goto RunNative;
    EnterNative:
        // A loop's back-edge comes here: a hooked thread stays in the interpreter.
        if (th->HookMask != HookMask.None) goto Interpret;
    RunNative:
        {
            // Native code runs the frame from ci->Pc (the start, or a loop header for OSR), whose
            // index it is given. It returns with the frame complete: returned, or stopped at
            // ci->Pc for us to go on.
            int status = ((delegate* unmanaged<LuaThread*, CallFrame*, int, int>)p->NativeEntry)(th, ci, (int)(ci->Pc - p->Code));
            if (status != (int)NativeStatus.Exit)
            {
                if (status == (int)NativeStatus.Returned)
                {
                    int n = ci->SavedCount;
                    ci = ReturnFromFrame(entry, ci, th->Top - n, n);
                    if (ci == null) return;
                    goto NewFrame;
                }
                if (status == (int)NativeStatus.Yield && PendingNativeException == null)
                {
                    // A yield passed up through native frames, each left to finish its call
                    // on resume: as for a yield in this loop, only a nested loop unwinds.
                    YieldFromRun(entry);
                    return;
                }
                ThrowPendingNative(status);
            }
            cl = (LuaClosure*)ci->Func->P;
            p = cl->Proto;
            // The frame goes on here (a guard failed, or its pc has no entry: after a call that
            // returned to the interpreter). Its code is asked for again soon, so a loop goes
            // back to native code at its header instead of running here until the frame ends.
            if (p->HotCountdown > NativeReentryCountdown) p->HotCountdown = NativeReentryCountdown;
        }
    Interpret:
        Value* k = p->Constants;
        Value* @base = ci->Func + 1;
        uint* pc = ci->Pc;
        uint* code = p->Code;
        byte* fb = p->Feedback;
        for (; ; )
        {
            uint i = *pc++;
            if (th->HookTrap != 0) TraceInstruction(ci, pc - 1);
            Value* ra = @base + A(i);
            switch (Op(i))
            {
                case OpCode.Move: *ra = @base[B(i)]; continue;
                case OpCode.LoadI: *ra = Value.Int(SBx(i)); continue;
                case OpCode.LoadF: *ra = Value.Float(SBx(i)); continue;
                case OpCode.LoadK: *ra = k[Bx(i)]; continue;
                case OpCode.LoadKX: *ra = k[Ax(*pc)]; pc++; continue;
                case OpCode.LoadFalse: *ra = Value.False; continue;
                case OpCode.LFalseSkip: *ra = Value.False; pc++; continue;
                case OpCode.LoadTrue: *ra = Value.True; continue;
                case OpCode.LoadNil:
                    {
                        int b = B(i);
                        for (int j = 0; j <= b; j++) ra[j] = default;
                        continue;
                    }
                case OpCode.GetUpval: *ra = *LuaClosure.Upvalues(cl)[B(i)]->V; continue;
                case OpCode.SetUpval: *LuaClosure.Upvalues(cl)[B(i)]->V = *ra; continue;

                case OpCode.GetTabUp:
                    {
                        Value* up = LuaClosure.Upvalues(cl)[B(i)]->V;
                        LuaString* key = k[C(i)].AsString;
                        if (up->Tag == Tag.Table)
                        {
                            Value* slot = TableOps.GetShortString(up->AsTable, key);
                            if (slot->Tag != Tag.Nil) { *ra = *slot; continue; }
                            if (up->AsTable->Metatable != null) *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.ViaMetatable;
                        }
                        *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.GenericAccess;
                        ci->Pc = pc;
                        Value r = Index(in *up, k[C(i)]);
                        @base[A(i)] = r;
                        continue;
                    }
                case OpCode.GetTable:
                    {
                        Value* rb = @base + B(i);
                        Value* rc = @base + C(i);
                        if (rb->Tag == Tag.Table)
                        {
                            LuaTable* t = rb->AsTable;
                            Value* slot;
                            if (rc->Tag == Tag.Integer && (ulong)(rc->I - 1) < t->ArraySize)
                            {
                                slot = t->Array + (rc->I - 1);
                                *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.TableArray;
                            }
                            else
                            {
                                *FeedbackSlot(fb, code, pc) |= (byte)(rc->Tag == Tag.String ? FeedbackBits.GenericAccess | FeedbackBits.StringKey : FeedbackBits.GenericAccess);
                                if (rc->Tag == Tag.Integer) slot = TableOps.GetInt(t, rc->I);
                                else if (rc->Tag == Tag.String)
                                {
                                    slot = TableOps.GetString(t, rc->AsString);
                                    if (slot->Tag == Tag.Nil && t->Metatable != null)
                                    {
                                        *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.ViaMetatable;
                                        Value* inherited = GetStringViaIndexTables(t, rc->AsString);
                                        if (inherited != null) { *ra = *inherited; continue; }
                                    }
                                }
                                else slot = TableOps.Get(t, *rc);
                            }
                            if (slot->Tag != Tag.Nil) { *ra = *slot; continue; }
                        }
                        *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.GenericAccess;
                        ci->Pc = pc;
                        Value r = Index(in *rb, in *rc);
                        @base[A(i)] = r;
                        continue;
                    }
                case OpCode.GetI:
                    {
                        Value* rb = @base + B(i);
                        if (rb->Tag == Tag.Table)
                        {
                            LuaTable* t = rb->AsTable;
                            if ((ulong)(C(i) - 1) >= t->ArraySize) *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.GenericAccess;
                            Value* slot = TableOps.GetInt(t, C(i));
                            if (slot->Tag != Tag.Nil) { *ra = *slot; continue; }
                        }
                        *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.GenericAccess;
                        ci->Pc = pc;
                        Value r = Index(in *rb, Value.Int(C(i)));
                        @base[A(i)] = r;
                        continue;
                    }
                case OpCode.GetField:
                    {
                        Value* rb = @base + B(i);
                        if (rb->Tag == Tag.Table)
                        {
                            LuaTable* t = rb->AsTable;
                            LuaString* key = k[C(i)].AsString;
                            Value* slot = TableOps.GetShortString(t, key);
                            if (slot->Tag != Tag.Nil) { *ra = *slot; continue; }
                            if (t->Metatable != null)
                            {
                                *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.ViaMetatable;
                                slot = GetStringViaIndexTables(t, key);
                            }
                            if (slot != null) { *ra = *slot; continue; }
                        }
                        *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.GenericAccess;
                        ci->Pc = pc;
                        Value r = Index(in *rb, k[C(i)]);
                        @base[A(i)] = r;
                        continue;
                    }

                case OpCode.SetTabUp:
                    {
                        Value* up = LuaClosure.Upvalues(cl)[A(i)]->V;
                        Value* rc = K(i) ? k + C(i) : @base + C(i);
                        if (up->Tag == Tag.Table)
                        {
                            LuaTable* t = up->AsTable;
                            LuaString* key = k[B(i)].AsString;
                            Value* slot = TableOps.GetShortString(t, key);
                            if (slot->Tag != Tag.Nil)
                            {
                                *slot = *rc;
                                IndexCache.NoteReplace(Shared, t, key);
                                continue;
                            }
                        }
                        *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.GenericAccess;
                        ci->Pc = pc;
                        SetIndex(in *up, k[B(i)], *rc);
                        continue;
                    }
                case OpCode.SetTable:
                    {
                        Value* rb = @base + B(i);
                        Value* rc = K(i) ? k + C(i) : @base + C(i);
                        if (ra->Tag == Tag.Table)
                        {
                            LuaTable* t = ra->AsTable;
                            if (rb->Tag == Tag.Integer && (ulong)(rb->I - 1) < t->ArraySize)
                            {
                                Value* slot = t->Array + (rb->I - 1);
                                if (slot->Tag != Tag.Nil || t->Metatable == null) { *slot = *rc; continue; }
                            }
                        }
                        *FeedbackSlot(fb, code, pc) |= (byte)(rb->Tag == Tag.String ? FeedbackBits.GenericAccess | FeedbackBits.StringKey : FeedbackBits.GenericAccess);
                        ci->Pc = pc;
                        SetIndex(in *ra, in *rb, *rc);
                        continue;
                    }
                case OpCode.SetI:
                    {
                        Value* rc = K(i) ? k + C(i) : @base + C(i);
                        if (ra->Tag == Tag.Table)
                        {
                            LuaTable* t = ra->AsTable;
                            long key = B(i);
                            if ((ulong)(key - 1) < t->ArraySize)
                            {
                                Value* slot = t->Array + (key - 1);
                                if (slot->Tag != Tag.Nil || t->Metatable == null) { *slot = *rc; continue; }
                            }
                        }
                        *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.GenericAccess;
                        ci->Pc = pc;
                        SetIndex(in *ra, Value.Int(B(i)), *rc);
                        continue;
                    }
                case OpCode.SetField:
                    {
                        Value* rc = K(i) ? k + C(i) : @base + C(i);
                        if (ra->Tag == Tag.Table)
                        {
                            LuaTable* t = ra->AsTable;
                            LuaString* key = k[B(i)].AsString;
                            Value* slot = TableOps.GetShortString(t, key);
                            if (slot->Tag != Tag.Nil)
                            {
                                *slot = *rc;
                                t->Header.Flags = 0;
                                IndexCache.NoteReplace(Shared, t, key);
                                continue;
                            }
                        }
                        *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.GenericAccess;
                        ci->Pc = pc;
                        SetIndex(in *ra, k[B(i)], *rc);
                        continue;
                    }

                case OpCode.NewTable:
                    {
                        int b = B(i), c = C(i);
                        if (K(i)) c += Ax(*pc) * 256;
                        pc++;   // NewTable is always followed by an ExtraArg
                        ci->Pc = pc;
                        int hashSize = b > 0 ? 1 << (b - 1) : 0;
                        *ra = Value.Table(TableOps.New(this, c, hashSize));
                        th->Top = ra + 1;
                        CheckGc();
                        th->Top = ci->Top;
                        continue;
                    }
                case OpCode.Self:
                    {
                        Value* rb = @base + B(i);
                        Value key = K(i) ? k[C(i)] : @base[C(i)];
                        Value obj = *rb;
                        ra[1] = obj;
                        if (obj.Tag == Tag.Table)
                        {
                            LuaTable* t = obj.AsTable;
                            Value* slot = TableOps.GetString(t, key.AsString);
                            if (slot->Tag != Tag.Nil) { *ra = *slot; continue; }
                            if (t->Metatable != null)
                            {
                                *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.ViaMetatable;
                                slot = GetStringViaIndexTables(t, key.AsString);
                            }
                            if (slot != null) { *ra = *slot; continue; }
                        }
                        *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.GenericAccess;
                        ci->Pc = pc;
                        Value r = Index(in *rb, key);   // named after R[B] in error messages
                        @base[A(i)] = r;
                        continue;
                    }

                // ---------------------------------------------------------- arithmetic
                case OpCode.AddI:
                    {
                        Value* rb = @base + B(i);
                        int imm = SC(i);
                        if (rb->Tag == Tag.Integer) { *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.Integer; *ra = Value.Int(unchecked(rb->I + imm)); continue; }
                        if (rb->Tag == Tag.Float) { *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.Float; *ra = Value.Float(rb->D + imm); continue; }
                        *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.Metamethod;
                        ci->Pc = pc;
                        Value r = Arith(MetaEvent.Add, in *rb, Value.Int(imm));
                        @base[A(i)] = r;
                        continue;
                    }
                // The common operators, one case each, with only the fast paths: the shared case
                // below would select the operator a second time. What they cannot do (mixed or
                // odd operands, division by zero, metamethods) goes to that case, which does
                // everything, feedback included.
                case OpCode.Add: if (TryArith<AddOp>(ra, @base + B(i), @base + C(i), FeedbackSlot(fb, code, pc))) continue; goto ArithGeneric;
                case OpCode.AddK: if (TryArith<AddOp>(ra, @base + B(i), k + C(i), FeedbackSlot(fb, code, pc))) continue; goto ArithGeneric;
                case OpCode.Sub: if (TryArith<SubOp>(ra, @base + B(i), @base + C(i), FeedbackSlot(fb, code, pc))) continue; goto ArithGeneric;
                case OpCode.SubK: if (TryArith<SubOp>(ra, @base + B(i), k + C(i), FeedbackSlot(fb, code, pc))) continue; goto ArithGeneric;
                case OpCode.Mul: if (TryArith<MulOp>(ra, @base + B(i), @base + C(i), FeedbackSlot(fb, code, pc))) continue; goto ArithGeneric;
                case OpCode.MulK: if (TryArith<MulOp>(ra, @base + B(i), k + C(i), FeedbackSlot(fb, code, pc))) continue; goto ArithGeneric;
                case OpCode.Div: if (TryArith<DivOp>(ra, @base + B(i), @base + C(i), FeedbackSlot(fb, code, pc))) continue; goto ArithGeneric;
                case OpCode.DivK: if (TryArith<DivOp>(ra, @base + B(i), k + C(i), FeedbackSlot(fb, code, pc))) continue; goto ArithGeneric;
                case OpCode.Mod: if (TryArith<ModOp>(ra, @base + B(i), @base + C(i), FeedbackSlot(fb, code, pc))) continue; goto ArithGeneric;
                case OpCode.ModK: if (TryArith<ModOp>(ra, @base + B(i), k + C(i), FeedbackSlot(fb, code, pc))) continue; goto ArithGeneric;
                case OpCode.IDiv: if (TryArith<IDivOp>(ra, @base + B(i), @base + C(i), FeedbackSlot(fb, code, pc))) continue; goto ArithGeneric;
                case OpCode.IDivK: if (TryArith<IDivOp>(ra, @base + B(i), k + C(i), FeedbackSlot(fb, code, pc))) continue; goto ArithGeneric;
                case OpCode.PowK:
                case OpCode.Pow:
                ArithGeneric:
                    {
                        OpCode op = Op(i);
                        Value* rb = @base + B(i);
                        Value* rc = op >= OpCode.Add ? @base + C(i) : k + C(i);
                        MetaEvent ev = op >= OpCode.Add ? (MetaEvent)(op - OpCode.Add + (int)MetaEvent.Add) : (MetaEvent)(op - OpCode.AddK + (int)MetaEvent.Add);
                        byte* slotFb = FeedbackSlot(fb, code, pc);
                        if (rb->Tag == Tag.Integer && rc->Tag == Tag.Integer)
                        {
                            *slotFb |= (byte)FeedbackBits.Integer;
                            long x = rb->I, y = rc->I;
                            switch (ev)
                            {
                                case MetaEvent.Add: *ra = Value.Int(unchecked(x + y)); continue;
                                case MetaEvent.Sub: *ra = Value.Int(unchecked(x - y)); continue;
                                case MetaEvent.Mul: *ra = Value.Int(unchecked(x * y)); continue;
                                case MetaEvent.Mod: if (y != 0) { *ra = Value.Int(Numbers.Mod(x, y)); continue; } break;
                                case MetaEvent.IDiv: if (y != 0) { *ra = Value.Int(Numbers.FloorDiv(x, y)); continue; } break;
                                case MetaEvent.Div: *ra = Value.Float((double)x / y); continue;
                                case MetaEvent.Pow: *ra = Value.Float(y == 2 ? (double)x * x : Math.Pow(x, y)); continue;
                            }
                        }
                        else if (rb->IsNumber && rc->IsNumber)
                        {
                            *slotFb |= (byte)(rb->Tag == rc->Tag ? FeedbackBits.Float : FeedbackBits.Float | FeedbackBits.MixedNumbers);
                            double x = rb->Tag == Tag.Float ? rb->D : rb->I;
                            double y = rc->Tag == Tag.Float ? rc->D : rc->I;
                            switch (ev)
                            {
                                case MetaEvent.Add: *ra = Value.Float(x + y); continue;
                                case MetaEvent.Sub: *ra = Value.Float(x - y); continue;
                                case MetaEvent.Mul: *ra = Value.Float(x * y); continue;
                                case MetaEvent.Div: *ra = Value.Float(x / y); continue;
                            }
                        }
                        *slotFb |= (byte)FeedbackBits.Metamethod;
                        ci->Pc = pc;
                        Value r = Arith(ev, in *rb, in *rc);
                        @base[A(i)] = r;
                        continue;
                    }
                case OpCode.BAndK: case OpCode.BOrK: case OpCode.BXorK:
                case OpCode.BAnd: case OpCode.BOr: case OpCode.BXor: case OpCode.Shl: case OpCode.Shr:
                    {
                        OpCode op = Op(i);
                        Value* rb = @base + B(i);
                        Value* rc = op >= OpCode.BAnd ? @base + C(i) : k + C(i);
                        MetaEvent ev = op >= OpCode.BAnd ? (MetaEvent)(op - OpCode.BAnd + (int)MetaEvent.BAnd) : (MetaEvent)(op - OpCode.BAndK + (int)MetaEvent.BAnd);
                        if (rb->Tag == Tag.Integer && rc->Tag == Tag.Integer) { *ra = Value.Int(IntegerBitwise(ev, rb->I, rc->I)); continue; }
                        ci->Pc = pc;
                        Value r = Arith(ev, in *rb, in *rc);
                        @base[A(i)] = r;
                        continue;
                    }
                case OpCode.ShrI:
                    {
                        Value* rb = @base + B(i);
                        if (rb->Tag == Tag.Integer) { *ra = Value.Int(Numbers.ShiftLeft(rb->I, -SC(i))); continue; }
                        ci->Pc = pc;
                        Value r = Arith(MetaEvent.Shr, in *rb, Value.Int(SC(i)));
                        @base[A(i)] = r;
                        continue;
                    }
                case OpCode.ShlI:
                    {
                        Value* rb = @base + B(i);
                        if (rb->Tag == Tag.Integer) { *ra = Value.Int(Numbers.ShiftLeft(SC(i), rb->I)); continue; }
                        ci->Pc = pc;
                        Value r = Arith(MetaEvent.Shl, Value.Int(SC(i)), in *rb);
                        @base[A(i)] = r;
                        continue;
                    }
                case OpCode.Unm:
                    {
                        Value* rb = @base + B(i);
                        if (rb->Tag == Tag.Integer) { *ra = Value.Int(unchecked(-rb->I)); continue; }
                        if (rb->Tag == Tag.Float) { *ra = Value.Float(-rb->D); continue; }
                        ci->Pc = pc;
                        Value r = Arith(MetaEvent.Unm, in *rb, in *rb);
                        @base[A(i)] = r;
                        continue;
                    }
                case OpCode.BNot:
                    {
                        Value* rb = @base + B(i);
                        if (rb->Tag == Tag.Integer) { *ra = Value.Int(~rb->I); continue; }
                        ci->Pc = pc;
                        Value r = Arith(MetaEvent.BNot, in *rb, in *rb);
                        @base[A(i)] = r;
                        continue;
                    }
                case OpCode.Not: *ra = Value.Bool(@base[B(i)].IsFalsy); continue;
                case OpCode.Len:
                    {
                        Value* rb = @base + B(i);
                        if (rb->Tag == Tag.String) { *ra = Value.Int(rb->AsString->Length); continue; }
                        if (rb->Tag == Tag.Table && rb->AsTable->Metatable == null) { *ra = Value.Int(TableOps.Length(rb->AsTable)); continue; }
                        ci->Pc = pc;
                        Value r = Length(in *rb);
                        @base[A(i)] = r;
                        continue;
                    }
                case OpCode.Concat:
                    {
                        int n = B(i);
                        ci->Pc = pc;
                        th->Top = ra + n;
                        Concat(ra, n);
                        CheckGc();
                        th->Top = ci->Top;
                        continue;
                    }

                case OpCode.Close:
                    ci->Pc = pc;
                    CloseUpvalues(ra);
                    if (th->TbcCount > 0) CloseTbc(ra, default, withError: false);
                    continue;
                case OpCode.Tbc:
                    ci->Pc = pc;
                    MarkToBeClosed(ra);
                    continue;
                case OpCode.Jmp:
                    {
                        int sj = SJ(i);
                        pc += sj;
                        if (sj < 0)
                        {
                            p->BackEdgeCount++;
                            if (--p->HotCountdown <= 0) { ci->Pc = pc; OnHot(p); if (p->NativeEntry != null) goto EnterNative; }
                            if (--interruptCountdown <= 0) { ci->Pc = pc; OnInterruptTick(); }
                        }
                        continue;
                    }

                // ---------------------------------------------------------- comparisons
                case OpCode.Eq:
                    {
                        Value* rb = @base + B(i);
                        bool cond;
                        if (ra->Tag == rb->Tag && ra->Tag != Tag.Table && ra->Tag != Tag.Userdata && ra->Tag != Tag.Float)
                            cond = ra->I == rb->I || (ra->Tag == Tag.String && LuaString.ContentEquals(ra->AsString, rb->AsString));
                        else
                        {
                            ci->Pc = pc;
                            cond = ValuesEqual(in *ra, in *rb);
                        }
                        if (cond != K(i)) pc++; else pc += SJ(*pc) + 1;
                        continue;
                    }
                case OpCode.Lt:
                    {
                        Value* rb = @base + B(i);
                        bool cond;
                        if (ra->Tag == Tag.Integer && rb->Tag == Tag.Integer) { cond = ra->I < rb->I; *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.Integer; }
                        else if (ra->IsNumber && rb->IsNumber) { cond = NumLess(*ra, *rb); *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.Float; }
                        else { *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.Metamethod; ci->Pc = pc; cond = LessThan(in *ra, in *rb); }
                        if (cond != K(i)) pc++; else pc += SJ(*pc) + 1;
                        continue;
                    }
                case OpCode.Le:
                    {
                        Value* rb = @base + B(i);
                        bool cond;
                        if (ra->Tag == Tag.Integer && rb->Tag == Tag.Integer) { cond = ra->I <= rb->I; *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.Integer; }
                        else if (ra->IsNumber && rb->IsNumber) { cond = NumLessEqual(*ra, *rb); *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.Float; }
                        else { *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.Metamethod; ci->Pc = pc; cond = LessEqual(in *ra, in *rb); }
                        if (cond != K(i)) pc++; else pc += SJ(*pc) + 1;
                        continue;
                    }
                case OpCode.EqK:
                    {
                        bool cond = Value.RawEquals(*ra, k[B(i)]);
                        if (cond != K(i)) pc++; else pc += SJ(*pc) + 1;
                        continue;
                    }
                case OpCode.EqI:
                    {
                        int imm = SB(i);
                        bool cond = ra->Tag == Tag.Integer ? ra->I == imm : ra->Tag == Tag.Float && ra->D == imm;
                        if (cond != K(i)) pc++; else pc += SJ(*pc) + 1;
                        continue;
                    }
                case OpCode.LtI: case OpCode.LeI: case OpCode.GtI: case OpCode.GeI:
                    {
                        int imm = SB(i);
                        bool cond;
                        OpCode op = Op(i);
                        if (ra->Tag == Tag.Integer)
                        {
                            long x = ra->I;
                            cond = op switch { OpCode.LtI => x < imm, OpCode.LeI => x <= imm, OpCode.GtI => x > imm, _ => x >= imm };
                        }
                        else if (ra->Tag == Tag.Float)
                        {
                            double x = ra->D;
                            cond = op switch { OpCode.LtI => x < imm, OpCode.LeI => x <= imm, OpCode.GtI => x > imm, _ => x >= imm };
                        }
                        else
                        {
                            ci->Pc = pc;
                            Value im = C(i) != 0 ? Value.Float(imm) : Value.Int(imm);
                            cond = op switch
                            {
                                OpCode.LtI => LessThan(in *ra, im),
                                OpCode.LeI => LessEqual(in *ra, im),
                                OpCode.GtI => LessThan(im, in *ra),
                                _ => LessEqual(im, in *ra),
                            };
                        }
                        if (cond != K(i)) pc++; else pc += SJ(*pc) + 1;
                        continue;
                    }
                case OpCode.Test:
                    if (ra->IsFalsy == K(i)) pc++; else pc += SJ(*pc) + 1;
                    continue;
                case OpCode.TestSet:
                    {
                        Value* rb = @base + B(i);
                        if (rb->IsFalsy == K(i)) pc++;
                        else { *ra = *rb; pc += SJ(*pc) + 1; }
                        continue;
                    }

                // ---------------------------------------------------------- calls
                case OpCode.Call:
                    {
                        int b = B(i);
                        int nresults = C(i) - 1;
                        if (b != 0) th->Top = ra + b;
                        ci->Pc = pc;
                        if (--interruptCountdown <= 0) OnInterruptTick();
                        if (ra->Tag == Tag.LuaFunction)
                        {
                            // Lua to Lua, the common case: the frame push inline, no detour.
                            Proto* callee = ((LuaClosure*)ra->P)->Proto;
                            if (callee == p) *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.SelfCall;
                            RecordCallTarget(p, code, pc, callee);
                            ci = PushLuaFrame(th, ra, nresults);
                            goto NewFrame;
                        }
                        if (ra->Tag == Tag.HostFunction) *FeedbackSlot(fb, code, pc) |= HostCallFeedback(ra);
                        CallFrame* next = PrepareCall(ra, nresults);
                        if (next != null) { ci = next; goto NewFrame; }
                        if (th->Ci != ci)
                        {
                            // A pcall whose callee is now running, or a coroutine.yield.
                            if ((th->Ci->Flags & FrameFlags.Yielded) != 0) { YieldFromRun(entry); return; }
                            ci = th->Ci;
                            goto NewFrame;
                        }
                        // A host function has finished.
                        if (nresults >= 0) th->Top = ci->Top;
                        CheckGc();
                        continue;
                    }
                case OpCode.TailCall:
                    {
                        int b = B(i);
                        if (b != 0) th->Top = ra + b;
                        ci->Pc = pc;
                        if (K(i)) CloseUpvalues(@base);
                        if (ra->Tag != Tag.LuaFunction)
                        {
                            // Not a Lua function (or via __call): an ordinary call, then return its results.
                            CallFrame* next = PrepareCall(ra, -1);
                            if (next != null) { ci = next; goto NewFrame; }
                            if (th->Ci != ci)
                            {
                                if ((th->Ci->Flags & FrameFlags.Yielded) != 0) { YieldFromRun(entry); return; }
                                ci = th->Ci;
                                goto NewFrame;
                            }
                            int nr = (int)(th->Top - ra);
                            if (p->IsVararg != 0) ci->Func = OriginalFunc(ci, p);
                            ci = ReturnFromFrame(entry, ci, ra, nr);
                            if (ci == null) return;
                            goto NewFrame;
                        }
                        if (((LuaClosure*)ra->P)->Proto == p) *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.SelfCall;
                        // Reuse this frame: move the function and arguments down to its slot.
                        Value* dest = p->IsVararg != 0 ? OriginalFunc(ci, p) : ci->Func;
                        int nargs = (int)(th->Top - ra) - 1;
                        for (int j = 0; j <= nargs; j++) dest[j] = ra[j];
                        th->Top = dest + 1 + nargs;
                        int wanted = ci->NResults;
                        FrameFlags keep = ci->Flags & (FrameFlags.Fresh | FrameFlags.FinishOp);
                        th->Ci = ci - 1;
                        CallFrame* nf = PrepareCall(dest, wanted);
                        nf->Flags |= keep | FrameFlags.TailCalled;
                        ci = nf;
                        goto NewFrame;
                    }
                case OpCode.Return:
                    {
                        int n = B(i) - 1;
                        if (n < 0) n = (int)(th->Top - ra);
                        ci->Pc = pc;
                        if (K(i))
                        {
                            th->Top = ra + n;
                            ci->SavedCount = n;
                            CloseUpvalues(@base);
                            if (th->TbcCount > 0 && th->Tbc[th->TbcCount - 1] >= @base)
                                CloseTbc(@base, default, withError: false);
                        }
                        if (p->IsVararg != 0) ci->Func = OriginalFunc(ci, p);
                        ci = ReturnFromFrame(entry, ci, ra, n);
                        if (ci == null) return;
                        goto NewFrame;
                    }
                case OpCode.Return0:
                    {
                        if (p->IsVararg != 0) ci->Func = OriginalFunc(ci, p);
                        if (ci->NResults == 0 && IsPlainReturn(ci) && th->HookMask == HookMask.None)
                        {
                            // The common case inline: a Lua caller that wants no results.
                            ci--;
                            th->Ci = ci;
                            th->Top = ci->Top;
                            goto NewFrame;
                        }
                        ci = ReturnFromFrame(entry, ci, ra, 0);
                        if (ci == null) return;
                        goto NewFrame;
                    }
                case OpCode.Return1:
                    {
                        if (p->IsVararg != 0) ci->Func = OriginalFunc(ci, p);
                        if (ci->NResults == 1 && IsPlainReturn(ci) && th->HookMask == HookMask.None)
                        {
                            // The common case inline: a Lua caller that wants exactly one result.
                            *ci->Func = *ra;
                            ci--;
                            th->Ci = ci;
                            th->Top = ci->Top;
                            goto NewFrame;
                        }
                        ci = ReturnFromFrame(entry, ci, ra, 1);
                        if (ci == null) return;
                        goto NewFrame;
                    }

                // ---------------------------------------------------------- loops
                case OpCode.ForLoop:
                    {
                        if (ra[2].Tag == Tag.Integer)
                        {
                            ulong count = (ulong)ra[1].I;   // remaining iterations
                            if (count > 0)
                            {
                                long step = ra[2].I;
                                ra[1].I = (long)(count - 1);
                                ra->I = unchecked(ra->I + step);
                                ra[3] = Value.Int(ra->I);
                                pc -= Bx(i);
                                p->BackEdgeCount++;
                            if (--p->HotCountdown <= 0) { ci->Pc = pc; OnHot(p); if (p->NativeEntry != null) goto EnterNative; }
                                if (--interruptCountdown <= 0) { ci->Pc = pc; OnInterruptTick(); }
                            }
                            continue;
                        }
                        double fstep = ra[2].D, idx = ra->D + fstep, limit = ra[1].D;
                        if (fstep > 0 ? idx <= limit : limit <= idx)
                        {
                            ra->D = idx;
                            ra[3] = Value.Float(idx);
                            pc -= Bx(i);
                            p->BackEdgeCount++;
                            if (--p->HotCountdown <= 0) { ci->Pc = pc; OnHot(p); if (p->NativeEntry != null) goto EnterNative; }
                            if (--interruptCountdown <= 0) { ci->Pc = pc; OnInterruptTick(); }
                        }
                        continue;
                    }
                case OpCode.ForPrep:
                    {
                        ci->Pc = pc;
                        if (ra[0].Tag != Tag.Integer || ra[2].Tag != Tag.Integer) *FeedbackSlot(fb, code, pc) |= (byte)FeedbackBits.FloatLoop;
                        if (!PrepareNumericFor(ra)) pc += Bx(i) + 1;
                        continue;
                    }
                case OpCode.TForPrep:
                    ci->Pc = pc;
                    MarkToBeClosed(ra + 3);
                    pc += Bx(i);
                    continue;
                case OpCode.TForCall:
                    {
                        // R[A+4], ... := R[A](R[A+1], R[A+2])
                        if (ra->Tag == Tag.HostFunction) *FeedbackSlot(fb, code, pc) |= HostCallFeedback(ra);
                        ra[4] = ra[0];
                        ra[5] = ra[1];
                        ra[6] = ra[2];
                        th->Top = ra + 7;
                        ci->Pc = pc;
                        CallFrame* next = PrepareCall(ra + 4, C(i));
                        if (next != null)
                        {
                            // Run the iterator as a nested frame of this loop: when it returns,
                            // execution continues at the TForLoop that follows.
                            ci = next;
                            goto NewFrame;
                        }
                        if (th->Ci != ci)
                        {
                            if ((th->Ci->Flags & FrameFlags.Yielded) != 0) { YieldFromRun(entry); return; }
                            ci = th->Ci;
                            goto NewFrame;
                        }
                        th->Top = ci->Top;
                        continue;
                    }
                case OpCode.TForLoop:
                    if (ra[4].Tag != Tag.Nil)
                    {
                        ra[2] = ra[4];
                        pc -= Bx(i);
                        p->BackEdgeCount++;
                            if (--p->HotCountdown <= 0) { ci->Pc = pc; OnHot(p); if (p->NativeEntry != null) goto EnterNative; }
                        if (--interruptCountdown <= 0) { ci->Pc = pc; OnInterruptTick(); }
                    }
                    continue;

                case OpCode.SetList:
                    {
                        int n = B(i);
                        if (n == 0) n = (int)(th->Top - ra) - 1;
                        long last = C(i);
                        if (K(i)) { last += (long)Ax(*pc) * 256; pc++; }
                        LuaTable* t = ra->AsTable;
                        if (last + n > t->ArraySize)
                            TableOps.Resize(this, t, (uint)(last + n), t->IsDummyNode != 0 ? 0 : LuaTable.NodeCount(t));
                        Value* dst = t->Array + last;
                        for (int j = 1; j <= n; j++) dst[j - 1] = ra[j];
                        th->Top = ci->Top;
                        continue;
                    }
                case OpCode.Closure:
                    {
                        ci->Pc = pc;
                        MakeClosure(ci, ra, Bx(i));
                        th->Top = ra + 1;
                        CheckGc();
                        th->Top = ci->Top;
                        continue;
                    }
                case OpCode.VarArg:
                    CopyVarArgs(ci, ra, C(i) - 1);
                    continue;
                case OpCode.VarArgPrep:
                    {
                        ci->Pc = pc;
                        PrepareVarArgFrame(ci);
                        @base = ci->Func + 1;
                        if (th->HookMask != HookMask.None) VarArgEntryHook(ci);
                        continue;
                    }
                case OpCode.ExtraArg:
                    continue;
                default:
                    throw RuntimeError("invalid instruction " + Op(i));
            }
        }
    }

    /// <summary>The feedback byte of the instruction just fetched.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* FeedbackSlot(byte* fb, uint* code, uint* pc) => fb + FetchedIndex(code, pc);

    /// <summary>The index of the instruction just fetched (pc has moved past it). An unsigned
    /// shift of the byte distance: cheaper than a signed pointer difference.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint FetchedIndex(uint* code, uint* pc) => ((nuint)((byte*)pc - (byte*)code) >> 2) - 1;

    /// <summary>Records the prototype called at the CALL just fetched (Proto.CallTargets): the
    /// same one each time keeps its mark, a second one makes the site polymorphic.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RecordCallTarget(Proto* p, uint* code, uint* pc, Proto* callee)
    {
        int* slot = p->CallTargets + FetchedIndex(code, pc);
        int seen = *slot, id = callee->InfoIndex + 1;
        if (seen != id && seen != -1) *slot = seen == 0 ? id : -1;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnHot(Proto* p)
    {
        p->HotCountdown = int.MaxValue;   // the tier decides what happens next (and may re-arm it)
        NativeTier?.OnHot(this, p);
    }

    /// <summary>Native code stopped with an error or a yield recorded by a runtime helper.</summary>
    private void ThrowPendingNative(int status)
    {
        Exception? ex = PendingNativeException;
        PendingNativeException = null;
        if (status == (int)NativeStatus.Yield) throw LuaYieldException.Instance;
        if (ex != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex).Throw();
        throw VmError("native code failed without an error object");
    }

    /// <summary>A coroutine.yield called by this loop has suspended the coroutine. The loop that
    /// resume started just returns; a nested loop (a metamethod's) unwinds to resume.</summary>
    private void YieldFromRun(CallFrame* entry)
    {
        MarkYieldedThrough();
        if (entry > Thread->Frames + 1) throw LuaYieldException.Instance;
    }

    /// <summary>Feedback for the native tier: the yield passes through the pending call of
    /// every Lua frame of the coroutine (FeedbackBits.YieldedThrough), where compiled code
    /// then gets an entry for the resume to go on in native code.</summary>
    private void MarkYieldedThrough()
    {
        LuaThread* th = Thread;
        for (CallFrame* f = th->Ci; f > th->Frames; f--)
        {
            if ((f->Flags & FrameFlags.Host) != 0) continue;
            Proto* p = ((LuaClosure*)f->Func->P)->Proto;
            long at = f->Pc - p->Code - 1;
            if (at < 0 || at >= p->CodeSize) continue;
            if (Op(p->Code[at]) is OpCode.Call or OpCode.TForCall) p->Feedback[at] |= (byte)FeedbackBits.YieldedThrough;
        }
    }

    /// <summary>The feedback of a call of the host function in <paramref name="f"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte HostCallFeedback(Value* f) => ((HostClosure*)f->P)->Intrinsic == HostIntrinsic.None
        ? (byte)FeedbackBits.HostCall : (byte)(FeedbackBits.HostCall | FeedbackBits.IntrinsicCall);

    /// <summary>A vararg frame's function slot before VarArgPrep moved it above the arguments.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Value* OriginalFunc(CallFrame* ci, Proto* p) => ci->Func - ci->ExtraArgs - p->NumParams - 1;

    /// <summary>Copies the function and fixed parameters above the actual arguments, so the
    /// extra arguments sit just below the new frame base (where VarArg finds them).</summary>
    internal void PrepareVarArgFrame(CallFrame* ci)
    {
        LuaThread* th = Thread;
        Proto* p = ((LuaClosure*)ci->Func->P)->Proto;
        int nfix = p->NumParams;
        int actual = ci->ExtraArgs;          // PrepareCall stored max(nargs, nfix)
        int nextra = actual - nfix;
        Value* func = ci->Func;
        Value* newFunc = func + 1 + actual;
        Value* newTop = newFunc + 1 + p->MaxStackSize;
        if (newTop > th->StackLimit) StackOverflow();
        if (newTop > th->HighWater) th->HighWater = newTop;
        newFunc[0] = func[0];
        for (int j = 1; j <= nfix; j++) { newFunc[j] = func[j]; func[j] = default; }
        ci->Func = newFunc;
        ci->Top = newTop;
        ci->ExtraArgs = nextra;
        th->Top = newTop;
    }

    /// <summary>A return that ReturnFromFrame would finish with nothing more than moving the
    /// results: the frame neither ends this loop (Fresh) nor completes a metamethod's
    /// instruction (FinishOp), and its caller is a Lua frame.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsPlainReturn(CallFrame* ci) =>
        (ci->Flags & (FrameFlags.Fresh | FrameFlags.FinishOp)) == 0 && (ci[-1].Flags & FrameFlags.Host) == 0;

    /// <summary>Returns n values at <paramref name="first"/> from frame ci. Gives the caller's
    /// frame to continue with, or null when the entry frame has returned.</summary>
    private CallFrame* ReturnFromFrame(CallFrame* entry, CallFrame* ci, Value* first, int n)
    {
        FrameFlags flags = ci->Flags;
        int wanted = ci->NResults;
        MoveResults(ci, first, n);
        if ((flags & FrameFlags.Fresh) != 0) return null;
        ci = Thread->Ci;
        if ((ci->Flags & FrameFlags.Host) != 0) return ReturnFromHostFrames(entry, ci);
        if ((flags & FrameFlags.FinishOp) != 0) FinishOp(ci, wanted);
        else if (wanted >= 0) Thread->Top = ci->Top;
        return ci;
    }

    /// <summary>The current frame is a host frame whose callee has completed (a pcall frame,
    /// or a yield being resumed): finish such frames until a Lua frame is current, and give
    /// it (null when this loop has nothing more to run).</summary>
    private CallFrame* ReturnFromHostFrames(CallFrame* entry, CallFrame* ci)
    {
        while ((ci->Flags & FrameFlags.Host) != 0)
        {
            if (ci < entry || ci == Thread->Frames) return null;
            FrameFlags flags = ci->Flags;
            int wanted = ci->NResults;
            if ((flags & FrameFlags.Pcall) != 0) FinishProtectedCall(ci);
            else return null;
            if ((flags & FrameFlags.Fresh) != 0) return null;
            ci = Thread->Ci;
            if ((ci->Flags & FrameFlags.Host) == 0)
            {
                if ((flags & FrameFlags.FinishOp) != 0) FinishOp(ci, wanted);
                else if (wanted >= 0) Thread->Top = ci->Top;
            }
        }
        return ci;
    }

    /// <summary>Completes the instruction of Lua frame ci whose metamethod call was cut off by a
    /// yield and has now returned: its result is the value just below the top.</summary>
    internal void FinishOp(CallFrame* ci, int wanted)
    {
        LuaThread* th = Thread;
        Value* @base = ci->Func + 1;
        uint i = *(ci->Pc - 1);
        OpCode op = Op(i);
        switch (op)
        {
            case OpCode.Eq: case OpCode.Lt: case OpCode.Le:
            case OpCode.LtI: case OpCode.LeI: case OpCode.GtI: case OpCode.GeI:
                {
                    bool res = (th->Top - 1)->IsTruthy;
                    if (res != K(i)) ci->Pc++;   // skip the jump; otherwise the Jmp runs next
                    break;
                }
            case OpCode.Concat:
                {
                    Value* ra = @base + A(i);
                    Value* top = th->Top - 1;          // the __concat result, just above the operands
                    top[-2] = *top;
                    int n = (int)(top - 1 - ra);
                    th->Top = top - 1;
                    if (n > 1) Concat(ra, n);
                    break;
                }
            case OpCode.Close:
                ci->Pc--;   // run Close again to close the remaining variables
                break;
            case OpCode.Return:
                ci->Pc--;
                th->Top = @base + A(i) + ci->SavedCount;
                return;
            case OpCode.SetTabUp: case OpCode.SetTable: case OpCode.SetI: case OpCode.SetField:
                break;
            case OpCode.Call: case OpCode.TForCall: case OpCode.TailCall:
                // A call made from native code: the results are in place already.
                if (op != OpCode.TailCall)
                    NativeTier?.OnYieldedThrough(this, ci, (int)(ci->Pc - 1 - ((LuaClosure*)ci->Func->P)->Proto->Code));
                if (wanted < 0) return;
                break;
            default:
                @base[A(i)] = *(th->Top - 1);
                break;
        }
        th->Top = ci->Top;
    }
}
