using Xunit;

namespace Tiered.Tiering.Tests;

/// <summary>The gate that keeps the process from exiting under a thread inside LLVM (whose
/// static destructors exit() runs): closing waits for the threads inside, and nothing enters
/// after.</summary>
public class ExitGateTests
{
    [Fact]
    public void CloseWaitsUntilTheThreadInsideLeaves()
    {
        var gate = new ExitGate();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var inside = new Thread(() =>
        {
            gate.Enter();
            entered.Set();
            release.Wait();
            gate.Leave();
        });
        inside.Start();
        entered.Wait();

        var closing = new Thread(gate.Close);
        closing.Start();
        // Work inside sees the close at its next check...
        Assert.True(SpinWait.SpinUntil(() => gate.Closed, 30_000));
        // ...and however long it is given, Close cannot return while the thread is inside.
        Assert.False(closing.Join(200));
        release.Set();
        Assert.True(closing.Join(30_000));
        inside.Join();
    }

    [Fact]
    public void NothingEntersOnceClosed()
    {
        var gate = new ExitGate();
        gate.Enter();
        gate.Leave();
        gate.Close();   // no one inside: returns at once
        Assert.Throws<OperationCanceledException>(gate.Enter);
        Assert.Throws<OperationCanceledException>(gate.ThrowIfClosed);
    }

    [Fact]
    public void AnOpenGateLetsWorkThrough()
    {
        var gate = new ExitGate();
        gate.ThrowIfClosed();
        gate.Enter();
        gate.Enter();
        gate.Leave();
        gate.Leave();
        Assert.False(gate.Closed);
        gate.Close();
        Assert.True(gate.Closed);
    }
}
