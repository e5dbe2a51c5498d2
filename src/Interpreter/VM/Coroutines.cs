using Tiered.Interpreter.Runtime;

namespace Tiered.Interpreter.VM;

// Coroutines. Each has its own stack and frames; resume runs the coroutine's frames in a
// nested interpreter invocation on the C# stack and returns when it finishes, fails or yields.
// A yield is a host function returning YieldSignal: the interpreter loop of the coroutine
// returns, leaving the yield's frame in place; the next resume completes that frame with the
// resume arguments as its results and continues the loop.
public sealed unsafe partial class LuaState
{
    public LuaThread* NewThread(in Value body)
    {
        LuaThread* co = NewThreadObject();
        co->Stack[1] = body;
        co->Top = co->Stack + 2;
        co->HighWater = co->Top;
        return co;
    }

    public string StatusOf(LuaThread* co)
    {
        if (co == Thread) return "running";
        return co->Status switch
        {
            ThreadStatus.Suspended or ThreadStatus.Initial => "suspended",
            ThreadStatus.Normal => "normal",
            ThreadStatus.Running => "running",
            _ => "dead",
        };
    }

    /// <summary>Resumes <paramref name="co"/> with the n values at <paramref name="args"/>
    /// (on the current thread's stack). On return, the results (or the error value) are on the
    /// current thread's stack from <paramref name="args"/> on; returns their count, negated
    /// minus one on error (-1 - count).</summary>
    public int Resume(LuaThread* co, Value* args, int nargs, out bool ok)
    {
        LuaThread* prev = Thread;
        ok = false;
        if (co->Status == ThreadStatus.Dead || (co->Status == ThreadStatus.Initial && co->Top == co->Stack + 1))
            return ResumeError(args, "cannot resume dead coroutine");
        if (co == prev || (co->Status != ThreadStatus.Suspended && co->Status != ThreadStatus.Initial))
            return ResumeError(args, "cannot resume non-suspended coroutine");
        if (hostNesting >= Options.MaxHostNesting) return ResumeError(args, "C stack overflow");
        if (co->Top + nargs + 8 > co->StackLimit) return ResumeError(args, "too many arguments to resume");
        Value* dst = co->Top;
        for (int j = 0; j < nargs; j++) dst[j] = args[j];
        co->Top = dst + nargs;
        if (co->Top > co->HighWater) co->HighWater = co->Top;

        ThreadStatus startStatus = co->Status;
        prev->Status = ThreadStatus.Normal;
        co->Status = ThreadStatus.Running;
        Thread = co;
        hostNesting++;
        try
        {
            CallFrame* entry = co->Frames + 1;
            if (startStatus == ThreadStatus.Initial)
            {
                Value* func = co->Stack + 1;
                if (PrepareCall(func, -1) != null || co->Ci >= entry)
                {
                    if ((co->Ci->Flags & FrameFlags.Yielded) == 0)
                    {
                        entry->Flags |= FrameFlags.Fresh;
                        Execute(entry);
                    }
                }
            }
            else
            {
                CallFrame* yf = co->Ci;
                FrameFlags flags = yf->Flags;
                yf->Flags &= ~FrameFlags.Yielded;
                int wanted = yf->NResults;
                MoveResults(yf, dst, nargs);
                if (co->Ci >= entry)
                {
                    if ((co->Ci->Flags & FrameFlags.Host) == 0)
                    {
                        if ((flags & FrameFlags.FinishOp) != 0) FinishOp(co->Ci, wanted);
                        else if (wanted >= 0) co->Top = co->Ci->Top;
                    }
                    entry->Flags |= FrameFlags.Fresh;
                    Execute(entry);
                }
            }
            // Finished, or yielded from the loop resume started.
            bool yielded = co->Ci > co->Frames && (co->Ci->Flags & FrameFlags.Yielded) != 0;
            ok = true;
            return HandOver(co, prev, args, yielded);
        }
        catch (LuaYieldException)
        {
            // Yielded from inside a nested call: the yield frame is current in the coroutine.
            ok = true;
            return HandOver(co, prev, args, yielded: true);
        }
        catch (LuaRuntimeException ex)
        {
            co->Status = ThreadStatus.Dead;
            co->ErrorValue = ex.Value;
            Thread = prev;
            args[0] = ex.Value;
            prev->Top = args + 1;
            return 1;
        }
        finally
        {
            Thread = prev;
            prev->Status = ThreadStatus.Running;
            hostNesting--;
        }
    }

    /// <summary>Moves a coroutine's yielded values (the yield frame's arguments) or its return
    /// values to the resumer's stack at args, and sets the coroutine's new status.</summary>
    private int HandOver(LuaThread* co, LuaThread* prev, Value* args, bool yielded)
    {
        co->Status = yielded ? ThreadStatus.Suspended : ThreadStatus.Dead;
        Value* from = yielded ? co->Ci->Func + 1 : co->Stack + 1;
        int n = yielded ? co->Ci->ExtraArgs : (int)(co->Top - from);
        Thread = prev;
        if (args + n > prev->StackLimit) throw RuntimeError("too many results to resume");
        for (int j = 0; j < n; j++) args[j] = from[j];
        if (args + n > prev->HighWater) prev->HighWater = args + n;
        prev->Top = args + n;
        if (!yielded) co->Top = co->Stack + 1;
        return n;
    }

    private int ResumeError(Value* args, string message)
    {
        args[0] = Value.Str(NewString(message));
        Thread->Top = args + 1;
        return 1;
    }

    /// <summary>Closes a suspended or dead coroutine: runs its pending __close handlers.
    /// Returns false with the error value in <paramref name="error"/> when closing failed or the
    /// coroutine had died in error.</summary>
    public bool CloseThread(LuaThread* co, out Value error)
    {
        error = co->Status == ThreadStatus.Dead ? co->ErrorValue : default;
        bool hadError = co->Status == ThreadStatus.Dead && co->ErrorValue.Tag != Tag.Nil;
        LuaThread* prev = Thread;
        Thread = co;
        co->NonYieldable++;
        try
        {
            CloseUpvalues(co->Stack);
            Value err = error;
            for (; ; )
            {
                try
                {
                    co->Ci = co->Frames;
                    CloseTbc(co->Stack, err, withError: hadError);
                    break;
                }
                catch (LuaRuntimeException ex) { err = ex.Value; hadError = true; }
            }
            error = err;
        }
        finally
        {
            co->NonYieldable--;
            Thread = prev;
        }
        co->Status = ThreadStatus.Dead;
        co->Ci = co->Frames;
        co->Top = co->Stack + 1;
        co->ErrorValue = default;
        return !hadError;
    }
}
