using Frontlijn.Web.Infrastructure.Mediator;
using Microsoft.Extensions.Logging.Abstractions;

namespace Frontlijn.UnitTests.Notifications;

/// <summary>
/// Notification latency (issue 12): a SignalR push runs as soon as the commit returns, before any other after-commit
/// action (webhook trigger, reply-link mail), whatever order the handler enqueued them in; a failing action stops
/// neither the pushes nor the rest.
/// </summary>
public sealed class AfterCommitOrderTests
{
    [Fact]
    public async Task Pushes_RunBeforeOtherActions_InTheirOwnOrder_AndAFailureStopsNothing()
    {
        var afterCommit = new AfterCommit(NullLogger<AfterCommit>.Instance);
        var ran = new List<string>();
        afterCommit.Enqueue(_ => { ran.Add("webhook"); return Task.CompletedTask; });
        afterCommit.EnqueuePush(_ => { ran.Add("push 1"); return Task.CompletedTask; });
        afterCommit.Enqueue(_ => throw new InvalidOperationException("SMTP down"));
        afterCommit.Enqueue(_ => { ran.Add("mail"); return Task.CompletedTask; });
        afterCommit.EnqueuePush(_ => { ran.Add("push 2"); return Task.CompletedTask; });

        await afterCommit.RunAsync(CancellationToken.None);

        Assert.Equal(["push 1", "push 2", "webhook", "mail"], ran);
        // Run once: a second run (e.g. a later unit of work in the same scope) does not repeat them.
        await afterCommit.RunAsync(CancellationToken.None);
        Assert.Equal(4, ran.Count);
    }

    [Fact]
    public async Task Clear_DropsPushesToo()
    {
        // A rolled-back unit of work must not announce what it did not commit.
        var afterCommit = new AfterCommit(NullLogger<AfterCommit>.Instance);
        var ran = 0;
        afterCommit.EnqueuePush(_ => { ran++; return Task.CompletedTask; });
        afterCommit.Enqueue(_ => { ran++; return Task.CompletedTask; });
        afterCommit.Clear();
        await afterCommit.RunAsync(CancellationToken.None);
        Assert.Equal(0, ran);
    }
}
