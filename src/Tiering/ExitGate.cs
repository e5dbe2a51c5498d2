namespace Tiered.Tiering;

/// <summary>
/// Holds the process's exit while threads are inside LLVM. exit() runs libLLVM's static
/// destructors, so a compilation still running under them crashes the process after the
/// script has finished (a segfault, or an LLVM error). A thread enters before it calls LLVM and
/// leaves after; Close, called on ProcessExit, refuses new entries and waits for the threads
/// inside to leave. Long work checks ThrowIfClosed between its phases and gives up there, so
/// the wait is one phase, not one compilation.
/// </summary>
internal sealed class ExitGate
{
    private readonly object sync = new();
    private int inside;
    private bool closed;

    /// <summary>Whether Close has been called: work inside gives up at its next check.</summary>
    public bool Closed => Volatile.Read(ref closed);

    /// <summary>Throws OperationCanceledException once the gate is closed.</summary>
    public void ThrowIfClosed()
    {
        if (Closed) throw new OperationCanceledException("the process is exiting");
    }

    /// <summary>Enters (throws OperationCanceledException once closed); pair with Leave.</summary>
    public void Enter()
    {
        lock (sync)
        {
            ThrowIfClosed();
            inside++;
        }
    }

    public void Leave()
    {
        lock (sync)
        {
            if (--inside == 0) Monitor.PulseAll(sync);
        }
    }

    /// <summary>Refuses new entries, as Close, but returns at once: whether a thread is inside.</summary>
    public bool CloseNoWait()
    {
        lock (sync)
        {
            Volatile.Write(ref closed, true);
            return inside > 0;
        }
    }

    /// <summary>Refuses new entries and returns when no thread is inside.</summary>
    public void Close()
    {
        lock (sync)
        {
            Volatile.Write(ref closed, true);
            while (inside > 0) Monitor.Wait(sync);
        }
    }
}
